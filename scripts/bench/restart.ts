/**
 * The `restart` scenario of the benchmark (npm run bench -- --only restart;
 * also the last step of a full run): start-up of the Node publisher over an
 * items/ folder of N generated wire stories, first without a parse index
 * (every record parsed, on one worker per core, and the index written), then
 * again over the unchanged folder (every record taken from the index). For
 * each: seconds until it listens (wall, and CPU seconds of the whole
 * process, worker threads included: what it cost whoever else shared the
 * machine), peak RSS, and whether both starts serve the same bytes.
 * The publisher may use every core here (it serves nothing while starting).
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRecord, generateStore } from "./generate-store.js";
import { httpGet, sha256 } from "./http-get.js";
import { memoryOf, processTreeCpuSeconds, spawnPinned, stop } from "./processes.js";

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MiB = 2 ** 20;
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

export interface StartFigures {
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  reused: number;
  parsed: number;
}

export interface RestartResult {
  size: number;
  recordMiB: number;
  indexMiB: number;
  first: StartFigures;
  restart: StartFigures;
  /** /rss.xml, /atom.xml, /feed.json and one article page: the same bytes after the restart as after the first start. */
  sameBytes: boolean;
  loadAverage: string;
}

const PATHS = ["/rss.xml", "/atom.xml", "/feed.json", `/items/${generateRecord(7).slug}`];

async function startOnce(itemsDir: string, configPath: string, siteUrl: string, log: (line: string) => void): Promise<{ figures: StartFigures; bodies: string[] }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ITEMS_DIR: itemsDir, PORT: "0", HOST: "127.0.0.1", WIREFEED_CONFIG: configPath, ACCESS_LOG: "off", SITE_URL: siteUrl };
  const cores = cpus().length > 1 ? `0-${cpus().length - 1}` : "0";
  const p = spawnPinned(cores, process.execPath, ["--import", "tsx", "scripts/bench/publisher.ts"], { cwd: PROJECT, env });
  try {
    const ready = await p.waitFor(/ on (http:\/\/127\.0\.0\.1:\d+)\s*$/, 600_000);
    const seconds = (ready.at - p.spawnedAt) / 1000;
    const cpuSeconds = processTreeCpuSeconds(p.child.pid!);
    const peakRssMiB = (memoryOf(p.child.pid!)?.peakRss ?? NaN) / MiB;
    const counts = /(\d+) records taken unchanged from the parse index, (\d+) parsed/.exec(p.output());
    const figures = { seconds, cpuSeconds, peakRssMiB, reused: Number(counts?.[1] ?? NaN), parsed: Number(counts?.[2] ?? NaN) };
    log(`  ${figures.seconds.toFixed(2)} s (${figures.cpuSeconds.toFixed(2)} CPU s), peak RSS ${figures.peakRssMiB.toFixed(0)} MiB; ${figures.reused} from the index, ${figures.parsed} parsed`);
    const bodies: string[] = [];
    for (const path of PATHS) bodies.push(sha256((await httpGet(`${ready.match[1]}${path}`)).body));
    return { figures, bodies };
  } finally {
    await stop(p);
  }
}

/** Both starts over a generated folder of `size` records (in `base`, removed afterwards). */
export async function restartScenario(size: number, base: string, log: (line: string) => void): Promise<RestartResult> {
  const dir = join(base, `items-${label(size)}`);
  const bytes = await generateStore(dir, size);
  const config = JSON.parse(await readFile(join(PROJECT, "site.config.json"), "utf8")) as Record<string, unknown>;
  const configPath = join(base, "site.config.json");
  await writeFile(configPath, JSON.stringify(config, null, 2));
  // A fixed SITE_URL: the index is keyed by the site config, which otherwise follows the ephemeral port.
  const siteUrl = String(config.baseUrl);
  log(`restart ${label(size)}: first start (no parse index yet)`);
  const first = await startOnce(dir, configPath, siteUrl, log);
  const indexMiB = (await stat(join(dir, ".wirefeed-index.db")).then((s) => s.size, () => NaN)) / MiB;
  log(`restart ${label(size)}: restart over the unchanged folder (index ${indexMiB.toFixed(0)} MiB)`);
  const again = await startOnce(dir, configPath, siteUrl, log);
  await rm(dir, { recursive: true, force: true });
  const sameBytes = first.bodies.every((b, i) => b === again.bodies[i]);
  if (!sameBytes) log(`restart ${label(size)}: the restarted server serves other bytes than the first start`);
  return { size, recordMiB: bytes / MiB, indexMiB, first: first.figures, restart: again.figures, sameBytes, loadAverage: loadavg().map((x) => x.toFixed(2)).join(" ") };
}

export function renderRestart(results: readonly RestartResult[]): string {
  const lines = [
    "| items/ | records | first start | restart (unchanged) | peak RSS first / restart | parse index | same bytes | load average |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    const s = (f: StartFigures) => `${f.seconds.toFixed(2)} s (${f.cpuSeconds.toFixed(1)} CPU s)`;
    lines.push(
      `| ${label(r.size)} | ${r.recordMiB.toFixed(0)} MiB | ${s(r.first)} | ${s(r.restart)} | ${r.first.peakRssMiB.toFixed(0)} / ${r.restart.peakRssMiB.toFixed(0)} MiB | ${r.indexMiB.toFixed(0)} MiB | ${r.sameBytes ? "yes" : "**no**"} | ${r.loadAverage} |`,
    );
  }
  return lines.join("\n");
}

/** The scenario alone: 10k and 100k (10k only with --quick). */
export async function runRestartBench(sizes: readonly number[], log: (line: string) => void): Promise<RestartResult[]> {
  const base = await mkdtemp(join(tmpdir(), "wirefeed-restart-"));
  try {
    const results: RestartResult[] = [];
    for (const size of sizes) results.push(await restartScenario(size, base, log));
    return results;
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
