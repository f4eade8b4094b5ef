import type { SiteConfig } from "../core/config.js";
import { negotiateFeed, prefersHtml } from "./app.js";
import type { HeaderOf } from "./conditional.js";
import { requestLineProblem } from "./request-limits.js";
import { BadRequest, parseLimit } from "./site-resources.js";

/**
 * What a cache shared by every client (the Worker's edge cache) must key a
 * GET on, besides the build, config and content version: everything the
 * app's 200 depends on, decided by the app's own functions.
 *
 * - the path;
 * - the validated `limit` (the only query parameter the app reads; others,
 *   such as readers' cache-busters, are ignored by the app and so here);
 * - for `/feed`, the format Accept negotiates;
 * - whether the client prefers HTML to feed types (a browser): an XML feed
 *   is then labelled application/xml so its stylesheet applies.
 *
 * Accept-Encoding is not in it: the Worker's app has no compressor, so its
 * bytes and ETag are the same for every coding (the edge compresses on the
 * way out); the edge cache refuses to store a response with a coding.
 *
 * Undefined when the app may answer with something other than a 200 the key
 * describes: a request line over its limits (414/400), a `limit` it refuses
 * (400), a `/feed` asking for no format offered (406); and for the publish
 * API and any request carrying credentials, whose answers are one client's
 * and never shared. The app answers those.
 */
export function sharedCacheVariant(site: SiteConfig, requestUrl: string, headerOf: HeaderOf): string | undefined {
  if (requestLineProblem(requestUrl)) return undefined;
  const url = new URL(requestUrl);
  if (url.pathname === "/api" || url.pathname.startsWith("/api/") || headerOf("authorization") != null) return undefined;
  let limit: number | undefined;
  try {
    limit = parseLimit(site, url.searchParams);
  } catch (error) {
    if (error instanceof BadRequest) return undefined;
    throw error;
  }
  const accept = headerOf("accept") ?? null;
  const parts = [limit === undefined ? "" : `limit=${limit}`];
  // The app's negotiated route (app.get("/feed")).
  if (url.pathname === "/feed") {
    const format = negotiateFeed(accept);
    if (!format) return undefined;
    parts.push(`feed=${format}`);
  }
  parts.push(prefersHtml(accept) ? "reader=browser" : "reader=other");
  return `${url.pathname}?${parts.filter(Boolean).join("&")}`;
}
