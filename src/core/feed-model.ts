import { lastChange, type Article, type ArticleMeta } from "./article.js";
import type { Person, SiteConfig } from "./config.js";

export type FeedFormat = "rss" | "atom" | "json";

export const FEED_FILES: Record<FeedFormat, string> = {
  rss: "rss.xml",
  atom: "atom.xml",
  json: "feed.json",
};

/** Everything a renderer needs, already decided: renderers only format. */
export interface FeedModel {
  id: string;
  title: string;
  description: string;
  language: string;
  homeUrl: string;
  selfUrls: Record<FeedFormat, string>;
  /** Newest change among the articles shown: no clock, so the same input gives the same bytes. */
  updated: Date;
  author: Person;
  copyright?: string;
  ttlMinutes: number;
  articles: Article[];
}

/** Newest first by publication date; ties broken by id so the order never depends on load order. */
export function compareNewestFirst(a: ArticleMeta, b: ArticleMeta): number {
  const byDate = b.published.getTime() - a.published.getTime();
  if (byDate !== 0) return byDate;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function newestChange(articles: readonly ArticleMeta[]): Date {
  let newest = 0;
  for (const a of articles) newest = Math.max(newest, lastChange(a).getTime());
  return new Date(newest);
}

/** The site's main feed over `articles` (newest first, already cut to `site.feedSize`). */
export function siteFeed(site: SiteConfig, articles: Article[]): FeedModel {
  const url = (file: string) => new URL(file, site.baseUrl).href;
  return {
    id: site.baseUrl,
    title: site.title,
    description: site.description,
    language: site.language,
    homeUrl: site.baseUrl,
    selfUrls: { rss: url(FEED_FILES.rss), atom: url(FEED_FILES.atom), json: url(FEED_FILES.json) },
    updated: newestChange(articles),
    author: site.author,
    ...(site.copyright ? { copyright: site.copyright } : {}),
    ttlMinutes: site.cacheMinutes,
    articles,
  };
}
