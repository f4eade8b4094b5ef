/**
 * The D1 Worker (src/runtime/worker-d1.ts, unchanged) behind a counter of
 * what it asks of storage, for the d1 scenario only (wrangler dev takes this
 * file as its entry). Each D1 call is counted once — a statement's
 * all/first/run/raw, a batch (with how many statements it carried), an
 * exec — and so is each edge cache lookup and hit. GET /__bench/counts
 * answers the totals as JSON without reaching the Worker; nothing else
 * changes. Two more routes of its own: /__bench/storage (the storage floor,
 * below) and /__bench/spin (pure JavaScript work in the isolate, to check
 * one way of measuring CPU against another).
 */
import worker from "../../src/runtime/worker-d1.js";
import type { WorkerEnv } from "../../src/runtime/worker-site.js";
import type { WaitUntil } from "../../src/runtime/edge-cache.js";

const counts = { d1Calls: 0, d1Reads: 0, batches: 0, batchStatements: 0, cacheLookups: 0, cacheHits: 0 };
/** The latest calls' SQL (a batch as its statements joined), so the bench can say which queries a request made. */
const recent: string[] = [];
const note = (sql: string) => {
  recent.push(sql.replace(/\s+/g, " ").slice(0, 160));
  if (recent.length > 100) recent.shift();
};

interface Statement {
  bind(...values: unknown[]): Statement;
  all(): Promise<unknown>;
  first(...args: unknown[]): Promise<unknown>;
  run(): Promise<unknown>;
  raw(...args: unknown[]): Promise<unknown>;
}
interface Database {
  prepare(sql: string): Statement;
  batch(statements: Statement[]): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
}

/** The Worker's read of the content version (readVersion in sql-listings.ts), as it last ran: the storage floor runs it again. */
const VERSION_READ = /^SELECT v\.value AS version\b/;
let versionRead: { sql: string; values: unknown[] } | undefined;

/** The real statement inside each counting one: D1's batch takes only its own objects. */
const inner = new WeakMap<object, Statement>();
const sqlOf = new WeakMap<object, string>();

function countingStatement(real: Statement, sql: string, reads: boolean): Statement {
  const call =
    <K extends "all" | "first" | "run" | "raw">(name: K) =>
    (...args: unknown[]) => {
      counts.d1Calls++;
      note(sql);
      if (reads) counts.d1Reads++;
      return (real[name] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  const statement: Statement = {
    bind: (...values) => {
      if (VERSION_READ.test(sql)) versionRead = { sql, values };
      return countingStatement(real.bind(...values), sql, reads);
    },
    all: call("all"),
    first: call("first"),
    run: call("run"),
    raw: call("raw"),
  };
  inner.set(statement, real);
  sqlOf.set(statement, sql);
  return statement;
}

function countingDatabase(db: Database): Database {
  return {
    prepare: (sql) => countingStatement(db.prepare(sql), sql, /^\s*(SELECT|WITH)\b/i.test(sql)),
    batch: (statements) => {
      counts.d1Calls++;
      note(`batch of ${statements.length}: ${statements.map((s) => (sqlOf.get(s) ?? "?").split(" ").slice(0, 3).join(" ")).join("; ")}`);
      counts.batches++;
      counts.batchStatements += statements.length;
      return db.batch(statements.map((s) => inner.get(s) ?? s));
    },
    exec: (sql) => {
      counts.d1Calls++;
      note(sql);
      return db.exec(sql);
    },
  };
}

/** Counts lookups and hits of the edge cache (caches.default), where the runtime lets it be replaced. */
function countCacheLookups(): boolean {
  const storage = (globalThis as { caches?: { default?: Cache } }).caches;
  const cache = storage?.default;
  if (!storage || !cache) return false;
  const match = cache.match.bind(cache);
  const counting = Object.create(cache) as Cache;
  counting.match = async (...args: Parameters<Cache["match"]>) => {
    counts.cacheLookups++;
    const hit = await match(...args);
    if (hit) counts.cacheHits++;
    return hit;
  };
  counting.put = cache.put.bind(cache);
  counting.delete = cache.delete.bind(cache);
  try {
    Object.defineProperty(storage, "default", { value: counting, configurable: true });
    return storage.default === counting;
  } catch {
    return false;
  }
}

/** The bench's own copy of /rss.xml in the edge cache, under a key of its own. */
let storageEntry: Request | undefined;

/**
 * The storage floor: what an edge-cached /rss.xml asks of storage, done by
 * the entry itself without the app — the one D1 read of the version (the
 * Worker's own statement, with the parameters it last bound), then a cache
 * hit whose body is the feed's bytes (put once, from the Worker). On
 * Cloudflare D1 and the Cache API run outside the isolate; here Miniflare
 * runs both inside workerd, so their CPU lands in what /proc counts. A
 * cached request's figure above this floor is the Worker's own part.
 */
async function storageFloor(request: Request, env: WorkerEnv, ctx: WaitUntil): Promise<Response> {
  const cache = (globalThis as { caches?: { default?: Cache } }).caches?.default;
  const db = env.DB as unknown as Database | undefined;
  if (!cache || !db) return new Response("no cache or no DB binding", { status: 500 });
  // The very statement and parameters of the Worker's last version read, so the floor's D1 work is a cached request's.
  if (!versionRead) return new Response("no version read seen yet: request /rss.xml first", { status: 500 });
  await db.prepare(versionRead.sql).bind(...versionRead.values).all();
  storageEntry ??= new Request(new URL("/.bench-storage-floor/rss.xml", request.url));
  const hit = await cache.match(storageEntry);
  if (hit) return hit;
  const feed = await worker.fetch(new Request(new URL("/rss.xml", request.url)), env, ctx);
  const body = await feed.arrayBuffer();
  await cache.put(storageEntry, new Response(body, { headers: { "Content-Type": feed.headers.get("content-type") ?? "", "Cache-Control": "public, max-age=86400" } }));
  return new Response(body, { headers: { "Content-Type": feed.headers.get("content-type") ?? "" } });
}

/**
 * `n` rounds of integer arithmetic and nothing else (no storage, no I/O):
 * CPU that is all the isolate's, for comparing the profiler's account of
 * the isolate with workerd's /proc account (d1-scale.ts).
 */
function spin(n: number): Response {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 31 + i) % 1_000_003;
  return new Response(String(x));
}

const envs = new WeakMap<object, WorkerEnv>();
let cacheCounted: boolean | undefined;

export default {
  fetch(request: Request, env: WorkerEnv, ctx: WaitUntil): Promise<Response> {
    cacheCounted ??= countCacheLookups();
    const path = new URL(request.url).pathname;
    if (path === "/__bench/counts") {
      return Promise.resolve(Response.json({ ...counts, cacheCounted, recent }));
    }
    if (path === "/__bench/storage") return storageFloor(request, env, ctx);
    if (path === "/__bench/spin") return Promise.resolve(spin(Math.min(Number(new URL(request.url).searchParams.get("n")) || 0, 1e9)));
    // One wrapped env per env object: the entry builds its site once per env.
    let counted = envs.get(env);
    if (!counted) envs.set(env, (counted = { ...env, ...(env.DB ? { DB: countingDatabase(env.DB as unknown as Database) as unknown as WorkerEnv["DB"] } : {}) }));
    return worker.fetch(request, counted, ctx);
  },
};
