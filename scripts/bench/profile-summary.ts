/**
 * Where the time went in a V8 CPU profile (node --cpu-prof, or
 * `npm run bench -- --cpu-prof`): self time per function and per module
 * (a package in node_modules, a file of ours, node internals, GC).
 *
 * Usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Groups a script URL: "hono", "src/http/app.ts", "node:internal", "(native)". */
export function moduleOf(url: string): string {
  if (!url) return "(native/V8)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node internals";
  const ours = /\/((?:src|scripts|test)\/.*)$/.exec(url);
  return ours ? ours[1]! : url;
}

export function summarise(profile: Profile): { totalMs: number; byFunction: Map<string, number>; byModule: Map<string, number> } {
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // Each sample's time is the delta to the next one.
    const ms = (deltas[i + 1] ?? 0) / 1000;
    selfMs.set(samples[i]!, (selfMs.get(samples[i]!) ?? 0) + ms);
  }
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let totalMs = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const mod = moduleOf(url);
    const name = `${functionName || "(anonymous)"} ${url ? `${mod}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byModule.set(mod === "(native/V8)" ? functionName || mod : mod, (byModule.get(mod === "(native/V8)" ? functionName || mod : mod) ?? 0) + ms);
    totalMs += ms;
  }
  return { totalMs, byFunction, byModule };
}

if (process.argv[1] && /profile-summary\.ts$/.test(process.argv[1])) {
  const [file, topText = "25"] = process.argv.slice(2);
  if (!file) {
    console.error("usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]");
    process.exit(2);
  }
  const { totalMs, byFunction, byModule } = summarise(JSON.parse(readFileSync(file, "utf8")) as Profile);
  const top = Number(topText);
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  console.log(`${file}: ${totalMs.toFixed(0)} ms sampled`);
  print("self time by module", byModule);
  print("self time by function", byFunction);
}
