/**
 * The `d1` scenario (npm run bench -- --only d1): the D1 Worker in workerd
 * (wrangler dev --env d1, the pinned wrangler, pinned to core 0) over a
 * local D1 of 100,000 generated articles, its entry wrapped by
 * d1-counting-worker.ts to count storage calls.
 *
 * The database: sql-database.ts builds (once, cached) a SQLite file of the
 * SQL store's rows; wrangler makes a fresh local D1 in a temp --persist-to
 * folder (one `d1 execute`), and the built file replaces that D1's SQLite
 * file (Miniflare keeps a local D1 as one SQLite database). The Worker then
 * reads and writes it through the D1 binding as any D1.
 *
 * CPU, two accounts. First workerd's own CPU time from /proc (the
 * scheduler's per-thread account, /proc/<pid>/task/<tid>/schedstat, and
 * utime+stime of /proc/<pid>/stat as a cross-check) sampled before and
 * after each request, a short settle included (work after the answer, such
 * as the edge cache's put, counts), minus what workerd burns idle over the
 * same settle: of the runtime workerd, which runs the Worker and also
 * Miniflare's router and its D1 and cache simulators (which Cloudflare does
 * not bill as Worker CPU: an upper bound; the floor rows show the part that
 * is plumbing), and of wrangler dev's proxy workerd beside it. Then the
 * Worker's isolate alone, by V8's profiler (d1-isolate.ts), checked against
 * /proc on work that is all the isolate's: what the targets are judged on.
 */
import { randomBytes } from "node:crypto";
import { constants, copyFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateRecord, NEWEST } from "./generate-store.js";
import { isolateFigures, type IsolateFigures } from "./d1-isolate.js";
import { httpGet } from "./http-get.js";
import { httpSend } from "./http-send.js";
import { processCpuSeconds, processCpuSecondsPrecise, processTree, runBounded, spawnPinned, stop } from "./processes.js";
import { median } from "./scenario.js";
import { benchDatabase, BUILD_HOW, type BenchDatabase } from "./sql-database.js";

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = join(PROJECT, "node_modules/.bin/wrangler");
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
/** Settle after each answer before CPU is sampled again (ms). */
const SETTLE_MS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Counts {
  d1Calls: number;
  d1Reads: number;
  batches: number;
  batchStatements: number;
  cacheLookups: number;
  cacheHits: number;
  cacheCounted: boolean;
  recent: string[];
}

export interface Sample {
  /** The runtime workerd's CPU (the Worker, Miniflare's router and simulators). */
  cpuMs: number;
  /** The proxy workerd's (wrangler dev's own forwarding). */
  proxyCpuMs: number;
  cpuTicksMs: number;
  wallMs: number;
  status: number;
  counts: Omit<Counts, "cacheCounted" | "recent">;
  /** The SQL of the request's D1 calls. */
  sql: string[];
}

export interface Figure {
  samples: Sample[];
  medianCpuMs: number;
  medianProxyCpuMs: number;
  meanCpuMs: number;
  meanCpuTicksMs: number;
  medianWallMs: number;
  maxD1Calls: number;
  maxD1Reads: number;
  maxCacheHits: number;
}

export interface D1Result {
  size: number;
  database: Pick<BenchDatabase, "bytes" | "buildSeconds" | "builtBefore">;
  how: string;
  cpuHow: string;
  wranglerStartSeconds: number;
  idleCpuMsPerSettle: number;
  proxyIdleCpuMsPerSettle: number;
  cacheCounted: boolean;
  floor: Figure;
  /** The entry's own D1 version read and edge-cache hit of the feed's bytes (Miniflare runs both in workerd). */
  storage: Figure;
  firstRequest: Sample;
  cold: Figure;
  cached: Figure;
  publish: Figure;
  /** The Worker's isolate alone, by V8's profiler (d1-isolate.ts): what the targets are judged on. */
  isolate: IsolateFigures;
  loadAverage: string;
}

export const CPU_HOW =
  "the runtime workerd's CPU time from /proc (the process with the Worker; wrangler dev's proxy workerd, which forwards each request to it, is counted apart): its threads' schedstat run time (ns) before and after each request, with a 40 ms settle, minus idle workerd over 40 ms; utime+stime (/proc/<pid>/stat, 10 ms ticks) summed the same way as a cross-check. That process also runs Miniflare's router and its D1 (SQLite) and cache simulators: an upper bound of the Worker's own CPU";

function figure(samples: Sample[]): Figure {
  return {
    samples,
    medianCpuMs: median(samples.map((s) => s.cpuMs)),
    medianProxyCpuMs: median(samples.map((s) => s.proxyCpuMs)),
    meanCpuMs: samples.reduce((a, s) => a + s.cpuMs, 0) / samples.length,
    meanCpuTicksMs: samples.reduce((a, s) => a + s.cpuTicksMs, 0) / samples.length,
    medianWallMs: median(samples.map((s) => s.wallMs)),
    maxD1Calls: Math.max(...samples.map((s) => s.counts.d1Calls)),
    maxD1Reads: Math.max(...samples.map((s) => s.counts.d1Reads)),
    maxCacheHits: Math.max(...samples.map((s) => s.counts.cacheHits)),
  };
}

/** A fresh local D1 in `persistDir` whose SQLite file is a copy of `built`. */
function localD1From(built: string, persistDir: string, log: (line: string) => void): void {
  const made = runBounded(WRANGLER, ["d1", "execute", "DB", "--env", "d1", "--local", "--persist-to", persistDir, "--json", "--yes", "--command", "SELECT 1"], 120_000);
  if (made.status !== 0) throw new Error(`wrangler d1 execute failed: ${made.stdout}${made.stderr}`);
  const dir = join(persistDir, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one D1 database file in ${dir}, found ${files.join(", ") || "none"}`);
  const target = join(dir, files[0]!);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  const t = performance.now();
  copyFileSync(built, target, constants.COPYFILE_FICLONE);
  log(`d1: the built database copied into local D1 (${files[0]}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/**
 * wrangler dev runs two workerd processes: its proxy, listening on the dev
 * port and forwarding each request, and the runtime, where Miniflare runs
 * the Worker, its router and its D1 and cache simulators (the one with the
 * inspector). Told apart by the proxy's socket on `port`.
 */
function workerdPids(root: number, port: number): { runtime: number; proxy: number } {
  const runtime: number[] = [];
  const proxy: number[] = [];
  for (const pid of processTree(root)) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "workerd") continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      (args.includes(`--socket-addr=entry=127.0.0.1:${port}`) ? proxy : runtime).push(pid);
    } catch {
      // gone
    }
  }
  if (runtime.length !== 1 || proxy.length !== 1) throw new Error(`expected one runtime and one proxy workerd under wrangler dev, found ${runtime.length} and ${proxy.length}`);
  return { runtime: runtime[0]!, proxy: proxy[0]! };
}

export async function runD1Scale(options: { size: number; port: number; inspectorPort: number; serverCpu: number; workDir: string; log: (line: string) => void }): Promise<D1Result> {
  const { size, port, workDir, log } = options;
  const raw = JSON.parse(await readFile(join(PROJECT, "site.config.json"), "utf8")) as Record<string, unknown>;
  // Sequential requests without validators from one client: not what politeness is for.
  delete raw.politeness;
  const config: Record<string, unknown> = { ...raw, feedSize: 50 };
  const configPath = join(workDir, "site.config.d1-bench.json");
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const siteUrl = String(config.baseUrl);
  const db = await benchDatabase({ count: size, siteConfig: config, siteUrl, log });
  const persistDir = join(workDir, "d1-state");
  localD1From(db.path, persistDir, log);

  const token = randomBytes(16).toString("hex");
  const args = ["dev", "scripts/bench/d1-counting-worker.ts", "--env", "d1", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(options.inspectorPort), "--persist-to", persistDir];
  args.push("--var", `SITE_URL:${siteUrl}`, "--var", `PUBLISH_TOKEN:${token}`);
  const wrangler = spawnPinned(options.serverCpu, WRANGLER, args, { cwd: PROJECT, env: { ...WRANGLER_ENV, WIREFEED_CONFIG: configPath } });
  try {
    const ready = await wrangler.waitFor(new RegExp(`Ready on http://127\\.0\\.0\\.1:${port}`), 180_000);
    const wranglerStartSeconds = (ready.at - wrangler.spawnedAt) / 1000;
    const base = `http://127.0.0.1:${port}`;
    const { runtime: pid, proxy } = workerdPids(wrangler.child.pid!, port);
    log(`d1: wrangler dev ready after ${wranglerStartSeconds.toFixed(1)} s, runtime workerd pid ${pid}, proxy workerd pid ${proxy}`);
    const counts = async () => JSON.parse((await httpGet(`${base}/__bench/counts`)).body.toString("utf8")) as Counts;

    // What workerd uses over one settle with nothing to do.
    let idle = 0;
    let proxyIdle = 0;
    for (let i = 0; i < 20; i++) {
      const c = processCpuSecondsPrecise(pid);
      const p = processCpuSecondsPrecise(proxy);
      await sleep(SETTLE_MS);
      idle += processCpuSecondsPrecise(pid) - c;
      proxyIdle += processCpuSecondsPrecise(proxy) - p;
    }
    const idleCpuMsPerSettle = (idle / 20) * 1000;
    const proxyIdleCpuMsPerSettle = (proxyIdle / 20) * 1000;

    const measure = async (send: () => Promise<{ status: number }>): Promise<Sample> => {
      const before = await counts();
      const cpu = processCpuSecondsPrecise(pid);
      const proxyCpu = processCpuSecondsPrecise(proxy);
      const ticks = processCpuSeconds(pid);
      const t = performance.now();
      const { status } = await send();
      const wallMs = performance.now() - t;
      await sleep(SETTLE_MS);
      const cpuMs = (processCpuSecondsPrecise(pid) - cpu) * 1000 - idleCpuMsPerSettle;
      const proxyCpuMs = (processCpuSecondsPrecise(proxy) - proxyCpu) * 1000 - proxyIdleCpuMsPerSettle;
      const cpuTicksMs = (processCpuSeconds(pid) - ticks) * 1000;
      const after = await counts();
      const delta = {
        d1Calls: after.d1Calls - before.d1Calls,
        d1Reads: after.d1Reads - before.d1Reads,
        batches: after.batches - before.batches,
        batchStatements: after.batchStatements - before.batchStatements,
        cacheLookups: after.cacheLookups - before.cacheLookups,
        cacheHits: after.cacheHits - before.cacheHits,
      };
      return { cpuMs, proxyCpuMs, cpuTicksMs, wallMs, status, counts: delta, sql: delta.d1Calls > 0 ? after.recent.slice(-delta.d1Calls) : [] };
    };
    const get = (path: string) => () => httpGet(`${base}${path}`);
    let published = 0;
    const put = () => {
      published++;
      const record = generateRecord(size + published, 1, NEWEST + published * 60_000);
      return httpSend("PUT", `${base}/api/items/${record.slug}`, { Authorization: `Bearer ${token}`, "Content-Type": "text/markdown; charset=utf-8" }, record.text).then((r) => {
        if (r.status !== 201) throw new Error(`d1 PUT ${record.slug}: ${r.status} ${r.body.toString("utf8").slice(0, 300)}`);
        return r;
      });
    };
    const check = (s: Sample, what: string) => {
      if (s.status !== 200 && s.status !== 201) throw new Error(`d1 ${what}: status ${s.status}`);
      return s;
    };

    // The isolate's very first request (code compiled, site built), then requests the entry answers itself.
    const firstRequest = check(await measure(get("/rss.xml")), "first /rss.xml");
    log(`d1: first request of the isolate: ${firstRequest.cpuMs.toFixed(1)} ms CPU, ${firstRequest.wallMs.toFixed(0)} ms`);
    const floor: Sample[] = [];
    for (let i = 0; i < 20; i++) floor.push(await measure(() => httpGet(`${base}/__bench/counts`)));
    // The storage floor (d1-counting-worker.ts) runs the Worker's last version read again: one more
    // /rss.xml makes it a cached request's (the version known), then its first request puts the feed's bytes in the cache.
    await httpGet(`${base}/rss.xml`);
    await httpGet(`${base}/__bench/storage`);
    const storage: Sample[] = [];
    for (let i = 0; i < 20; i++) storage.push(await measure(() => httpGet(`${base}/__bench/storage`)));

    // Cold: each after a publish (a new content version: the isolate's app and the edge cache's key are new), then cached.
    const cold: Sample[] = [];
    const cached: Sample[] = [];
    const publish: Sample[] = [];
    for (let round = 0; round < 10; round++) {
      publish.push(check(await measure(put), "PUT"));
      cold.push(check(await measure(get("/rss.xml")), "cold /rss.xml"));
      for (let i = 0; i < 5; i++) cached.push(check(await measure(get("/rss.xml")), "cached /rss.xml"));
      const c = cold.at(-1)!;
      log(`d1: round ${round + 1}/10: publish ${publish.at(-1)!.cpuMs.toFixed(1)} ms CPU, cold /rss.xml ${c.cpuMs.toFixed(1)} ms CPU (${c.counts.d1Calls} D1 calls), cached ${median(cached.slice(-5).map((s) => s.cpuMs)).toFixed(2)} ms CPU`);
    }
    const isolate = await isolateFigures({ inspectorPort: options.inspectorPort, pid, procMs: async (send) => (await measure(send)).cpuMs, get, publish: put, log });
    const { cacheCounted } = await counts();
    return {
      size,
      database: { bytes: db.bytes, ...(db.buildSeconds !== undefined ? { buildSeconds: db.buildSeconds } : {}), ...(db.builtBefore ? { builtBefore: db.builtBefore } : {}) },
      how: `${BUILD_HOW}; copied over the SQLite file of a fresh local D1 (wrangler d1 execute --local --persist-to, in a temp folder)`,
      cpuHow: CPU_HOW,
      wranglerStartSeconds,
      idleCpuMsPerSettle,
      proxyIdleCpuMsPerSettle,
      cacheCounted,
      floor: figure(floor),
      storage: figure(storage),
      firstRequest,
      cold: figure(cold),
      cached: figure(cached),
      publish: figure(publish),
      isolate,
      loadAverage: "",
    };
  } finally {
    await stop(wrangler);
  }
}
