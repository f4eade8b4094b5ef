import type { Person } from "./config.js";
import type { RenderedBody } from "./markdown.js";

export interface Enclosure {
  url: string;
  type: string;
  length: number;
}

export interface ArticleImage {
  url: string;
  type: string;
  length?: number;
  alt?: string;
  /** Pixel size, when the record gives both sides: pages reserve the image's box. */
  width?: number;
  height?: number;
}

/**
 * What every listing needs to know of an article without its text: enough to
 * sort, filter and link. Stores that index their records (SQL) keep this.
 */
export interface ArticleMeta {
  slug: string;
  /** Where it came from, for error messages (e.g. "items/kishida-nato.md"). */
  file: string;
  id: string;
  title: string;
  published: Date;
  updated?: Date;
  /** Not to be shown before this instant (the record's `embargo`); see embargo.ts. */
  embargo?: Date;
  categories: string[];
  authors: Person[];
  language: string;
  /** Absolute URL of the article page. */
  url: string;
  /** Digest of the record's bytes, where the store knows it: tells an unchanged article from a changed one. */
  rev?: string;
  /** When its content last changed, as its store saw it (see change-stamps.ts); unknown: its own dates stand in. */
  changed?: Date;
  /** When it last joined a scope or moved in the listings (see change-stamps.ts). */
  listed?: Date;
}

/** A validated article record: the only shape the renderers see. */
export interface Article extends ArticleMeta {
  /** Plain text, when the record gives one; otherwise derived from the body. */
  summary?: string;
  /** Markdown source. */
  body: string;
  /** The body rendered within RENDER_LIMITS when the record was parsed: a record whose body cannot be is refused. */
  rendered: RenderedBody;
  dateline?: string;
  source?: string;
  /**
   * A correction note ("An earlier version misstated the output figure."):
   * the record says what was corrected, and `updated` when. The story keeps
   * its id and its `published`, so readers show it as changed, not as new.
   */
  correction?: string;
  /** Desk initials from the wire trailer, e.g. "mk.ibi". */
  desk?: string;
  image?: ArticleImage;
  enclosures: Enclosure[];
  /** Dates the record gave as a bare day (2022-06-29): pages show them without a time of day. */
  dateOnly?: { published?: true; updated?: true };
}

/** The instant an article last changed: `updated` when corrected, else `published`. */
export function lastChange(article: ArticleMeta): Date {
  return article.updated ?? article.published;
}
