/** What `wirefeed import` and the publish API are about to write, whatever the document's format. */
export interface RecordPlan {
  /** The headline the slug is made from. */
  title: string;
  /** The agency's slugline: the publish API's POST makes the slug from it before the headline. */
  slugline?: string;
  /** Slug source when the headline gives none (another script): e.g. "KUWAIT CITY 2022-06-29". */
  fallbackSlug: string;
  /** YYYY-MM-DD, for the last-resort slug "story-<date>". */
  date: string;
  /** Front-matter fields, in the order they are written. */
  fields: Record<string, unknown>;
  /** The Markdown body, for the article at this URL (relative links are resolved against it). */
  body: (articleUrl: string) => string;
  /** Lines for stderr, already phrased. */
  notes: string[];
}
