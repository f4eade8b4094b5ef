/**
 * Loaded into the server by `loadtest:limit-sweep` (`--import`, with
 * `--expose-gc`): on SIGUSR2 it writes one line to stderr,
 * `memory-probe: {json}`, with process.memoryUsage() (MiB) as it is and
 * after two full garbage collections, and the V8 heap spaces, so a run can
 * tell memory the server keeps (live after GC) from garbage not yet
 * collected and from heap V8 holds but does not return. With
 * PROBE_SNAPSHOTS=<dir> it also writes a heap snapshot there.
 */
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";

const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const usage = () => {
  const m = process.memoryUsage();
  return { rss: mib(m.rss), heapTotal: mib(m.heapTotal), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) };
};

let snapshots = 0;
process.on("SIGUSR2", () => {
  const asIs = usage();
  globalThis.gc?.();
  globalThis.gc?.();
  const afterGc = usage();
  // Per space: [size V8 holds, size live] in MiB.
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, [mib(s.space_size), mib(s.space_used_size)]]));
  const dir = process.env.PROBE_SNAPSHOTS;
  const snapshot = dir ? writeHeapSnapshot(`${dir}/probe-${process.pid}-${++snapshots}.heapsnapshot`) : undefined;
  process.stderr.write(`memory-probe: ${JSON.stringify({ asIs, afterGc, spaces, ...(snapshot ? { snapshot } : {}) })}\n`);
});
