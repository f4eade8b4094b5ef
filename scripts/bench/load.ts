/**
 * Drives one URL for a fixed time from the load core, with wrk (Debian;
 * default) or autocannon (npm), and reports requests per second, latency and
 * how busy each core was. Every run is bounded: the tool's own duration, and
 * a kill after duration + 15 s.
 */
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { cpuShare, cpuTimes, processTreeCpuSeconds, spawnPinned, stop } from "./processes.js";

export type Tool = "wrk" | "autocannon";

export interface LoadOptions {
  tool: Tool;
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Core the load tool is pinned to. */
  cpu: number;
  /** Core the server under test is pinned to (its busy share is reported). */
  serverCpu: number;
  /** The server's process (with its children): its own CPU time is measured. */
  serverPid: number;
  /** Where wrk's report script is written. */
  workDir: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  bytesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Connect/read/write/timeout errors and unexpected statuses (4xx/5xx). */
  errors: number;
  /** The load tool's own CPU time ÷ its run time (wrk only; NaN for autocannon). */
  loadToolCpuShare: number;
  /** Busy share of the server's core and of the load tool's core during the run. */
  serverCoreBusy: number;
  loadCoreBusy: number;
  /** Share of the server's core taken by the hypervisor (a noisy neighbour). */
  serverCoreSteal: number;
  /** CPU time of the server's processes ÷ wall time: below ~0.85 it did not get (or need) its whole core. */
  serverCpuShare: number;
  /**
   * Interrupt and softirq seconds on the server's core during the run, for
   * reference only: here the softirq work done in a process's context is
   * already in its own CPU time (process + this exceeded the wall time).
   */
  serverCoreInterruptSeconds: number;
  /** Requests per CPU-second of the server's processes: its cost per request, whatever else ran on its core. */
  requestsPerCpuSecond: number;
}

type ToolResult = Omit<LoadResult, "serverCoreBusy" | "loadCoreBusy" | "serverCoreSteal" | "serverCpuShare" | "serverCoreInterruptSeconds" | "requestsPerCpuSecond">;

const WRK_SCRIPT = `-- written by scripts/bench/load.ts: the summary as one JSON line (os.clock(): wrk's own CPU time)
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"cpu_s":%f}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, os.clock()))
end
`;

async function runWrk(o: LoadOptions): Promise<ToolResult> {
  const script = join(o.workDir, "wrk-report.lua");
  await writeFile(script, WRK_SCRIPT);
  const headerArgs = Object.entries(o.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
  const p = spawnPinned(o.cpu, "wrk", ["-t1", `-c${o.connections}`, `-d${o.seconds}s`, "--timeout", "5s", "-s", script, ...headerArgs, o.url]);
  const line = await p.waitFor(/^WRKJSON (\{.*\})$/, (o.seconds + 15) * 1000).finally(() => stop(p));
  const j = JSON.parse(line.match[1]!) as Record<string, number>;
  const seconds = j.duration_us! / 1e6;
  return {
    requests: j.requests!,
    seconds,
    rps: j.requests! / seconds,
    bytesPerSecond: j.bytes! / seconds,
    latencyMs: { p50: j.p50_us! / 1000, p99: j.p99_us! / 1000, max: j.max_us! / 1000 },
    errors: j.errors!,
    loadToolCpuShare: j.cpu_s! / seconds,
  };
}

async function runAutocannon(o: LoadOptions): Promise<ToolResult> {
  const bin = join(createRequire(import.meta.url).resolve("autocannon/package.json"), "..", "autocannon.js");
  const headerArgs = Object.entries(o.headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
  const p = spawnPinned(o.cpu, process.execPath, [bin, "-c", String(o.connections), "-d", String(o.seconds), "-j", ...headerArgs, o.url]);
  const code = await Promise.race([
    p.exited,
    new Promise<"timeout">((r) => setTimeout(() => r("timeout"), (o.seconds + 15) * 1000).unref()),
  ]);
  await stop(p);
  const jsonLine = p.output().split("\n").find((l) => l.startsWith("{"));
  if (code !== 0 || !jsonLine) throw new Error(`autocannon failed (${String(code)}): ${p.output().slice(-1000)}`);
  const j = JSON.parse(jsonLine) as {
    requests: { total: number };
    throughput: { total: number };
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats?: Record<string, { count: number }>;
    latency: { p50: number; p99: number; max: number };
  };
  // 304 is a success here; only 4xx and 5xx count as failed responses.
  const failedStatuses = Object.entries(j.statusCodeStats ?? {}).filter(([s]) => Number(s) >= 400).reduce((a, [, v]) => a + v.count, 0);
  return {
    requests: j.requests.total,
    seconds: j.duration,
    rps: j.requests.total / j.duration,
    bytesPerSecond: j.throughput.total / j.duration,
    latencyMs: { p50: j.latency.p50, p99: j.latency.p99, max: j.latency.max },
    errors: j.errors + j.timeouts + failedStatuses,
    loadToolCpuShare: NaN,
  };
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const before = cpuTimes();
  const serverBefore = processTreeCpuSeconds(o.serverPid);
  const started = performance.now();
  const r = o.tool === "wrk" ? await runWrk(o) : await runAutocannon(o);
  const wall = (performance.now() - started) / 1000;
  const serverCpu = processTreeCpuSeconds(o.serverPid) - serverBefore;
  const share = cpuShare(before, cpuTimes());
  return {
    ...r,
    serverCoreBusy: share[o.serverCpu]?.busy ?? NaN,
    loadCoreBusy: share[o.cpu]?.busy ?? NaN,
    serverCoreSteal: share[o.serverCpu]?.steal ?? NaN,
    serverCpuShare: serverCpu / wall,
    serverCoreInterruptSeconds: share[o.serverCpu]?.interruptSeconds ?? NaN,
    requestsPerCpuSecond: serverCpu > 0 ? r.requests / serverCpu : NaN,
  };
}
