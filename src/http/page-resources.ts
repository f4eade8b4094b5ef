import type { ArticleMeta } from "../core/article.js";
import { lastModifiedOf } from "../core/change-stamps.js";
import type { SiteConfig } from "../core/config.js";
import { feedLinksOf } from "../core/feed-directory.js";
import { scopeTitle } from "../core/feed-model.js";
import type { FeedOrder, Listings, NamedScopeKind } from "../core/listings.js";
import { renderListPage, renderScopeIndexPage, type Pager } from "../core/render/html.js";
import { SITE_SCOPE, type Scope } from "../core/scopes.js";
import { alternatesLink } from "./link-header.js";
import { depsOf, MEDIA_TYPES, type Resource } from "./resource.js";

/** Every instant a Date can hold (ms): a range over a whole scope. */
export const ALL_TIME: [number, number] = [-8.64e15, 8.64e15];

export const feedOrder = (site: SiteConfig): FeedOrder => (site.orderBy === "updated" ? "updated" : "published");

/** The path of page `n` of a scope's list (page 1 is the scope's own page). */
export function pagePath(scope: Scope, n: number): string {
  return n <= 1 ? scope.path : `${scope.path}page/${n}/`;
}

/**
 * Page `n` (1-based) of a scope's articles, newest first, `size` a page.
 * In publication order a page is one indexed range (counted from the
 * oldest, so it costs the same at any depth); in order of change, the
 * newest `n × size` are asked for and the page cut from them.
 */
async function pageEntries(listings: Listings, scope: Scope, order: FeedOrder, total: number, n: number, size: number): Promise<ArticleMeta[]> {
  if (n === 1 || order === "updated") return (await listings.newest(scope, n * size, order)).slice((n - 1) * size);
  const end = total - (n - 1) * size;
  const start = Math.max(0, end - size);
  return (await listings.range(scope, ...ALL_TIME, start, end - start)).reverse();
}

/** A scope's page `n`: the newest articles on page 1, older ones after; undefined past the last page. */
export async function listResource(site: SiteConfig, listings: Listings, scope: Scope, n = 1): Promise<Resource | undefined> {
  const stats = await listings.stats(scope);
  const size = site.feedSize;
  const pages = Math.max(1, Math.ceil(stats.total / size));
  if (n > pages) return undefined;
  const shownEntries = await pageEntries(listings, scope, feedOrder(site), stats.total, n, size);
  const heading = scopeTitle(site, scope);
  const description = scope.kind === "site" ? site.description : `${stats.total} article${stats.total === 1 ? "" : "s"}.`;
  const lastModified = lastModifiedOf(shownEntries, [stats.listingMoved]);
  const deps = depsOf(`total=${stats.total}|lm=${lastModified.getTime()}`, shownEntries);
  const url = (page: number) => new URL(pagePath(scope, page), site.baseUrl).href;
  const pager: Pager = { page: n, pages, ...(n > 1 ? { newer: url(n - 1) } : {}), ...(n < pages ? { older: url(n + 1) } : {}) };
  return {
    key: pagePath(scope, n),
    ...(deps ? { deps } : {}),
    holds: shownEntries.length,
    cors: false,
    link: alternatesLink(feedLinksOf(site, scope), scope.kind !== "site"),
    render: async () => {
      const shown = await listings.load(shownEntries);
      return { contentType: MEDIA_TYPES.html, body: renderListPage(site, scope, heading, description, shown, pager), lastModified };
    },
  };
}

export const INDEX_PATHS: Record<NamedScopeKind, string> = { category: "categories/", author: "authors/", language: "languages/" };

/** The index page of every scope of a kind that has articles, with each one's count. */
export function scopeIndexResource(site: SiteConfig, listings: Listings, kind: NamedScopeKind): Resource {
  const path = INDEX_PATHS[kind];
  return {
    key: path,
    cors: false,
    link: alternatesLink(feedLinksOf(site, SITE_SCOPE)),
    render: async () => {
      const scopes = await listings.scopes(kind, false);
      const counted = await Promise.all(scopes.map(async (scope) => ({ scope, stats: await listings.stats(scope) })));
      // A count moves when an article joins or leaves a scope: when its listing last moved, or its newest article.
      const lastModified = lastModifiedOf([], counted.flatMap((c) => [c.stats.listingMoved, c.stats.newest === undefined ? undefined : new Date(c.stats.newest)]));
      const body = renderScopeIndexPage(site, kind, counted.map((c) => ({ scope: c.scope, total: c.stats.total })), path);
      return { contentType: MEDIA_TYPES.html, body, lastModified };
    },
  };
}
