import { spawn, spawnSync } from "node:child_process";

/** Whether `python3 -m http.server` can run here (the plain static server the dirs layout is for). */
export const HAVE_PYTHON = spawnSync("python3", ["--version"]).status === 0;

/**
 * `python3 -m http.server` over `dir`, on an ephemeral port of 127.0.0.1:
 * a file server with no configuration, which maps a folder to its
 * index.html and a folder's URL without "/" to a redirect, nothing more.
 */
export async function plainServer(dir: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const child = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`python3 http.server did not start: ${seen}`)), 15_000);
    child.stdout.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const found = / port (\d+)/.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.stderr.resume();
    child.on("exit", (code) => reject(new Error(`python3 http.server exited ${code}: ${seen}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.kill();
      }),
  };
}
