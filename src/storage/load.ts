import type { RawRecord } from "../core/catalog.js";
import type { RecordStore } from "./store.js";

/** Reads every record with at most `concurrency` reads in flight, so a large store cannot exhaust file handles. */
export async function readAllRecords(store: RecordStore, concurrency = 32): Promise<RawRecord[]> {
  const names = (await store.list()).sort();
  const out: (RawRecord | undefined)[] = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      const name = names[i]!;
      const bytes = await store.read(name);
      if (bytes) out[i] = { file: store.describe(name), bytes };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  return out.filter((r): r is RawRecord => r !== undefined);
}
