import { lastChange, type ArticleMeta } from "../core/article.js";
import { Archive, archiveHistory, archivePath, looksLikeArchiveKey, subscriptionHistory } from "../core/archive.js";
import type { Catalog } from "../core/catalog.js";
import { lastModifiedOf } from "../core/change-stamps.js";
import type { SiteConfig } from "../core/config.js";
import { feedDirectory, feedLinksOf } from "../core/feed-directory.js";
import { FEED_FILES, FEED_FORMATS, feedModel, scopeTitle, type FeedFormat } from "../core/feed-model.js";
import type { Listings } from "../core/listings.js";
import { asListings } from "../core/memory-listings.js";
import { renderAtom } from "../core/render/atom.js";
import { feedViewPath } from "../core/feed-views.js";
import { renderArticlePage, renderFeedsPage, STYLESHEET } from "../core/render/html.js";
import { renderJson } from "../core/render/json.js";
import { opmlFile, renderOpml } from "../core/render/opml.js";
import { renderRss } from "../core/render/rss.js";
import { SLUG } from "../core/record.js";
import { kindOfSegment, SITE_SCOPE, type Scope } from "../core/scopes.js";
import type { Tombstone } from "../core/tombstone.js";
import { feedViewResource, feedViewUrl } from "./feed-view-resource.js";
import { alternatesLink, websubLink } from "./link-header.js";
import { newsSitemapResource, newsWindow, robotsResource, sitemapPartResource, sitemapResource } from "./discovery-resources.js";
import { feedOrder, INDEX_PATHS, listResource, pagePath, scopeIndexResource } from "./page-resources.js";
import { BadRequest, depsOf, latest, MEDIA_TYPES, Redirect, type FeedContent, type Resource } from "./resource.js";

export { BadRequest, MEDIA_TYPES, Redirect, type FeedContent, type Resource };

const RENDERERS = { rss: renderRss, atom: renderAtom, json: renderJson } as const;
/**
 * A closed archive document changes only when an article of its period is
 * deleted, corrected, back-dated or lifted from an embargo: never `immutable`,
 * so a deletion reaches caches within a day (then a revalidation, mostly a
 * 304); a known lift shortens it (app.ts). The longest max-age any answer has.
 */
export const ARCHIVE_MAX_AGE_S = 86400;
const ARCHIVE_CACHE_CONTROL = `public, max-age=${ARCHIVE_MAX_AGE_S}`;

/** Each scope's archive, once per Listings object (its counts are remembered for that content version). */
const archiveCache = new WeakMap<Listings, Map<string, Promise<Archive<ArticleMeta>>>>();

function archiveFor(site: SiteConfig, listings: Listings, scope: Scope): Promise<Archive<ArticleMeta>> {
  let index = archiveCache.get(listings);
  if (!index) archiveCache.set(listings, (index = new Map()));
  let hit = index.get(scope.path);
  if (!hit) {
    hit = listings.stats(scope).then(
      (stats) =>
        new Archive(
          {
            ...(stats.oldest !== undefined ? { oldest: stats.oldest } : {}),
            ...(stats.newest !== undefined ? { newest: stats.newest } : {}),
            ...(stats.pastPage ? { pastPage: stats.pastPage } : {}),
            count: (from, to, atMost) => listings.count(scope, from, to, atMost),
            range: (from, to, skip, limit) => listings.range(scope, from, to, skip, limit),
          },
          site.archivePageSize,
        ),
    );
    index.set(scope.path, hit);
  }
  return hit;
}

/** A feed's `?limit`: undefined when absent; BadRequest (400) unless it is one whole number from 1 to maxLimit. */
export function parseLimit(site: SiteConfig, query: URLSearchParams): number | undefined {
  const values = query.getAll("limit");
  if (values.length === 0) return undefined;
  const raw = values[0]!;
  if (values.length > 1 || !/^[0-9]{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > site.maxLimit) {
    throw new BadRequest(`limit must be a whole number from 1 to ${site.maxLimit}`);
  }
  return Number(raw);
}

async function feedResource(
  site: SiteConfig,
  listings: Listings,
  scope: Scope,
  format: FeedFormat,
  rest: string[],
  query: URLSearchParams,
): Promise<Resource | undefined> {
  const type = MEDIA_TYPES[format];
  if (rest.length === 0) {
    // ?limit=<the feed's own size> is the feed itself: one cache entry, not two.
    const asked = parseLimit(site, query);
    const limit = asked === site.feedSize ? undefined : asked;
    const size = limit ?? site.feedSize;
    const [stats, shownEntries, deleted, archive] = await Promise.all([
      listings.stats(scope),
      listings.newest(scope, size, feedOrder(site)),
      // Withdrawals are announced in every feed of a scope the article was filed under (RFC 6721; Atom only).
      listings.withdrawals(scope, size),
      archiveFor(site, listings, scope),
    ]);
    const tombstoneIds = deleted.map((t) => `${t.id}@${t.when.getTime()}`).join(",");
    // The prev-archive link names the newest closed period: part of what the feed shows.
    const latestArchive = await archive.latestKey();
    // The count and the window depend on the whole listing: when it last moved counts too.
    const lastModified = lastModifiedOf(shownEntries, [stats.listingMoved, ...deleted.map((t) => t.when)]);
    const deps = depsOf(`total=${stats.total}|gone=${tombstoneIds}|archive=${latestArchive ?? ""}|lm=${lastModified.getTime()}`, shownEntries);
    const load = async () => {
      const history = subscriptionHistory(site, scope, latestArchive, stats.total, shownEntries.length);
      const model = feedModel(site, scope, await listings.load(shownEntries), { history, deleted });
      return { model, lastModified: latest(lastModified, model.updated) };
    };
    return {
      key: `${scope.path}${FEED_FILES[format]}${limit ? `?limit=${limit}` : ""}`,
      ...(limit ? { queried: true } : {}),
      ...(deps ? { deps } : {}),
      holds: shownEntries.length,
      cors: true,
      feed: { format, viewPath: feedViewPath(`${scope.path}${FEED_FILES[format]}`)!, load },
      ...(site.websubHub ? { link: websubLink(site.websubHub, new URL(scope.path + FEED_FILES[format], site.baseUrl).href) } : {}),
      render: async () => {
        const { model, lastModified: modified } = await load();
        return { contentType: type, body: RENDERERS[format](model), lastModified: modified };
      },
    };
  }
  // archive/<period>/<file>
  if (rest.length !== 2 || rest[0] !== "archive" || !looksLikeArchiveKey(rest[1]!)) return undefined;
  const [doc, stats] = await Promise.all([archiveFor(site, listings, scope).then((a) => a.document(rest[1]!)), listings.stats(scope)]);
  if (!doc) return undefined;
  // A period's document changes only with its own articles; a removal from the scope is counted too (it may have been here).
  const archiveModified = lastModifiedOf(doc.entries, [doc.entries.length ? undefined : doc.start, stats.left]);
  const archiveDeps = depsOf(`archive=${doc.key}|split=${doc.split}|prev=${doc.prevKey ?? ""}|lm=${archiveModified.getTime()}`, doc.entries);
  const path = `${scope.path}archive/${doc.key}/${FEED_FILES[format]}`;
  const load = async () => {
    const history = archiveHistory(site, scope, doc.prevKey);
    const model = feedModel(site, scope, await listings.load(doc.entries), { documentPath: archivePath(doc.key), history });
    // An empty document (a split period, or a period with no articles) dates from its period's start.
    const dated = doc.entries.length ? model : { ...model, updated: doc.start };
    return { model: dated, lastModified: latest(archiveModified, dated.updated) };
  };
  return {
    key: path,
    ...(archiveDeps ? { deps: archiveDeps } : {}),
    holds: doc.entries.length,
    cors: true,
    feed: { format, viewPath: feedViewPath(path)!, load },
    cacheControl: ARCHIVE_CACHE_CONTROL,
    render: async () => {
      const { model, lastModified } = await load();
      return { contentType: type, body: RENDERERS[format](model), lastModified };
    },
  };
}

/** A page number as it appears in a path: a whole number from 1, no leading zero. */
const PAGE_NUMBER = /^[1-9][0-9]{0,8}$/;

/** A scope's own routes: its page and the older pages, its feeds, its archives. `rest` is the path after the scope. */
async function scopeRoutes(site: SiteConfig, listings: Listings, scope: Scope, rest: string[], query: URLSearchParams): Promise<Resource | Redirect | undefined> {
  if (rest.length === 1 && rest[0] === "") return listResource(site, listings, scope);
  if (rest[0] === "page" && rest.length <= 3 && PAGE_NUMBER.test(rest[1] ?? "")) {
    const n = Number(rest[1]);
    // Page 1 is the scope's own page; a page's address ends in a slash, like the scope's.
    if (n === 1) return rest.length === 2 || rest[2] === "" ? new Redirect(scope.path) : undefined;
    if (rest.length === 2) return (await listResource(site, listings, scope, n)) ? new Redirect(pagePath(scope, n)) : undefined;
    return rest[2] === "" ? listResource(site, listings, scope, n) : undefined;
  }
  const file = rest.at(-1)!;
  const format = FEED_FORMATS.find((f) => FEED_FILES[f] === file);
  return format ? feedResource(site, listings, scope, format, rest.slice(0, -1), query) : Promise.resolve(undefined);
}

/** Every scope of the site, the site's first, then each category, author and language (withdrawn-only scopes with `withWithdrawn`). */
async function allScopes(listings: Listings, withWithdrawn: boolean): Promise<Scope[]> {
  const kinds = await Promise.all((["category", "author", "language"] as const).map((k) => listings.scopes(k, withWithdrawn)));
  return [SITE_SCOPE, ...kinds.flat()];
}

/** The directory of every feed (OPML, /feeds) and when what it shows last moved. */
async function directoryOf(site: SiteConfig, listings: Listings) {
  const [scopes, stats] = await Promise.all([allScopes(listings, false), listings.site()]);
  return { directory: feedDirectory(site, scopes), stats, lastModified: lastModifiedOf([], [stats.newestChange, stats.anyListingMoved]) };
}

/** Decoded path segments of a raw (percent-encoded) path; undefined when it cannot be decoded. */
export function pathSegments(rawPath: string): string[] | undefined {
  try {
    const segments = rawPath.split("/").slice(1).map(decodeURIComponent);
    // A decoded segment may not smuggle in a separator or NUL: such a path names nothing here.
    return segments.some((s) => /[/\\\0]/.test(s) || s === "." || s === "..") ? undefined : segments;
  } catch {
    return undefined;
  }
}

export interface ResolveOptions {
  /** The clock (ms), for what depends on the time of the request (the News sitemap). */
  now?: () => number;
  /** URLs per sitemap file (the protocol's 50,000 unless a test asks for fewer). */
  sitemapMaxUrls?: number;
}

/**
 * Every path the site answers with 200 or a redirect, mapped to how its body is made
 * (undefined: 404; BadRequest thrown: 400). Deciding takes a few indexed
 * questions of the store; rendering is deferred.
 */
export async function resolveResource(
  site: SiteConfig,
  source: Listings | Catalog,
  rawPath: string,
  query = new URLSearchParams(),
  options: ResolveOptions = {},
): Promise<Resource | Redirect | undefined> {
  const listings = asListings(source);
  const segments = pathSegments(rawPath);
  if (!segments || segments.length === 0) return undefined;
  const [first, ...rest] = segments as [string, ...string[]];
  switch (first) {
    case "items":
      return articleRoutes(site, listings, rest);
    case "style.css":
      return rest.length ? undefined : { key: "style.css", deps: () => "static", cors: true, render: async () => ({ contentType: MEDIA_TYPES.css, body: STYLESHEET }) };
    case "robots.txt":
      return rest.length ? undefined : robotsResource(site, listings, (options.now ?? Date.now)());
    case "sitemap.xml":
      return rest.length ? undefined : sitemapResource(site, listings, options.sitemapMaxUrls);
    case "sitemaps": {
      const n = rest.length === 1 ? /^([1-9][0-9]{0,8})\.xml$/.exec(rest[0]!)?.[1] : undefined;
      return n ? sitemapPartResource(site, listings, Number(n), options.sitemapMaxUrls) : undefined;
    }
    case "news-sitemap.xml":
      return rest.length ? undefined : newsSitemapResource(site, listings, (options.now ?? Date.now)());
    case "feeds.opml":
    case "feeds.rss.opml":
    case "feeds.atom.opml":
    case "feeds.json.opml": {
      if (rest.length) return undefined;
      // The main list has one format; each format also has a list of its own.
      const format = FEED_FORMATS.find((f) => opmlFile(f) === first);
      return {
        key: first,
        cors: true,
        render: async () => {
          const { directory, stats, lastModified } = await directoryOf(site, listings);
          return { contentType: MEDIA_TYPES.opml, body: renderOpml(site, directory, stats.newestChange, format), lastModified };
        },
      };
    }
    case "feeds":
      if (rest.length === 1 && rest[0] === "") return new Redirect("feeds");
      // /feeds/<feed path>: the HTML view of a feed (feed-view-resource.ts).
      if (rest.length) {
        return feedViewResource(site, rest, async (feedPath) => {
          const feed = await resolveResource(site, listings, feedPath, query, options);
          return feed instanceof Redirect ? undefined : feed;
        });
      }
      {
        // It names the News sitemap while that has articles, so it follows the clock as that does (discovery-resources.ts).
        const news = await newsWindow(site, listings, (options.now ?? Date.now)());
        return {
          key: `feeds|news=${news.open}`,
          deps: () => `feeds|${listings.version}|news=${news.open}`,
          volatile: true,
          cacheControl: `public, max-age=${news.maxAge}`,
          cors: false,
          link: alternatesLink(feedLinksOf(site, SITE_SCOPE)),
          render: async () => {
            const { directory, lastModified } = await directoryOf(site, listings);
            return { contentType: MEDIA_TYPES.html, body: renderFeedsPage(site, directory, (f) => feedViewUrl(site, f.href), news.open), lastModified };
          },
        };
      }
  }
  const kind = kindOfSegment(first);
  if (kind) {
    // /categories → /categories/, the index; /categories/x → /categories/x/.
    if (rest.length === 0) return new Redirect(INDEX_PATHS[kind]);
    if (rest.length === 1 && rest[0] === "") return scopeIndexResource(site, listings, kind);
    const scope = await listings.scope(kind, rest[0]!);
    if (!scope) {
      // A slug is lower case: an address that differs only in case names the scope it spells.
      const lower = rest[0]!.toLowerCase();
      const spelled = lower !== rest[0] ? await listings.scope(kind, lower) : undefined;
      if (!spelled) return undefined;
      return new Redirect(rest.length === 1 ? spelled.path : [spelled.path.slice(0, -1), ...rest.slice(1).map(encodeURIComponent)].join("/"));
    }
    if (rest.length === 1) return new Redirect(scope.path);
    return scopeRoutes(site, listings, scope, rest.slice(1), query);
  }
  return scopeRoutes(site, listings, SITE_SCOPE, segments, query);
}

/** /items/<slug>: the article page; a trailing slash or another case of a slug it has redirects there. */
async function articleRoutes(site: SiteConfig, listings: Listings, rest: string[]): Promise<Resource | Redirect | undefined> {
  const slash = rest.length === 2 && rest[1] === "";
  if (rest.length !== 1 && !slash) return undefined;
  const asked = rest[0]!;
  // Only a well-formed slug is ever looked up: nothing a client sends reaches a store as a name.
  const slug = SLUG.test(asked) ? asked : SLUG.test(asked.toLowerCase()) ? asked.toLowerCase() : undefined;
  if (slug === undefined) return undefined;
  const entry = await listings.find(slug);
  if (slug !== asked || slash) return entry || (await listings.withdrawn(slug)) ? new Redirect(`items/${slug}`) : undefined;
  if (!entry) return undefined;
  const itemModified = lastModifiedOf([entry]);
  const deps = depsOf(`article|lm=${itemModified.getTime()}`, [entry]);
  return {
    key: `items/${entry.slug}`,
    ...(deps ? { deps } : {}),
    cors: false,
    link: alternatesLink(feedLinksOf(site, SITE_SCOPE)),
    render: async () => {
      const [article] = await listings.load([entry]);
      return { contentType: MEDIA_TYPES.html, body: renderArticlePage(site, article!), lastModified: latest(itemModified, lastChange(article!)) };
    },
  };
}

/** Every URL path the site serves (for static export and link checks), site-relative with a leading "/". */
export async function listPaths(site: SiteConfig, source: Listings | Catalog, options: ResolveOptions = {}): Promise<string[]> {
  const listings = asListings(source);
  const paths = ["/", "/style.css", "/feeds", "/feeds.opml", ...FEED_FORMATS.map((f) => `/${opmlFile(f)}`)];
  paths.push("/robots.txt", "/sitemap.xml");
  // The News sitemap only while articles of the last two days make one (the export's clock: options.now).
  if ((await newsWindow(site, listings, (options.now ?? Date.now)())).open) paths.push("/news-sitemap.xml");
  paths.push(...Object.values(INDEX_PATHS).map((p) => `/${p}`));
  for (let n = 1; await sitemapPartResource(site, listings, n, options.sitemapMaxUrls); n++) paths.push(`/sitemaps/${n}.xml`);
  for (const scope of await allScopes(listings, true)) {
    if (scope.kind !== "site") paths.push(`/${scope.path}`);
    const pages = Math.ceil((await listings.stats(scope)).total / site.feedSize);
    for (let n = 2; n <= pages; n++) paths.push(`/${pagePath(scope, n)}`);
    const archiveKeys = await (await archiveFor(site, listings, scope)).keys();
    for (const format of FEED_FORMATS) {
      const feeds = [`${scope.path}${FEED_FILES[format]}`, ...archiveKeys.map((key) => `${scope.path}${archivePath(key)}${FEED_FILES[format]}`)];
      // Each feed, and its HTML view (the page /feeds links as its preview).
      for (const feed of feeds) paths.push(`/${feed}`, `/${feedViewPath(feed)!}`);
    }
  }
  for (const entry of await listings.newest(SITE_SCOPE, Number.MAX_SAFE_INTEGER, "published")) paths.push(`/items/${entry.slug}`);
  return paths;
}

/** The tombstone of the article a path named, when that article was withdrawn: the path answers 410 Gone. */
export async function withdrawnAt(source: Listings | Catalog, rawPath: string): Promise<Tombstone | undefined> {
  const segments = pathSegments(rawPath);
  if (!segments || segments.length !== 2 || segments[0] !== "items" || !SLUG.test(segments[1]!)) return undefined;
  return asListings(source).withdrawn(segments[1]!);
}

/** Paths of withdrawn articles (each answers 410), for static export. */
export async function listWithdrawnPaths(source: Listings | Catalog): Promise<string[]> {
  const listings = asListings(source);
  // Only well-formed slugs: a hand-edited tombstone naming anything else names no URL of the site.
  const slugs = new Set((await listings.withdrawals(SITE_SCOPE, Number.MAX_SAFE_INTEGER)).map((t) => t.slug).filter((slug) => SLUG.test(slug)));
  const gone = await Promise.all([...slugs].map(async (slug) => ((await listings.withdrawn(slug)) ? slug : undefined)));
  return gone.filter((s): s is string => s !== undefined).sort().map((slug) => `/items/${slug}`);
}
