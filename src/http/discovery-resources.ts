import { lastChange, type ArticleMeta } from "../core/article.js";
import { lastModifiedOf } from "../core/change-stamps.js";
import type { SiteConfig } from "../core/config.js";
import type { Listings } from "../core/listings.js";
import {
  NEWS_SITEMAP_MAX_URLS,
  NEWS_WINDOW_MS,
  renderNewsSitemap,
  renderRobots,
  renderSitemapIndex,
  renderUrlset,
  SITEMAP_MAX_URLS,
  type SitemapUrl,
} from "../core/render/sitemap.js";
import { SITE_SCOPE } from "../core/scopes.js";
import { ALL_TIME, INDEX_PATHS } from "./page-resources.js";
import { depsOf, type Resource } from "./resource.js";

const XML = "application/xml; charset=utf-8";
const TEXT = "text/plain; charset=utf-8";

/** Every page but the articles': the front page, the indexes, /feeds and each scope's page. */
async function pageUrls(site: SiteConfig, listings: Listings): Promise<SitemapUrl[]> {
  const url = (path: string) => new URL(path, site.baseUrl).href;
  const { newestChange } = await listings.site();
  const urls: SitemapUrl[] = [{ loc: url(""), ...(newestChange.getTime() > 0 ? { lastmod: newestChange } : {}) }, { loc: url("feeds") }];
  for (const kind of ["category", "author", "language"] as const) {
    urls.push({ loc: url(INDEX_PATHS[kind]) });
    for (const scope of await listings.scopes(kind, false)) urls.push({ loc: url(scope.path) });
  }
  return urls;
}

/**
 * The site's URLs in one fixed order — pages first, then articles oldest
 * first, so a full sitemap file keeps its URLs as newer ones arrive — cut
 * into files of `maxUrls`: file `n` (1-based), and how many there are.
 */
async function sitemapFile(site: SiteConfig, listings: Listings, n: number, maxUrls: number): Promise<{ urls: SitemapUrl[]; files: number }> {
  const [pages, stats] = await Promise.all([pageUrls(site, listings), listings.stats(SITE_SCOPE)]);
  const files = Math.max(1, Math.ceil((pages.length + stats.total) / maxUrls));
  const from = (n - 1) * maxUrls;
  const to = from + maxUrls;
  const urls = pages.slice(from, to);
  const skip = Math.max(0, from - pages.length);
  const want = to - pages.length - skip;
  if (want > 0) {
    for (const a of await listings.range(SITE_SCOPE, ...ALL_TIME, skip, want)) urls.push({ loc: a.url, lastmod: lastChange(a) });
  }
  return { urls, files };
}

const sitemapPath = (n: number) => `sitemaps/${n}.xml`;

/**
 * /sitemap.xml: every URL when they fit in one file, else an index of
 * /sitemaps/<n>.xml files (the protocol's 50,000 URLs each). `maxUrls` is
 * the protocol's limit; tests pass a smaller one.
 */
export function sitemapResource(site: SiteConfig, listings: Listings, maxUrls = SITEMAP_MAX_URLS): Resource {
  return {
    key: "sitemap.xml",
    cors: true,
    render: async () => {
      const [first, siteStats] = await Promise.all([sitemapFile(site, listings, 1, maxUrls), listings.site()]);
      const lastModified = lastModifiedOf([], [siteStats.newestChange, siteStats.anyListingMoved]);
      const body =
        first.files === 1
          ? renderUrlset(first.urls)
          : renderSitemapIndex(Array.from({ length: first.files }, (_, i) => new URL(sitemapPath(i + 1), site.baseUrl).href));
      return { contentType: XML, body, lastModified };
    },
  };
}

/** /sitemaps/<n>.xml of a site too large for one sitemap file; undefined when there is no such file. */
export async function sitemapPartResource(site: SiteConfig, listings: Listings, n: number, maxUrls = SITEMAP_MAX_URLS): Promise<Resource | undefined> {
  const part = await sitemapFile(site, listings, n, maxUrls);
  if (part.files === 1 || n > part.files || part.urls.length === 0) return undefined;
  const siteStats = await listings.site();
  return {
    key: sitemapPath(n),
    cors: true,
    render: async () => ({ contentType: XML, body: renderUrlset(part.urls), lastModified: lastModifiedOf([], [siteStats.newestChange, siteStats.anyListingMoved]) }),
  };
}

/** Cache-Control's max-age for what changes when an article published at `published` leaves the window: never past that, nor past the site's. */
function maxAgeUntilAgedOut(site: SiteConfig, published: Date, now: number): number {
  return Math.max(0, Math.min(site.cacheMinutes * 60, Math.ceil((published.getTime() + NEWS_WINDOW_MS - now) / 1000)));
}

/**
 * The newest article published before `to` (ms), looked for in spans that
 * double back from it (an hour, two, four…), so that a request counts the
 * articles of the span it is found in, never the whole archive.
 */
async function newestBefore(listings: Listings, to: number): Promise<ArticleMeta | undefined> {
  for (let span = 3_600_000; ; span *= 2) {
    const from = Math.max(ALL_TIME[0], to - span);
    const n = await listings.count(SITE_SCOPE, from, to);
    if (n > 0) return (await listings.range(SITE_SCOPE, from, to, n - 1, 1))[0];
    if (from === ALL_TIME[0]) return undefined;
  }
}

/**
 * /news-sitemap.xml: the articles published in the two days before `now`
 * (Google News), newest first; undefined (a 404) while there are none, as
 * the sitemap schema wants at least one URL. It changes as articles age
 * out, with no change of content: resolved for every request (volatile),
 * its bytes reused while the same articles are shown (deps), and no cache
 * may keep it past the moment its oldest article ages out (max-age).
 */
export async function newsSitemapResource(site: SiteConfig, listings: Listings, now: number): Promise<Resource | undefined> {
  const from = now - NEWS_WINDOW_MS;
  const [inWindow, stats] = await Promise.all([listings.count(SITE_SCOPE, from, now + 1), listings.stats(SITE_SCOPE)]);
  if (inWindow === 0) return undefined;
  // The newest of them, at most the News sitemap's limit.
  const skip = Math.max(0, inWindow - NEWS_SITEMAP_MAX_URLS);
  const shown = (await listings.range(SITE_SCOPE, from, now + 1, skip, inWindow - skip)).reverse();
  // The last time an article aged out of the window: when the newest article older than it turned two days old.
  const agedOut = await newestBefore(listings, from);
  const lastModified = lastModifiedOf(shown, [stats.listingMoved, agedOut ? new Date(agedOut.published.getTime() + NEWS_WINDOW_MS) : undefined]);
  const deps = depsOf(`news|lm=${lastModified.getTime()}`, shown);
  // The oldest shown leaves the window first (it is the first article older than the window, when more than the limit are in it).
  const maxAge = maxAgeUntilAgedOut(site, shown.at(-1)!.published, now);
  return {
    key: "news-sitemap.xml",
    ...(deps ? { deps } : {}),
    volatile: true,
    cors: true,
    cacheControl: `public, max-age=${maxAge}`,
    render: async () => {
      const body = renderNewsSitemap(
        site,
        shown.map((a) => ({ loc: a.url, title: a.title, published: a.published, language: a.language })),
      );
      return { contentType: XML, body, lastModified };
    },
  };
}

/**
 * Whether the News sitemap has articles now (the pages naming it do so only
 * then), and for how many seconds that stays so, as far as the clock alone
 * decides (a publish changes the content version anyway): until the newest
 * article of the window ages out.
 */
export async function newsWindow(site: SiteConfig, listings: Listings, now: number): Promise<{ open: boolean; maxAge: number }> {
  const from = now - NEWS_WINDOW_MS;
  const inWindow = await listings.count(SITE_SCOPE, from, now + 1);
  if (inWindow === 0) return { open: false, maxAge: site.cacheMinutes * 60 };
  const [newest] = await listings.range(SITE_SCOPE, from, now + 1, inWindow - 1, 1);
  return { open: true, maxAge: maxAgeUntilAgedOut(site, newest!.published, now) };
}

/** robots.txt names the News sitemap only while it has articles: resolved per request, like it. */
export async function robotsResource(site: SiteConfig, listings: Listings, now: number): Promise<Resource> {
  const news = await newsWindow(site, listings, now);
  return {
    key: `robots.txt|news=${news.open}`,
    deps: () => `robots|news=${news.open}`,
    volatile: true,
    cacheControl: `public, max-age=${news.maxAge}`,
    cors: false,
    render: async () => ({ contentType: TEXT, body: renderRobots(site, news.open) }),
  };
}

