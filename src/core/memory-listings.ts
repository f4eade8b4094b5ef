import type { ArticleMeta } from "./article.js";
import type { Catalog } from "./catalog.js";
import { listingMovedAt, scopeKey } from "./change-stamps.js";
import { compareLatestChangeFirst, newestChange } from "./feed-model.js";
import type { FeedOrder, Listings, NamedScopeKind, ScopeStats } from "./listings.js";
import { inScope, scopesOf, tombstoneInScope, type Scope } from "./scopes.js";
import type { Tombstone } from "./tombstone.js";

/** A scope's entries, newest first, with their `published` times oldest first (for binary search). */
interface ScopeIndex {
  entries: readonly ArticleMeta[];
  ascendingTimes: number[];
  withdrawals: Tombstone[];
  stats: ScopeStats;
}

/** Index of the first time ≥ `time` in an ascending list. */
function lowerBound(times: readonly number[], time: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const madeFor = new WeakMap<Catalog, Listings>();
let made = 0;

/**
 * Listings over a catalog held in memory (a parsed folder, the Worker's
 * bundle): each answer is worked out from the catalog's entries once per
 * scope and kept for the catalog's life. One object per catalog, so caches
 * keyed on the Listings object follow the catalog.
 */
export function memoryListings(catalog: Catalog): Listings {
  const hit = madeFor.get(catalog);
  if (hit) return hit;
  const { entries, tombstones } = catalog;
  const scopeLists = new Map<string, Scope[]>();
  const scopesOfKind = (kind: NamedScopeKind, withWithdrawn: boolean) => {
    const key = `${kind}|${withWithdrawn}`;
    let list = scopeLists.get(key);
    if (!list) scopeLists.set(key, (list = scopesOf(entries, kind, withWithdrawn ? tombstones : [])));
    return list;
  };
  const indexes = new Map<string, ScopeIndex>();
  const indexOf = (scope: Scope): ScopeIndex => {
    let index = indexes.get(scope.path);
    if (!index) {
      const shown = scope.kind === "site" ? entries : entries.filter((e) => inScope(e, scope));
      const left = catalog.left?.get(scopeKey(scope.path));
      index = {
        entries: shown,
        ascendingTimes: shown.map((e) => e.published.getTime()).reverse(),
        withdrawals: scope.kind === "site" ? [...tombstones] : tombstones.filter((t) => tombstoneInScope(t, scope)),
        stats: {
          total: shown.length,
          ...(shown.length ? { oldest: shown.at(-1)!.published.getTime(), newest: shown[0]!.published.getTime() } : {}),
          listingMoved: listingMovedAt(shown, left),
          ...(left ? { left } : {}),
        },
      };
      indexes.set(scope.path, index);
    }
    return index;
  };
  /** [from, to) positions, oldest first, of the articles published in [fromMs, toMs). */
  const span = (scope: Scope, fromMs: number, toMs: number): [number, number] => {
    const times = indexOf(scope).ascendingTimes;
    return [lowerBound(times, fromMs), lowerBound(times, toMs)];
  };
  let withdrawnBySlug: Map<string, Tombstone> | undefined;
  const listings: Listings = {
    version: `memory:${++made}`,
    errors: catalog.errors,
    ...(catalog.nextLift !== undefined ? { nextLift: catalog.nextLift } : {}),
    find: async (slug) => catalog.find(slug),
    load: (shown) => Promise.all(shown.map((e) => catalog.load(e))),
    scope: async (kind, slug) => scopesOfKind(kind, true).find((s) => s.slug === slug),
    scopes: async (kind, withWithdrawn) => scopesOfKind(kind, withWithdrawn),
    stats: async (scope) => indexOf(scope).stats,
    site: async () => {
      const left = [...(catalog.left?.values() ?? [])].reduce((t, d) => Math.max(t, d.getTime()), 0);
      return { newestChange: newestChange(entries), anyListingMoved: listingMovedAt(entries, new Date(left)) };
    },
    newest: async (scope, n, order: FeedOrder) => {
      const shown = indexOf(scope).entries;
      return order === "updated" ? [...shown].sort(compareLatestChangeFirst).slice(0, n) : shown.slice(0, n);
    },
    count: async (scope, fromMs, toMs, atMost = Number.POSITIVE_INFINITY) => {
      const [from, to] = span(scope, fromMs, toMs);
      return Math.min(to - from, atMost);
    },
    range: async (scope, fromMs, toMs, skip, limit) => {
      const { entries: shown } = indexOf(scope);
      const [from, to] = span(scope, fromMs, toMs);
      const start = Math.min(from + skip, to);
      const end = Math.min(start + limit, to);
      // Positions count from the oldest; `shown` is newest first.
      const out: ArticleMeta[] = [];
      for (let i = start; i < end; i++) out.push(shown[shown.length - 1 - i]!);
      return out;
    },
    withdrawals: async (scope, n) => indexOf(scope).withdrawals.slice(0, n),
    withdrawn: async (slug) => {
      if (!withdrawnBySlug) {
        withdrawnBySlug = new Map();
        // Newest withdrawal first: a slug withdrawn twice answers with its latest withdrawal.
        for (const t of tombstones) if (!withdrawnBySlug.has(t.slug) && !catalog.find(t.slug)) withdrawnBySlug.set(t.slug, t);
      }
      return withdrawnBySlug.get(slug);
    },
  };
  madeFor.set(catalog, listings);
  return listings;
}

/** Listings as given, or over the catalog given. */
export function asListings(source: Catalog | Listings): Listings {
  return "version" in source ? source : memoryListings(source);
}
