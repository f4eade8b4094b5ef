/**
 * The `sqlite` scenario (npm run bench -- --only sqlite): the Node server
 * over a SQLite database (WIREFEED_DB, the real entry point through
 * publisher.ts) of 1,000,000 generated articles beside one of 1,000. The
 * databases come from sql-database.ts (built once, cached); each run serves
 * a fresh copy, so the publishes here never change the cached file. For each
 * size: start-up until the listening line, peak RSS, the first /rss.xml,
 * requests/s of the 50-item gzip feed (wrk on core 1, both servers on core
 * 0, interleaved rounds: scenario.ts), and publishes through the API (PUT,
 * then the feed polled until it lists the new article).
 */
import { randomBytes } from "node:crypto";
import { constants, copyFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRecord, NEWEST } from "./generate-store.js";
import { httpGet, sha256 } from "./http-get.js";
import { httpSend } from "./http-send.js";
import { memoryOf, processCpuSecondsPrecise, processTreeCpuSeconds, processTreePeakRss, spawnPinned, stop, type Pinned } from "./processes.js";
import { measureScenario, median, pairedRatio, type ScenarioResult, type Timing } from "./scenario.js";
import { benchDatabase, BUILD_HOW, type BenchDatabase } from "./sql-database.js";

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MiB = 2 ** 20;
const PUBLISHES = 20;
const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));

export interface PublishFigures {
  count: number;
  /** PUT sent → the feed lists the article, per publish (ms). */
  servedMs: number[];
  medianServedMs: number;
  medianPutMs: number;
  /** Server CPU per publish (ms), from the scheduler's account of its threads: the PUT, and the feed GETs until it was listed. */
  putCpuMs: number;
  feedCpuMs: number;
  /** The same, each publish in turn (PUT + feed GETs): the first one also pays for compiling the parse and render paths. */
  cpuMsEach: number[];
  /** utime+stime of the server's process tree over the whole batch ÷ publishes (10 ms ticks): a cross-check. */
  batchCpuMsTicks: number;
  statuses: number[];
}

export interface SizeFigures {
  size: number;
  database: Pick<BenchDatabase, "bytes" | "buildSeconds" | "builtBefore" | "path">;
  startupSeconds: number;
  startupCpuSeconds: number;
  peakRssAtReadyMiB: number;
  peakRssMiB: number;
  firstRssMs: number;
  publish: PublishFigures;
}

export interface SqliteResult {
  sizes: SizeFigures[];
  feed: ScenarioResult;
  /** Median per-round ratio large ÷ small, of req/s and of requests per server CPU-second. */
  rpsRatio: number;
  cpuRatio: number;
  sameFeedBytes: boolean;
  how: string;
  loadAverage: string;
}

interface Server {
  size: number;
  url: string;
  process: Pinned;
  startupSeconds: number;
  startupCpuSeconds: number;
  peakRssAtReady: number;
  firstRssMs: number;
}

async function writeConfig(dir: string): Promise<{ path: string; raw: Record<string, unknown> }> {
  const raw = JSON.parse(await readFile(join(PROJECT, "site.config.json"), "utf8")) as Record<string, unknown>;
  // One client polling one feed without validators is exactly what a rate limit (politeness) refuses.
  delete raw.politeness;
  const config = { ...raw, feedSize: 50 };
  const path = join(dir, "site.config.sqlite-bench.json");
  await writeFile(path, JSON.stringify(config, null, 2));
  return { path, raw: config };
}

async function startServer(size: number, dbFile: string, configPath: string, siteUrl: string, token: string, serverCpu: number, log: (line: string) => void): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env, WIREFEED_DB: dbFile, PORT: "0", HOST: "127.0.0.1", WIREFEED_CONFIG: configPath, ACCESS_LOG: "off", SITE_URL: siteUrl, PUBLISH_TOKEN: token };
  delete env.ITEMS_DIR;
  const p = spawnPinned(serverCpu, process.execPath, ["--import", "tsx", "scripts/bench/publisher.ts"], { cwd: PROJECT, env });
  const ready = await p.waitFor(/ on (http:\/\/127\.0\.0\.1:\d+)\s*$/, 120_000);
  const startupSeconds = (ready.at - p.spawnedAt) / 1000;
  const startupCpuSeconds = processTreeCpuSeconds(p.child.pid!);
  const peakRssAtReady = processTreePeakRss(p.child.pid!);
  const url = ready.match[1]!;
  const t = performance.now();
  const first = await httpGet(`${url}/rss.xml`);
  const firstRssMs = performance.now() - t;
  if (first.status !== 200) throw new Error(`sqlite ${label(size)}: first /rss.xml answered ${first.status}`);
  const articles = /(\d+) articles in /.exec(p.output())?.[1];
  log(`sqlite ${label(size)}: ${articles} articles, listening after ${startupSeconds.toFixed(2)} s (${startupCpuSeconds.toFixed(2)} CPU s), peak RSS ${(peakRssAtReady / MiB).toFixed(0)} MiB; first /rss.xml ${firstRssMs.toFixed(1)} ms`);
  if (Number(articles) !== size) throw new Error(`sqlite ${label(size)}: the server reports ${articles} articles`);
  return { size, url, process: p, startupSeconds, startupCpuSeconds, peakRssAtReady, firstRssMs };
}

/** `PUBLISHES` new newest articles through the API, one at a time, each until the feed lists it. */
async function publishes(server: Server, token: string): Promise<PublishFigures> {
  const pid = server.process.child.pid!;
  const servedMs: number[] = [];
  const putMs: number[] = [];
  const statuses: number[] = [];
  let putCpu = 0;
  let feedCpu = 0;
  const cpuMsEach: number[] = [];
  const batchBefore = processTreeCpuSeconds(pid);
  for (let k = 1; k <= PUBLISHES; k++) {
    const record = generateRecord(server.size + k, 1, NEWEST + k * 60_000);
    let cpu = processCpuSecondsPrecise(pid);
    const started = performance.now();
    const put = await httpSend("PUT", `${server.url}/api/items/${record.slug}`, { Authorization: `Bearer ${token}`, "Content-Type": "text/markdown; charset=utf-8" }, record.text);
    putMs.push(performance.now() - started);
    const thisPut = processCpuSecondsPrecise(pid) - cpu;
    putCpu += thisPut;
    statuses.push(put.status);
    if (put.status !== 201) throw new Error(`PUT ${record.slug}: ${put.status} ${put.body.toString("utf8").slice(0, 300)}`);
    cpu = processCpuSecondsPrecise(pid);
    for (;;) {
      const feed = await httpGet(`${server.url}/rss.xml`);
      if (feed.body.includes(`/items/${record.slug}<`)) break;
      if (performance.now() - started > 10_000) throw new Error(`${record.slug}: not in /rss.xml 10 s after its PUT`);
    }
    servedMs.push(performance.now() - started);
    const thisFeed = processCpuSecondsPrecise(pid) - cpu;
    feedCpu += thisFeed;
    cpuMsEach.push((thisPut + thisFeed) * 1000);
  }
  const batchCpu = processTreeCpuSeconds(pid) - batchBefore;
  return {
    count: PUBLISHES,
    servedMs,
    medianServedMs: median(servedMs),
    medianPutMs: median(putMs),
    putCpuMs: (putCpu / PUBLISHES) * 1000,
    feedCpuMs: (feedCpu / PUBLISHES) * 1000,
    cpuMsEach,
    batchCpuMsTicks: (batchCpu / PUBLISHES) * 1000,
    statuses,
  };
}

/** Both sizes, in `workDir` (copies of the cached databases go there). */
export async function runSqliteScale(options: { sizes: readonly [number, number]; timing: Timing; workDir: string; log: (line: string) => void }): Promise<SqliteResult> {
  const { timing, workDir, log } = options;
  const config = await writeConfig(workDir);
  const siteUrl = String(config.raw.baseUrl);
  const token = randomBytes(16).toString("hex");
  const databases: BenchDatabase[] = [];
  for (const size of options.sizes) databases.push(await benchDatabase({ count: size, siteConfig: config.raw, siteUrl, log }));
  const servers: Server[] = [];
  for (const db of databases) {
    // A copy per run: the publishes below must not change the cached database.
    const copy = join(workDir, `sqlite-${db.articles}.db`);
    const t = performance.now();
    copyFileSync(db.path, copy, constants.COPYFILE_FICLONE);
    log(`sqlite ${label(db.articles)}: copied the database (${(db.bytes / MiB).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    servers.push(await startServer(db.articles, copy, config.path, siteUrl, token, timing.serverCpu, log));
  }
  const [small, large] = servers as [Server, Server];
  const gzip = { "Accept-Encoding": "gzip" };
  const bodies = await Promise.all(servers.map((s) => httpGet(`${s.url}/rss.xml`, gzip)));
  const sameFeedBytes = sha256(bodies[0]!.body) === sha256(bodies[1]!.body);
  if (!sameFeedBytes) log(`sqlite: the 50-item gzip feed differs between ${label(small.size)} and ${label(large.size)} (the newest 50 should be the same)`);
  const feed = await measureScenario(
    {
      id: "sqlite-feed",
      title: `/rss.xml (50 items, gzip) from SQLite, ${label(large.size)} vs ${label(small.size)} articles`,
      expect: { status: 200, coding: "gzip", ...(sameFeedBytes ? { sha256: sha256(bodies[0]!.body), length: bodies[0]!.body.length } : {}) },
      targets: [large, small].map((s) => ({ label: label(s.size), url: `${s.url}/rss.xml`, headers: gzip, pid: s.process.child.pid! })),
    },
    timing,
    log,
  );
  const sizes: SizeFigures[] = [];
  for (const [i, server] of servers.entries()) {
    const publish = await publishes(server, token);
    log(`sqlite ${label(server.size)}: ${publish.count} publishes, median ${publish.medianServedMs.toFixed(1)} ms until served, ${(publish.putCpuMs + publish.feedCpuMs).toFixed(1)} ms CPU each`);
    const db = databases[i]!;
    sizes.push({
      size: server.size,
      database: { bytes: db.bytes, path: db.path, ...(db.buildSeconds !== undefined ? { buildSeconds: db.buildSeconds } : {}), ...(db.builtBefore ? { builtBefore: db.builtBefore } : {}) },
      startupSeconds: server.startupSeconds,
      startupCpuSeconds: server.startupCpuSeconds,
      peakRssAtReadyMiB: server.peakRssAtReady / MiB,
      peakRssMiB: processTreePeakRss(server.process.child.pid!) / MiB,
      firstRssMs: server.firstRssMs,
      publish,
    });
    if (!memoryOf(server.process.child.pid!)) throw new Error(`sqlite ${label(server.size)}: the server is gone`);
  }
  for (const server of servers) await stop(server.process);
  return {
    sizes,
    feed,
    rpsRatio: pairedRatio(feed, label(large.size), label(small.size), "rps")!,
    cpuRatio: pairedRatio(feed, label(large.size), label(small.size), "cpu")!,
    sameFeedBytes,
    how: BUILD_HOW,
    loadAverage: "",
  };
}
