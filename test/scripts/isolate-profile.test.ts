/**
 * How the d1 scenario turns a V8 CPU profile of the Worker's isolate into a
 * figure (scripts/bench/isolate-profile.ts): busy samples times the tick
 * achieved within stretches of execution, per request; "(idle)" samples
 * and the gaps between stretches (the isolate not running) count nothing.
 */
import { describe, expect, it } from "vitest";
import { isolateCpuOf, type CpuProfile } from "../../scripts/bench/isolate-profile.js";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });

/** A profile of `stretches`: each a run of samples (node ids) 120 µs apart, the stretches `gapUs` apart. */
function profileOf(stretches: number[][], gapUs: number): CpuProfile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  for (const stretch of stretches) {
    stretch.forEach((id, i) => {
      samples.push(id);
      timeDeltas.push(i === 0 ? gapUs : 120);
    });
  }
  const nodes = [
    { id: 1, callFrame: frame("(root)") },
    { id: 2, callFrame: frame("render", "worker.js") },
    { id: 3, callFrame: frame("(idle)") },
    { id: 4, callFrame: frame("(garbage collector)") },
  ];
  return { nodes, startTime: 0, endTime: timeDeltas.reduce((a, b) => a + b, 0), samples, timeDeltas };
}

describe("isolateCpuOf", () => {
  it("counts busy samples at the tick seen inside stretches, never the gaps between them, per request", () => {
    // Two requests: 10 busy samples (one of them GC) and 2 idle ones, in stretches 5 ms apart.
    const profile = profileOf([[2, 2, 2, 2, 4], [2, 3, 2, 2, 2, 3, 2]], 5_000);
    const cpu = isolateCpuOf(profile, 2, 50);
    expect(cpu.tickUs).toBe(120);
    expect(cpu.busySamples).toBe(10);
    expect(cpu.idleSamples).toBe(2);
    expect(cpu.msPerRequest).toBeCloseTo((10 * 120) / 1000 / 2, 9);
    expect(cpu.top[0]).toEqual({ frame: "render worker.js:1", ms: (9 * 120) / 1000 / 2 });
  });

  it("a profile in which the isolate never ran is 0, at the asked interval", () => {
    const cpu = isolateCpuOf({ nodes: [{ id: 1, callFrame: frame("(root)") }], startTime: 0, endTime: 1_000, samples: [], timeDeltas: [] }, 10, 50);
    expect(cpu).toMatchObject({ msPerRequest: 0, busySamples: 0, tickUs: 50, top: [] });
  });
});
