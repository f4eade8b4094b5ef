/** Real servers for tests: the Node entry point and the Worker bundles wrangler builds, run in workerd by Miniflare. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { request } from "node:http";
import { Miniflare } from "miniflare";

export interface RawResponse {
  status: number;
  /** Header names lower-cased, as received. */
  headers: Record<string, string>;
  body: Buffer;
}

/** One HTTP request over a real socket, nothing added but what node:http always sends. */
export function fetchRaw(url: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers[res.rawHeaders[i]!.toLowerCase()] = res.rawHeaders[i + 1]!;
        resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks) });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Starts `node --import tsx src/runtime/node.ts` on a free loopback port; resolves with its base URL. */
export function startNodeServer(env: Record<string, string>): Promise<{ base: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/runtime/node.ts"], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ base: m[1]!, child, stderr: () => stderr });
    });
    child.once("exit", (code) => reject(new Error(`node server exited ${code}: ${stderr}`)));
  });
}

/** Runs the project's wrangler (metrics off, no fetch of Cloudflare's cf data): the exit code and all it printed. */
export function runWrangler(args: string[], env: Record<string, string> = {}): { status: number | null; output: string } {
  const run = spawnSync("node_modules/.bin/wrangler", args, {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** `wrangler deploy --dry-run`: the exact bundle a deploy would upload, written to outDir/<entry>.js. */
export function buildWorkerBundle(env: "", outDir: string, extraEnv: Record<string, string> = {}) {
  return runWrangler(["deploy", "--dry-run", `--env=${env}`, "--outdir", outDir], extraEnv);
}

/** A value of wrangler.toml, so tests run the Worker with the settings a deploy uses. */
export function wranglerSetting(key: string): string {
  const m = new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, "m").exec(readFileSync("wrangler.toml", "utf8"));
  if (!m) throw new Error(`wrangler.toml has no ${key}`);
  return m[1]!;
}

/** Serves a built Worker bundle in workerd on a free loopback port. */
export async function startWorker(scriptPath: string, options: { bindings: Record<string, string> }) {
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    // Module names are paths relative to this root; the bundle lives outside the project.
    modulesRoot: dirname(scriptPath),
    compatibilityDate: wranglerSetting("compatibility_date"),
    bindings: options.bindings,
    host: "127.0.0.1",
    port: 0,
    cf: false,
  });
  const url = await mf.ready;
  return { mf, base: url.origin };
}
