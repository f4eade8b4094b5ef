/**
 * Child processes of the benchmark: each is started pinned to one core, in its
 * own process group (so a server's workers go with it), tracked, and ended by
 * its own id on every way out: normal end, error, SIGINT/SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous last resort, safe inside an 'exit' handler. */
function cleanupNow(): void {
  for (const child of running) killGroup(child, "SIGKILL");
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let installed = false;
/** Ends children and removes temp dirs on exit, error and Ctrl-C. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", cleanupNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping children and removing temp files`);
      cleanupNow();
      process.exit(130);
    });
  }
}

export function removeOnExit(dir: string): void {
  tempDirs.add(dir);
}

export interface Pinned {
  child: ChildProcess;
  /** When spawn() was called (performance.now()). */
  spawnedAt: number;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  /** Resolves with the first output line matching `pattern`; rejects if the process exits or the time runs out. */
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<{ match: RegExpExecArray; at: number }>;
  exited: Promise<number | null>;
  /** Set by stop(): an exit after it is expected. */
  stopped: boolean;
}

/** Starts `command` pinned to `cpu` (a core, or a list such as "0-1") with taskset, in its own process group. */
export function spawnPinned(cpu: number | string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Pinned {
  const spawnedAt = performance.now();
  const child = spawn("taskset", ["-c", String(cpu), command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let text = "";
  const listeners = new Set<(line: string, at: number) => void>();
  let partial = "";
  const onData = (chunk: Buffer) => {
    const at = performance.now();
    text += chunk.toString("utf8");
    if (text.length > 200_000) text = text.slice(-100_000);
    partial += chunk.toString("utf8");
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) for (const listener of listeners) listener(line, at);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
    });
    child.once("error", () => {
      running.delete(child);
      resolve(null);
    });
  });
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<{ match: RegExpExecArray; at: number }>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`${command}: no line matching ${pattern} within ${timeoutMs} ms; output:\n${text.slice(-2000)}`));
      }, timeoutMs);
      const listener = (line: string, at: number) => {
        const match = pattern.exec(line);
        if (!match) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve({ match, at });
      };
      listeners.add(listener);
      void exited.then((code) => {
        clearTimeout(timer);
        if (listeners.delete(listener)) reject(new Error(`${command} exited (${code}) before printing ${pattern}; output:\n${text.slice(-2000)}`));
      });
    });
  return { child, spawnedAt, output: () => text, waitFor, exited, stopped: false };
}

/** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when it has exited. */
export async function stop(p: Pinned, graceMs = 3000): Promise<void> {
  p.stopped = true;
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  killGroup(p.child, "SIGTERM");
  const timer = setTimeout(() => killGroup(p.child, "SIGKILL"), graceMs);
  await p.exited;
  clearTimeout(timer);
}

/** Runs a command to completion with a time limit; the output is returned, never inherited. */
export function runBounded(command: string, args: string[], timeoutMs: number): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL" });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

/** Memory of a live process from /proc/<pid>/status, in bytes (VmHWM: peak resident set). */
export function memoryOf(pid: number): { rss: number; peakRss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb("VmRSS"), peakRss: kb("VmHWM") };
  } catch {
    return undefined;
  }
}

export interface CpuTimes {
  busy: number;
  total: number;
  steal: number;
  /** Interrupt and softirq time: on loopback, much of the TCP work of what a process sends. */
  interrupts: number;
}

/** Jiffies per core from /proc/stat: busy excludes idle and iowait. */
export function cpuTimes(): CpuTimes[] {
  const out: CpuTimes[] = [];
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    out[Number(m[1])] = { busy: total - idle, total, steal: f[7] ?? 0, interrupts: (f[5] ?? 0) + (f[6] ?? 0) };
  }
  return out;
}

/** Share of each core that was busy (and stolen by the hypervisor) between two samples, and its interrupt seconds. */
export function cpuShare(before: CpuTimes[], after: CpuTimes[]): { busy: number; steal: number; interruptSeconds: number }[] {
  return after.map((a, i) => {
    const b = before[i]!;
    const total = a.total - b.total || 1;
    return { busy: (a.busy - b.busy) / total, steal: (a.steal - b.steal) / total, interruptSeconds: (a.interrupts - b.interrupts) / TICKS_PER_SECOND };
  });
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds (user + system) used so far by `pid` and its descendants (an
 * nginx master and its worker): what the server itself cost, whoever else
 * shared its core.
 */
export function processTreeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const f = statFields(p);
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / TICKS_PER_SECOND;
}

/** `pid` and its live descendants (a server and whatever it started), from /proc. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(entry);
    if (f) parents.set(Number(entry), Number(f[1]));
  }
  const inTree = (p: number): boolean => {
    for (let q: number | undefined = p, depth = 0; q !== undefined && q > 1 && depth < 16; q = parents.get(q), depth++) if (q === pid) return true;
    return false;
  };
  return [...parents.keys()].filter(inTree);
}

/** Sum of the peak resident sets (VmHWM) of a process tree, in bytes: an upper bound of the tree's peak. */
export function processTreePeakRss(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (memoryOf(p)?.peakRss ?? 0), 0);
}

/**
 * CPU time of one process (every thread), in seconds, to the nanosecond:
 * the first field of /proc/<pid>/task/<tid>/schedstat (time on a CPU) summed
 * over its threads. /proc/<pid>/stat's utime+stime count 10 ms ticks, too
 * coarse to time one request; this is the scheduler's own account.
 * Threads that ended in between are missing from it (not from utime+stime).
 */
export function processCpuSecondsPrecise(pid: number): number {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // The thread ended.
      }
    }
  } catch {
    return NaN;
  }
  return ns / 1e9;
}

/**
 * The scheduler's account of every thread of `pid` (schedstat): seconds run
 * on a core, and seconds spent runnable but waiting for one (what a loaded
 * machine adds to wall-clock measurements of the process).
 */
export function processSchedstat(pid: number): { run: number; wait: number } {
  let run = 0;
  let wait = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [ran, waited] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ");
      run += Number(ran);
      wait += Number(waited);
    } catch {
      // The thread ended.
    }
  }
  return { run: run / 1e9, wait: wait / 1e9 };
}

/** utime+stime of one process from /proc/<pid>/stat (every thread, ended ones included), in seconds (10 ms ticks). */
export function processCpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND : NaN;
}
