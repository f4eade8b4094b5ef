/** The d1 scenario's Markdown: every figure, the target beside it. */
import type { D1Result, Figure, Sample } from "./d1-scale.js";
import { medianMs } from "./d1-isolate.js";
import { median } from "./scenario.js";
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
  const iso = r.isolate;
  const isoCold = medianMs(iso.cold);
  const isoPublish = medianMs(iso.publish);
  const spinProc = median(iso.spin.procMs) - r.floor.medianCpuMs;
  const spinProfiled = medianMs(iso.spin.profiled);
  // Above 1, the profiler counted wall time a loaded machine added (isolate-profile.ts): the raw figure is then an
  // upper bound, judged as such; divided by the check's ratio, an estimate of the CPU under it.
  const inflation = spinProfiled / spinProc;
  const scaled = (ms: number) => (inflation > 1.15 ? `; ${(ms / inflation).toFixed(ms < 1 ? 3 : 2)} ms ÷ the check's ratio` : "");
  const upper = (f: Figure, target: number) => (f.medianCpuMs <= target ? "upper bound: yes" : "upper bound: no");
  const rows: string[][] = [
    ["cold `/rss.xml` (after a publish: new version, edge cache empty for it), the Worker's isolate", `${iso.cold.length}`, `${isoCold.toFixed(2)} ms (median${scaled(isoCold)})`, "≤ 50 ms", met(isoCold <= 50)],
    ["edge-cached `/rss.xml`, the Worker's isolate", `${iso.cached.requests}`, `${iso.cached.msPerRequest.toFixed(3)} ms (mean; ${iso.cached.busySamples} samples${scaled(iso.cached.msPerRequest)})`, "≤ 2 ms", met(iso.cached.msPerRequest <= 2)],
    ["publish (PUT through the API), the Worker's isolate", `${iso.publish.length}`, `${isoPublish.toFixed(2)} ms (median${scaled(isoPublish)})`, "≤ 20 ms", met(isoPublish <= 20)],
    ["D1 calls per cached `/rss.xml` (most seen)", `${r.cached.samples.length}`, calls(r.cached), "≤ 1 storage read", met(r.cached.maxD1Calls <= 1)],
    ["D1 calls per cold `/rss.xml` (most seen)", `${r.cold.samples.length}`, calls(r.cold), "≤ 3 queries", met(r.cold.maxD1Calls <= 3)],
    ["D1 calls per publish (most seen)", `${r.publish.samples.length}`, calls(r.publish), "", ""],
    ["edge cache hits, cold / cached requests", "", `${cacheHits(r.cold)} / ${cacheHits(r.cached)}`, "", ""],
    [
      `check of the profiler: a request running only a JS loop in the isolate (${iso.spin.rounds.toLocaleString("en")} rounds), runtime workerd /proc above the floor vs profiled`,
      `${iso.spin.procMs.length} + ${iso.spin.profiled.length}`,
      `${spinProc.toFixed(2)} ms vs ${spinProfiled.toFixed(2)} ms (profiled ÷ /proc ${(spinProfiled / spinProc).toFixed(2)})`,
      "agree",
      met(Math.abs(spinProfiled / spinProc - 1) <= 0.15),
    ],
    ["the isolate: floor request / storage floor (the entry's own D1 read and cache hit, no app)", `${iso.floor.requests} / ${iso.storage.requests}`, `${iso.floor.msPerRequest.toFixed(3)} / ${iso.storage.msPerRequest.toFixed(3)} ms`, "", ""],
    ["workerd's runnable time spent waiting for a core while profiled", "", `${(iso.waitShare * 100).toFixed(1)} %`, "", ""],
    ["cold `/rss.xml`, runtime workerd's CPU (/proc)", `${r.cold.samples.length}`, cpu(r.cold) + above(r.cold), "≤ 50 ms", upper(r.cold, 50)],
    ["edge-cached `/rss.xml`, runtime workerd's CPU (/proc)", `${r.cached.samples.length}`, cpu(r.cached) + above(r.cached), "≤ 2 ms", upper(r.cached, 2)],
    ["publish (PUT through the API), runtime workerd's CPU (/proc)", `${r.publish.samples.length}`, cpu(r.publish) + above(r.publish), "≤ 20 ms", upper(r.publish, 20)],
    [
      "edge-cached `/rss.xml` above the storage floor, runtime workerd (/proc): another estimate of the Worker's own part",
      `${r.cached.samples.length}`,
      // Signed: a difference below zero says the two medians are within each other's noise.
      `${(r.cached.medianCpuMs - r.storage.medianCpuMs).toFixed(2)} ms`,
      "",
      "",
    ],
    ["floor: a request the bench entry answers itself (no app, no D1), runtime workerd CPU", `${r.floor.samples.length}`, cpu(r.floor), "", ""],
    ["storage floor: the entry's own D1 version read and edge-cache hit of the feed's bytes, no app, runtime workerd CPU", `${r.storage.samples.length}`, cpu(r.storage), "", ""],
    ["first request of the isolate (`/rss.xml`: code compiled, site built), runtime workerd CPU", "1", `${r.firstRequest.cpuMs.toFixed(1)} ms, ${calls(r.firstRequest)} D1 calls`, "", ""],
    [
      "wrangler dev's proxy workerd (forwards each request to the runtime; no part of Cloudflare): cold / cached / publish / floor (median)",
      "",
      `${r.cold.medianProxyCpuMs.toFixed(2)} / ${r.cached.medianProxyCpuMs.toFixed(2)} / ${r.publish.medianProxyCpuMs.toFixed(2)} / ${r.floor.medianProxyCpuMs.toFixed(2)} ms`,
      "",
      "",
    ],
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
    `CPU targets are judged on the Worker's isolate: Cloudflare bills a Worker the CPU its isolate spends, and D1 and the Cache API run outside it there, while Miniflare runs their simulators (and its router) inside the same workerd process, so the runtime workerd's /proc figure is an upper bound, printed beside it.`,
    `The isolate: ${iso.how}; the check row compares it with /proc on work that is all the isolate's. When they disagree (profiled above /proc: the machine was loaded), the isolate rows are upper bounds, judged as such, and each also gives itself divided by the check's ratio.`,
    `/proc: ${r.cpuHow} (idle: runtime ${r.idleCpuMsPerSettle.toFixed(2)}, proxy ${r.proxyIdleCpuMsPerSettle.toFixed(2)} ms per settle). Values are medians of per-request samples; "ticks" is the mean of the utime+stime cross-check.`,
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
