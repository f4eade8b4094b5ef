import type { Layout } from "./static-site.js";

/** First line of the _redirects we write. */
export const REDIRECTS_MARK = "# Written by wirefeed build: the server's 301s that a static host can make (Cloudflare Pages, Netlify).";

const SCOPE_SEGMENTS = ["categories", "authors", "languages"] as const;

/**
 * A _redirects file (Cloudflare Pages / Netlify format) with the server's
 * permanent redirects that do not depend on the records: page 1 of a list
 * is the list itself, and, in the flat layout, an article or /feeds asked
 * for with a trailing slash, and the list pages and indexes asked for
 * without theirs (hosts add a folder's slash themselves, but with 307 or
 * 302, where the server says 301). A host cannot fold case, so a
 * capitalised address is its 404 (the server redirects it).
 * In the dirs layout the host answers /items/<slug> with a redirect to the
 * folder (/items/<slug>/), so the reverse rule would loop and is not written.
 * `basePath` is the site URL's path without its trailing slash ("" at the root).
 */
export function redirectsFile(layout: Layout, basePath: string): string {
  const rules: [string, string][] = [
    ["/page/1/", "/"],
    ["/page/1", "/"],
    ...SCOPE_SEGMENTS.flatMap((kind): [string, string][] => [
      [`/${kind}`, `/${kind}/`],
      [`/${kind}/:slug`, `/${kind}/:slug/`],
      [`/${kind}/:slug/page/1/`, `/${kind}/:slug/`],
      [`/${kind}/:slug/page/1`, `/${kind}/:slug/`],
    ]),
    ...(layout === "flat" ? ([["/items/:slug/", "/items/:slug"], ["/feeds/", "/feeds"]] as [string, string][]) : []),
  ];
  return `${REDIRECTS_MARK}\n${rules.map(([from, to]) => `${basePath}${from} ${basePath}${to} 301`).join("\n")}\n`;
}
