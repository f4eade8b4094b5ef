/**
 * `npm run bench -- --only sqlite` and `--only d1`: the database scenarios
 * (sqlite-scale.ts, d1-scale.ts), run on their own (a full `npm run bench`
 * leaves them out: building the million-article database takes minutes the
 * first time). Each is bounded in time, prints its Markdown table and
 * writes bench-results/<scenario>-<time>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderD1 } from "./d1-report.js";
import { runD1Scale } from "./d1-scale.js";
import type { Tool } from "./load.js";
import { ensureDebianPackage } from "./nginx.js";
import { removeOnExit } from "./processes.js";
import { renderSqlite } from "./sqlite-report.js";
import { runSqliteScale } from "./sqlite-scale.js";

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Ports of the local Worker and its inspector (wrangler dev). */
const D1_PORT = Number(process.env.BENCH_D1_PORT ?? 8788);

export interface ScaleOptions {
  tool: Tool;
  connections: number;
  serverCpu: number;
  loadCpu: number;
  /** The large database's size instead of the default (hidden --size). */
  size?: number;
  keepTemp: boolean;
  log: (line: string) => void;
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

function bound(minutes: number, log: (line: string) => void): void {
  setTimeout(() => {
    log(`bench: over the ${minutes}-minute limit of this scenario, stopping`);
    process.exit(1);
  }, minutes * 60_000).unref();
}

async function workDir(name: string, o: ScaleOptions): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `wirefeed-${name}-`));
  if (o.keepTemp) o.log(`bench: temp folder ${dir} (kept)`);
  else removeOnExit(dir);
  return dir;
}

function save(name: string, result: unknown): string {
  const dir = join(PROJECT, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ version: 1, scenario: name, node: process.version, result }, null, 2)}\n`);
  return file;
}

export async function sqliteOnly(o: ScaleOptions): Promise<void> {
  // Building the 1M database the first time is most of it (about 15 minutes on 2 idle cores); a cached run takes 3 or 4.
  bound(90, o.log);
  if (cpus().length < 2) throw new Error("needs 2 cores: the servers on core 0, the load tool on core 1");
  if (o.tool === "wrk") ensureDebianPackage("/usr/bin/wrk", "wrk");
  o.log(`bench: sqlite scenario, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; load average ${load()}`);
  const dir = await workDir("sqlite", o);
  const result = await runSqliteScale({
    sizes: [1_000, o.size ?? 1_000_000],
    workDir: dir,
    log: o.log,
    timing: {
      tool: o.tool,
      connections: o.connections,
      warmupSeconds: 2,
      roundSeconds: 2,
      rounds: 5,
      serverCpu: o.serverCpu,
      loadCpu: o.loadCpu,
      workDir: dir,
      quiet: { threshold: 0.1, maxWaitMs: 5_000, budgetMs: 60_000, retryBudget: 10 },
    },
  });
  result.loadAverage = load();
  const file = save("sqlite", result);
  console.log(renderSqlite(result));
  console.log(`\nResults: ${file}`);
}

export async function d1Only(o: ScaleOptions): Promise<void> {
  bound(45, o.log);
  o.log(`bench: d1 scenario, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; load average ${load()}`);
  const dir = await workDir("d1", o);
  const result = await runD1Scale({ size: o.size ?? 100_000, port: D1_PORT, inspectorPort: D1_PORT + 1, serverCpu: o.serverCpu, workDir: dir, log: o.log });
  result.loadAverage = load();
  const file = save("d1", result);
  console.log(renderD1(result));
  console.log(`\nResults: ${file}`);
}
