import type { ArticleMeta } from "./article.js";
import type { SiteConfig } from "./config.js";
import { formatUrls, type FeedHistory } from "./feed-model.js";
import type { Scope } from "./scopes.js";

/**
 * RFC 5005 archives. Pages are counted from the oldest article: page 1 holds
 * the oldest `archivePageSize` articles, page 2 the next, and so on. A page
 * is closed (published as an archive) only once full, so a new article (the
 * newest) never changes a closed page. An article published with a date
 * older than already-archived ones does shift later pages: documented.
 */

export function closedPageCount(total: number, pageSize: number): number {
  return Math.floor(total / pageSize);
}

export function archivePath(page: number): string {
  return `archive/${page}/`;
}

/** Entries of closed page `page` (1-based), newest first. `entries` are newest first. */
export function archiveEntries<T extends ArticleMeta>(entries: readonly T[], pageSize: number, page: number): T[] {
  const total = entries.length;
  return entries.slice(total - page * pageSize, total - (page - 1) * pageSize);
}

/** History links of the subscription feed that shows `shown` of `total` articles. */
export function subscriptionHistory(site: SiteConfig, scope: Scope, total: number, shown: number): FeedHistory {
  if (shown >= total) return { complete: true };
  const closed = closedPageCount(total, site.archivePageSize);
  return closed > 0 ? { prevArchive: formatUrls(site, scope.path + archivePath(closed)) } : {};
}

/**
 * History links of closed archive page `page`. No next-archive link (RFC
 * 5005 makes it optional): the newest closed page would have to gain one
 * when the next page closes, and closed pages must never change.
 */
export function archiveHistory(site: SiteConfig, scope: Scope, page: number): FeedHistory {
  return {
    archive: true,
    current: formatUrls(site, scope.path),
    ...(page > 1 ? { prevArchive: formatUrls(site, scope.path + archivePath(page - 1)) } : {}),
  };
}
