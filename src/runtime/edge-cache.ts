/**
 * The Worker's edge cache (the Cache API: Cloudflare's, workerd's,
 * Miniflare's) in front of the app. A GET or HEAD whose answer the key
 * describes (http/cache-variant.ts) is answered from the cached 200 when
 * there is one: a 200, a HEAD's headers, or a 304 when the request's
 * If-None-Match / If-Modified-Since match the entry's ETag / Last-Modified,
 * all without calling the app. On a miss the app is asked the plain GET
 * once, its 200 is stored, and the request is answered from it the same way.
 * Anything else goes to the app as sent.
 */
import { siteFingerprint, sha256Hex } from "../core/digest.js";
import type { SiteConfig } from "../core/config.js";
import type { Logger } from "../http/app.js";
import { sharedCacheVariant } from "../http/cache-variant.js";
import { isNotModifiedBy } from "../http/conditional.js";
import { securityHeadersFor } from "../http/security-headers.js";

export type Handler = (request: Request) => Response | Promise<Response>;

/** The part of the Workers ExecutionContext used here. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Names one build, site config and content version in every key, so a
 * publish (new version) or a deploy (new build) never meets an older entry.
 */
export async function cacheScope(buildId: string, site: SiteConfig, version: string): Promise<string> {
  return (await sha256Hex(`${buildId}\n${await siteFingerprint(site)}\n${version}`)).slice(0, 32);
}

/** Headers that describe a body: a 304 sends none of them (as the app's own 304 does not). */
function bodyHeaders(full: Response): string[] {
  const contentType = full.headers.get("content-type");
  return ["content-type", "content-length", "content-encoding", ...securityHeadersFor("", full.status, contentType).map(([name]) => name.toLowerCase())];
}

/** The answer to `request` from the full answer to its plain GET: a 304, headers only (HEAD), or the 200 itself. */
function answerFrom(request: Request, full: Response): Response {
  const etag = full.headers.get("etag");
  const lastModified = full.headers.get("last-modified");
  const headerOf = (name: string) => request.headers.get(name);
  if (full.status === 200 && etag && isNotModifiedBy(headerOf, etag, lastModified ? new Date(lastModified) : undefined)) {
    const headers = new Headers(full.headers);
    for (const name of bodyHeaders(full)) headers.delete(name);
    return new Response(null, { status: 304, headers });
  }
  if (request.method === "HEAD") return new Response(null, { status: full.status, statusText: full.statusText, headers: full.headers });
  return full;
}

/** The request as a plain GET: what the cached entry is the answer to. */
function plainGet(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.delete("if-none-match");
  headers.delete("if-modified-since");
  return new Request(request.url, { method: "GET", headers });
}

export function edgeCached(options: { cache: Cache; site: SiteConfig; log: Logger }) {
  const { cache, site, log } = options;
  /** `scope` from cacheScope; `app` answers what the cache does not (on Workers, built on first use). */
  return async (request: Request, ctx: WaitUntil, scope: string, app: () => Handler | Promise<Handler>): Promise<Response> => {
    const variant = request.method === "GET" || request.method === "HEAD" ? sharedCacheVariant(site, request.url, (n) => request.headers.get(n)) : undefined;
    if (variant === undefined) return (await app())(request);
    // On the request's own host (as Cloudflare advises for cache keys); no client reaches these
    // paths, since every request comes to this Worker first.
    const key = new Request(new URL(`/.wirefeed-cache/${scope}${variant}`, request.url));
    // The edge cache only saves work: when it fails (it is unavailable behind Cloudflare Access, say), the app answers.
    const hit = await cache.match(key).catch((error: unknown) => void log("edge cache: match failed", error));
    if (hit) return answerFrom(request, hit);
    const full = await (await app())(plainGet(request));
    // Only a 200 the key describes: one with a content coding would vary by Accept-Encoding, which is not keyed.
    if (full.status === 200 && !full.headers.has("content-encoding")) {
      ctx.waitUntil(cache.put(key, full.clone()).catch((error: unknown) => log("edge cache: put failed", error)));
    }
    return answerFrom(request, full);
  };
}
