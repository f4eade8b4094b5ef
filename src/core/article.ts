import type { Person } from "./config.js";

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
}

/** A validated article record: the only shape the rest of the app sees. */
export interface Article {
  slug: string;
  /** Where it came from, for error messages (e.g. "items/kishida-nato.md"). */
  file: string;
  id: string;
  title: string;
  published: Date;
  updated?: Date;
  /** Plain text, when the record gives one; otherwise derived from the body. */
  summary?: string;
  /** Markdown source; rendered lazily so loading a large store stays cheap. */
  body: string;
  authors: Person[];
  categories: string[];
  dateline?: string;
  source?: string;
  /** Desk initials from the wire trailer, e.g. "mk.ibi". */
  desk?: string;
  language: string;
  image?: ArticleImage;
  enclosures: Enclosure[];
  /** Absolute URL of the article page. */
  url: string;
}

/** The instant an article last changed: `updated` when corrected, else `published`. */
export function lastChange(article: Article): Date {
  return article.updated ?? article.published;
}
