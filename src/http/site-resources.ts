import { lastChange, type Article, type ArticleMeta } from "../core/article.js";
import { archiveHistory, archiveOf, archivePath, subscriptionHistory } from "../core/archive.js";
import type { Catalog } from "../core/catalog.js";
import { lastModifiedOf, listingMovedAt, scopeKey } from "../core/change-stamps.js";
import type { SiteConfig } from "../core/config.js";
import { feedDirectory, feedLinksOf } from "../core/feed-directory.js";
import {
  compareLatestChangeFirst,
  FEED_FILES,
  FEED_FORMATS,
  feedModel,
  newestChange,
  scopeTitle,
  type FeedFormat,
  type FeedModel,
} from "../core/feed-model.js";
import { feedViewPath } from "../core/feed-views.js";
import { renderAtom } from "../core/render/atom.js";
import { renderArticlePage, renderFeedsPage, renderListPage, STYLESHEET } from "../core/render/html.js";
import { renderJson } from "../core/render/json.js";
import { opmlFile, renderOpml } from "../core/render/opml.js";
import { renderRss } from "../core/render/rss.js";
import { SLUG } from "../core/record.js";
import { inScope, kindOfSegment, scopesOf, SITE_SCOPE, tombstoneInScope, type Scope, type ScopeKind } from "../core/scopes.js";
import type { Tombstone } from "../core/tombstone.js";
import { feedViewResource, feedViewUrl } from "./feed-view-resource.js";
import { alternatesLink, websubLink } from "./link-header.js";
import type { Rendered } from "./representation.js";

export const MEDIA_TYPES = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  opml: "text/x-opml; charset=utf-8",
} as const;

const RENDERERS = { rss: renderRss, atom: renderAtom, json: renderJson } as const;
/**
 * A closed archive document changes only when an article of its period is
 * deleted, corrected or back-dated: never `immutable`, so a deletion reaches
 * caches within a day (then a revalidation, mostly a 304).
 */
const ARCHIVE_CACHE_CONTROL = "public, max-age=86400";

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
function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** Deps over a list of entries; undefined (whole-catalog) when an entry has no digest. */
function depsOf(prefix: string, shown: readonly ArticleMeta[]): (() => string) | undefined {
  // An entry's content identity is the store's digest of its record; without one, reuse is not safe.
  if (shown.some((e) => e.rev === undefined)) return undefined;
  return () => `${prefix}|${shown.map((e) => e.rev).join(",")}`;
}

/** Entries of each scope, computed once per catalog (one pass over the entries). */
const scopeCache = new WeakMap<Catalog, Map<string, { scope: Scope; entries: ArticleMeta[]; deleted: Tombstone[] }>>();

function scoped(catalog: Catalog, kind: Exclude<ScopeKind, "site">, slug: string) {
  let index = scopeCache.get(catalog);
  if (!index) scopeCache.set(catalog, (index = new Map()));
  const key = `${kind}/${slug}`;
  let hit = index.get(key);
  if (!hit) {
    // A scope whose articles were all withdrawn still exists: its feeds carry the tombstones.
    const scope = scopesOf(catalog.entries, kind, catalog.tombstones).find((s) => s.slug === slug);
    if (!scope) return undefined;
    hit = { scope, entries: catalog.entries.filter((e) => inScope(e, scope)), deleted: catalog.tombstones.filter((t) => tombstoneInScope(t, scope)) };
    index.set(key, hit);
  }
  return hit;
}

/** When a scope's listing last moved (change-stamps.ts), once per catalog and scope. */
const movedCache = new WeakMap<Catalog, Map<string, Date>>();
function listingMoved(catalog: Catalog, scope: Scope, entries: readonly ArticleMeta[]): Date {
  let index = movedCache.get(catalog);
  if (!index) movedCache.set(catalog, (index = new Map()));
  let hit = index.get(scope.path);
  if (!hit) index.set(scope.path, (hit = listingMovedAt(entries, catalog.left?.get(scopeKey(scope.path)))));
  return hit;
}

/** When anything a directory of every scope (OPML, the feeds page) shows last moved. */
function anyListingMoved(catalog: Catalog): Date {
  return listingMovedAt(catalog.entries, new Date(Math.max(0, ...[...(catalog.left?.values() ?? [])].map((d) => d.getTime()))));
}

/** The newest `n` entries in feed order (publication, or latest change when configured). */
function newestEntries(site: SiteConfig, entries: readonly ArticleMeta[], n: number): readonly ArticleMeta[] {
  if (site.orderBy === "updated") return [...entries].sort(compareLatestChangeFirst).slice(0, n);
  return entries.slice(0, n);
}

function loadAll(catalog: Catalog, entries: readonly ArticleMeta[]): Promise<Article[]> {
  return Promise.all(entries.map((e) => catalog.load(e)));
}

function parseLimit(site: SiteConfig, query: URLSearchParams): number | undefined {
  const values = query.getAll("limit");
  if (values.length === 0) return undefined;
  const raw = values[0]!;
  if (values.length > 1 || !/^[0-9]{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > site.maxLimit) {
    throw new BadRequest(`limit must be a whole number from 1 to ${site.maxLimit}`);
  }
  return Number(raw);
}

function feedResource(
  site: SiteConfig,
  catalog: Catalog,
  scope: Scope,
  entries: readonly ArticleMeta[],
  format: FeedFormat,
  rest: string[],
  query: URLSearchParams,
  withdrawn: readonly Tombstone[] = [],
): Resource | undefined {
  const type = MEDIA_TYPES[format];
  if (rest.length === 0) {
    const limit = parseLimit(site, query);
    const size = limit ?? site.feedSize;
    const shownEntries = newestEntries(site, entries, size);
    // Withdrawals are announced in every feed of a scope the article was filed under (RFC 6721; Atom only).
    const deleted = withdrawn.slice(0, size);
    const tombstoneIds = deleted.map((t) => `${t.id}@${t.when.getTime()}`).join(",");
    // The prev-archive link names the newest closed period: part of what the feed shows.
    const latestArchive = archiveOf(entries, site.archivePageSize).latestKey() ?? "";
    // The count and the window depend on the whole listing: when it last moved counts too.
    const lastModified = lastModifiedOf(shownEntries, [listingMoved(catalog, scope, entries), ...deleted.map((t) => t.when)]);
    const deps = depsOf(`total=${entries.length}|gone=${tombstoneIds}|archive=${latestArchive}|lm=${lastModified.getTime()}`, shownEntries);
    const load = async () => {
      const shown = shownEntries;
      const history = subscriptionHistory(site, scope, archiveOf(entries, site.archivePageSize), entries.length, shown.length);
      const model = feedModel(site, scope, await loadAll(catalog, shown), { history, deleted });
      return { model, lastModified: latest(lastModified, model.updated) };
    };
    return {
      key: `${scope.path}${FEED_FILES[format]}${limit ? `?limit=${limit}` : ""}`,
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
  const doc = rest.length === 2 && rest[0] === "archive" ? archiveOf(entries, site.archivePageSize).document(rest[1]!) : undefined;
  if (!doc) return undefined;
  // A period's document changes only with its own articles; a removal from the scope is counted too (it may have been here).
  const archiveModified = lastModifiedOf(doc.entries, [doc.entries.length ? undefined : doc.start, catalog.left?.get(scopeKey(scope.path))]);
  const archiveDeps = depsOf(`archive=${doc.key}|split=${doc.split}|prev=${doc.prevKey ?? ""}|lm=${archiveModified.getTime()}`, doc.entries);
  const path = `${scope.path}archive/${doc.key}/${FEED_FILES[format]}`;
  const load = async () => {
    const history = archiveHistory(site, scope, doc.prevKey);
    const model = feedModel(site, scope, await loadAll(catalog, doc.entries), { documentPath: archivePath(doc.key), history });
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

function listResource(site: SiteConfig, catalog: Catalog, scope: Scope, entries: readonly ArticleMeta[]): Resource {
  const heading = scopeTitle(site, scope);
  const description = scope.kind === "site" ? site.description : `${entries.length} article${entries.length === 1 ? "" : "s"}.`;
  const shownEntries = newestEntries(site, entries, site.feedSize);
  const lastModified = lastModifiedOf(shownEntries, [listingMoved(catalog, scope, entries)]);
  const deps = depsOf(`total=${entries.length}|lm=${lastModified.getTime()}`, shownEntries);
  return {
    key: scope.path,
    ...(deps ? { deps } : {}),
    holds: shownEntries.length,
    cors: false,
    link: alternatesLink(feedLinksOf(site, scope), scope.kind !== "site"),
    render: async () => {
      const shown = await loadAll(catalog, shownEntries);
      return { contentType: MEDIA_TYPES.html, body: renderListPage(site, scope, heading, description, shown), lastModified };
    },
  };
}

/** A scope's own routes: its page, its feeds, its archives. `rest` is the path after the scope. */
function scopeRoutes(
  site: SiteConfig,
  catalog: Catalog,
  scope: Scope,
  entries: readonly ArticleMeta[],
  withdrawn: readonly Tombstone[],
  rest: string[],
  query: URLSearchParams,
) {
  if (rest.length === 1 && rest[0] === "") return listResource(site, catalog, scope, entries);
  const file = rest.at(-1)!;
  const format = FEED_FORMATS.find((f) => FEED_FILES[f] === file);
  return format ? feedResource(site, catalog, scope, entries, format, rest.slice(0, -1), query, withdrawn) : undefined;
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

/**
 * Every path the site answers with 200, mapped to how its body is made
 * (undefined: 404; BadRequest thrown: 400). Deciding is cheap; rendering is deferred.
 */
export function resolveResource(site: SiteConfig, catalog: Catalog, rawPath: string, query = new URLSearchParams()): Resource | undefined {
  const segments = pathSegments(rawPath);
  if (!segments || segments.length === 0) return undefined;
  const [first, ...rest] = segments as [string, ...string[]];
  switch (first) {
    case "items": {
      // Only a well-formed slug is ever looked up: nothing a client sends reaches a store as a name.
      const entry = rest.length === 1 && SLUG.test(rest[0]!) ? catalog.find(rest[0]!) : undefined;
      if (!entry) return undefined;
      const itemModified = lastModifiedOf([entry]);
      const deps = depsOf(`article|lm=${itemModified.getTime()}`, [entry]);
      return {
        key: `items/${entry.slug}`,
        ...(deps ? { deps } : {}),
        cors: false,
        link: alternatesLink(feedLinksOf(site, SITE_SCOPE)),
        render: async () => {
          const article = await catalog.load(entry);
          return { contentType: MEDIA_TYPES.html, body: renderArticlePage(site, article), lastModified: latest(itemModified, lastChange(article)) };
        },
      };
    }
    case "style.css":
      return rest.length ? undefined : { key: "style.css", deps: () => "static", cors: true, render: async () => ({ contentType: MEDIA_TYPES.css, body: STYLESHEET }) };
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
        render: async () => ({
          contentType: MEDIA_TYPES.opml,
          body: renderOpml(site, feedDirectory(site, catalog.entries), newestChange(catalog.entries), format),
          lastModified: lastModifiedOf([], [newestChange(catalog.entries), anyListingMoved(catalog)]),
        }),
      };
    }
    case "feeds":
      // /feeds/<feed path>: the HTML view of a feed (feed-view-resource.ts).
      if (rest.length) return feedViewResource(site, rest, (feedPath) => resolveResource(site, catalog, feedPath, query));
      return {
        key: "feeds",
        cors: false,
        link: alternatesLink(feedLinksOf(site, SITE_SCOPE)),
        render: async () => ({
          contentType: MEDIA_TYPES.html,
          body: renderFeedsPage(site, feedDirectory(site, catalog.entries), (f) => feedViewUrl(site, f.href)),
          lastModified: lastModifiedOf([], [newestChange(catalog.entries), anyListingMoved(catalog)]),
        }),
      };
  }
  const kind = kindOfSegment(first);
  if (kind) {
    if (rest.length < 2) return undefined;
    const found = scoped(catalog, kind, rest[0]!);
    return found ? scopeRoutes(site, catalog, found.scope, found.entries, found.deleted, rest.slice(1), query) : undefined;
  }
  return scopeRoutes(site, catalog, SITE_SCOPE, catalog.entries, catalog.tombstones, segments, query);
}

/** Every URL path the site serves (for static export and link checks), site-relative with a leading "/". */
export function listPaths(site: SiteConfig, catalog: Catalog): string[] {
  const paths = ["/", "/style.css", "/feeds", "/feeds.opml", ...FEED_FORMATS.map((f) => `/${opmlFile(f)}`)];
  const scopes: { scope: Scope; entries: readonly ArticleMeta[] }[] = [{ scope: SITE_SCOPE, entries: catalog.entries }];
  for (const kind of ["category", "author", "language"] as const) {
    for (const scope of scopesOf(catalog.entries, kind, catalog.tombstones)) scopes.push({ scope, entries: scoped(catalog, kind, scope.slug)!.entries });
  }
  for (const { scope, entries } of scopes) {
    if (scope.kind !== "site") paths.push(`/${scope.path}`);
    const archiveKeys = archiveOf(entries, site.archivePageSize).keys();
    for (const format of FEED_FORMATS) {
      const feeds = [`${scope.path}${FEED_FILES[format]}`, ...archiveKeys.map((key) => `${scope.path}${archivePath(key)}${FEED_FILES[format]}`)];
      // Each feed, and its HTML view (the page /feeds links as its preview).
      for (const feed of feeds) paths.push(`/${feed}`, `/${feedViewPath(feed)!}`);
    }
  }
  for (const entry of catalog.entries) paths.push(`/items/${entry.slug}`);
  return paths;
}

/** Withdrawn articles by slug, once per catalog (a slug published again is live, not withdrawn). */
const withdrawnCache = new WeakMap<Catalog, Map<string, Tombstone>>();

/** The tombstone of the article a path named, when that article was withdrawn: the path answers 410 Gone. */
export function withdrawnAt(catalog: Catalog, rawPath: string): Tombstone | undefined {
  const segments = pathSegments(rawPath);
  if (!segments || segments.length !== 2 || segments[0] !== "items" || !SLUG.test(segments[1]!)) return undefined;
  let bySlug = withdrawnCache.get(catalog);
  if (!bySlug) {
    bySlug = new Map();
    // Newest withdrawal first: a slug withdrawn twice answers with its latest withdrawal.
    for (const t of catalog.tombstones) if (!bySlug.has(t.slug) && !catalog.find(t.slug)) bySlug.set(t.slug, t);
    withdrawnCache.set(catalog, bySlug);
  }
  return bySlug.get(segments[1]!);
}

/** Paths of withdrawn articles (each answers 410), for static export. */
export function listWithdrawnPaths(catalog: Catalog): string[] {
  // Only well-formed slugs: a hand-edited tombstone naming anything else names no URL of the site.
  const slugs = new Set(catalog.tombstones.map((t) => t.slug).filter((slug) => SLUG.test(slug) && !catalog.find(slug)));
  return [...slugs].sort().map((slug) => `/items/${slug}`);
}
