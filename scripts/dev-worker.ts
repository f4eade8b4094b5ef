/**
 * `npm run dev:worker`: wrangler dev on the port PORT or
 * `--port N` names (default 8787), with SITE_URL to match unless it is set
 * (see worker-local.ts). Other arguments go to wrangler as given.
 *
 *   node --import tsx scripts/dev-worker.ts [--port N] [wrangler dev options]
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { localWorker, PortSettingError, wranglerDevArgs } from "./worker-local.js";

const args = process.argv.slice(2);
let worker;
try {
  worker = localWorker(process.env, args);
} catch (error) {
  if (!(error instanceof PortSettingError)) throw error;
  console.error(`dev-worker: ${error.message}`);
  process.exit(2);
}
console.log(`dev-worker: http://127.0.0.1:${worker.port}/, SITE_URL ${worker.siteUrl}`);
const child = spawn(resolve("node_modules/.bin/wrangler"), wranglerDevArgs("", worker), {
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
});
// Ctrl-C reaches wrangler through the terminal; a plain kill of this process is passed on.
for (const signal of ["SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
