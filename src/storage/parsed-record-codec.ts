/**
 * A parse result as the parse index (parse-index.ts) stores it: the article's
 * small fields as JSON, its long texts (Markdown, rendered HTML) as columns of
 * their own, so a restart decodes ~1 KB of JSON per article rather than ~5 KB.
 * Decoding gives back an article equal to the parsed one, keys in the same
 * order (the served bytes cannot depend on how it was obtained).
 */
import type { Article } from "../core/article.js";

/** What the index keeps of a record that parsed: an article, or a draft (never served). */
export type ParsedRecord = { article: Article } | { draft: true; slug: string };

export interface EncodedRecord {
  /** JSON: the article with its long texts left out (placeholders keep the keys' places), or a draft's slug. */
  meta: string;
  body: string | null;
  html: string | null;
  firstParagraph: string | null;
  firstText: string | null;
}

export function encodeRecord(record: ParsedRecord): EncodedRecord {
  if ("draft" in record) return { meta: JSON.stringify({ draft: record.slug }), body: null, html: null, firstParagraph: null, firstText: null };
  const a = record.article;
  const meta = { ...a, published: a.published.getTime(), ...(a.updated ? { updated: a.updated.getTime() } : {}), body: 0, rendered: 0 };
  return { meta: JSON.stringify(meta), body: a.body, html: a.rendered.html, firstParagraph: a.rendered.firstParagraph, firstText: a.rendered.firstText };
}

/** The record back, or undefined when the row is not one this code wrote (then it is parsed again). */
export function decodeRecord(row: EncodedRecord): ParsedRecord | undefined {
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
  // Assigned in place: the keys keep the order the parser gave them.
  meta.body = row.body;
  meta.rendered = { html: row.html, firstParagraph: row.firstParagraph, firstText: row.firstText };
  return { article: meta as unknown as Article };
}
