import type { ArticleMeta } from "../core/article.js";
import type { FeedFormat, FeedModel } from "../core/feed-model.js";
import type { Rendered } from "./representation.js";

export const MEDIA_TYPES = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  opml: "text/x-opml; charset=utf-8",
} as const;

/** What the app needs to answer a path with 200. */
export interface Resource {
  /** Cache key: the canonical path (and limit), never anything the client can vary freely. */
  key: string;
  /**
   * What the body depends on, as a string: the same key with the same deps
   * renders the same bytes, so a representation survives a new catalog that
   * did not touch what it shows. Undefined: depends on the whole catalog.
   */
  deps?: () => string;
  render: () => Promise<Rendered>;
  /** Overrides the site's default Cache-Control. */
  cacheControl?: string;
  /** Readable from other origins (feeds, OPML, the stylesheet). */
  cors: boolean;
  /** A feed: what its HTML view (feed-view-resource.ts) shows, and where that view lives. */
  feed?: FeedContent;
  /** HTTP Link header: a page's feeds, or a feed's WebSub hub and self URL. */
  link?: string;
  /** How many catalog entries this resolution keeps referenced (its weight in the app's resolution cache). */
  holds?: number;
  /** Depends on the clock as well as the content (the News sitemap): resolved afresh for every request. */
  volatile?: boolean;
  /**
   * The answer to a query the client chose (a feed's `?limit` other than
   * the feed's own size): the app caches it in a small budget of its own,
   * so a client enumerating queries neither grows the server's memory
   * beyond that nor pushes the everyday answers out of the cache.
   */
  queried?: boolean;
}

/** A feed's content before it is rendered: one model for the feed's bytes and for its HTML view. */
export interface FeedContent {
  format: FeedFormat;
  /** The HTML view's path (site-relative, no leading slash): where a browser opening the feed is sent. */
  viewPath: string;
  load: () => Promise<{ model: FeedModel; lastModified: Date }>;
}

export class BadRequest extends Error {}

/** The later of two instants. */
export function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** Deps over a list of entries; undefined (whole-catalog) when an entry has no digest. */
export function depsOf(prefix: string, shown: readonly ArticleMeta[]): (() => string) | undefined {
  // An entry's content identity is the store's digest of its record; without one, reuse is not safe.
  if (shown.some((e) => e.rev === undefined)) return undefined;
  return () => `${prefix}|${shown.map((e) => e.rev).join(",")}`;
}

/** A path the site knows under another spelling (no trailing slash, upper case…): answered 301 to `path`, relative to the base URL. */
export class Redirect {
  constructor(readonly path: string) {}
}
