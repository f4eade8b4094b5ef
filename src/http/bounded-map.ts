/**
 * A Map that forgets its oldest entries beyond `limit` entries or beyond
 * `maxWeight` in total weight (bytes, for caches of bodies): caches keyed by
 * what clients ask for must not grow without bound, and a count alone does
 * not bound memory when one entry can be a few KB or a few MB. Reads do not
 * reorder (first in, first out): a lookup on every request stays a plain Map read.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, { value: V; weight: number }>();
  private total = 0;
  constructor(
    private readonly limit: number,
    private readonly maxWeight = Infinity,
  ) {}

  get(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  /** Adds or replaces; an entry heavier than the whole budget is not kept (nor is the one it replaces). */
  set(key: K, value: V, weight = 0): void {
    this.delete(key);
    if (weight > this.maxWeight) return;
    this.map.set(key, { value, weight });
    this.total += weight;
    this.evict();
  }

  /** The entry's weight changed (a cached body gained a compressed variant); it keeps its place. */
  reweigh(key: K, weight: number): void {
    const entry = this.map.get(key);
    if (!entry) return;
    if (weight > this.maxWeight) return this.delete(key);
    this.total += weight - entry.weight;
    entry.weight = weight;
    this.evict();
  }

  delete(key: K): void {
    const entry = this.map.get(key);
    if (!entry) return;
    this.total -= entry.weight;
    this.map.delete(key);
  }

  private evict(): void {
    while (this.map.size > this.limit || this.total > this.maxWeight) this.delete(this.map.keys().next().value as K);
  }

  get size(): number {
    return this.map.size;
  }

  /** Total weight held. */
  get weight(): number {
    return this.total;
  }
}
