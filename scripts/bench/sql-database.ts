/**
 * The benchmark's SQLite databases of N generated wire stories, built once
 * and kept under .cache/bench/ (git-ignored), for the sqlite scenario (the
 * Node server's WIREFEED_DB) and the d1 scenario (copied into workerd's
 * local D1). How: article i is generate-store.ts's generateRecord(i), the
 * same stories the items/ stores hold; worker threads parse and render each
 * as the server does (parseRecord) and turn it into the SQL store's own rows
 * (rows.ts: writeRecord, writeArticle, stamped by reconcileStamps as `db
 * load` stamps a folder without .changes.json), and this thread commits
 * them through the store's libsql driver in transactions of CHUNK articles;
 * the content version and the derived_for fingerprint go last, and the
 * finished file is checked with openSqlStore (it must not want to derive
 * the rows again) before it is renamed into place. A half-built file never
 * takes the cached name.
 *
 * The cache key covers everything the file's bytes follow from: the
 * generator's and the row writer's source, the schema, the derived format,
 * the site config fingerprint and N. Anything else (a change elsewhere in
 * the server) reuses the file.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { parseSiteConfig, type SiteConfig } from "../../src/core/config.js";
import { applySchema, openSqlStore } from "../../src/storage/sql/derive.js";
import { openLibsql } from "../../src/storage/sql/libsql-driver.js";
import { derivedFingerprint, DERIVED_FORMAT, moveVersion, nextVersion } from "../../src/storage/sql/rows.js";
import { SCHEMA, SCHEMA_VERSION } from "../../src/storage/sql/schema.js";
import type { RowsJob, RowsMessage } from "./sql-rows-worker.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, "../..");
/** Bump when this builder writes other bytes for the same inputs. */
const BUILD_FORMAT = 1;
/** Articles per transaction (and per message from a worker): about 30 MB of rows. */
const CHUNK = 2000;
/** Same "now" for every build: the stamps (and so the bytes) of a database do not depend on when it was built. */
const BUILT_AT = Date.UTC(2024, 6, 1);

export interface BenchDatabase {
  path: string;
  articles: number;
  bytes: number;
  /** Seconds the build took; undefined when the cached file was used. */
  buildSeconds?: number;
  /** How the cached file's build went (its .build.json beside it), when it was recorded. */
  builtBefore?: { seconds: number; at: string; loadAverage: string };
  how: string;
}

const source = (path: string) => readFileSync(join(PROJECT, path), "utf8");

function cacheKey(site: SiteConfig, count: number): string {
  const inputs = {
    BUILD_FORMAT,
    generator: source("scripts/bench/generate-store.ts"),
    rows: source("src/storage/sql/rows.ts"),
    worker: source("scripts/bench/sql-rows-worker.ts"),
    schema: SCHEMA,
    SCHEMA_VERSION,
    DERIVED_FORMAT,
    fingerprint: derivedFingerprint(site),
    count,
  };
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 16);
}

export const BUILD_HOW =
  "generateRecord(0..N-1) parsed and rendered by parseRecord in worker threads, stored with rows.ts's writeRecord/writeArticle through the libsql driver in transactions of 2,000 articles, then the version and derived_for";

/** Rows of `from`..`to` from one worker thread, each chunk committed as it comes (in order per worker). */
function runWorker(job: RowsJob, commit: (message: Extract<RowsMessage, { statements: unknown }>) => Promise<void>): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(new URL("./sql-rows-worker-boot.mjs", import.meta.url), { workerData: job });
    let failed: Error | undefined;
    let queue = Promise.resolve();
    worker.on("message", (message: RowsMessage) => {
      if ("error" in message) {
        failed = new Error(message.error);
        return;
      }
      queue = queue.then(() => commit(message)).then(
        () => worker.postMessage("committed"),
        (error: unknown) => {
          failed ??= error as Error;
          void worker.terminate();
        },
      );
    });
    worker.on("error", (error) => (failed ??= error));
    worker.on("exit", (code) => {
      void queue.then(() => (failed || code !== 0 ? reject(failed ?? new Error(`row worker exited with ${code}`)) : resolvePromise()));
    });
  });
}

async function build(path: string, site: SiteConfig, siteConfig: unknown, count: number, log: (line: string) => void): Promise<void> {
  rmSync(path, { force: true });
  rmSync(`${path}-wal`, { force: true });
  rmSync(`${path}-shm`, { force: true });
  const driver = openLibsql(path);
  try {
    // A bulk build into a file nobody reads yet: no journal, no fsync per transaction, a large page
    // cache, and the indexes made once at the end (applySchema) instead of row by row.
    for (const pragma of ["journal_mode = OFF", "synchronous = OFF", "cache_size = -262144"]) await driver.all({ sql: `PRAGMA ${pragma}` });
    await driver.batch(SCHEMA.filter((sql) => !/^CREATE INDEX/.test(sql)).map((sql) => ({ sql })));
    const workers = Math.max(1, Math.min(cpus().length, Math.ceil(count / CHUNK)));
    const per = Math.ceil(count / workers);
    let done = 0;
    let nextReport = 0;
    let writing = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: workers }, (_, w) =>
        runWorker({ from: w * per, to: Math.min(count, (w + 1) * per), chunk: CHUNK, siteConfig, siteUrl: site.baseUrl, nowMs: BUILT_AT }, async ({ statements, articles }) => {
          const t = performance.now();
          await driver.batch(statements);
          writing += performance.now() - t;
          done += articles;
          if (done >= nextReport) {
            log(`  ${done.toLocaleString("en")} / ${count.toLocaleString("en")} articles (${((performance.now() - started) / 1000).toFixed(0)} s, ${(writing / 1000).toFixed(0)} s of it committing)`);
            nextReport += Math.max(CHUNK, Math.ceil(count / 10));
          }
        }),
      ),
    );
    await applySchema(driver);
    await driver.batch([
      moveVersion("0", nextVersion("0", randomBytes(6).toString("hex"))),
      { sql: "INSERT INTO meta (key, value) VALUES ('derived_for', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params: [derivedFingerprint(site)] },
    ]);
    // What the server does on open: it must find the rows made for this config, not derive them again.
    await openSqlStore(driver, site, {
      now: () => new Date(BUILT_AT),
      log: (message) => {
        throw new Error(`the built database is not what the server expects: ${message}`);
      },
    });
    const [row] = await driver.all<{ n: number }>({ sql: "SELECT COUNT(*) AS n FROM articles" });
    if (Number(row?.n) !== count) throw new Error(`built ${row?.n} articles, not ${count}`);
    // As the server and workerd keep it.
    await driver.all({ sql: "PRAGMA journal_mode = WAL" });
    await driver.all({ sql: "PRAGMA wal_checkpoint(TRUNCATE)" });
  } finally {
    driver.close();
  }
}

/**
 * The database of `count` generated articles for the site config
 * `siteConfig` with base URL `siteUrl`: from the cache, or built now
 * (bounded by `timeoutMs`; the bench's own time limit stops it too).
 */
export async function benchDatabase(options: { count: number; siteConfig: unknown; siteUrl: string; log: (line: string) => void }): Promise<BenchDatabase> {
  const { count, siteConfig, siteUrl, log } = options;
  const site = parseSiteConfig(siteConfig, "site.config.json", siteUrl);
  const dir = join(PROJECT, ".cache", "bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `sqlite-${count}-${cacheKey(site, count)}.db`);
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing) {
    log(`database of ${count.toLocaleString("en")} articles: cached ${path} (${(existing.size / 2 ** 20).toFixed(0)} MiB)`);
    let builtBefore: BenchDatabase["builtBefore"];
    try {
      builtBefore = JSON.parse(readFileSync(`${path}.build.json`, "utf8")) as BenchDatabase["builtBefore"];
    } catch {
      // Not recorded (built before builds were).
    }
    return { path, articles: count, bytes: existing.size, how: BUILD_HOW, ...(builtBefore ? { builtBefore } : {}) };
  }
  log(`database of ${count.toLocaleString("en")} articles: building ${path}`);
  // What an interrupted build left (one bench runs at a time).
  for (const name of readdirSync(dir)) if (name.startsWith(`${basename(path)}.partial-`) || name === `${basename(path)}.build.json`) rmSync(join(dir, name), { force: true });
  const partial = `${path}.partial-${process.pid}`;
  const started = performance.now();
  try {
    await build(partial, site, siteConfig, count, log);
    renameSync(partial, path);
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${partial}${suffix}`, { force: true });
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const bytes = statSync(path).size;
  const record = { seconds: buildSeconds, at: new Date().toISOString(), loadAverage: loadavg().map((x) => x.toFixed(2)).join(" ") };
  writeFileSync(`${path}.build.json`, `${JSON.stringify(record)}\n`);
  log(`database of ${count.toLocaleString("en")} articles: built in ${buildSeconds.toFixed(0)} s, ${(bytes / 2 ** 20).toFixed(0)} MiB`);
  return { path, articles: count, bytes, buildSeconds, how: BUILD_HOW };
}
