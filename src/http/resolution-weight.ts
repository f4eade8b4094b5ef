import type { Resource } from "./site-resources.js";

/**
 * What one kept resolution (URL → Resource) costs besides its key and its
 * entries list, in bytes: the Resource object, its render and deps closures
 * and their contexts, its dates, link, stats and strings. Measured by a
 * heap-snapshot diff around the `?limit` sweep (docs/performance.md): about
 * 4,000 held resolutions took 8.2 MiB of live heap, 3.1 MiB of it their
 * lists (8 bytes a slot), the rest some 1.3 KB each — where 512 was counted.
 */
export const RESOLUTION_OVERHEAD = 1536;
/** Per catalog entry the resolution keeps referenced: its slot in the list. */
export const BYTES_PER_HELD_ENTRY = 8;

/** The weight of a resolution in the app's resolution cache: what it keeps alive, its key (UTF-16) included. */
export function resolutionWeight(key: string, resource: Pick<Resource, "holds">): number {
  return RESOLUTION_OVERHEAD + key.length * 2 + (resource.holds ?? 0) * BYTES_PER_HELD_ENTRY;
}
