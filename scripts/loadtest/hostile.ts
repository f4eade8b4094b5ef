/**
 * Hostile-body scenario (`npm run loadtest -- --hostile`): while 1 MiB bodies
 * built to be expensive to render arrive — PUT through the publish API and
 * dropped as files into the watched items folder — other clients keep
 * polling the site, and their latency must not suffer: p99 under 50 ms.
 *
 * The real server over a synthetic store (LOADTEST_ARTICLES, default 300),
 * autocannon at LOADTEST_CONNECTIONS (default 20) for LOADTEST_DURATION
 * seconds (default 20) on the pages and feeds, first alone (the baseline),
 * then while one writer sends the hostile bodies one after another. Prints the figures; exit 1 on a p99
 * of 50 ms or more, any error or timeout, any status other than 2xx/304 for
 * the pollers, or a hostile write answered 5xx. Only 127.0.0.1 is contacted;
 * everything started is stopped.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { writeItems } from "./items.js";
import { startServer } from "./server.js";

const bounded = (name: string, fallback: number, min: number, max: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}`);
  return Math.round(value);
};
const DURATION = bounded("LOADTEST_DURATION", 20, 5, 60);
const CONNECTIONS = bounded("LOADTEST_CONNECTIONS", 20, 1, 1000);
const ARTICLES = bounded("LOADTEST_ARTICLES", 300, 10, 2000);
const P99_LIMIT_MS = 50;
const TOKEN = "loadtest-token";
const MIB = 1024 * 1024;

/** Bodies near the 1 MiB record limit, each aimed at one costly path of the renderer. */
const fill = (piece: string, tail = "") => piece.repeat(Math.floor((MIB - 4096 - tail.length) / piece.length)) + tail;
const HOSTILE: Record<string, string> = {
  "underscore runs": fill("_a"),
  "asterisk runs": fill("*a"),
  "openers that never pair": fill("*a ", "a*"),
  "unclosed link destinations": fill("[a](", ")"),
  "backtick runs": fill("`a"),
  "nested quotes": fill("> ", "x"),
  "nested divs": fill("<div>"),
  "nested lists (HTML)": fill("<ul><li>"),
  "plain words": fill("word "),
};

const root = mkdtempSync(join(tmpdir(), "wirefeed-loadtest-hostile-"));
let server: ChildProcess | undefined;
function cleanup(): void {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
}
process.on("exit", cleanup);
setTimeout(() => {
  console.error("loadtest --hostile: overall time limit reached");
  process.exit(1);
}, (2 * DURATION + 120) * 1000).unref();


interface Write {
  kind: string;
  via: "api" | "file";
  status: number | "written";
  ms: number;
  answer: string;
}

/** Sends every hostile body once through the API and once as a file, one after another, until `stop()`. */
async function hostileWriter(port: number, itemsDir: string, until: number, log: Write[]): Promise<void> {
  let n = 0;
  while (Date.now() < until) {
    for (const [kind, body] of Object.entries(HOSTILE)) {
      if (Date.now() >= until) return;
      const slug = `hostile-${n++}`;
      const start = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/items/${slug}`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ title: `Hostile ${kind}`, published: "2022-06-29T09:00:00+09:00", body }),
      });
      const answer = (await res.text()).slice(0, 120);
      log.push({ kind, via: "api", status: res.status, ms: Math.round(performance.now() - start), answer });
      // The same body dropped into the watched folder, as an editor or rsync would leave it.
      writeFileSync(join(itemsDir, `dropped-${n++}.md`), `---\ntitle: "Dropped ${kind}"\npublished: 2022-06-29\n---\n\n${body}\n`);
      log.push({ kind, via: "file", status: "written", ms: 0, answer: "" });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function main(): Promise<number> {
  const itemsDir = join(root, "items");
  const slugs = writeItems(itemsDir, ARTICLES);
  const { port, exited, stderr } = await startServer(itemsDir, { env: { PUBLISH_TOKEN: TOKEN }, onSpawn: (c) => (server = c) });
  const paths = ["/style.css", "/", "/rss.xml", "/atom.xml", "/feed.json", `/items/${slugs[0]}`];
  const requests = paths.map((path) => ({ method: "GET", path, headers: { "Accept-Encoding": "gzip" } }));
  for (const path of paths) await fetch(`http://127.0.0.1:${port}${path}`); // warm: every representation rendered once

  // The same polling without hostile writes first: on a shared machine the limit only means something beside it.
  const baseline = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: DURATION, timeout: 10, requests });
  const writes: Write[] = [];
  const until = Date.now() + DURATION * 1000;
  const writer = hostileWriter(port, itemsDir, until, writes);
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: DURATION, timeout: 10, requests });
  await writer;
  // Files dropped last are still being read; give the watcher a moment so its log is complete.
  await new Promise((r) => setTimeout(r, 1500));
  server!.kill("SIGTERM");
  const exitCode = await exited;

  const byStatus = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, Number(s.count)]));
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const unexpected = Object.entries(byStatus).filter(([code]) => !code.startsWith("2") && code !== "304").reduce((a, [, n]) => a + n, 0);
  const apiWrites = writes.filter((w) => w.via === "api");
  const failedWrites = apiWrites.filter((w) => typeof w.status === "number" && w.status >= 500);
  const skipped = (stderr().match(/record not updated|skipped record/g) ?? []).length;

  console.log(`setup       ${ARTICLES} articles; ${CONNECTIONS} connections polling ${paths.length} URLs for ${DURATION} s while 1 MiB hostile bodies arrive`);
  console.log(`pollers     ${total} requests (${Math.round(result.requests.average)}/s): ${Object.entries(byStatus).map(([c, n]) => `${c}: ${n}`).join(", ")}; ${result.errors} errors, ${result.timeouts} timeouts`);
  console.log(`baseline    no hostile writes: ${baseline.requests.total} requests, p50 ${baseline.latency.p50} ms, p90 ${baseline.latency.p90} ms, p99 ${baseline.latency.p99} ms, max ${baseline.latency.max} ms`);
  console.log(`latency     p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms (limit: p99 < ${P99_LIMIT_MS} ms)`);
  console.log(`hostile     ${apiWrites.length} PUTs and ${writes.length - apiWrites.length} dropped files:`);
  for (const w of apiWrites) console.log(`  PUT ${w.kind.padEnd(28)} ${w.status} in ${String(w.ms).padStart(5)} ms  ${w.answer}`);
  console.log(`watcher     ${skipped} records refused and logged by the server`);
  console.log(`shutdown    server exit code ${exitCode}`);
  const failures = [
    ...(result.latency.p99 >= P99_LIMIT_MS ? [`p99 ${result.latency.p99} ms >= ${P99_LIMIT_MS} ms`] : []),
    ...(result.errors + result.timeouts > 0 ? [`${result.errors} errors, ${result.timeouts} timeouts`] : []),
    ...(unexpected > 0 ? [`${unexpected} polls neither 2xx nor 304`] : []),
    ...(failedWrites.length > 0 ? [`${failedWrites.length} hostile PUTs answered 5xx`] : []),
    ...(apiWrites.length === 0 ? ["no hostile body was sent"] : []),
    ...(exitCode !== 0 ? [`server exited ${exitCode} on SIGTERM`] : []),
  ];
  console.log(failures.length ? `FAIL: ${failures.join("; ")}` : "PASS");
  return failures.length ? 1 : 0;
}

main().then(
  (code) => {
    cleanup();
    process.exit(code);
  },
  (error: unknown) => {
    console.error("loadtest --hostile:", error);
    cleanup();
    process.exit(1);
  },
);
