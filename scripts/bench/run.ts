/**
 * npm run bench [-- --quick] [-- --tool autocannon] [-- --cpu-prof] [-- --only restart|sqlite|d1]
 *
 * Generates synthetic stores (1k, 10k, 100k articles) in a temp folder, starts
 * the real publisher entry point pinned to core 0, takes its bytes, serves the
 * same bytes from a plain node:http server and from nginx gzip_static (also on
 * core 0), and drives each from core 1 with wrk. Prints Markdown tables and
 * writes bench-results/<timestamp>.json and bench-results/latest.json.
 * Not part of npm test. Every step is bounded in time; children and temp files
 * are removed on every way out.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { chmod, mkdtemp, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateRecord, generateStore, NEWEST } from "./generate-store.js";
import { httpGet, sha256 } from "./http-get.js";
import type { Tool } from "./load.js";
import { ensureDebianPackage, nginxVersion, startNginx, type RunningNginx } from "./nginx.js";
import { installCleanup, memoryOf, processTreeCpuSeconds, removeOnExit, runBounded, spawnPinned, stop, type Pinned } from "./processes.js";
import {
  checkTargets,
  NGINX_LABEL,
  NODE_HTTP,
  PUBLISHER,
  renderDetail,
  renderMarkdown,
  type Machine,
  type Results,
  type ScalingResult,
  type StoreResult,
  type WriteToServed,
} from "./report.js";
import { measureScenario, type Expectation, type Scenario, type ScenarioResult, type Target, type Timing } from "./scenario.js";
import { writeServedRoot, type CapturedResource, type Coding } from "./served-files.js";
import { renderRestart, runRestartBench, type RestartResult } from "./restart.js";
import { d1Only, sqliteOnly } from "./scale-only.js";

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SERVER_CPU = 0;
const LOAD_CPU = 1;

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    tool: { type: "string", default: "wrk" },
    connections: { type: "string", default: "50" },
    "cpu-prof": { type: "boolean", default: false },
    "keep-temp": { type: "boolean", default: false },
    only: { type: "string" },
    // Hidden: the large store of --only sqlite / d1 at another size (e.g. 10000), to iterate quickly.
    size: { type: "string" },
    // Not in --help: store sizes of the restart scenario while iterating on it (comma-separated, e.g. 10000).
    "restart-sizes": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(`npm run bench [-- options]
  --quick            1k and 10k stores, shorter rounds (about 3 minutes)
  --tool wrk|autocannon   load tool (default wrk; autocannon saturates sooner)
  --connections N    concurrent connections (default 50)
  --cpu-prof         write CPU profiles of the publishers to bench-results/profiles/
  --keep-temp        keep the temp folder (stores, served files, nginx.conf)
  --only restart     only the restart scenario: start-up over 10k and 100k records, first (parsing) and again (parse index)
  --only sqlite      only the SQLite scenario: the Node server over databases of 1M and 1k articles (built once into .cache/bench/)
  --only d1          only the D1 scenario: the D1 Worker in workerd (wrangler dev) over a local D1 of 100k articles`);
  process.exit(0);
}
const tool = args.tool as Tool;
if (tool !== "wrk" && tool !== "autocannon") throw new Error(`--tool must be wrk or autocannon, not ${args.tool}`);
const quick = args.quick!;
const ONLY = ["restart", "sqlite", "d1"];
if (args.only !== undefined && !ONLY.includes(args.only)) throw new Error(`--only takes one scenario: ${ONLY.join(", ")}, not ${args.only}`);
const sizeOverride = args.size === undefined ? undefined : Number(args.size);
if (sizeOverride !== undefined && !(Number.isSafeInteger(sizeOverride) && sizeOverride >= 100)) throw new Error(`--size must be a whole number of articles (at least 100), not ${args.size}`);
const options = {
  quick,
  tool,
  connections: Number(args.connections),
  sizes: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
  warmupSeconds: quick ? 1 : 2,
  roundSeconds: quick ? 1 : 2,
  rounds: quick ? 3 : 5,
  watchTimeoutSeconds: quick ? 10 : 30,
  cpuProf: args["cpu-prof"]!,
};
/** Hard bound on the whole run; full runs take 11 to 17 minutes (the restart scenario included), depending on other load. */
const TIME_LIMIT_MS = (quick ? 9 : 25) * 60_000;

const log = (line: string) => console.error(line);
const MiB = 2 ** 20;
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Publisher {
  name: string;
  url: string;
  process: Pinned;
  startupSeconds: number;
  articles: number;
  rssAtReady: number;
  startupCpuSeconds: number;
}

async function writeConfig(dir: string, feedSize: number): Promise<string> {
  const config = JSON.parse(await readFile(join(PROJECT, "site.config.json"), "utf8")) as Record<string, unknown>;
  // One client polling one feed without validators is exactly what a rate limit (politeness) refuses.
  delete config.politeness;
  const path = join(dir, `site.config.feed${feedSize}.json`);
  await writeFile(path, JSON.stringify({ ...config, feedSize }, null, 2));
  return path;
}

async function startPublisher(name: string, itemsDir: string, configPath: string, profileDir: string | undefined): Promise<Publisher> {
  // The config's baseUrl as is (not moved onto the ephemeral port), so every publisher's bytes are the same;
  // no access log, as nginx runs here with access_log off.
  const env: NodeJS.ProcessEnv = { ...process.env, ITEMS_DIR: itemsDir, PORT: "0", HOST: "127.0.0.1", WIREFEED_CONFIG: configPath, ACCESS_LOG: "off" };
  env.SITE_URL = JSON.parse(await readFile(configPath, "utf8")).baseUrl;
  const flags = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name.replace(/[^a-z0-9]+/gi, "-")}.cpuprofile`] : [];
  // scripts/bench/publisher.ts runs src/runtime/node.ts as it is, under a name other sessions do not stop.
  const p = spawnPinned(SERVER_CPU, process.execPath, [...flags, "--import", "tsx", "scripts/bench/publisher.ts"], { cwd: PROJECT, env });
  const ready = await p.waitFor(/ on (http:\/\/127\.0\.0\.1:\d+)\s*$/, 300_000);
  const startupSeconds = (ready.at - p.spawnedAt) / 1000;
  const articles = Number(/(\d+) articles/.exec(p.output())?.[1] ?? NaN);
  const mem = memoryOf(p.child.pid!);
  const startupCpuSeconds = processTreeCpuSeconds(p.child.pid!);
  log(`${name}: ${articles} articles, ${ready.match[1]} after ${startupSeconds.toFixed(2)} s (${startupCpuSeconds.toFixed(2)} CPU s), RSS ${((mem?.rss ?? NaN) / MiB).toFixed(0)} MiB`);
  watchExit(name, p);
  return { name, url: ready.match[1]!, process: p, startupSeconds, startupCpuSeconds, articles, rssAtReady: mem?.peakRss ?? NaN };
}

/** A server that dies mid-run is named, with how it ended and what it last printed, and the run stops. */
function watchExit(name: string, p: Pinned): void {
  p.child.once("exit", (code, signal) => {
    if (p.stopped) return;
    // The entry point exits 0 on SIGTERM/SIGINT: then something outside the benchmark stopped it.
    const why = code === 0 ? " (a SIGTERM or SIGINT from outside the benchmark?)" : "";
    log(`bench: ${name} (pid ${p.child.pid}) exited unexpectedly: code ${code}, signal ${signal}${why}\n${p.output().slice(-2000)}`);
    // Numbers measured against a dead server would be meaningless: stop here (the exit handler cleans up).
    log("bench failed: a server under test is gone; no results written");
    process.exit(1);
  });
}

const HEADERS: Record<Coding, Record<string, string>> = {
  identity: {},
  gzip: { "Accept-Encoding": "gzip" },
  br: { "Accept-Encoding": "br" },
};

/** The publisher's bytes for `path`, in each coding, checked to be what was asked for. */
async function capture(base: string, path: string, servedAs: string, codings: readonly Coding[]): Promise<CapturedResource> {
  const variants: CapturedResource["variants"] = {};
  let first: Record<string, string> | undefined;
  for (const coding of codings) {
    const r = await httpGet(`${base}${path}`, HEADERS[coding]);
    const got = r.headers["content-encoding"] ?? "identity";
    if (r.status !== 200 || got !== coding || !r.headers.etag) throw new Error(`${base}${path} (${coding}): ${r.status}, content-encoding ${got}, etag ${r.headers.etag}`);
    variants[coding] = { etag: r.headers.etag, body: r.body };
    first ??= r.headers;
  }
  return {
    path: servedAs,
    contentType: first!["content-type"]!,
    cacheControl: first!["cache-control"] ?? "no-cache",
    ...(first!["last-modified"] ? { lastModified: first!["last-modified"] } : {}),
    variants,
  };
}

function expectOf(resource: CapturedResource, coding: Coding, status: 200 | 304 = 200): Expectation {
  const body = resource.variants[coding]!.body;
  return status === 304 ? { status, coding } : { status, coding, sha256: sha256(body), length: body.length };
}

/** A record written the way the store writes (temp file, rename), then polled until it is served. */
async function writeToServed(publisher: Publisher, itemsDir: string, storeSize: number): Promise<WriteToServed> {
  const record = generateRecord(storeSize + 1, 1, NEWEST + 60_000);
  const temp = join(itemsDir, `.${record.name}.bench.tmp`);
  await writeFile(temp, record.text);
  const started = performance.now();
  await rename(temp, join(itemsDir, record.name));
  const deadline = started + options.watchTimeoutSeconds * 1000;
  let itemSeconds: number | undefined;
  let feedSeconds: number | undefined;
  while (performance.now() < deadline && (itemSeconds === undefined || feedSeconds === undefined)) {
    if (itemSeconds === undefined && (await httpGet(`${publisher.url}/items/${record.slug}`)).status === 200) {
      itemSeconds = (performance.now() - started) / 1000;
    }
    if (feedSeconds === undefined && (await httpGet(`${publisher.url}/rss.xml`)).body.includes(`/items/${record.slug}<`)) {
      feedSeconds = (performance.now() - started) / 1000;
    }
    await sleep(20);
  }
  const note =
    itemSeconds === undefined && feedSeconds === undefined
      ? "the publisher does not pick up new records while running: no watch mode yet"
      : "polled every 20 ms";
  return { storeSize, timeoutSeconds: options.watchTimeoutSeconds, ...(itemSeconds !== undefined ? { itemSeconds } : {}), ...(feedSeconds !== undefined ? { feedSeconds } : {}), note };
}

function machine(): Machine {
  const wrk = tool === "wrk" ? runBounded("wrk", ["-v"], 10_000).stdout.split("\n")[0]?.split(" ").slice(0, 2).join(" ") ?? "wrk" : "";
  const autocannon = tool === "autocannon" ? `autocannon ${(createRequire(import.meta.url)("autocannon/package.json") as { version: string }).version}` : "";
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    nginx: nginxVersion(),
    loadTool: `${wrk || autocannon} (1 thread)`,
    loadAverageAtStart: loadavg().map((x) => x.toFixed(2)).join(" "),
  };
}

/** `--only restart`: the restart scenario and nothing else. */
async function restartOnly(): Promise<void> {
  installCleanup();
  log(`bench: restart scenario, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const sizes = args["restart-sizes"] ? args["restart-sizes"].split(",").map(Number) : quick ? [10_000] : [10_000, 100_000];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--restart-sizes takes whole numbers, not ${args["restart-sizes"]}`);
  const results = await runRestartBench(sizes, log);
  const resultsDir = join(PROJECT, "bench-results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `restart-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ version: 1, scenario: "restart", node: process.version, results }, null, 2)}\n`);
  console.log(renderRestart(results));
  console.log(`\nResults: ${file}`);
}

async function main(): Promise<void> {
  if (args.only === "restart") return restartOnly();
  if (args.only === "sqlite" || args.only === "d1") {
    installCleanup();
    const scale = { tool, connections: options.connections, serverCpu: SERVER_CPU, loadCpu: LOAD_CPU, ...(sizeOverride !== undefined ? { size: sizeOverride } : {}), keepTemp: args["keep-temp"]!, log };
    return args.only === "sqlite" ? sqliteOnly(scale) : d1Only(scale);
  }
  installCleanup();
  const startedAt = new Date();
  const wall = performance.now();
  setTimeout(() => {
    log(`bench: over the ${TIME_LIMIT_MS / 60_000}-minute limit, stopping`);
    process.exit(1);
  }, TIME_LIMIT_MS).unref();

  if (cpus().length < 2) throw new Error("needs 2 cores: the server on core 0, the load tool on core 1");
  ensureDebianPackage("/usr/sbin/nginx", "nginx-light");
  if (tool === "wrk") ensureDebianPackage("/usr/bin/wrk", "wrk");
  const info = machine();
  log(`bench: ${info.cpus} × ${info.cpuModel}, Node ${info.node}, ${info.nginx}, ${info.loadTool}; load average ${info.loadAverageAtStart}`);

  const base = await mkdtemp(join(tmpdir(), "wirefeed-bench-"));
  // nginx workers run as nobody and must be able to read the served files.
  await chmod(base, 0o755);
  if (args["keep-temp"]) log(`bench: temp folder ${base} (kept)`);
  else removeOnExit(base);
  const resultsDir = join(PROJECT, "bench-results");
  const profileDir = options.cpuProf ? join(resultsDir, "profiles", startedAt.toISOString().replace(/[:.]/g, "-")) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });

  const timing: Timing = {
    tool,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    roundSeconds: options.roundSeconds,
    rounds: options.rounds,
    serverCpu: SERVER_CPU,
    loadCpu: LOAD_CPU,
    workDir: base,
    // Other sessions may share this machine: start rounds when it is nearly idle, waiting at most 2 minutes in all.
    quiet: { threshold: 0.1, maxWaitMs: 10_000, budgetMs: (quick ? 45 : 120) * 1000, retryBudget: quick ? 10 : 40 },
  };

  // Stores: article i is the same in every size, so the newest 50 are the same everywhere.
  const stores: StoreResult[] = [];
  const storeDirs = new Map<number, { dir: string; bytes: number; seconds: number }>();
  for (const size of options.sizes) {
    const dir = join(base, `items-${label(size)}`);
    const t = performance.now();
    const bytes = await generateStore(dir, size);
    const seconds = (performance.now() - t) / 1000;
    storeDirs.set(size, { dir, bytes, seconds });
    log(`store ${label(size)}: ${(bytes / MiB).toFixed(1)} MiB of records in ${seconds.toFixed(1)} s`);
  }
  const config50 = await writeConfig(base, 50);
  const config1000 = await writeConfig(base, 1000);
  const storeResult = (size: number, p: Publisher): StoreResult => ({
    size,
    recordBytes: storeDirs.get(size)!.bytes,
    generateSeconds: storeDirs.get(size)!.seconds,
    articles: p.articles,
    startupSeconds: p.startupSeconds,
    startupCpuSeconds: p.startupCpuSeconds,
    rssAtReadyMiB: p.rssAtReady / MiB,
    peakRssMiB: (memoryOf(p.process.child.pid!)?.peakRss ?? NaN) / MiB,
  });

  // The reference publisher (1k store) stays up for the whole run.
  const small = options.sizes[0]!;
  const ref = await startPublisher(`${PUBLISHER} ${label(small)}`, storeDirs.get(small)!.dir, config50, profileDir);
  const big1000 = await startPublisher(`${PUBLISHER} ${label(small)} feedSize 1000`, storeDirs.get(small)!.dir, config1000, profileDir);

  // The publisher's bytes, served by the baselines.
  const articleSlug = generateRecord(7).slug;
  const all: Coding[] = ["identity", "gzip", "br"];
  const rss50 = await capture(ref.url, "/rss.xml", "/rss.xml", all);
  const article = await capture(ref.url, `/items/${articleSlug}`, `/items/${articleSlug}`, all);
  const rss1000 = await capture(big1000.url, "/rss.xml", "/rss-1000.xml", all);
  const servedRoot = join(base, "served");
  await writeServedRoot(servedRoot, [rss50, article, rss1000]);
  const baseline = spawnPinned(SERVER_CPU, process.execPath, ["--import", "tsx", join(PROJECT, "scripts/bench/baseline-server.ts"), servedRoot], { cwd: PROJECT });
  const baselineUrl = (await baseline.waitFor(/^baseline on (http:\/\/\S+)$/, 30_000)).match[1]!;
  watchExit(NODE_HTTP, baseline);
  const nginx: RunningNginx = await startNginx(join(base, "nginx"), servedRoot, SERVER_CPU, rss50.cacheControl, "/rss.xml");
  watchExit(NGINX_LABEL, nginx.process);
  const nginxEtag = async (path: string) => (await httpGet(`${nginx.url}${path}`, HEADERS.gzip)).headers.etag ?? "";
  log(`baselines: node:http ${baselineUrl}, nginx ${nginx.url}`);

  const three = (pub: Publisher, path: string, servedAs: string, headers: Record<string, string>): Target[] => [
    { label: PUBLISHER, url: `${pub.url}${path}`, headers, pid: pub.process.child.pid! },
    { label: NODE_HTTP, url: `${baselineUrl}${servedAs}`, headers, pid: baseline.child.pid! },
    { label: NGINX_LABEL, url: `${nginx.url}${servedAs}`, headers, pid: nginx.process.child.pid! },
  ];
  const scenarios: Scenario[] = [
    { id: "rss50-identity", title: "50-item RSS, identity", expect: expectOf(rss50, "identity"), targets: three(ref, "/rss.xml", "/rss.xml", HEADERS.identity) },
    { id: "rss50-gzip", title: "50-item RSS, gzip", expect: expectOf(rss50, "gzip"), targets: three(ref, "/rss.xml", "/rss.xml", HEADERS.gzip) },
    {
      id: "rss50-br",
      title: "50-item RSS, brotli",
      expect: expectOf(rss50, "br"),
      // nginx-light has no brotli module.
      targets: three(ref, "/rss.xml", "/rss.xml", HEADERS.br).filter((t) => t.label !== NGINX_LABEL),
    },
    {
      id: "rss50-304",
      title: "50-item RSS, 304 (If-None-Match, gzip)",
      expect: expectOf(rss50, "gzip", 304),
      targets: [
        ...three(ref, "/rss.xml", "/rss.xml", { ...HEADERS.gzip, "If-None-Match": rss50.variants.gzip!.etag }).slice(0, 2),
        // nginx has its own ETags (mtime-size).
        { label: NGINX_LABEL, url: `${nginx.url}/rss.xml`, headers: { ...HEADERS.gzip, "If-None-Match": await nginxEtag("/rss.xml") }, pid: nginx.process.child.pid! },
      ],
    },
    { id: "article-gzip", title: "article page, gzip", expect: expectOf(article, "gzip"), targets: three(ref, article.path, article.path, HEADERS.gzip) },
    { id: "rss1000-identity", title: "1,000-item RSS, identity", expect: expectOf(rss1000, "identity"), targets: three(big1000, "/rss.xml", "/rss-1000.xml", HEADERS.identity) },
    { id: "rss1000-gzip", title: "1,000-item RSS, gzip", expect: expectOf(rss1000, "gzip"), targets: three(big1000, "/rss.xml", "/rss-1000.xml", HEADERS.gzip) },
  ];
  const scenarioResults: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    log(`scenario ${scenario.title}`);
    scenarioResults.push(await measureScenario(scenario, timing, log));
  }
  const feed1000Peak = (memoryOf(big1000.process.child.pid!)?.peakRss ?? NaN) / MiB;
  log(`${big1000.name}: peak RSS ${feed1000Peak.toFixed(0)} MiB`);
  await stop(big1000.process, options.cpuProf ? 15_000 : 3000);
  await nginx.stop();
  await stop(baseline);
  // The first 1k publisher served every scenario above; its peak RSS and start-up stand for the 1k store.
  stores.push(storeResult(small, ref));
  await stop(ref.process, options.cpuProf ? 15_000 : 3000);

  // Larger stores: the same 50-item feed, interleaved with a fresh 1k publisher
  // that, like the larger one, has served nothing else (same warm-up, same code paths).
  const scaling: ScalingResult[] = [];
  let writeResult: WriteToServed | undefined;
  for (const size of options.sizes.slice(1)) {
    const name = `${PUBLISHER} ${label(size)}`;
    const fresh = await startPublisher(`${PUBLISHER} ${label(small)} (fresh, for ${label(size)})`, storeDirs.get(small)!.dir, config50, profileDir);
    const pub = await startPublisher(name, storeDirs.get(size)!.dir, config50, profileDir);
    const gz = await httpGet(`${pub.url}/rss.xml`, HEADERS.gzip);
    const sameBytes = sha256(gz.body) === sha256(rss50.variants.gzip!.body);
    if (!sameBytes) log(`${name}: the 50-item feed differs from the 1k store's; the ratio compares different bytes`);
    const pair = (headers: Record<string, string>, pubHeaders = headers): Target[] => [
      { label: `${PUBLISHER} ${label(small)}`, url: `${fresh.url}/rss.xml`, headers, pid: fresh.process.child.pid! },
      { label: name, url: `${pub.url}/rss.xml`, headers: pubHeaders, pid: pub.process.child.pid! },
    ];
    // Each publisher's own ETag: a larger store's feed links other archive pages, so its bytes (and tag) differ.
    const etag = gz.headers.etag!;
    const freshEtag = (await httpGet(`${fresh.url}/rss.xml`, HEADERS.gzip)).headers.etag!;
    const sized: Scenario[] = [
      { id: "rss50-identity", title: "50-item RSS, identity", expect: expectOf(rss50, "identity"), targets: pair(HEADERS.identity) },
      { id: "rss50-gzip", title: "50-item RSS, gzip", expect: expectOf(rss50, "gzip"), targets: pair(HEADERS.gzip) },
      { id: "rss50-304", title: "50-item RSS, 304", expect: expectOf(rss50, "gzip", 304), targets: pair({ ...HEADERS.gzip, "If-None-Match": freshEtag }, { ...HEADERS.gzip, "If-None-Match": etag }) },
    ];
    if (!sameBytes) for (const s of sized) delete s.expect.sha256;
    const results: ScenarioResult[] = [];
    for (const scenario of sized) {
      log(`scenario ${scenario.title}, ${label(size)} vs ${label(small)} store`);
      results.push(await measureScenario(scenario, timing, log));
    }
    scaling.push({ size, sameBytes, scenarios: results });
    stores.push(storeResult(size, pub));
    if (size === options.sizes.at(-1)) {
      log(`write one article into the ${label(size)} store, poll until served (at most ${options.watchTimeoutSeconds} s)`);
      writeResult = await writeToServed(pub, storeDirs.get(size)!.dir, size);
      log(`  ${writeResult.itemSeconds ?? "not served"}; ${writeResult.note}`);
    }
    await stop(pub.process, options.cpuProf ? 15_000 : 3000);
    await stop(fresh.process, options.cpuProf ? 15_000 : 3000);
  }

  log("restart scenario: start-up over an unchanged folder (parse index)");
  const restart: RestartResult[] = await runRestartBench(quick ? [10_000] : [10_000, 100_000], log);

  const partial = {
    version: 1 as const,
    restart,
    startedAt: startedAt.toISOString(),
    options: { ...options, feed1000PeakRssMiB: feed1000Peak },
    machine: info,
    stores,
    scenarios: scenarioResults,
    scaling,
    ...(writeResult ? { writeToServed: writeResult } : {}),
  };
  const results: Results = { ...partial, targets: checkTargets(partial), finishedAt: new Date().toISOString(), wallSeconds: (performance.now() - wall) / 1000 };

  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  copyFileSync(file, join(resultsDir, "latest.json"));
  console.log(renderMarkdown(results));
  console.log("\nStart-up over items/, first (every record parsed) and restarted (parse index):\n");
  console.log(renderRestart(restart));
  console.log("\nEvery round:\n");
  console.log(renderDetail(results));
  console.log(`\nResults: ${file} (and bench-results/latest.json); ${results.wallSeconds.toFixed(0)} s in all.${profileDir ? ` CPU profiles: ${profileDir}` : ""}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);
