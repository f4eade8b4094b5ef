/**
 * A withdrawn article (RFC 6721): readers that saw it learn that it is gone,
 * instead of silently losing it. `when` is the withdrawal instant, supplied
 * by whoever withdrew it (core reads no clock).
 */
export interface Tombstone {
  slug: string;
  id: string;
  when: Date;
}

/** Newest withdrawal first; ties by id, so output never depends on load order. */
export function compareTombstones(a: Tombstone, b: Tombstone): number {
  return b.when.getTime() - a.when.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Tombstones as stored (JSON with ISO dates), validated. Bad entries are dropped, not fatal. */
export function parseTombstones(json: unknown): Tombstone[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((t) => {
    if (typeof t !== "object" || t === null) return [];
    const { slug, id, when } = t as Record<string, unknown>;
    const date = typeof when === "string" ? new Date(when) : undefined;
    return typeof slug === "string" && typeof id === "string" && date && !Number.isNaN(date.getTime()) ? [{ slug, id, when: date }] : [];
  });
}

export function serialiseTombstones(tombstones: readonly Tombstone[]): string {
  return `${JSON.stringify([...tombstones].sort(compareTombstones).map((t) => ({ slug: t.slug, id: t.id, when: t.when.toISOString() })), null, 2)}\n`;
}
