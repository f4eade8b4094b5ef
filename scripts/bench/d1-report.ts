/** The d1 scenario's Markdown: every figure, the target beside it. */
import type { D1Result, Figure, Sample } from "./d1-scale.js";
import { built } from "./sqlite-report.js";

const met = (ok: boolean) => (ok ? "yes" : "**no**");
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

function cpu(f: Figure): string {
  return `${f.medianCpuMs.toFixed(2)} ms (mean ${f.meanCpuMs.toFixed(2)}; ticks ${f.meanCpuTicksMs.toFixed(1)})`;
}

function calls(f: Figure | Sample): string {
  const list = "samples" in f ? f.samples : [f];
  const max = (pick: (s: Sample) => number) => Math.max(...list.map(pick));
  return `${max((s) => s.counts.d1Calls)} (${max((s) => s.counts.d1Reads)} reads, ${max((s) => s.counts.batches)} batch of ${max((s) => s.counts.batchStatements)})`;
}

export function renderD1(r: D1Result): string {
  // What a request costs above one the entry answers itself (HTTP and Miniflare's router): an estimate of the Worker's own part.
  const above = (f: Figure) => `; ${Math.max(0, f.medianCpuMs - r.floor.medianCpuMs).toFixed(2)} ms above the floor`;
  const cacheHits = (f: Figure) => (r.cacheCounted ? `${Math.min(...f.samples.map((s) => s.counts.cacheHits))}–${f.maxCacheHits} of ${Math.max(...f.samples.map((s) => s.counts.cacheLookups))}` : "not counted");
  const rows: string[][] = [
    ["cold `/rss.xml` (after a publish: new version, edge cache empty for it), workerd CPU", `${r.cold.samples.length}`, cpu(r.cold) + above(r.cold), "≤ 50 ms", met(r.cold.medianCpuMs <= 50)],
    ["edge-cached `/rss.xml`, workerd CPU", `${r.cached.samples.length}`, cpu(r.cached) + above(r.cached), "≤ 2 ms", met(r.cached.medianCpuMs <= 2)],
    ["publish (PUT through the API), workerd CPU", `${r.publish.samples.length}`, cpu(r.publish) + above(r.publish), "≤ 20 ms", met(r.publish.medianCpuMs <= 20)],
    ["D1 calls per cached `/rss.xml` (most seen)", `${r.cached.samples.length}`, calls(r.cached), "≤ 1 storage read", met(r.cached.maxD1Calls <= 1)],
    ["D1 calls per cold `/rss.xml` (most seen)", `${r.cold.samples.length}`, calls(r.cold), "≤ 3 queries", met(r.cold.maxD1Calls <= 3)],
    ["D1 calls per publish (most seen)", `${r.publish.samples.length}`, calls(r.publish), "", ""],
    ["edge cache hits, cold / cached requests", "", `${cacheHits(r.cold)} / ${cacheHits(r.cached)}`, "", ""],
    [
      "edge-cached `/rss.xml`, the Worker's own CPU: above the storage floor (what Miniflare's D1 and cache cost inside workerd, which on Cloudflare run outside the isolate)",
      `${r.cached.samples.length}`,
      // Signed: a difference below zero says the two medians are within each other's noise.
      `${(r.cached.medianCpuMs - r.storage.medianCpuMs).toFixed(2)} ms`,
      "≤ 2 ms",
      met(r.cached.medianCpuMs - r.storage.medianCpuMs <= 2),
    ],
    ["floor: a request the bench entry answers itself (no app, no D1), workerd CPU", `${r.floor.samples.length}`, cpu(r.floor), "", ""],
    ["storage floor: the entry's own D1 version read and edge-cache hit of the feed's bytes, no app, workerd CPU", `${r.storage.samples.length}`, cpu(r.storage), "", ""],
    ["first request of the isolate (`/rss.xml`: code compiled, site built), workerd CPU", "1", `${r.firstRequest.cpuMs.toFixed(1)} ms, ${calls(r.firstRequest)} D1 calls`, "", ""],
    ["wall time: cold / cached / publish (median)", "", `${r.cold.medianWallMs.toFixed(1)} / ${r.cached.medianWallMs.toFixed(1)} / ${r.publish.medianWallMs.toFixed(1)} ms`, "", ""],
    ["local D1 (build)", "", `${(r.database.bytes / 2 ** 20).toFixed(0)} MiB (${built(r.database)}); wrangler dev ready after ${r.wranglerStartSeconds.toFixed(1)} s`, "bounded", ""],
  ];
  return [
    `D1 in workerd (wrangler dev --env d1, local D1), ${label(r.size)} articles; load average ${r.loadAverage}`,
    "",
    "| figure | requests | value | target | met |",
    "|---|---|---|---|---|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
    `CPU: ${r.cpuHow} (idle workerd: ${r.idleCpuMsPerSettle.toFixed(2)} ms per settle). Values are medians of per-request samples; "ticks" is the mean of the utime+stime cross-check; "met" compares the whole workerd figure (floor included) with the target.`,
    `D1 calls: counted by the bench's entry (scripts/bench/d1-counting-worker.ts) around the binding: each statement run, batch or exec is one call.`,
    `Database: ${r.how}.`,
    "",
    "The D1 calls of the last cold `/rss.xml`, then of the last publish:",
    "",
    ...r.cold.samples.at(-1)!.sql.map((q, i) => `${i + 1}. \`${q}\``),
    "",
    ...r.publish.samples.at(-1)!.sql.map((q, i) => `${i + 1}. \`${q}\``),
  ].join("\n");
}
