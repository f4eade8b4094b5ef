import { lastChange, type Article, type ArticleMeta } from "./article.js";
import { stringsFor } from "./render/page-strings.js";
import type { Person, SiteConfig } from "./config.js";
import { SITE_SCOPE, type Scope } from "./scopes.js";
import type { Tombstone } from "./tombstone.js";

export type FeedFormat = "rss" | "atom" | "json";

export const FEED_FORMATS: readonly FeedFormat[] = ["rss", "atom", "json"];

export const FEED_FILES: Record<FeedFormat, string> = {
  rss: "rss.xml",
  atom: "atom.xml",
  json: "feed.json",
};

export type FormatUrls = Record<FeedFormat, string>;

/** RFC 5005 feed paging and archiving, as links per format. */
export interface FeedHistory {
  /** The subscription feed holds every article: fh:complete. */
  complete?: boolean;
  /** This document is a closed archive page: fh:archive. */
  archive?: boolean;
  prevArchive?: FormatUrls;
  current?: FormatUrls;
}

/** Everything a renderer needs, already decided: renderers only format. */
export interface FeedModel {
  id: string;
  title: string;
  description: string;
  language: string;
  /** The HTML page the feed stands for. */
  homeUrl: string;
  selfUrls: FormatUrls;
  /** Newest change among the articles shown: no clock, so the same input gives the same bytes. */
  updated: Date;
  author: Person;
  copyright?: string;
  ttlMinutes: number;
  /**
   * The `<?xml-stylesheet?>` RSS and Atom have always carried (relative to the
   * feed's URL). Nothing applies it any more (browsers are sent to the feed's
   * HTML view, see src/http/feed-navigation.ts, and /feed.xsl is gone): it is
   * kept so that the bytes, and ETags, readers get stay exactly what they were.
   */
  stylesheetUrl?: string;
  history: FeedHistory;
  /** WebSub hub that readers may subscribe through. */
  hub?: string;
  /** Withdrawn articles to announce (RFC 6721; Atom only). */
  deleted: Tombstone[];
  articles: Article[];
}

/** Newest first by publication date; ties broken by id so the order never depends on load order. */
export function compareNewestFirst(a: ArticleMeta, b: ArticleMeta): number {
  const byDate = b.published.getTime() - a.published.getTime();
  if (byDate !== 0) return byDate;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * `entries` in compareNewestFirst's order (the same permutation: a stable
 * sort by the same comparison), each date read once into an array instead
 * of from two Date objects at every comparison (a 100k catalog compares
 * ~1.7M times, at every start and every change).
 */
export function sortNewestFirst<T extends ArticleMeta>(entries: readonly T[]): T[] {
  const times = new Float64Array(entries.length);
  for (let i = 0; i < entries.length; i++) times[i] = entries[i]!.published.getTime();
  const order = Array.from({ length: entries.length }, (_, i) => i);
  order.sort((x, y) => {
    const byDate = times[y]! - times[x]!;
    if (byDate !== 0) return byDate;
    const a = entries[x]!.id;
    const b = entries[y]!.id;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return order.map((i) => entries[i]!);
}

/** Newest change first (corrections move up); ties by publication order. */
export function compareLatestChangeFirst(a: ArticleMeta, b: ArticleMeta): number {
  const byChange = lastChange(b).getTime() - lastChange(a).getTime();
  return byChange !== 0 ? byChange : compareNewestFirst(a, b);
}

export function newestChange(articles: readonly ArticleMeta[]): Date {
  let newest = 0;
  for (const a of articles) newest = Math.max(newest, lastChange(a).getTime());
  return new Date(newest);
}

/** Absolute URLs of the three formats under a path ("", "categories/x/", "archive/3/"…). */
export function formatUrls(site: SiteConfig, path: string): FormatUrls {
  const url = (file: string) => new URL(path + file, site.baseUrl).href;
  return { rss: url(FEED_FILES.rss), atom: url(FEED_FILES.atom), json: url(FEED_FILES.json) };
}

/** A scope's title and description, in the site's language (page-strings.ts). */
export function scopeTitle(site: SiteConfig, scope: Scope): string {
  return scope.kind === "site" ? site.title : stringsFor(site.language).scopeTitle(scope.kind, site.title, scope.label);
}

function scopeDescription(site: SiteConfig, scope: Scope): string {
  return scope.kind === "site" ? site.description : stringsFor(site.language).scopeDescription(scope.kind, site.title, scope.label);
}

export interface FeedModelOptions {
  /** Path of this document under the scope ("" for the subscription feed, "archive/3/" for a page). */
  documentPath?: string;
  history?: FeedHistory;
  deleted?: Tombstone[];
}

/**
 * The stable id of a feed document (Atom's feed <id>): a `tag:` URI like the
 * entries', so it survives a change of host or scheme. `path` is the
 * document's path under the site ("", "categories/security/", "…archive/2022/").
 */
export function feedTagId(site: SiteConfig, path: string): string {
  // Percent-encoded as in the URL, so a non-ASCII category gives a valid URI.
  const encoded = new URL(path, "http://feed.invalid/").pathname;
  return `tag:${site.idDomain},${site.idDate}:feed${encoded}`;
}

/** A feed of `articles` (newest first, already selected) for a scope. */
export function feedModel(site: SiteConfig, scope: Scope, articles: Article[], options: FeedModelOptions = {}): FeedModel {
  const homeUrl = new URL(scope.path, site.baseUrl).href;
  return {
    id: feedTagId(site, scope.path + (options.documentPath ?? "")),
    title: scopeTitle(site, scope),
    description: scopeDescription(site, scope),
    language: scope.kind === "language" ? scope.label : site.language,
    homeUrl,
    selfUrls: formatUrls(site, scope.path + (options.documentPath ?? "")),
    // A withdrawal is a change too: the feed says when it last changed, articles or tombstones.
    updated: new Date(Math.max(newestChange(articles).getTime(), ...(options.deleted ?? []).map((t) => t.when.getTime()))),
    author: site.author,
    ...(site.copyright ? { copyright: site.copyright } : {}),
    ttlMinutes: site.cacheMinutes,
    // Kept byte for byte (see FeedModel.stylesheetUrl).
    stylesheetUrl: `${"../".repeat((scope.path + (options.documentPath ?? "")).split("/").length - 1)}feed.xsl`,
    history: options.history ?? {},
    ...(site.websubHub ? { hub: site.websubHub } : {}),
    deleted: options.deleted ?? [],
    articles,
  };
}

/** The site's main feed over `articles` (newest first, already cut to size). */
export function siteFeed(site: SiteConfig, articles: Article[]): FeedModel {
  return feedModel(site, SITE_SCOPE, articles);
}
