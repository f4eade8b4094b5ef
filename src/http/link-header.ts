import { FORMAT_LABELS, type FeedLink } from "../core/feed-directory.js";

/** A Link title parameter: quoted when printable ASCII, else RFC 8187 `title*` (header values are bytes). */
function titleParam(title: string): string {
  if (/^[\x20-\x7e]*$/.test(title)) return `title="${title.replace(/["\\]/g, "\\$&")}"`;
  const encoded = encodeURIComponent(title).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `title*=UTF-8''${encoded}`;
}

/**
 * RFC 8288 Link header advertising a page's feeds, for clients that read
 * headers, not HTML. `byFormat` titles them by format only ("RSS"), for the
 * pages of a category, author or language: their own <link>s carry the
 * scope's name, and so the header of every such page differs only in the
 * scope's path, which a static host's header rule can fill in (one
 * `_headers` rule for all categories, not one per category).
 */
export function alternatesLink(feeds: readonly FeedLink[], byFormat = false): string {
  return feeds.map((f) => `<${f.href}>; rel="alternate"; type="${f.type}"; ${titleParam(byFormat ? FORMAT_LABELS[f.format] : f.label)}`).join(", ");
}

/** WebSub discovery in HTTP (W3C WebSub §4): the hub and the topic's own URL. */
export function websubLink(hub: string, self: string): string {
  return `<${hub}>; rel="hub", <${self}>; rel="self"`;
}
