/** The sqlite scenario's Markdown: every figure of both sizes, the target beside it. */
import { median } from "./scenario.js";
import type { SqliteResult } from "./sqlite-scale.js";

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));
const met = (ok: boolean) => (ok ? "yes" : "**no**");

/** "built in N s" now, or the cached file's recorded build. */
export function built(db: { buildSeconds?: number; builtBefore?: { seconds: number; at: string; loadAverage: string } }): string {
  if (db.buildSeconds !== undefined) return `built in ${db.buildSeconds.toFixed(0)} s`;
  if (db.builtBefore) return `cached; built in ${db.builtBefore.seconds.toFixed(0)} s on ${db.builtBefore.at.slice(0, 16)}Z, load average ${db.builtBefore.loadAverage}`;
  return "cached";
}

/** "first / median ms" of the per-publish CPU (older results lack it). */
function firstAndMedian(s: SqliteResult["sizes"][0]): string {
  const each = s.publish.cpuMsEach;
  if (!each?.length) return "";
  return `${each[0]!.toFixed(1)} / ${median(each).toFixed(1)} ms`;
}

export function renderSqlite(r: SqliteResult): string {
  const [small, large] = r.sizes as [SqliteResult["sizes"][0], SqliteResult["sizes"][0]];
  const L = label(large.size);
  const S = label(small.size);
  const feed = (size: number) => r.feed.targets.find((t) => t.label === label(size))!;
  const publishCpu = (s: typeof small) => s.publish.putCpuMs + s.publish.feedCpuMs;
  const rows: [string, string, string, string, string][] = [
    ["start-up until listening", `${small.startupSeconds.toFixed(2)} s (${small.startupCpuSeconds.toFixed(2)} CPU s)`, `${large.startupSeconds.toFixed(2)} s (${large.startupCpuSeconds.toFixed(2)} CPU s)`, `< 2 s at ${L}`, met(large.startupSeconds < 2)],
    ["peak RSS (VmHWM of the process tree), at ready / after the run", `${small.peakRssAtReadyMiB.toFixed(0)} / ${small.peakRssMiB.toFixed(0)} MiB`, `${large.peakRssAtReadyMiB.toFixed(0)} / ${large.peakRssMiB.toFixed(0)} MiB`, `< 256 MiB at ${L}`, met(large.peakRssMiB < 256)],
    ["first `/rss.xml` after start (wall)", `${small.firstRssMs.toFixed(1)} ms`, `${large.firstRssMs.toFixed(1)} ms`, "< 100 ms", met(large.firstRssMs < 100)],
    ["`/rss.xml` 50 items gzip, req/s (median of rounds)", `${Math.round(feed(small.size).medianRps)}`, `${Math.round(feed(large.size).medianRps)}`, "", ""],
    [`req/s ratio ${L} ÷ ${S} (median of per-round ratios)`, "", r.rpsRatio.toFixed(3), "≥ 0.9", met(r.rpsRatio >= 0.9)],
    [`requests per server CPU-second, ratio ${L} ÷ ${S} (cost per request; less disturbed by other load)`, `${Math.round(feed(small.size).medianRequestsPerCpuSecond)}`, `${Math.round(feed(large.size).medianRequestsPerCpuSecond)} (${r.cpuRatio.toFixed(3)})`, "", ""],
    ["server's share of its core during the rounds (median)", `${(feed(small.size).serverCpuShare * 100).toFixed(0)}%`, `${(feed(large.size).serverCpuShare * 100).toFixed(0)}%`, "", ""],
    [`publish: PUT → the feed lists it, median wall of ${large.publish.count}`, `${small.publish.medianServedMs.toFixed(1)} ms (PUT ${small.publish.medianPutMs.toFixed(1)} ms)`, `${large.publish.medianServedMs.toFixed(1)} ms (PUT ${large.publish.medianPutMs.toFixed(1)} ms)`, "< 100 ms", met(large.publish.medianServedMs < 100)],
    ["publish: server CPU per publish, PUT + feed GET (scheduler account, /proc/<pid>/task/*/schedstat)", `${publishCpu(small).toFixed(1)} ms (${small.publish.putCpuMs.toFixed(1)} + ${small.publish.feedCpuMs.toFixed(1)})`, `${publishCpu(large).toFixed(1)} ms (${large.publish.putCpuMs.toFixed(1)} + ${large.publish.feedCpuMs.toFixed(1)})`, "< 20 ms", met(publishCpu(large) < 20)],
    [
      "publish: server CPU of the first publish / median of all (the first also compiles the parse and render paths)",
      `${firstAndMedian(small)}`,
      `${firstAndMedian(large)}`,
      "",
      "",
    ],
    ["publish: utime+stime of the server over the batch ÷ publishes (10 ms ticks; cross-check)", `${small.publish.batchCpuMsTicks.toFixed(1)} ms`, `${large.publish.batchCpuMsTicks.toFixed(1)} ms`, "< 20 ms", met(large.publish.batchCpuMsTicks < 20)],
    [
      "database file (build)",
      `${(small.database.bytes / 2 ** 20).toFixed(0)} MiB (${built(small.database)})`,
      `${(large.database.bytes / 2 ** 20).toFixed(0)} MiB (${built(large.database)})`,
      "bounded",
      "",
    ],
  ];
  return [
    `SQLite on Node (WIREFEED_DB, src/runtime/node.ts), ${S} and ${L} articles; load average ${r.loadAverage}`,
    "",
    `| figure | ${S} | ${L} | target | met |`,
    "|---|---|---|---|---|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
    `The 50-item gzip feed: ${r.sameFeedBytes ? "the same bytes from both databases (checked)" : "**different bytes** from the two databases"}. Servers on core 0, wrk on core 1 (scenario.ts rounds, interleaved).`,
    `Databases: ${r.how}; cached under .cache/bench/ (key: generator, row writer and schema sources, derived format, site fingerprint, N), each run serving a fresh copy.`,
  ].join("\n");
}
