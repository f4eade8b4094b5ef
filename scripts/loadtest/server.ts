import { spawn, type ChildProcess } from "node:child_process";

export interface LoadtestServer {
  child: ChildProcess;
  port: number;
  /** Resolves with the exit code when the server stops. */
  exited: Promise<number | null>;
  /** What the server wrote to stderr so far (its log). */
  stderr: () => string;
}

/**
 * The publisher's own Node entry on an ephemeral loopback port over
 * `itemsDir`, its links under https://wire.example/ (so every run's bytes are
 * the same). `onSpawn` gets the child at once, so a run stopped during
 * start-up can still kill it; `nodeArgs` go to node after tsx is loaded (a .ts `--import` works).
 */
export function startServer(itemsDir: string, options: { env?: Record<string, string>; nodeArgs?: string[]; onSpawn?: (child: ChildProcess) => void } = {}): Promise<LoadtestServer> {
  const child = spawn(process.execPath, ["--import", "tsx", ...(options.nodeArgs ?? []), "src/runtime/node.ts"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ITEMS_DIR: itemsDir, SITE_URL: "https://wire.example/", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  options.onSpawn?.(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), exited, stderr: () => stderr });
    });
    void exited.then((code) => reject(new Error(`server exited ${code} before listening: ${stderr}`)));
  });
}
