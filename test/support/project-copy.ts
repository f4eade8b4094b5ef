/**
 * A throwaway copy of the project (sources, scripts, wrangler.toml, lockfile)
 * with its own items/ and config, for tests that run wrangler's own commands:
 * those build into the project's .generated/ and keep state in .wrangler/,
 * which must never be the working tree's. node_modules is linked, not copied.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TEST_SITE_CONFIG } from "./fixtures.js";

const COPIED = ["src", "scripts", "wrangler.toml", "package.json", "package-lock.json", "tsconfig.json"];

export function projectCopy(items: Record<string, string | Buffer>, config: object = TEST_SITE_CONFIG): string {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-project-"));
  for (const entry of COPIED) cpSync(entry, join(dir, entry), { recursive: true });
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "site.config.json"), JSON.stringify(config));
  mkdirSync(join(dir, "items"));
  for (const [name, content] of Object.entries(items)) writeFileSync(join(dir, "items", name), content);
  return dir;
}

/** A loopback port free at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the output matches, rejects if the process ends first or `ms` pass. */
  waitFor: (pattern: RegExp, ms?: number) => Promise<RegExpExecArray>;
  /** Ends the whole process group (npm, the wrapper, wrangler, workerd). */
  stop: () => Promise<void>;
}

/** Runs a command in its own process group, collecting stdout and stderr together. */
export function spawnGroup(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Spawned {
  const child = spawn(command, args, { cwd, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    child,
    output: () => out,
    waitFor: (pattern, ms = 60_000) =>
      new Promise((done, fail) => {
        const started = Date.now();
        const poll = () => {
          const m = pattern.exec(out);
          if (m) return done(m);
          if (child.exitCode !== null || child.signalCode !== null) return fail(new Error(`exited before ${pattern}:\n${out}`));
          if (Date.now() - started > ms) return fail(new Error(`no ${pattern} within ${ms} ms:\n${out}`));
          setTimeout(poll, 100);
        };
        poll();
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, "SIGTERM");
        } catch {
          // already gone
        }
        const forced = setTimeout(() => {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            // already gone
          }
        }, 5_000);
        await exited;
        clearTimeout(forced);
      }
    },
  };
}
