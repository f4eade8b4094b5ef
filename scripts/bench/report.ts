/** The benchmark's results: their shape, the issue's targets checked against them, and the Markdown tables. */
import { contended, pairedRatio, type ScenarioResult, type TargetResult } from "./scenario.js";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  nginx: string;
  loadTool: string;
  loadAverageAtStart: string;
}

export interface StoreResult {
  size: number;
  recordBytes: number;
  generateSeconds: number;
  /** Articles the publisher reported serving. */
  articles: number;
  /** spawn → "listening" line. */
  startupSeconds: number;
  /** CPU seconds the publisher used until then: the start-up's cost, whatever else ran. */
  startupCpuSeconds: number;
  rssAtReadyMiB: number;
  /** VmHWM at the end of this store's runs. */
  peakRssMiB: number;
}

export interface WriteToServed {
  storeSize: number;
  timeoutSeconds: number;
  /** Seconds from the rename into ITEMS_DIR to /items/<slug> answering 200. */
  itemSeconds?: number;
  /** ... to /rss.xml listing it. */
  feedSeconds?: number;
  note: string;
}

export interface ScalingResult {
  size: number;
  /** The 50-item feed has the same bytes in both stores (same newest articles). */
  sameBytes: boolean;
  scenarios: ScenarioResult[];
}

export interface Results {
  version: 1;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  options: Record<string, unknown>;
  machine: Machine;
  stores: StoreResult[];
  /** Publisher (1k store) against node:http and nginx. */
  scenarios: ScenarioResult[];
  scaling: ScalingResult[];
  writeToServed?: WriteToServed;
  targets: TargetCheck[];
}

export interface TargetCheck {
  name: string;
  goal: string;
  measured?: number;
  unit: "×" | "s" | "MiB";
  met?: boolean;
  /** The same ratio over CPU time per request (ratio targets only): a cross-check less disturbed by other load. */
  cpuRatio?: number;
  /** How far off, in words. */
  detail: string;
}

export const PUBLISHER = "wirefeed";
export const NODE_HTTP = "node:http";
export const NGINX_LABEL = "nginx";

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n) ? "–" : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** "met (12% above)" or "missed by 40% (needs ×1.67)". */
function verdict(measured: number, goal: number, strict: boolean): string {
  const met = strict ? measured > goal : measured >= goal;
  return met ? `met (${fmt(((measured - goal) / goal) * 100)}% above)` : `missed by ${fmt(((goal - measured) / goal) * 100)}% (needs ×${fmt(goal / measured, 2)})`;
}

function atLeast(name: string, ratios: { rps?: number; cpu?: number; disturbed?: string }, goal: number, strict = false): TargetCheck {
  const goalText = `${strict ? ">" : "≥"} ${goal.toFixed(2)}×`;
  const measured = ratios.rps;
  const cpuRatio = ratios.cpu;
  if (measured === undefined || !Number.isFinite(measured)) return { name, goal: goalText, unit: "×", detail: "not measured" };
  const met = strict ? measured > goal : measured >= goal;
  let detail = verdict(measured, goal, strict);
  if (ratios.disturbed && cpuRatio !== undefined && Number.isFinite(cpuRatio)) {
    detail += `; req/s disturbed (${ratios.disturbed}); on CPU cost: ${verdict(cpuRatio, goal, strict)}`;
  }
  return { name, goal: goalText, measured, unit: "×", met, ...(cpuRatio !== undefined ? { cpuRatio } : {}), detail };
}

function below(name: string, measured: number | undefined, limit: number, unit: "s" | "MiB"): TargetCheck {
  const goalText = `< ${fmt(limit)} ${unit}`;
  if (measured === undefined || !Number.isFinite(measured)) return { name, goal: goalText, unit, detail: "not measured" };
  const met = measured < limit;
  const detail = met ? `met (${fmt(((limit - measured) / limit) * 100)}% below)` : `missed: ${fmt(((measured - limit) / limit) * 100)}% over (×${fmt(measured / limit, 2)})`;
  return { name, goal: goalText, measured, unit, met, detail };
}

export function checkTargets(r: Omit<Results, "targets" | "finishedAt" | "wallSeconds">): TargetCheck[] {
  const s = (id: string) => r.scenarios.find((x) => x.id === id);
  const vs = (id: string, other: string) => {
    const x = s(id);
    return x ? { rps: pairedRatio(x, PUBLISHER, other), cpu: pairedRatio(x, PUBLISHER, other, "cpu"), disturbed: disturbed(x, [PUBLISHER, other]) } : {};
  };
  const largest = r.scaling.at(-1);
  const scaled = largest?.scenarios.find((x) => x.id === "rss50-gzip");
  const bigStore = r.stores.find((x) => x.size === 100_000);
  const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const checks: TargetCheck[] = [
    atLeast("50-item RSS, identity 200 ÷ node:http", vs("rss50-identity", NODE_HTTP), 0.9),
    atLeast("50-item RSS, gzip 200 ÷ node:http", vs("rss50-gzip", NODE_HTTP), 0.9),
    atLeast("50-item RSS, brotli 200 ÷ node:http", vs("rss50-br", NODE_HTTP), 0.9),
    atLeast("article page, gzip 200 ÷ node:http", vs("article-gzip", NODE_HTTP), 0.9),
    atLeast("1,000-item RSS, identity 200 ÷ node:http", vs("rss1000-identity", NODE_HTTP), 0.9),
    atLeast("1,000-item RSS, gzip 200 ÷ node:http", vs("rss1000-gzip", NODE_HTTP), 0.9),
    atLeast("304 (If-None-Match) ÷ node:http 304", vs("rss50-304", NODE_HTTP), 0.8),
    atLeast("50-item RSS, gzip ÷ nginx gzip_static (survey: 0.54)", vs("rss50-gzip", NGINX_LABEL), 0.54, true),
    atLeast("1,000-item RSS, gzip ÷ nginx gzip_static (survey: 0.93)", vs("rss1000-gzip", NGINX_LABEL), 0.93, true),
  ];
  if (largest && scaled) {
    const [a, b] = [`${PUBLISHER} ${label(largest.size)}`, `${PUBLISHER} 1k`];
    checks.push(
      atLeast(`50-item RSS gzip, ${label(largest.size)} store ÷ 1k store`, { rps: pairedRatio(scaled, a, b), cpu: pairedRatio(scaled, a, b, "cpu"), disturbed: disturbed(scaled, [a, b]) }, 0.9),
    );
  }
  checks.push(below("start-up, 100k store", bigStore?.startupSeconds, 10, "s"), below("peak RSS, 100k store", bigStore?.peakRssMiB, 512, "MiB"));
  return checks;
}

function table(head: string[], rows: string[][]): string {
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

/**
 * Marks (on the medians): "†" other work took the server's or the load
 * tool's core (even after re-runs); "*" the server's core was under 90% busy:
 * the load tool was the limit.
 */
function mark(t: TargetResult): string {
  if (contended(t)) return "†";
  if (t.serverCoreBusy < 0.9) return "*";
  return "";
}

/** The marks of the named targets, e.g. "†", or "" when none is marked. */
function disturbed(result: ScenarioResult, labels: string[]): string {
  return [...new Set(result.targets.filter((t) => labels.includes(t.label)).map(mark).filter(Boolean))].join("");
}

function rpsCell(result: ScenarioResult, label: string): string {
  const t = result.targets.find((x) => x.label === label);
  if (!t) return "n/a";
  return `${fmt(t.medianRps)}${mark(t)}${t.errors ? ` (${t.errors} err)` : ""}`;
}

export function renderMarkdown(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, ${m.nginx}, load tool ${m.loadTool}; ` +
      `server on core 0, load on core 1 (taskset); ${r.options.connections} connections; ` +
      `median of ${r.options.rounds} interleaved rounds of ${r.options.roundSeconds} s after ${r.options.warmupSeconds} s warm-up; ${r.startedAt}.`,
    "",
  );
  const rows = r.scenarios.map((s) => [
    s.title,
    fmt(s.expect.length ?? 0),
    rpsCell(s, PUBLISHER),
    rpsCell(s, NODE_HTTP),
    rpsCell(s, NGINX_LABEL),
    fmt(pairedRatio(s, PUBLISHER, NODE_HTTP), 2),
    fmt(pairedRatio(s, PUBLISHER, NODE_HTTP, "cpu"), 2),
    fmt(pairedRatio(s, PUBLISHER, NGINX_LABEL), 2),
    fmt(pairedRatio(s, PUBLISHER, NGINX_LABEL, "cpu"), 2),
    fmt(s.targets.find((t) => t.label === PUBLISHER)?.medianP99Ms, 1),
  ]);
  out.push(
    "Throughput, 1k-article store: requests/s (median of the rounds), and wirefeed's ratio to each baseline as the median of per-round ratios, " +
      "of requests/s (\"req/s\") and of requests per CPU-second of the server's processes (\"CPU\", the cost per request, which other load disturbs less):",
    "",
    table(["scenario", "body bytes", "wirefeed", "node:http", "nginx", "÷ node:http req/s", "÷ node:http CPU", "÷ nginx req/s", "÷ nginx CPU", "wirefeed p99 ms"], rows),
    "",
  );
  const all = [...r.scenarios, ...r.scaling.flatMap((x) => x.scenarios)].flatMap((s) => s.targets);
  if (all.some((t) => mark(t) === "*")) out.push("\\* the server's core was under 90% busy: the load tool was the limit, so req/s is a lower bound (the CPU ratio still holds).", "");
  if (all.some((t) => mark(t) === "†")) out.push("† other work on the machine took part of the server's or the load tool's core (after re-runs), so req/s is low (the CPU ratio holds better).", "");

  const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const storeRows = r.stores.map((st) => {
    const sc = r.scaling.find((x) => x.size === st.size);
    const cell = (id: string) => {
      const s = sc?.scenarios.find((x) => x.id === id);
      if (!s) return st.size === r.stores[0]?.size ? "1.00" : "–";
      const [a, b] = [`${PUBLISHER} ${label(st.size)}`, `${PUBLISHER} 1k`];
      return `${fmt(pairedRatio(s, a, b), 2)} (CPU ${fmt(pairedRatio(s, a, b, "cpu"), 2)})`;
    };
    return [
      label(st.size),
      fmt(st.articles),
      fmt(st.recordBytes / 2 ** 20, 0),
      fmt(st.startupSeconds, 1),
      fmt(st.startupCpuSeconds, 1),
      fmt(st.rssAtReadyMiB),
      fmt(st.peakRssMiB),
      cell("rss50-identity"),
      cell("rss50-gzip"),
      cell("rss50-304"),
    ];
  });
  out.push(
    "Store size (start-up: spawn to the listening line, records in the page cache, and the publisher's CPU time until then; RSS from /proc VmHWM; " +
      "last three columns: the 50-item feed's req/s ÷ the same from the 1k store, interleaved, with the CPU-cost ratio):",
    "",
    table(["store", "articles", "records MiB", "start-up s", "start-up CPU s", "RSS at ready MiB", "peak RSS MiB", "identity ÷ 1k", "gzip ÷ 1k", "304 ÷ 1k"], storeRows),
    "",
  );
  if (r.writeToServed) {
    const w = r.writeToServed;
    out.push(
      `Write one article into the ${label(w.storeSize)} store → served: ` +
        (w.itemSeconds !== undefined
          ? `/items/<slug> after ${fmt(w.itemSeconds, 2)} s, in /rss.xml after ${w.feedSeconds !== undefined ? `${fmt(w.feedSeconds, 2)} s` : `not within ${w.timeoutSeconds} s`}`
          : `not served within ${w.timeoutSeconds} s`) +
        (w.note ? ` (${w.note})` : ""),
      "",
    );
  }
  out.push(
    "Targets:",
    "",
    table(
      ["target", "goal", "measured", "CPU-cost ratio", "result"],
      r.targets.map((t) => [
        t.name,
        t.goal,
        t.measured === undefined ? "–" : `${fmt(t.measured, 2)}${t.unit === "×" ? "×" : ` ${t.unit}`}`,
        t.cpuRatio === undefined ? "" : `${fmt(t.cpuRatio, 2)}×`,
        t.detail,
      ]),
    ),
  );
  return out.join("\n");
}

/** Every round of every target: for judging noise. */
export function renderDetail(r: Results): string {
  const rows: string[][] = [];
  for (const s of [...r.scenarios, ...r.scaling.flatMap((x) => x.scenarios.map((y) => ({ ...y, title: `${y.title} (${x.size / 1000}k vs 1k)` })))]) {
    for (const t of s.targets) {
      rows.push([
        s.title,
        t.label,
        t.rounds.map((x) => fmt(x.rps)).join(" / "),
        fmt(t.medianRequestsPerCpuSecond),
        fmt(t.medianP99Ms, 1),
        `${fmt(t.serverCpuShare * 100)}%`,
        `${fmt(t.serverCoreBusy * 100)}%`,
        `${fmt(t.loadToolCpuShare * 100)}%`,
        `${fmt(t.loadCoreBusy * 100)}%`,
        fmt(Math.max(...t.rounds.map((x) => x.serverCoreSteal)) * 100, 1),
        fmt(t.rounds.reduce((a, x) => a + x.retries, 0)),
      ]);
    }
  }
  return table(["scenario", "server", "req/s per round", "req/CPU-s", "p99 ms", "server's share of its core", "its core busy", "load tool's share of its core", "load core busy", "max steal %", "rounds re-run (core taken)"], rows);
}
