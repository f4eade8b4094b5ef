/**
 * The `?limit=N` sweep (`npm run loadtest:limit-sweep`): every feed of every
 * scope, in every format, at every limit from 1 to the site's maxLimit, each
 * asked once without Accept-Encoding and once with gzip (so the cache
 * holds bodies and their compressed variants), against the real server over
 * a ~300-article synthetic store in a temp folder (gzip, not br: brotli at
 * quality 11 takes about a second per 200-article feed, which would make the
 * sweep take hours). Prints the server's RSS
 * before and after, and fails (exit 1) when it grew by more than 64 MiB or
 * any request did not answer 200. It also prints the server's own breakdown
 * (memory-probe.ts: heap used and held, external, array buffers; as is and
 * after full GCs; V8's spaces), so growth can be told apart: live objects,
 * garbage, heap V8 keeps, or native memory outside V8.
 *
 * Only 127.0.0.1 is contacted; the server it starts it stops.
 * SWEEP_ARTICLES (10–2000, default 305); WIREFEED_CACHE_MB is passed on to the server.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request, Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeItems } from "./items.js";
import { startServer } from "./server.js";

const ARTICLES = Number(process.env.SWEEP_ARTICLES ?? 305);
if (!Number.isInteger(ARTICLES) || ARTICLES < 10 || ARTICLES > 2000) throw new Error("SWEEP_ARTICLES must be a whole number from 10 to 2000");
const BUDGET_MIB = 64;
const MAX_LIMIT = 200; // the config default, which this store's config keeps

const root = mkdtempSync(join(tmpdir(), "wirefeed-sweep-"));
let server: ChildProcess | undefined;
process.on("exit", () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});
setTimeout(() => {
  console.error("limit-sweep: overall time limit reached");
  process.exit(1);
}, 45 * 60_000).unref();


const agent = new Agent({ keepAlive: true, maxSockets: 4 });
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    })
      .on("error", reject)
      .end();
  });
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Math.round(Number(m![1]) / 1024);
}

const itemsDir = join(root, "items");
writeItems(itemsDir, ARTICLES);
const { child, port, stderr } = await startServer(itemsDir, {
  nodeArgs: ["--expose-gc", "--import", "./scripts/loadtest/memory-probe.ts"],
  onSpawn: (c) => (server = c),
});

interface MemoryReport {
  asIs: Record<string, number>;
  afterGc: Record<string, number>;
  spaces: Record<string, [number, number]>;
}
/** The server's memory as memory-probe.ts reports it on SIGUSR2 (as is, and after full GCs). */
async function probe(): Promise<MemoryReport> {
  const seen = stderr().split("memory-probe: ").length;
  child.kill("SIGUSR2");
  for (let waited = 0; waited < 600; waited++) {
    const lines = stderr().split("memory-probe: ");
    if (lines.length > seen) return JSON.parse(lines[seen]!.split("\n")[0]!) as MemoryReport;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("limit-sweep: the server's memory probe did not answer");
}
const line = (m: Record<string, number>) => `RSS ${m.rss}, heap ${m.heapUsed} used of ${m.heapTotal}, external ${m.external} (array buffers ${m.arrayBuffers})`;

// Every feed of every scope in every format: /feeds.opml lists one (Atom) per scope, the per-format lists all.
const opml = (await Promise.all(["/feeds.rss.opml", "/feeds.atom.opml", "/feeds.json.opml"].map(async (path) => (await get(port, path)).body))).join("\n");
const feedPaths = [...new Set([...opml.matchAll(/xmlUrl="https:\/\/wire\.example(\/[^"]*)"/g)].map((m) => m[1]!))];
const scopes = new Set(feedPaths.map((p) => p.slice(0, p.lastIndexOf("/") + 1)));
// Warm: each feed once, so the "before" figure includes the ordinary working set.
for (const path of feedPaths) await get(port, path, { "Accept-Encoding": "gzip" });
const before = rssMiB(child.pid!);
const probedBefore = await probe();

let requests = 0;
const failures: string[] = [];
const started = Date.now();
for (const path of feedPaths) {
  for (let limit = 1; limit <= MAX_LIMIT; limit++) {
    for (const headers of [{}, { "Accept-Encoding": "gzip" }] as Record<string, string>[]) {
      const { status } = await get(port, `${path}?limit=${limit}`, headers);
      requests++;
      if (requests % 1000 === 0) console.log(`limit-sweep: ${requests} GETs, server RSS ${rssMiB(child.pid!)} MiB`);
      if (status !== 200 && failures.length < 10) failures.push(`${path}?limit=${limit}: ${status}`);
    }
  }
}
const after = rssMiB(child.pid!);
const grew = after - before;
const probedAfter = await probe();
console.log(`limit-sweep: ${ARTICLES} articles, ${scopes.size} scopes, ${feedPaths.length} feeds x ${MAX_LIMIT} limits x 2 codings = ${requests} GETs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`limit-sweep: server RSS before ${before} MiB, after ${after} MiB (+${grew} MiB; budget +${BUDGET_MIB} MiB)`);
for (const [when, p] of [["before", probedBefore], ["after", probedAfter]] as const) {
  console.log(`limit-sweep: ${when} (MiB): as is ${line(p.asIs)}; after full GC ${line(p.afterGc)}`);
}
console.log(`limit-sweep: heap spaces after (MiB held / live): ${Object.entries(probedAfter.spaces).map(([k, [held, live]]) => `${k} ${held}/${live}`).join(", ")}`);
if (failures.length) console.error(`limit-sweep: non-200 answers: ${failures.join("; ")}`);
child.kill("SIGTERM");
process.exit(failures.length === 0 && grew <= BUDGET_MIB ? 0 : 1);
