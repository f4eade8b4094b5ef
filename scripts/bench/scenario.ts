/**
 * One scenario: the same response from several servers, each checked first
 * (status, coding, exact bytes), then measured in interleaved rounds
 * (A B C, A B C, ...) so that drift on a shared machine hits all of them
 * alike; ratios are taken per round, then the median.
 */
import { httpGet, sha256 } from "./http-get.js";
import { runLoad, type LoadResult, type Tool } from "./load.js";
import { cpuShare, cpuTimes } from "./processes.js";
import type { Coding } from "./served-files.js";

export interface Target {
  label: string;
  url: string;
  headers: Record<string, string>;
  /** The server's process id (its CPU time is measured). */
  pid: number;
}

export interface Expectation {
  status: 200 | 304;
  coding: Coding;
  /** sha256 of the body every target must send (200 only). */
  sha256?: string;
  length?: number;
}

export interface Scenario {
  id: string;
  title: string;
  expect: Expectation;
  targets: Target[];
}

export interface QuietGate {
  /** Mean busy share of all cores, sampled while our servers idle, under which a round may start. */
  threshold: number;
  /** Longest wait before one round (then it runs anyway, and says so). */
  maxWaitMs: number;
  /** Wait left for the whole run: keeps the run bounded on a machine that never quiets. */
  budgetMs: number;
  /** Rounds that may still be run again because other work took the server's core (for the whole run). */
  retryBudget: number;
}

/**
 * A core was busy, but not with the server or the load tool on it: another
 * process took it, so the round says little about the server.
 */
export const contended = (r: { serverCoreBusy: number; serverCpuShare: number; loadCoreBusy: number; loadToolCpuShare: number }) =>
  (r.serverCoreBusy >= 0.9 && r.serverCpuShare < 0.85) || (r.loadCoreBusy >= 0.9 && r.loadToolCpuShare < 0.85);

/**
 * On a shared machine other work comes and goes: before each measured round,
 * wait (bounded) until the cores are nearly idle. Returns how long it waited
 * and the background load it last saw.
 */
export async function waitForQuiet(gate: QuietGate): Promise<{ waitedMs: number; backgroundBusy: number }> {
  const start = performance.now();
  for (;;) {
    const before = cpuTimes();
    await new Promise((r) => setTimeout(r, 250));
    const shares = cpuShare(before, cpuTimes());
    const busy = shares.reduce((a, s) => a + s.busy, 0) / shares.length;
    const waited = performance.now() - start;
    if (busy <= gate.threshold || waited >= gate.maxWaitMs || waited >= gate.budgetMs) {
      gate.budgetMs = Math.max(0, gate.budgetMs - waited);
      return { waitedMs: waited, backgroundBusy: busy };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface Timing {
  tool: Tool;
  connections: number;
  warmupSeconds: number;
  roundSeconds: number;
  rounds: number;
  serverCpu: number;
  loadCpu: number;
  workDir: string;
  quiet: QuietGate;
}

export interface Round extends LoadResult {
  /** Time spent waiting for a quiet machine before this round, and the background load then. */
  quietWaitMs: number;
  backgroundBusy: number;
  /** Tries thrown away because other work took the server's core. */
  retries: number;
}

export interface TargetResult {
  label: string;
  url: string;
  rounds: Round[];
  medianRps: number;
  minRps: number;
  maxRps: number;
  medianP99Ms: number;
  /** Median of requests per CPU-second of the server process. */
  medianRequestsPerCpuSecond: number;
  /** Median busy share of the server's core (any process). */
  serverCoreBusy: number;
  /** Median share of a core the server process used: well below 1 means it was starved (other load) or idle (load tool the limit). */
  serverCpuShare: number;
  loadCoreBusy: number;
  /** Median share of its core the load tool used. */
  loadToolCpuShare: number;
  errors: number;
}

export interface ScenarioResult {
  id: string;
  title: string;
  expect: Expectation;
  targets: TargetResult[];
}

export const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Fails loudly when a target does not send what the scenario says. */
export async function checkTarget(target: Target, expect: Expectation): Promise<void> {
  const r = await httpGet(target.url, target.headers);
  const coding = r.headers["content-encoding"] ?? "identity";
  const problems: string[] = [];
  if (r.status !== expect.status) problems.push(`status ${r.status}, expected ${expect.status}`);
  if (expect.status === 200) {
    if (coding !== expect.coding) problems.push(`content-encoding ${coding}, expected ${expect.coding}`);
    if (expect.sha256 && sha256(r.body) !== expect.sha256) problems.push(`body differs (${r.body.length} bytes, expected ${expect.length})`);
  } else if (r.body.length !== 0) {
    problems.push(`304 with a ${r.body.length}-byte body`);
  }
  if (problems.length > 0) throw new Error(`${target.label} ${target.url}: ${problems.join("; ")}`);
}

export async function measureScenario(scenario: Scenario, timing: Timing, log: (line: string) => void): Promise<ScenarioResult> {
  for (const target of scenario.targets) await checkTarget(target, scenario.expect);
  const load = (target: Target, seconds: number) =>
    runLoad({
      tool: timing.tool,
      url: target.url,
      headers: target.headers,
      connections: timing.connections,
      seconds,
      cpu: timing.loadCpu,
      serverCpu: timing.serverCpu,
      serverPid: target.pid,
      workDir: timing.workDir,
    });
  if (timing.warmupSeconds > 0) for (const target of scenario.targets) await load(target, timing.warmupSeconds);
  const rounds = scenario.targets.map(() => [] as Round[]);
  for (let round = 0; round < timing.rounds; round++) {
    for (const [i, target] of scenario.targets.entries()) {
      let retries = 0;
      let quiet = await waitForQuiet(timing.quiet);
      let result = await load(target, timing.roundSeconds);
      while (contended(result) && retries < 2 && timing.quiet.retryBudget > 0) {
        log(
          `  ${scenario.id} round ${round + 1} ${target.label}: other work took the cores (server ${(result.serverCpuShare * 100).toFixed(0)}% of core ${timing.serverCpu}, ` +
            `load tool ${(result.loadToolCpuShare * 100).toFixed(0)}% of core ${timing.loadCpu}), once more`,
        );
        timing.quiet.retryBudget--;
        retries++;
        quiet = await waitForQuiet(timing.quiet);
        result = await load(target, timing.roundSeconds);
      }
      const r: Round = { ...result, quietWaitMs: quiet.waitedMs, backgroundBusy: quiet.backgroundBusy, retries };
      rounds[i]!.push(r);
      log(
        `  ${scenario.id} round ${round + 1}/${timing.rounds} ${target.label}: ${Math.round(r.rps)} req/s, ${Math.round(r.requestsPerCpuSecond)} req/CPU-s, ` +
          `p99 ${r.latencyMs.p99.toFixed(1)} ms, ${quiet.waitedMs > 500 ? `waited ${(quiet.waitedMs / 1000).toFixed(1)} s for quiet (background ${(quiet.backgroundBusy * 100).toFixed(0)}%), ` : ""}server ${(r.serverCpuShare * 100).toFixed(0)}% of core ${timing.serverCpu} (core busy ${(r.serverCoreBusy * 100).toFixed(0)}%)${r.errors ? `, ${r.errors} errors` : ""}`,
      );
    }
  }
  // Checked again at the end: a server that broke under load must not pass as fast.
  for (const target of scenario.targets) await checkTarget(target, scenario.expect);
  return {
    id: scenario.id,
    title: scenario.title,
    expect: scenario.expect,
    targets: scenario.targets.map((target, i) => {
      const rs = rounds[i]!;
      return {
        label: target.label,
        url: target.url,
        rounds: rs,
        medianRps: median(rs.map((r) => r.rps)),
        minRps: Math.min(...rs.map((r) => r.rps)),
        maxRps: Math.max(...rs.map((r) => r.rps)),
        medianP99Ms: median(rs.map((r) => r.latencyMs.p99)),
        medianRequestsPerCpuSecond: median(rs.map((r) => r.requestsPerCpuSecond)),
        serverCoreBusy: median(rs.map((r) => r.serverCoreBusy)),
        serverCpuShare: median(rs.map((r) => r.serverCpuShare)),
        loadCoreBusy: median(rs.map((r) => r.loadCoreBusy)),
        loadToolCpuShare: median(rs.map((r) => r.loadToolCpuShare)),
        errors: rs.reduce((a, r) => a + r.errors, 0),
      };
    }),
  };
}

/**
 * Median over rounds of a's ÷ b's in the same round: of requests per second
 * ("rps", what the issue's targets are), or of requests per CPU-second of the
 * server process ("cpu", the cost per request, which other load on the
 * machine disturbs far less).
 */
export function pairedRatio(result: ScenarioResult, a: string, b: string, metric: "rps" | "cpu" = "rps"): number | undefined {
  const ta = result.targets.find((t) => t.label === a);
  const tb = result.targets.find((t) => t.label === b);
  if (!ta || !tb) return undefined;
  const value = (r: LoadResult) => (metric === "rps" ? r.rps : r.requestsPerCpuSecond);
  return median(ta.rounds.map((r, i) => value(r) / value(tb.rounds[i]!)));
}
