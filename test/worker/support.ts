import type { KvNamespaceLike } from "../../src/storage/kv.js";

/** The real KV binding, with every key read recorded in order: what a feed costs, counted. */
export function countingKv(kv: KvNamespaceLike): { kv: KvNamespaceLike; reads: string[] } {
  const reads: string[] = [];
  const get = ((key: string, type: "text" | "arrayBuffer") => {
    reads.push(key);
    return type === "text" ? kv.get(key, "text") : kv.get(key, "arrayBuffer");
  }) as KvNamespaceLike["get"];
  return { kv: { get, put: (k, v) => kv.put(k, v), delete: (k) => kv.delete(k) }, reads };
}

export const enc = (text: string) => new TextEncoder().encode(text);

/** Empties the test KV namespace, so each test starts from what it writes. */
export async function clearKv(kv: { list(o?: { cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>; delete(k: string): Promise<void> }) {
  let cursor: string | undefined;
  for (;;) {
    const page = await kv.list(cursor ? { cursor } : {});
    await Promise.all(page.keys.map((k) => kv.delete(k.name)));
    if (page.list_complete) return;
    cursor = page.cursor;
  }
}
