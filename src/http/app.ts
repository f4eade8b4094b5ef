import { Hono } from "hono";
import type { Catalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { FEED_MEDIA_TYPES } from "../core/feed-directory.js";
import { FEED_FILES, FEED_FORMATS, type FeedFormat } from "../core/feed-model.js";
import { renderNotFoundPage } from "../core/render/html.js";
import { escapeXml } from "../core/render/xml-guards.js";
import { isNotModified } from "./conditional.js";
import { acceptQuality, pickEncoding, pickMediaType } from "./negotiate.js";
import { politeness, type ClientKey } from "./polite.js";
import { publishApi, type PublishApiOptions } from "./publish-api.js";
import { BoundedMap } from "./bounded-map.js";
import { Representation, type Compressor } from "./representation.js";
import { requestLimits } from "./request-limits.js";
import { securityHeaders } from "./security-headers.js";
import { BadRequest, resolveResource, type Resource } from "./site-resources.js";

export type Logger = (message: string, error?: unknown) => void;

export interface AppOptions {
  site: SiteConfig;
  /** The current catalog. A new object means new content: caches are per catalog object. */
  catalog: () => Catalog | Promise<Catalog>;
  /** Node passes zlib here; without it responses go out uncompressed. */
  compress?: Compressor;
  log?: Logger;
  /** The publish API under /api; absent (no PUBLISH_TOKEN): every /api path is a 404. */
  publish?: PublishApiOptions;
  /** Identifies the client for `site.politeness` (429 to over-eager pollers); without it that is off. */
  clientKey?: ClientKey;
  /** The clock for politeness intervals (tests pass their own). */
  now?: () => number;
}

const TEXT = "text/plain; charset=utf-8";
/** Representations kept across catalog versions (article pages of a large site, feeds): bounded. */
const MAX_CARRIED = 4096;
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag, Last-Modified, Link",
};

function notFound(site: SiteConfig, accept: string | null): Response {
  const kind = pickMediaType(accept, [
    { type: "text/plain" },
    { type: "text/html" },
    { type: "application/json", aliases: ["application/feed+json"] },
    { type: "application/xml", aliases: ["application/rss+xml", "application/atom+xml", "text/xml"] },
  ]) ?? "text/plain";
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

/**
 * Browsers show application/rss+xml and application/atom+xml as plain text
 * (Chromium special-cases feed types), so the XSLT page never appears. A
 * client that prefers HTML to every feed type (a browser navigating) gets
 * the same bytes as application/xml; feed readers get the feed type.
 */
const BROWSER_XML = "application/xml; charset=utf-8";

function prefersHtml(accept: string | null): boolean {
  const html = acceptQuality(accept, "text/html");
  const feed = Math.max(...["application/rss+xml", "application/atom+xml"].map((t) => acceptQuality(accept, t)));
  return html > feed && html > 0 && !!accept && !/^\s*\*\/\*\s*$/.test(accept);
}

/** The format `GET /feed` serves for an Accept header; undefined when none is acceptable (406). */
function negotiateFeed(accept: string | null): FeedFormat | undefined {
  const chosen = pickMediaType(accept, [
    { type: FEED_MEDIA_TYPES.rss, aliases: ["application/xml", "text/xml"] },
    { type: FEED_MEDIA_TYPES.atom },
    { type: FEED_MEDIA_TYPES.json, aliases: ["application/json"] },
  ]);
  return FEED_FORMATS.find((f) => FEED_MEDIA_TYPES[f] === chosen);
}

/** The publisher as a web-standard fetch handler; runtimes only wire it up. */
export function createApp(options: AppOptions): Hono {
  const { site, compress } = options;
  const log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  const defaultCacheControl = `public, max-age=${site.cacheMinutes * 60}`;
  // Representations per catalog object (the hot path: one Map lookup); a new catalog starts empty.
  const caches = new WeakMap<Catalog, Map<string, Promise<Representation>>>();
  // Across catalogs, by key and what the body depends on: a change re-renders only what shows it.
  const carried = new BoundedMap<string, { deps: string; rep: Promise<Representation> }>(MAX_CARRIED);

  const representation = (catalog: Catalog, resource: Resource): Promise<Representation> => {
    let cache = caches.get(catalog);
    if (!cache) caches.set(catalog, (cache = new Map()));
    let hit = cache.get(resource.key);
    if (!hit) {
      const deps = resource.deps?.();
      const previous = deps === undefined ? undefined : carried.get(resource.key);
      if (previous && previous.deps === deps) hit = previous.rep;
      else {
        // Concurrent first requests share this one promise, so one render.
        const rendered = resource.render().then((r) => Representation.create(r, compress));
        rendered.catch(() => {
          cache.delete(resource.key);
          carried.delete(resource.key);
        });
        if (deps !== undefined) carried.set(resource.key, { deps, rep: rendered });
        hit = rendered;
      }
      cache.set(resource.key, hit);
    }
    return hit;
  };

  const serve = async (req: Request, resource: Resource, extra: Record<string, string> = {}): Promise<Response> => {
    const browserXml = resource.browserXml && prefersHtml(req.headers.get("accept"));
    const rep = await representation(await options.catalog(), resource);
    const coding = pickEncoding(req.headers.get("accept-encoding"), rep.codings);
    const variant = await rep.variant(coding);
    // Vary on every runtime: where we do not compress (the Worker) the edge does.
    const headers = new Headers({
      ETag: variant.etag,
      "Cache-Control": resource.cacheControl ?? defaultCacheControl,
      Vary: resource.browserXml ? "Accept, Accept-Encoding" : "Accept-Encoding",
      ...extra,
    });
    if (rep.lastModified) headers.set("Last-Modified", rep.lastModified.toUTCString());
    if (resource.cors) for (const [k, v] of Object.entries(CORS_HEADERS)) headers.set(k, v);
    if (resource.link) headers.set("Link", resource.link);
    if (isNotModified(req.headers, variant.etag, rep.lastModified)) return new Response(null, { status: 304, headers });
    headers.set("Content-Type", browserXml ? BROWSER_XML : rep.contentType);
    headers.set("Content-Length", String(variant.body.length));
    if (coding !== "identity") headers.set("Content-Encoding", coding);
    return new Response(variant.body, { status: 200, headers });
  };

  // Resolution (path parsing, scope lookup, what a feed shows) once per catalog and URL; unknown URLs are not kept.
  const resolutions = new WeakMap<Catalog, BoundedMap<string, Resource>>();
  const resolve = async (url: URL, pathname = url.pathname): Promise<Resource | undefined> => {
    const catalog = await options.catalog();
    let known = resolutions.get(catalog);
    if (!known) resolutions.set(catalog, (known = new BoundedMap(MAX_CARRIED)));
    const key = `${pathname}${url.search}`;
    const hit = known.get(key);
    if (hit) return hit;
    const resource = resolveResource(site, catalog, pathname, url.searchParams);
    if (resource) known.set(key, resource);
    return resource;
  };

  const app = new Hono();
  app.use("*", securityHeaders(site));
  app.use("*", requestLimits());
  if (site.politeness && options.clientKey) app.use("*", politeness(site.politeness, options.clientKey, options.now));
  if (options.publish) app.route("/api", publishApi(site, options.publish));
  else app.all("/api/*", (c) => notFound(site, c.req.header("accept") ?? null));
  app.get("/feed", async (c) => {
    const format = negotiateFeed(c.req.header("accept") ?? null);
    if (!format) {
      return new Response(`Not acceptable: this URL offers ${FEED_FORMATS.map((f) => FEED_MEDIA_TYPES[f]).join(", ")}\n`, {
        status: 406,
        headers: { "Content-Type": TEXT, Vary: "Accept", ...CORS_HEADERS },
      });
    }
    const url = new URL(c.req.url);
    const resource = (await resolve(url, `/${FEED_FILES[format]}`))!;
    const response = await serve(c.req.raw, resource, { "Content-Location": new URL(FEED_FILES[format], site.baseUrl).href });
    response.headers.set("Vary", "Accept, Accept-Encoding");
    return response;
  });
  app.get("*", async (c) => {
    const url = new URL(c.req.url);
    const resource = await resolve(url);
    if (!resource) return notFound(site, c.req.header("accept") ?? null);
    return serve(c.req.raw, resource);
  });
  app.options("*", async (c) => {
    const url = new URL(c.req.url);
    const resource = url.pathname === "/feed" ? { cors: true } : await resolve(url).catch(() => undefined);
    const headers: Record<string, string> = { Allow: "GET, HEAD, OPTIONS" };
    if (resource?.cors) {
      Object.assign(headers, CORS_HEADERS, {
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "Accept, If-None-Match, If-Modified-Since, Cache-Control",
        "Access-Control-Max-Age": "86400",
      });
    }
    return new Response(null, { status: resource ? 204 : 404, headers });
  });
  app.all("*", () => {
    return new Response("Method Not Allowed\n", {
      status: 405,
      headers: { Allow: "GET, HEAD, OPTIONS", "Content-Type": TEXT },
    });
  });
  app.onError((error, c) => {
    if (error instanceof BadRequest) {
      return new Response(`Bad request: ${error.message}\n`, { status: 400, headers: { "Content-Type": TEXT, "Cache-Control": "no-cache", ...CORS_HEADERS } });
    }
    log(`500 ${c.req.method} ${c.req.path}`, error);
    return new Response("Internal Server Error\n", {
      status: 500,
      headers: { "Content-Type": TEXT, "Cache-Control": "no-store" },
    });
  });
  return app;
}
