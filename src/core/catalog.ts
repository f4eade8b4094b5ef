import type { Article, ArticleMeta } from "./article.js";
import type { SiteConfig } from "./config.js";
import { RecordError } from "./errors.js";
import { sortNewestFirst } from "./feed-model.js";
import { splitHeldBack } from "./embargo.js";
import { defaultId, parseRecord } from "./record.js";
import { compareTombstones, latestPerId, type Tombstone } from "./tombstone.js";

/** One record as a store hands it over. */
export interface RawRecord {
  /** How the record is named in messages, e.g. "items/foo.md". */
  file: string;
  bytes: Uint8Array;
}

/**
 * The published articles as the HTTP layer sees them: compact entries for
 * sorting and listing, and the full article loaded only when a response
 * shows it. In-memory catalogs hold full articles; indexed stores (SQL) hold
 * entries and load text on demand.
 */
export interface Catalog {
  /** Newest first (see compareNewestFirst). */
  readonly entries: readonly ArticleMeta[];
  /** Records that could not be used, each naming its file and field. */
  readonly errors: readonly RecordError[];
  find(slug: string): ArticleMeta | undefined;
  load(entry: ArticleMeta): Promise<Article>;
  /** Withdrawn articles, newest withdrawal first. */
  readonly tombstones: readonly Tombstone[];
  /** Scope key (change-stamps.ts) → when a record last left that scope; absent where the store keeps no stamps. */
  readonly left?: ReadonlyMap<string, Date>;
  /** When the next article held back (embargo.ts) may be shown, ms; absent when none is. The catalog is stale from then on. */
  readonly nextLift?: number;
}

/**
 * A catalog over listing entries whose text is loaded on demand (a large
 * store keeps only entries in memory). `load` must resolve the article the
 * entry describes.
 */
export function lazyCatalog(
  entries: ArticleMeta[],
  load: (entry: ArticleMeta) => Promise<Article>,
  errors: RecordError[] = [],
  tombstones: readonly Tombstone[] = [],
  nextLift?: number,
): Catalog {
  const sorted = sortNewestFirst(entries);
  const bySlug = new Map(sorted.map((a) => [a.slug, a]));
  // An article published again under a withdrawn id is no longer withdrawn.
  const live = new Set(sorted.map((a) => a.id));
  return {
    entries: sorted,
    errors,
    tombstones: latestPerId(tombstones).filter((t) => !live.has(t.id)).sort(compareTombstones),
    ...(nextLift !== undefined ? { nextLift } : {}),
    find: (slug) => bySlug.get(slug),
    load: async (entry) => {
      if (bySlug.get(entry.slug) !== entry) throw new Error(`no article ${entry.slug} in this catalog`);
      return load(entry);
    },
  };
}

/** A catalog over articles already in memory: each entry is its own article. */
export function memoryCatalog(articles: Article[], errors: RecordError[] = [], tombstones: readonly Tombstone[] = []): Catalog {
  return lazyCatalog(articles, async (entry) => entry as Article, errors, tombstones);
}

/** A record refused because another record holds its id. Shared with indexed stores. */
export function duplicateIdError(file: string, id: string, holder: string): RecordError {
  return new RecordError(file, "id", `"${id}" is already used by ${holder}`);
}

/**
 * Which of several records with one id holds it, decided from the records
 * alone (no hidden state, so every store and runtime decides alike):
 * 1. the record whose id is the one derived from its own slug and date (the
 *    article the id was made for, not a copy carrying it);
 * 2. else the earliest `published`;
 * 3. else the first file name in code-point order.
 */
export function idPrecedence(site: SiteConfig) {
  const owns = (a: ArticleMeta) => (a.id === defaultId(site, a.slug, a.published) ? 0 : 1);
  return (a: ArticleMeta, b: ArticleMeta) =>
    owns(a) - owns(b) || a.published.getTime() - b.published.getTime() || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}

/**
 * Keeps one article per id and reports each other one as an error naming
 * the holder. `holders` (id → file) are the records that hold their id in
 * the catalog being replaced: a holder keeps its id while it carries it, so
 * a newcomer can never knock a live article out. Without one (start-up,
 * builds) the rule of idPrecedence decides. The kept articles keep the order given.
 */
export function oneOfEachId<T extends ArticleMeta>(
  articles: Iterable<T>,
  errors: RecordError[],
  site: SiteConfig,
  holders: ReadonlyMap<string, string> = new Map(),
): T[] {
  const all = [...articles];
  // The first article of each id, and the whole group only for ids that have more than one (a large store has few).
  const first = new Map<string, T>();
  const shared = new Map<string, T[]>();
  for (const a of all) {
    const seen = first.get(a.id);
    if (seen === undefined) first.set(a.id, a);
    else {
      const group = shared.get(a.id);
      if (group) group.push(a);
      else shared.set(a.id, [seen, a]);
    }
  }
  if (shared.size === 0) return all;
  const precedence = idPrecedence(site);
  const winner = new Map<string, T>();
  for (const [id, group] of shared) {
    const held = holders.get(id);
    winner.set(id, group.find((a) => a.file === held) ?? group.reduce((best, a) => (precedence(a, best) < 0 ? a : best)));
  }
  return all.filter((a) => {
    const kept = winner.get(a.id);
    if (kept === undefined || kept === a) return true;
    errors.push(duplicateIdError(a.file, a.id, kept.file));
    return false;
  });
}

/** Parses every record: a broken one is reported and left out; the rest are kept. Pure. */
export function parseRecords(records: readonly RawRecord[], site: SiteConfig): { articles: Article[]; errors: RecordError[] } {
  const articles: Article[] = [];
  const errors: RecordError[] = [];
  for (const record of records) {
    const result = parseRecord(record.file, record.bytes, site);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    if ("article" in result) articles.push(result.article); // else a draft
  }
  return { articles: oneOfEachId(articles, errors, site), errors };
}

/**
 * A catalog of the records, with the tombstones of withdrawn articles (see
 * tombstone.ts). With `nowMs`, articles held back at that instant (an
 * embargo, a future `published`: embargo.ts) are left out and the catalog
 * says when the next one may be shown (`nextLift`); without it, none is held back.
 */
export function buildCatalog(records: readonly RawRecord[], site: SiteConfig, tombstones: readonly Tombstone[] = [], nowMs?: number): Catalog {
  const { articles, errors } = parseRecords(records, site);
  if (nowMs === undefined) return memoryCatalog(articles, errors, tombstones);
  // Held back after the id check: an embargoed article keeps its id against a newcomer, as it will once shown.
  // As if absent until then: a withdrawal of its id stays announced (lazyCatalog drops only those of shown ids).
  const { shown, nextLift } = splitHeldBack(articles, nowMs);
  return lazyCatalog(shown, async (entry) => entry as Article, errors, tombstones, nextLift);
}
