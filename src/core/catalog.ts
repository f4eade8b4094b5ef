import type { Article } from "./article.js";
import type { SiteConfig } from "./config.js";
import { RecordError } from "./errors.js";
import { compareNewestFirst } from "./feed-model.js";
import { parseRecord } from "./record.js";

/** One record as a store hands it over. */
export interface RawRecord {
  /** How the record is named in messages, e.g. "items/foo.md". */
  file: string;
  bytes: Uint8Array;
}

/** Every published article, newest first, and every record that could not be used. */
export interface Catalog {
  articles: readonly Article[];
  bySlug: ReadonlyMap<string, Article>;
  errors: readonly RecordError[];
}

/** Pure: records in, catalog out. A broken record is reported and left out; the rest are kept. */
export function buildCatalog(records: readonly RawRecord[], site: SiteConfig): Catalog {
  const articles: Article[] = [];
  const errors: RecordError[] = [];
  const seenIds = new Map<string, string>();
  for (const record of records) {
    const result = parseRecord(record.file, record.bytes, site);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    if (!("article" in result)) continue; // a draft
    const { article } = result;
    const other = seenIds.get(article.id);
    if (other) {
      errors.push(new RecordError(record.file, "id", `"${article.id}" is already used by ${other}`));
      continue;
    }
    seenIds.set(article.id, record.file);
    articles.push(article);
  }
  articles.sort(compareNewestFirst);
  return { articles, bySlug: new Map(articles.map((a) => [a.slug, a])), errors };
}
