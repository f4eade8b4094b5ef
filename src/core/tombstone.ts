import type { ArticleMeta } from "./article.js";
import { collapseWhitespace, stripForbiddenXmlChars } from "./text.js";

/**
 * A withdrawn article (RFC 6721): readers that saw it learn that it is gone,
 * instead of silently losing it. `when` is the withdrawal instant, supplied
 * by whoever withdrew it (core reads no clock).
 *
 * The article's title and the scopes it was filed under (categories, author
 * names, language) are kept too: a category whose last article is withdrawn
 * keeps its feeds, which announce the withdrawal, and the article's URL
 * answers 410 with a page naming what was withdrawn. Tombstones written
 * before these fields existed have none of them; they still load, and are
 * announced in the site-wide feed only.
 */
export interface Tombstone {
  slug: string;
  id: string;
  when: Date;
  title?: string;
  categories?: string[];
  /** Author names. */
  authors?: string[];
  language?: string;
  /** Why it was killed or withdrawn, as the desk said it (plain text): the Atom feeds' at:comment, the JSON Feed's and the 410 page's. */
  reason?: string;
}

/** Characters in a withdrawal's reason. */
export const MAX_REASON_LENGTH = 500;

/** The tombstone an article leaves when it is withdrawn at `when` (with the reason given, if any: checked by killReason). */
export function tombstoneOf(article: Pick<ArticleMeta, "slug" | "id" | "title" | "categories" | "authors" | "language">, when: Date, reason?: string): Tombstone {
  return {
    slug: article.slug,
    id: article.id,
    when,
    title: article.title,
    categories: [...article.categories],
    authors: article.authors.map((a) => a.name),
    language: article.language,
    ...(reason !== undefined ? { reason } : {}),
  };
}

/** A reason as given (any value from a client) made plain text, or a problem in words. */
export function killReason(value: unknown): { reason: string } | { problem: string } {
  if (typeof value !== "string") return { problem: "must be text" };
  const reason = collapseWhitespace(stripForbiddenXmlChars(value));
  if (reason === "") return { problem: "must not be empty" };
  if (reason.length > MAX_REASON_LENGTH) return { problem: `is ${reason.length} characters; at most ${MAX_REASON_LENGTH}` };
  return { reason };
}

/** One tombstone per id, the latest withdrawal (a hand-edited file may repeat an id): the same whatever the order given. */
export function latestPerId(tombstones: readonly Tombstone[]): Tombstone[] {
  const latest = new Map<string, Tombstone>();
  for (const t of tombstones) {
    const seen = latest.get(t.id);
    if (!seen || t.when.getTime() > seen.when.getTime()) latest.set(t.id, t);
  }
  return [...latest.values()];
}

/** Newest withdrawal first; ties by id, so output never depends on load order. */
export function compareTombstones(a: Tombstone, b: Tombstone): number {
  return b.when.getTime() - a.when.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** Tombstones as stored (JSON with ISO dates), validated. Bad entries are dropped, not fatal; a bad optional field is dropped alone. */
export function parseTombstones(json: unknown): Tombstone[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((t) => {
    if (typeof t !== "object" || t === null) return [];
    const { slug, id, when, title, categories, authors, language, reason } = t as Record<string, unknown>;
    const date = typeof when === "string" ? new Date(when) : undefined;
    if (!(typeof slug === "string" && typeof id === "string" && date && !Number.isNaN(date.getTime()))) return [];
    return [
      {
        slug,
        id,
        when: date,
        ...(typeof title === "string" ? { title } : {}),
        ...(isStringList(categories) ? { categories } : {}),
        ...(isStringList(authors) ? { authors } : {}),
        ...(typeof language === "string" ? { language } : {}),
        ...(typeof reason === "string" ? { reason } : {}),
      },
    ];
  });
}

/** Stored form: fields in a fixed order, so the same tombstones always give the same bytes. */
export function serialiseTombstones(tombstones: readonly Tombstone[]): string {
  const stored = [...tombstones].sort(compareTombstones).map((t) => ({
    slug: t.slug,
    id: t.id,
    when: t.when.toISOString(),
    ...(t.title !== undefined ? { title: t.title } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
    ...(t.authors ? { authors: t.authors } : {}),
    ...(t.language !== undefined ? { language: t.language } : {}),
    ...(t.reason !== undefined ? { reason: t.reason } : {}),
  }));
  return `${JSON.stringify(stored, null, 2)}\n`;
}
