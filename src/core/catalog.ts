import type { Article, ArticleMeta } from "./article.js";
import type { SiteConfig } from "./config.js";
import { RecordError } from "./errors.js";
import { compareNewestFirst } from "./feed-model.js";
import { parseRecord } from "./record.js";
import { compareTombstones, type Tombstone } from "./tombstone.js";

/** One record as a store hands it over. */
export interface RawRecord {
  /** How the record is named in messages, e.g. "items/foo.md". */
  file: string;
  bytes: Uint8Array;
}

/**
 * The published articles as the HTTP layer sees them: compact entries for
 * sorting and listing, and the full article loaded only when a response
 * shows it. In-memory catalogs hold full articles; indexed stores (KV) hold
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
): Catalog {
  const sorted = [...entries].sort(compareNewestFirst);
  const bySlug = new Map(sorted.map((a) => [a.slug, a]));
  // An article published again under a withdrawn id is no longer withdrawn.
  const live = new Set(sorted.map((a) => a.id));
  return {
    entries: sorted,
    errors,
    tombstones: tombstones.filter((t) => !live.has(t.id)).sort(compareTombstones),
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

/** A record whose id an earlier record (in name order) already has: it is left out. Shared with indexed stores. */
export function duplicateIdError(file: string, id: string, other: string): RecordError {
  return new RecordError(file, "id", `"${id}" is already used by ${other}`);
}

/** Keeps the first article of each id, in the order given, and reports each later one as an error. */
export function firstOfEachId<T extends ArticleMeta>(articles: Iterable<T>, errors: RecordError[]): T[] {
  const seen = new Map<string, string>();
  const kept: T[] = [];
  for (const article of articles) {
    const other = seen.get(article.id);
    if (other) {
      errors.push(duplicateIdError(article.file, article.id, other));
      continue;
    }
    seen.set(article.id, article.file);
    kept.push(article);
  }
  return kept;
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
  return { articles: firstOfEachId(articles, errors), errors };
}

export function buildCatalog(records: readonly RawRecord[], site: SiteConfig): Catalog {
  const { articles, errors } = parseRecords(records, site);
  return memoryCatalog(articles, errors);
}
