import { Hono } from "hono";
import type { Catalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { renderNotFoundPage } from "../core/render/html.js";
import { escapeXml } from "../core/render/xml-guards.js";
import { isNotModified } from "./conditional.js";
import { pickEncoding, pickMediaType } from "./negotiate.js";
import { politeness, type ClientKey } from "./polite.js";
import { Representation, type Compressor } from "./representation.js";
import { requestLimits } from "./request-limits.js";
import { securityHeaders } from "./security-headers.js";
import { resolveResource } from "./site-resources.js";

export type Logger = (message: string, error?: unknown) => void;

export interface AppOptions {
  site: SiteConfig;
  /** The current catalog. A new object means new content: caches are per catalog object. */
  catalog: () => Catalog | Promise<Catalog>;
  /** Node passes zlib here; without it responses go out uncompressed. */
  compress?: Compressor;
  log?: Logger;
  /** Identifies the client for `site.politeness` (429 to over-eager pollers); without it that is off. */
  clientKey?: ClientKey;
  /** The clock for politeness intervals (tests pass their own). */
  now?: () => number;
}

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

/** The publisher as a web-standard fetch handler; runtimes only wire it up. */
export function createApp(options: AppOptions): Hono {
  const { site, compress } = options;
  const log = options.log ?? ((message, error) => console.error(message, error ?? ""));
  const cacheControl = `public, max-age=${site.cacheMinutes * 60}`;
  // Representations per catalog object: a new catalog starts empty, the old one is collected.
  const caches = new WeakMap<Catalog, Map<string, Promise<Representation | undefined>>>();

  const representation = (catalog: Catalog, path: string): Promise<Representation | undefined> => {
    let cache = caches.get(catalog);
    if (!cache) caches.set(catalog, (cache = new Map()));
    let hit = cache.get(path);
    if (!hit) {
      const render = resolveResource(site, catalog, path);
      // Concurrent first requests share this one promise, so one render.
      hit = render ? render().then((r) => Representation.create(r, compress)) : Promise.resolve(undefined);
      hit.catch(() => cache.delete(path));
      // Unknown paths are not remembered: the cache must not grow with what clients make up.
      if (render) cache.set(path, hit);
    }
    return hit;
  };

  const app = new Hono();
  app.use("*", securityHeaders(site));
  app.use("*", requestLimits());
  if (site.politeness && options.clientKey) app.use("*", politeness(site.politeness, options.clientKey, options.now));
  app.get("*", async (c) => {
    const catalog = await options.catalog();
    const rep = await representation(catalog, c.req.path);
    if (!rep) return notFound(site, c.req.header("accept") ?? null);
    const coding = pickEncoding(c.req.header("accept-encoding"), rep.codings);
    const variant = await rep.variant(coding);
    // Vary on every runtime: where we do not compress (the Worker) the edge does.
    const headers = new Headers({ ETag: variant.etag, "Cache-Control": cacheControl, Vary: "Accept-Encoding" });
    if (rep.lastModified) headers.set("Last-Modified", rep.lastModified.toUTCString());
    if (isNotModified(c.req.raw.headers, variant.etag, rep.lastModified)) {
      return new Response(null, { status: 304, headers });
    }
    headers.set("Content-Type", rep.contentType);
    headers.set("Content-Length", String(variant.body.length));
    if (coding !== "identity") headers.set("Content-Encoding", coding);
    return new Response(variant.body, { status: 200, headers });
  });
  app.all("*", () => {
    return new Response("Method Not Allowed\n", {
      status: 405,
      headers: { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" },
    });
  });
  app.onError((error, c) => {
    log(`500 ${c.req.method} ${c.req.path}`, error);
    return new Response("Internal Server Error\n", {
      status: 500,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  });
  return app;
}
