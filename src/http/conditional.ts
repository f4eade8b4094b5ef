/**
 * Conditional GET (RFC 9110 §13.2.2): If-None-Match is evaluated first and,
 * when present, If-Modified-Since is ignored.
 */

/** Entity tags in an If-None-Match list; "*" matches anything. */
function parseEtagList(header: string): string[] | "*" {
  if (header.trim() === "*") return "*";
  return [...header.matchAll(/(?:W\/)?"[^"]*"/g)].map((m) => m[0]);
}

/** Weak comparison, as If-None-Match requires: W/"x" matches "x". */
function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

export function ifNoneMatchHits(header: string, etag: string): boolean {
  const list = parseEtagList(header);
  if (list === "*") return true;
  return list.some((t) => opaque(t) === opaque(etag));
}

/** HTTP dates have one-second resolution; compare in whole seconds. */
export function notModifiedSince(header: string, lastModified: Date): boolean {
  const since = Date.parse(header);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

/** Reads one request header by lower-case name: a Headers object, or Node's raw headers on the fast path. */
export type HeaderOf = (name: string) => string | null | undefined;

export function isNotModifiedBy(headerOf: HeaderOf, etag: string, lastModified: Date | undefined): boolean {
  const inm = headerOf("if-none-match");
  if (inm != null) return ifNoneMatchHits(inm, etag);
  const ims = headerOf("if-modified-since");
  if (ims != null && lastModified) return notModifiedSince(ims, lastModified);
  return false;
}

