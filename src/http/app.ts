import { Hono, type Context } from "hono";
import type { Catalog } from "../core/catalog.js";
import type { Listings } from "../core/listings.js";
import { asListings } from "../core/memory-listings.js";
import type { SiteConfig } from "../core/config.js";
import { FEED_MEDIA_TYPES, feedLinksOf } from "../core/feed-directory.js";
import { FEED_FILES, FEED_FORMATS, type FeedFormat } from "../core/feed-model.js";
import { renderGonePage, renderNotFoundPage } from "../core/render/html.js";
import { SITE_SCOPE } from "../core/scopes.js";
import type { Tombstone } from "../core/tombstone.js";
import { escapeXml } from "../core/render/xml-guards.js";
import { clampedCacheControl } from "../core/embargo.js";
import { isNotModifiedBy, type HeaderOf } from "./conditional.js";
import { FEED_VARY, isDocumentNavigation, seeFeedView } from "./feed-navigation.js";
import { alternatesLink } from "./link-header.js";
import { pickEncoding, pickMediaType, type ContentCoding } from "./negotiate.js";
import { mountedPath } from "./mount-path.js";
import { FEED_PATHS, politeness, type ClientKey } from "./polite.js";
import { publishApi, type PublishApiOptions } from "./publish-api.js";
import { BoundedMap } from "./bounded-map.js";
import { Representation, type Compressor, type Variant } from "./representation.js";
import { LIMITS, requestLimits, requestLineProblem } from "./request-limits.js";
import { resolutionWeight } from "./resolution-weight.js";
import { contentSecurityPolicy, securityHeaders, securityHeadersFor } from "./security-headers.js";
import { ARCHIVE_MAX_AGE_S, BadRequest, Redirect, resolveResource, withdrawnAt, type Resource } from "./site-resources.js";

export type Logger = (message: string, error?: unknown) => void;

export interface AppOptions {
  site: SiteConfig;
  /**
   * What the site serves now: Listings (a store's indexed answers), or a
   * Catalog held in memory. A new object means new content: caches are per object.
   */
  catalog: () => Catalog | Listings | Promise<Catalog | Listings>;
  /** Node passes zlib here; without it responses go out uncompressed. */
  compress?: Compressor;
  log?: Logger;
  /** The publish API under /api; absent (no PUBLISH_TOKEN): every /api path is a 404. */
  publish?: PublishApiOptions;
  /** Identifies the client for `site.politeness` (429 to over-eager pollers); without it that is off. */
  clientKey?: ClientKey;
  /** The clock, ms since the epoch: politeness intervals and the News sitemap's two days (tests pass their own). */
  now?: () => number;
  /** Byte budget of the representation cache (bodies plus compressed variants); default DEFAULT_CACHE_BYTES. */
  cacheBytes?: number;
}

const TEXT = "text/plain; charset=utf-8";
/** Representations kept across catalog versions (article pages of a large site, feeds): bounded. */
const MAX_CARRIED = 4096;
/** Default byte budget of the representation cache (AppOptions.cacheBytes; WIREFEED_CACHE_MB on Node). */
export const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;
/** Byte budget of the resolutions kept per catalog (URL → what it shows). */
const RESOLUTION_BYTES = 4 * 1024 * 1024;
/**
 * The share of each budget that answers to client-chosen queries (Resource.queried, and
 * resolutions of URLs with a query string) may take: they have budgets of their own, this
 * fraction of the main ones, so sweeping `?limit` over every feed costs at most that.
 */
const QUERIED_SHARE = 1 / 8;

/** A representation held in the cache, with the catalog it was last valid for (by id: it must not pin old catalogs) and its deps. */
interface Held {
  catalog: number;
  deps: string | undefined;
  rep: Representation;
}
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag, Last-Modified, Link",
};

/** The format an error page is sent in, chosen from the request's Accept. */
function errorKind(accept: string | null) {
  return pickMediaType(accept, [
    { type: "text/plain" },
    { type: "text/html" },
    { type: "application/json", aliases: ["application/feed+json"] },
    { type: "application/xml", aliases: ["application/rss+xml", "application/atom+xml", "text/xml"] },
  ]) ?? "text/plain";
}

function notFound(site: SiteConfig, accept: string | null): Response {
  const kind = errorKind(accept);
  const bodies: Record<typeof kind, string> = {
    "text/plain": "Not found\n",
    "text/html": renderNotFoundPage(site),
    "application/json": `${JSON.stringify({ error: "not found" })}\n`,
    "application/xml": `<?xml version="1.0" encoding="utf-8"?>\n<error status="404">${escapeXml("Not found")}</error>\n`,
  };
  return new Response(bodies[kind], {
    status: 404,
    headers: { "Content-Type": `${kind}; charset=utf-8`, "Cache-Control": "no-cache", Vary: "Accept" },
  });
}

/** 301 to the address a path is spelled as (trailing slash, case): cached like the page it leads to. */
function redirect(site: SiteConfig, to: Redirect, cacheControl: string): Response {
  const location = new URL(to.path, site.baseUrl).href;
  return new Response(`Moved permanently: ${location}\n`, { status: 301, headers: { Location: location, "Content-Type": TEXT, "Cache-Control": cacheControl } });
}

/**
 * 410 for a withdrawn article's URL, in the format asked for as the 404 is:
 * what was withdrawn, and when. Cached and linked like the article page it
 * replaces (the site's Cache-Control, the site's feeds in Link), so a static
 * export's withdrawn pages share the article pages' headers rule.
 */
function gone(site: SiteConfig, accept: string | null, withdrawn: Tombstone, cacheControl: string): Response {
  const kind = errorKind(accept);
  const when = withdrawn.when.toISOString();
  const bodies: Record<typeof kind, string> = {
    "text/plain": `Gone: withdrawn on ${when}\n`,
    "text/html": renderGonePage(site, withdrawn),
    "application/json": `${JSON.stringify({ error: "gone", withdrawn: when })}\n`,
    "application/xml": `<?xml version="1.0" encoding="utf-8"?>\n<error status="410" withdrawn="${when}">Gone</error>\n`,
  };
  return new Response(bodies[kind], {
    status: 410,
    headers: { "Content-Type": `${kind}; charset=utf-8`, "Cache-Control": cacheControl, Vary: "Accept", Link: alternatesLink(feedLinksOf(site, SITE_SCOPE)) },
  });
}

/** The request's method, HEAD as GET (Hono routes a HEAD as a GET and drops the body). */
function methodOf(c: Context): string {
  return c.req.method === "HEAD" ? "GET" : c.req.method;
}

function methodNotAllowed(): Response {
  return new Response("Method Not Allowed\n", { status: 405, headers: { Allow: "GET, HEAD, OPTIONS", "Content-Type": TEXT } });
}

/** The answer to OPTIONS on a path the site has: the methods it takes, and CORS preflight on what is shared. */
function preflight(cors: boolean): Response {
  const headers: Record<string, string> = { Allow: "GET, HEAD, OPTIONS" };
  if (cors) {
    Object.assign(headers, CORS_HEADERS, {
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": "Accept, If-None-Match, If-Modified-Since, Cache-Control",
      "Access-Control-Max-Age": "86400",
    });
  }
  return new Response(null, { status: 204, headers });
}

/** The format `GET /feed` serves for an Accept header; undefined when none is acceptable (406). */
export function negotiateFeed(accept: string | null): FeedFormat | undefined {
  const chosen = pickMediaType(accept, [
    { type: FEED_MEDIA_TYPES.rss, aliases: ["application/xml", "text/xml"] },
    { type: FEED_MEDIA_TYPES.atom },
    { type: FEED_MEDIA_TYPES.json, aliases: ["application/json"] },
  ]);
  return FEED_FORMATS.find((f) => FEED_MEDIA_TYPES[f] === chosen);
}

/** A response decided without Request/Response objects (see `fastResponse`). */
export interface FastResponse {
  status: 200 | 304;
  headers: Record<string, string>;
  /** Undefined for 304 and HEAD. */
  body: Uint8Array | undefined;
}

export type App = Hono & {
  fastResponse: (method: string, target: string, headerOf: HeaderOf) => FastResponse | undefined;
  /** What the representation cache holds now: entries, and bytes as it counts them against `cacheBytes`. */
  cacheUse: () => { entries: number; bytes: number };
};

/** The publisher as a web-standard fetch handler; runtimes only wire it up. */
export function createApp(options: AppOptions): App {
  const { site, compress } = options;
  const log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  const siteCacheControl = `public, max-age=${site.cacheMinutes * 60}`;
  const LONGEST_MAX_AGE_MS = Math.max(site.cacheMinutes * 60, ARCHIVE_MAX_AGE_S) * 1000;
  // Wall-clock ms for what depends on the time of the request (the News sitemap); tests pass their own.
  const clock = options.now ?? Date.now;
  // The representation cache: per resource key, the representation made for the newest catalog
  // that asked, with what its body depends on, so a new catalog that did not touch what it shows
  // reuses it. Bounded in entries and in bytes (bodies and their compressed variants).
  const cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  const everyday = new BoundedMap<string, Held>(MAX_CARRIED, cacheBytes);
  const queried = new BoundedMap<string, Held>(MAX_CARRIED, cacheBytes * QUERIED_SHARE);
  const cacheOf = (resource: Resource) => (resource.queried ? queried : everyday);
  // Renders under way, per catalog: concurrent first requests share one render.
  const rendering = new WeakMap<Listings, Map<string, Promise<Representation>>>();
  const catalogIds = new WeakMap<Listings, number>();
  let lastCatalogId = 0;
  const idOf = (catalog: Listings): number => {
    let id = catalogIds.get(catalog);
    if (id === undefined) catalogIds.set(catalog, (id = ++lastCatalogId));
    return id;
  };
  /** This catalog's representation of `key` if it is made (the Node fast path: no deps worked out). */
  const heldFor = (catalog: Listings, key: string): Representation | undefined => {
    const entry = everyday.get(key);
    return entry && entry.catalog === idOf(catalog) ? entry.rep : undefined;
  };

  const representation = (catalog: Listings, resource: Resource): Promise<Representation> => {
    const { key } = resource;
    const id = idOf(catalog);
    const held = cacheOf(resource);
    const entry = held.get(key);
    // Within one catalog a key shows one thing, unless it also follows the clock: then its deps decide.
    if (entry && entry.catalog === id && !resource.volatile) return Promise.resolve(entry.rep);
    const deps = resource.deps?.();
    if (entry && deps !== undefined && entry.deps === deps) {
      entry.catalog = id;
      return Promise.resolve(entry.rep);
    }
    let pending = rendering.get(catalog);
    if (!pending) rendering.set(catalog, (pending = new Map()));
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const rendered = resource.render().then((r) => Representation.create(r, compress));
    pending.set(key, rendered);
    const settle = () => void pending.delete(key);
    // A failed render is not kept: the next request tries again.
    rendered.then((rep) => {
      settle();
      const made: Held = { catalog: id, deps, rep };
      const weight = () => rep.bytes + key.length * 2;
      rep.onGrow = () => held.get(key) === made && held.reweigh(key, weight());
      held.set(key, made, weight());
    }, settle);
    return rendered;
  };

  /**
   * The answer to a request for a resource whose representation and variant
   * are at hand: status and headers, decided in one place for both paths
   * (the Hono route below, and the Node fast path).
   */
  const answer = (headerOf: HeaderOf, resource: Resource, rep: Representation, variant: Variant, coding: ContentCoding, extra: Record<string, string>, nextLift?: number) => {
    // Vary on every runtime: where we do not compress (the Worker) the edge does. A browser's
    // navigation to a feed is redirected to its page (feed-navigation.ts): feeds vary on that too.
    const headers: Record<string, string> = {
      ETag: variant.etag,
      // No cache (browser or edge) keeps an answer past the next embargo's lift: it may change then.
      "Cache-Control": clampedCacheControl(resource.cacheControl ?? siteCacheControl, nextLift, clock()),
      Vary: resource.feed ? `${FEED_VARY}, Accept-Encoding` : "Accept-Encoding",
      ...extra,
    };
    if (rep.lastModified) headers["Last-Modified"] = rep.httpLastModified!;
    if (resource.cors) Object.assign(headers, CORS_HEADERS);
    if (resource.link) headers.Link = resource.link;
    if (isNotModifiedBy(headerOf, variant.etag, rep.lastModified)) return { status: 304 as const, headers };
    headers["Content-Type"] = rep.contentType;
    headers["Content-Length"] = String(variant.body.length);
    if (coding !== "identity") headers["Content-Encoding"] = coding;
    return { status: 200 as const, headers };
  };

  /** The content being served now, as Listings (a catalog in memory gets its own). */
  const current = (): Listings | Promise<Listings> => {
    const source = options.catalog();
    return source instanceof Promise ? source.then(asListings) : asListings(source);
  };

  const serve = async (req: Request, listings: Listings, resource: Resource, extra: Record<string, string> = {}): Promise<Response> => {
    const rep = await representation(listings, resource);
    const coding = pickEncoding(req.headers.get("accept-encoding"), rep.codings);
    const variant = await rep.variant(coding);
    const { status, headers } = answer((n) => req.headers.get(n), resource, rep, variant, coding, extra, listings.nextLift);
    return new Response(status === 304 ? null : variant.body, { status, headers });
  };

  // Resolution (path parsing, scope lookup, what a feed shows) once per catalog and URL; unknown URLs are not kept.
  // URLs with a query string (which clients vary freely) have a small budget of their own.
  const resolutions = new WeakMap<Listings, { plain: BoundedMap<string, Resource>; queried: BoundedMap<string, Resource> }>();
  const resolve = async (listings: Listings, url: URL, pathname = url.pathname): Promise<Resource | Redirect | undefined> => {
    const catalog = listings;
    let maps = resolutions.get(catalog);
    if (!maps) {
      maps = { plain: new BoundedMap(MAX_CARRIED, RESOLUTION_BYTES), queried: new BoundedMap(MAX_CARRIED, RESOLUTION_BYTES * QUERIED_SHARE) };
      resolutions.set(catalog, maps);
    }
    const known = url.search ? maps.queried : maps.plain;
    const key = `${pathname}${url.search}`;
    const hit = known.get(key);
    if (hit) return hit;
    const resource = await resolveResource(site, catalog, pathname, url.searchParams, { now: clock });
    // Weighed by what it keeps alive (resolution-weight.ts). Redirects are cheap to work out again; volatile ones follow the clock.
    if (resource && !(resource instanceof Redirect) && !resource.volatile) known.set(key, resource, resolutionWeight(key, resource));
    return resource;
  };

  const csp = contentSecurityPolicy(site);
  /**
   * The Node fast path: the very answer the routes below give (same
   * function, same headers, lower-cased and sorted as Node writes a
   * Response's), for a plain GET/HEAD whose representation is already made,
   * without Request, Response or Headers objects. Anything else (a query, a
   * percent-encoded or odd path, politeness on, a first request, /feed) is
   * undefined here and takes the ordinary route.
   */
  const fastResponse = (method: string, target: string, headerOf: HeaderOf): FastResponse | undefined => {
    if ((method !== "GET" && method !== "HEAD") || site.politeness) return undefined;
    if (target.length > 256 || !/^\/[A-Za-z0-9._~\/-]*$/.test(target) || target.includes("/.") || target === "/feed") return undefined;
    const catalog = current();
    if (catalog instanceof Promise) return undefined;
    // Headers made here are kept (rep.answered): while a lift is near enough to shorten a max-age, the ordinary route answers.
    if (catalog.nextLift !== undefined && catalog.nextLift - clock() < LONGEST_MAX_AGE_MS) return undefined;
    const resource = resolutions.get(catalog)?.plain.get(target);
    const rep = resource && heldFor(catalog, resource.key);
    // A browser navigating to a feed is redirected (the route below): not a cached answer.
    if (!resource || !rep || (resource.feed && isDocumentNavigation(headerOf))) return undefined;
    const coding = pickEncoding(headerOf("accept-encoding"), rep.codings);
    const variant = rep.madeVariant(coding);
    if (!variant) return undefined;
    const status = isNotModifiedBy(headerOf, variant.etag, rep.lastModified) ? 304 : 200;
    // The headers depend only on these (the resource is fixed per representation key): worked out once.
    const key = `${coding}|${status}`;
    let headers = rep.answered.get(key);
    if (!headers) {
      const decided = answer(headerOf, resource, rep, variant, coding, {});
      const all: [string, string][] = [...Object.entries(decided.headers), ...securityHeadersFor(csp, decided.status, decided.headers["Content-Type"])];
      headers = Object.fromEntries(all.map(([k, v]) => [k.toLowerCase(), v] as [string, string]).sort(([a], [b]) => (a < b ? -1 : 1)));
      rep.answered.set(key, headers);
    }
    return { status, headers, body: status === 200 && method === "GET" ? variant.body : undefined };
  };

  const secure = (response: Response): Response => {
    for (const [name, value] of securityHeadersFor(csp, response.status, response.headers.get("content-type"))) response.headers.set(name, value);
    return response;
  };
  const accept = (c: Context) => c.req.header("accept") ?? null;
  const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");

  /** GET /feed: the site's feed in the format the Accept header asks for. */
  const negotiated = async (c: Context, url: URL): Promise<Response> => {
    const format = negotiateFeed(accept(c));
    if (!format) {
      return new Response(`Not acceptable: this URL offers ${FEED_FORMATS.map((f) => FEED_MEDIA_TYPES[f]).join(", ")}\n`, {
        status: 406,
        headers: { "Content-Type": TEXT, Vary: "Accept", ...CORS_HEADERS },
      });
    }
    const listings = await current();
    const resource = (await resolve(listings, url, `/${FEED_FILES[format]}`)) as Resource;
    if (isDocumentNavigation((n) => c.req.header(n))) return seeFeedView(site, resource.feed!.viewPath, "");
    const response = await serve(c.req.raw, listings, resource, { "Content-Location": new URL(FEED_FILES[format], site.baseUrl).href });
    response.headers.set("Vary", `Accept, ${FEED_VARY}, Accept-Encoding`);
    return response;
  };

  /**
   * The site's answer to a request for one of its paths (`path`: within the
   * mount), or undefined when the path is not the site's: then the host's
   * routes get it, and standalone the fallback below answers. A path is the
   * site's when it names something (a resource, a redirect, a withdrawn
   * article) or is /feed; a URL over the request limits is refused only on
   * such a path (a path over them is no path of ours).
   */
  const own = async (c: Context, path: string): Promise<Response | undefined> => {
    const method = methodOf(c);
    // The mount itself without its slash ("/news"): the site's front page is at "/news/".
    if (path === "") return method === "GET" ? redirect(site, new Redirect(""), siteCacheControl) : undefined;
    const url = new URL(c.req.url);
    const problem = requestLineProblem(c.req.url);
    if (problem) {
      if (path.length > LIMITS.pathBytes) return undefined;
      return (await names(path)) ? problem : undefined;
    }
    if (path === "/feed") {
      if (method === "GET") return negotiated(c, url);
      if (method === "OPTIONS") return preflight(true);
      return methodNotAllowed();
    }
    if (method === "GET") {
      const listings = await current();
      const resource = await resolve(listings, url, path);
      const cacheControl = clampedCacheControl(siteCacheControl, listings.nextLift, clock());
      if (resource instanceof Redirect) return redirect(site, resource, cacheControl);
      if (!resource) {
        const withdrawn = await withdrawnAt(listings, path);
        return withdrawn ? gone(site, accept(c), withdrawn, cacheControl) : undefined;
      }
      if (resource.feed && isDocumentNavigation((n) => c.req.header(n))) return seeFeedView(site, resource.feed.viewPath, url.search);
      return serve(c.req.raw, listings, resource);
    }
    if (method === "OPTIONS") {
      const resource = await resolve(await current(), url, path).catch(() => undefined);
      return resource ? preflight(!(resource instanceof Redirect) && resource.cors) : undefined;
    }
    return (await names(path)) ? methodNotAllowed() : undefined;
  };

  /** Whether the site has something at this path (its query aside). */
  const names = async (path: string): Promise<boolean> => {
    if (path === "/feed") return true;
    const listings = await current();
    const resource = await resolve(listings, new URL("http://site"), path).catch((error: unknown) => (error instanceof BadRequest ? true : Promise.reject(error)));
    return resource !== undefined || (await withdrawnAt(listings, path)) !== undefined;
  };

  /**
   * Standalone (the app is the server's, or a host `mount`s its fetch), a
   * path the site does not have is answered here, as it always was: the
   * request limits first, then 404 (in the format asked for) for a GET,
   * anything under /api without the publish API, and OPTIONS; 405 for other
   * methods. Mounted with `route`, the host's own not-found answers instead.
   */
  const fallback = (c: Context): Response => {
    const problem = requestLineProblem(c.req.url);
    if (problem) return secure(problem);
    const method = methodOf(c);
    if (method === "GET" || (!options.publish && isApiPath(mountedPath(c)))) return secure(notFound(site, accept(c)));
    // An empty body said as such: runtimes would otherwise frame it each their own way (chunked, or a length of 0).
    if (method === "OPTIONS") return secure(new Response(null, { status: 404, headers: { Allow: "GET, HEAD, OPTIONS", "Content-Length": "0" } }));
    return secure(methodNotAllowed());
  };

  const app = new Hono();
  if (options.publish) {
    // The publish API's own routes: the same headers and limits as the site's, and no other path's.
    app.use("/api/*", securityHeaders(site));
    app.use("/api/*", requestLimits());
    app.route("/api", publishApi(site, { now: clock, ...options.publish }));
  }
  if (site.politeness && options.clientKey) {
    // Only the site's feeds are polled: politeness runs on their paths alone, after the same headers and limits.
    const polite = politeness(site.politeness, options.clientKey, options.now);
    for (const path of FEED_PATHS) app.use(path, securityHeaders(site), requestLimits(), polite);
  }
  // Every other path the site has: answered here (HEAD is routed as GET); any other is the host's.
  app.use("*", async (c, next) => {
    const path = mountedPath(c);
    if (options.publish && isApiPath(path)) return next();
    const response = await own(c, path);
    return response ? secure(response) : next();
  });
  app.notFound(fallback);
  app.onError((error, c) => {
    if (error instanceof BadRequest) {
      return secure(new Response(`Bad request: ${error.message}\n`, { status: 400, headers: { "Content-Type": TEXT, "Cache-Control": "no-cache", ...CORS_HEADERS } }));
    }
    log(`500 ${c.req.method} ${c.req.path}`, error);
    return secure(
      new Response("Internal Server Error\n", {
        status: 500,
        headers: { "Content-Type": TEXT, "Cache-Control": "no-store" },
      }),
    );
  });
  return Object.assign(app, { fastResponse, cacheUse: () => ({ entries: everyday.size + queried.size, bytes: everyday.weight + queried.weight }) });
}
