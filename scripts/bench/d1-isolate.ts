/**
 * The d1 scenario's second account of CPU: the Worker's isolate alone, by
 * V8's CPU profiler over wrangler dev's inspector (isolate-profile.ts).
 * Run after every /proc figure, so the profiler's own work (its sampling
 * thread, its signals) is in none of them.
 *
 * Checked against /proc first: a request that only runs a JavaScript loop
 * in the isolate (/__bench/spin of d1-counting-worker.ts), whose CPU above
 * the floor is all the isolate's, is measured both ways; the two should
 * agree before the profiler's other figures mean anything.
 */
import { inspectIsolate, SAMPLING_INTERVAL_US, type IsolateCpu } from "./isolate-profile.js";
import { processSchedstat } from "./processes.js";
import { median } from "./scenario.js";

/** Rounds of the spin loop: about 20 ms of CPU on the bench machine, the size of a cold render. */
type Answer = { status: number };

export const SPIN_ROUNDS = 5_000_000;

export interface IsolateFigures {
  how: string;
  intervalUs: number;
  /** The floor request (/__bench/counts), 50 in one profile. */
  floor: IsolateCpu;
  /** The storage floor (/__bench/storage), 100 in one profile. */
  storage: IsolateCpu;
  /** Edge-cached /rss.xml, 200 in one profile. */
  cached: IsolateCpu;
  /** One profile per request. */
  cold: IsolateCpu[];
  publish: IsolateCpu[];
  /** The check: the spin request, /proc (no profiler) and profiled. */
  spin: { rounds: number; procMs: number[]; profiled: IsolateCpu[] };
  /** Of workerd's runnable time while profiled, the share spent waiting for a core (wall time the profiler counts that is not CPU). */
  waitShare: number;
}

export const ISOLATE_HOW = `V8's CPU profiler in the Worker's isolate alone, over wrangler dev's inspector (--inspector-port; Miniflare's D1 and cache simulators and its router are other isolates, not sampled): Profiler.start, the requests, Profiler.stop; busy samples (all but "(idle)"; V8 records a sample only while the isolate is locked by its thread) times the tick achieved, ÷ requests. Sampling every ${SAMPLING_INTERVAL_US} µs asked. Ticks are wall time, so a loaded machine inflates it`;

export const medianMs = (list: IsolateCpu[]) => median(list.map((c) => c.msPerRequest));

export async function isolateFigures(options: {
  inspectorPort: number;
  pid: number;
  /** workerd's /proc CPU of one request (ms), as d1-scale.ts measures every other figure. */
  procMs: (send: () => Promise<Answer>) => Promise<number>;
  get: (path: string) => () => Promise<Answer>;
  /** One PUT of a new article (it checks its own 201). */
  publish: () => Promise<Answer>;
  log: (line: string) => void;
}): Promise<IsolateFigures> {
  const { log } = options;
  // A profile of a request that failed would be a figure of something else.
  const get = (path: string) => async () => {
    const answer = await options.get(path)();
    if (answer.status !== 200) throw new Error(`d1 isolate phase: GET ${path}: status ${answer.status}`);
    return answer;
  };
  const repeat = (n: number, send: () => Promise<Answer>) => async () => {
    for (let i = 0; i < n; i++) await send();
  };
  // The check's /proc half first, before the profiler is attached at all.
  const spinPath = `/__bench/spin?n=${SPIN_ROUNDS}`;
  await get(spinPath)();
  const procMs: number[] = [];
  for (let i = 0; i < 10; i++) procMs.push(await options.procMs(get(spinPath)));

  const session = await inspectIsolate(options.inspectorPort);
  const before = processSchedstat(options.pid);
  try {
    const profiled: IsolateCpu[] = [];
    for (let i = 0; i < 10; i++) profiled.push(await session.profile(1, get(spinPath)));
    log(`d1: check: spin request ${median(procMs).toFixed(2)} ms /proc (no profiler), ${medianMs(profiled).toFixed(2)} ms profiled in the isolate`);
    const floor = await session.profile(50, repeat(50, get("/__bench/counts")));
    const storage = await session.profile(100, repeat(100, get("/__bench/storage")));
    // Warm the current version's entry, then only hits.
    await get("/rss.xml")();
    const cached = await session.profile(200, repeat(200, get("/rss.xml")));
    log(`d1: isolate: floor ${floor.msPerRequest.toFixed(3)} ms, storage floor ${storage.msPerRequest.toFixed(3)} ms, cached /rss.xml ${cached.msPerRequest.toFixed(3)} ms per request`);
    const cold: IsolateCpu[] = [];
    const publish: IsolateCpu[] = [];
    for (let round = 0; round < 10; round++) {
      publish.push(await session.profile(1, options.publish));
      cold.push(await session.profile(1, get("/rss.xml")));
    }
    log(`d1: isolate: cold /rss.xml ${medianMs(cold).toFixed(2)} ms, publish ${medianMs(publish).toFixed(2)} ms (medians of 10)`);
    const after = processSchedstat(options.pid);
    const run = after.run - before.run;
    const wait = after.wait - before.wait;
    return { how: ISOLATE_HOW, intervalUs: SAMPLING_INTERVAL_US, floor, storage, cached, cold, publish, spin: { rounds: SPIN_ROUNDS, procMs, profiled }, waitShare: wait / (run + wait) };
  } finally {
    session.close();
  }
}
