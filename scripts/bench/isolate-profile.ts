/**
 * The Worker's own CPU, measured in its isolate alone: V8's CPU profiler,
 * driven over the DevTools protocol of wrangler dev's inspector
 * (--inspector-port, which reaches the user Worker's isolate only, not
 * Miniflare's D1 and cache simulators nor its router).
 *
 * How a profile becomes a figure: V8's sampler ticks every `interval` µs
 * and records a sample only while the thread holds the isolate (workerd
 * locks each isolate; ticks while it does not are dropped), with the JS
 * stack, "(program)" for the runtime's own code working for the isolate,
 * "(garbage collector)", or "(idle)". Busy samples (all but "(idle)")
 * times the tick actually achieved (the median gap between samples that
 * follow one another within one stretch of execution, under 10 intervals)
 * is the time the isolate executed: an unbiased estimate (a stretch of
 * length L gets L / tick samples on average), divided by the requests run.
 *
 * The ticks are wall time: a thread waiting for a core while it holds the
 * isolate keeps collecting samples, so on a loaded machine the figure is
 * an upper bound of CPU. workerd's run-queue wait over the same window
 * (/proc schedstat, d1-isolate.ts) is reported beside it to say how much.
 */
import { fetch } from "miniflare";

/** Sampling interval asked of V8 (µs). */
export const SAMPLING_INTERVAL_US = 50;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface IsolateCpu {
  /** Busy time of the isolate per request (ms). */
  msPerRequest: number;
  requests: number;
  busySamples: number;
  idleSamples: number;
  /** The achieved tick (µs). */
  tickUs: number;
  /** The busiest frames (self time per request, ms), for seeing where it goes. */
  top: { frame: string; ms: number }[];
}

/** Busy time of a profile, per `requests` (see the file's comment). */
export function isolateCpuOf(profile: CpuProfile, requests: number, interval = SAMPLING_INTERVAL_US): IsolateCpu {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const within = profile.timeDeltas.filter((d) => d > 0 && d <= 10 * interval).sort((a, b) => a - b);
  const tickUs = within.length > 0 ? within[within.length >> 1]! : interval;
  let busy = 0;
  let idle = 0;
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") {
      idle++;
      continue;
    }
    busy++;
    const file = frame.url.split("/").pop() ?? "";
    const name = `${frame.functionName || "(anonymous)"}${file ? ` ${file}:${frame.lineNumber + 1}` : ""}`;
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  const perRequest = (samples: number) => (samples * tickUs) / 1000 / requests;
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([frame, samples]) => ({ frame, ms: perRequest(samples) }));
  return { msPerRequest: perRequest(busy), requests, busySamples: busy, idleSamples: idle, tickUs, top };
}

/** One DevTools protocol session with the Worker's isolate. */
export interface InspectorSession {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Profiles what `run` makes the isolate do: `requests` is how many requests it sends. */
  profile(requests: number, run: () => Promise<unknown>): Promise<IsolateCpu>;
  close(): void;
}

/** Connects to wrangler dev's inspector proxy on `port` (its /json names the Worker's socket). */
export async function inspectIsolate(port: number): Promise<InspectorSession> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${port}`);
  const upgrade = await fetch(url.replace(/^ws:/, "http:"), { headers: { Upgrade: "websocket" } });
  const socket = upgrade.webSocket;
  if (!socket) throw new Error(`inspector on port ${port}: no WebSocket (status ${upgrade.status})`);
  socket.accept();
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(`inspector: ${message.error.message}`));
    else waiting.resolve(message.result);
  });
  socket.addEventListener("close", () => {
    for (const waiting of pending.values()) waiting.reject(new Error("inspector: socket closed"));
    pending.clear();
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
  return {
    send,
    async profile(requests, run) {
      await send("Profiler.start");
      // Stopped even when `run` fails, so the session stays usable.
      const ran = await run().then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      const { profile } = await send<{ profile: CpuProfile }>("Profiler.stop");
      if (ran) throw ran.error;
      return isolateCpuOf(profile, requests);
    },
    close: () => socket.close(),
  };
}
