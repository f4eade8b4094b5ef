/**
 * A parse result as the parse index (parse-index.ts) stores it: the listing
 * entry (what the catalog keeps in memory: ArticleMeta) as a small JSON of
 * its own, the article's other small fields as JSON, and its long texts
 * (Markdown, rendered HTML) as columns of their own. A restart decodes only
 * the entries (~300 B each); an article's text is read when a response shows
 * it. Decoding gives back an article equal to the parsed one, keys in the
 * same order (the served bytes cannot depend on how it was obtained).
 */
import type { Article, ArticleMeta } from "../core/article.js";

/** What the index keeps of a record that parsed: an article, or a draft (never served). */
export type ParsedRecord = { article: Article } | { draft: true; slug: string };

export interface EncodedRecord {
  /** JSON: the article's listing entry (entryOf), dates as ms; null for a draft. */
  entry: string | null;
  /** JSON: the article with its long texts left out (placeholders keep the keys' places), or a draft's slug. */
  meta: string;
  body: string | null;
  html: string | null;
  firstParagraph: string | null;
  firstText: string | null;
}

/**
 * The listing entry of an article: the ArticleMeta fields the parser gives,
 * always built here, in this order, so an entry decoded from the index and
 * one made from a fresh parse are the same object shape.
 */
export function entryOf(a: ArticleMeta, rev?: string): ArticleMeta {
  return {
    slug: a.slug,
    file: a.file,
    id: a.id,
    title: a.title,
    published: a.published,
    ...(a.updated ? { updated: a.updated } : {}),
    ...(a.embargo ? { embargo: a.embargo } : {}),
    categories: a.categories,
    authors: a.authors,
    language: a.language,
    url: a.url,
    ...(rev !== undefined ? { rev } : {}),
  };
}

export function encodeRecord(record: ParsedRecord): EncodedRecord {
  if ("draft" in record) return { entry: null, meta: JSON.stringify({ draft: record.slug }), body: null, html: null, firstParagraph: null, firstText: null };
  const a = record.article;
  const e = entryOf(a);
  const dates = { published: a.published.getTime(), ...(a.updated ? { updated: a.updated.getTime() } : {}), ...(a.embargo ? { embargo: a.embargo.getTime() } : {}) };
  const entry = JSON.stringify({ ...e, ...dates });
  const meta = { ...a, ...dates, body: 0, rendered: 0 };
  return { entry, meta: JSON.stringify(meta), body: a.body, html: a.rendered.html, firstParagraph: a.rendered.firstParagraph, firstText: a.rendered.firstText };
}

/** An entry column back (entryOf's shape, with `rev`), a draft's slug, or undefined when it is not one this code wrote. */
export function decodeEntry(entry: string | null, meta: string, rev: string): ArticleMeta | { draft: string } | undefined {
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(entry ?? meta) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof m !== "object" || m === null) return undefined;
  if (entry === null) return typeof m.draft === "string" ? { draft: m.draft } : undefined;
  if (typeof m.slug !== "string" || typeof m.published !== "number" || !Array.isArray(m.categories) || !Array.isArray(m.authors)) return undefined;
  // The parsed object is the entry: its keys are in entryOf's order already (it wrote them), the dates made Dates in place.
  m.published = new Date(m.published);
  if (typeof m.updated === "number") m.updated = new Date(m.updated);
  if (typeof m.embargo === "number") m.embargo = new Date(m.embargo);
  m.rev = rev;
  return m as unknown as ArticleMeta;
}

/** The record back, or undefined when the row is not one this code wrote (then it is parsed again). */
export function decodeRecord(row: Omit<EncodedRecord, "entry">): ParsedRecord | undefined {
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(row.meta) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof meta !== "object" || meta === null) return undefined;
  if (typeof meta.draft === "string") return { draft: true, slug: meta.draft };
  if (typeof meta.slug !== "string" || typeof meta.published !== "number" || row.body === null || row.html === null || row.firstParagraph === null || row.firstText === null) {
    return undefined;
  }
  meta.published = new Date(meta.published);
  if (typeof meta.updated === "number") meta.updated = new Date(meta.updated);
  if (typeof meta.embargo === "number") meta.embargo = new Date(meta.embargo);
  // Assigned in place: the keys keep the order the parser gave them.
  meta.body = row.body;
  meta.rendered = { html: row.html, firstParagraph: row.firstParagraph, firstText: row.firstText };
  return { article: meta as unknown as Article };
}
