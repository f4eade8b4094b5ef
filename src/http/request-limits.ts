import type { MiddlewareHandler } from "hono";

/**
 * Bounds on what a request line may carry, checked before any routing. No
 * URL of ours is longer than a slug under /items/, and none takes a query
 * parameter but a feed's `limit` (readers add cache-busters such as
 * "?_=1700000000", which are ignored), so these limits are generous for real
 * clients and cut off junk early. Of a query, only the validated `limit`
 * reaches a cache key: representations are keyed by path and limit.
 */
export const LIMITS = {
  /** Bytes of the path as sent (percent-encoded). */
  pathBytes: 1024,
  /** Bytes of the query string as sent, without the "?". */
  queryBytes: 1024,
  /** Query parameters ("a=1&b=2" is two). */
  queryParams: 20,
} as const;

/** A plain-text client error; also used by runtimes that check the raw target before the app. */
export function reject(status: 400 | 414, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
  });
}

/**
 * Problems in a raw request target (as sent, before URL normalisation) that
 * no URL of ours has: dot segments, also percent-encoded ("%2e%2e": the URL
 * standard resolves them, so "/items/%2e%2e" would quietly become "/"),
 * encoded slashes or backslashes, and NUL. Only runtimes that still see the
 * raw target (Node) can check this; elsewhere the normalised path can at most
 * climb to the site root, which is still inside the site.
 */
export function rawTargetProblem(target: string): string | undefined {
  const q = target.indexOf("?");
  const path = q === -1 ? target : target.slice(0, q);
  for (const segment of path.split("/")) {
    if (/^(?:\.|%2e){1,2}$/i.test(segment)) return "dot segment in path";
  }
  if (/%2f|%5c/i.test(path)) return "encoded slash in path";
  if (/%00|\u0000/.test(target)) return "NUL in request target";
  return undefined;
}

/** The 414 or 400 for a request URL over LIMITS; undefined when it is within them. */
export function requestLineProblem(url: string): Response | undefined {
  // The raw target, not the parsed URL: it is what the client sent, before any decoding.
  const afterOrigin = url.indexOf("/", url.indexOf("//") + 2);
  const target = afterOrigin === -1 ? "/" : url.slice(afterOrigin);
  const hash = target.indexOf("#");
  const withoutHash = hash === -1 ? target : target.slice(0, hash);
  const q = withoutHash.indexOf("?");
  const path = q === -1 ? withoutHash : withoutHash.slice(0, q);
  const query = q === -1 ? "" : withoutHash.slice(q + 1);
  if (path.length > LIMITS.pathBytes) return reject(414, "URI Too Long: path");
  if (query.length > LIMITS.queryBytes) return reject(414, "URI Too Long: query");
  if (query !== "" && query.split("&").length > LIMITS.queryParams) return reject(400, "Bad Request: too many query parameters");
  return undefined;
}

export function requestLimits(): MiddlewareHandler {
  return async (c, next) => {
    const problem = requestLineProblem(c.req.url);
    if (problem) return problem;
    await next();
  };
}
