/**
 * A browser opening a feed's URL is sent to the feed's HTML view, a URL of
 * its own (303 See Other); everyone else gets the feed, byte for byte as
 * before. Why a redirect and not the page in place:
 *
 * - The page in place would be a second representation of the feed's URL.
 *   A shared cache that ignores Vary (many CDNs) could then store the page
 *   and hand it to feed readers. Here the only answer that differs for
 *   browsers is the redirect, and it says `no-store`: no cache keeps it, so
 *   what any cache holds for a feed URL is the feed.
 * - The view is an ordinary page at its own URL: cached, linked, shared.
 *
 * Who counts as a browser: Fetch Metadata, not Accept. Browsers send
 * `Sec-Fetch-Mode: navigate` and `Sec-Fetch-Dest: document` for a top-level
 * navigation, and a page's script cannot forge them; feed readers send
 * neither. Many readers do send a browser-like Accept (text/html first), so
 * Accept would send some of them to the page. A browser too old to send
 * Fetch Metadata gets the feed itself.
 */
import type { SiteConfig } from "../core/config.js";
import type { HeaderOf } from "./conditional.js";

/** What the answer to a feed URL depends on besides the encoding. */
export const FEED_VARY = "Sec-Fetch-Dest, Sec-Fetch-Mode";

export function isDocumentNavigation(headerOf: HeaderOf): boolean {
  return headerOf("sec-fetch-mode")?.trim().toLowerCase() === "navigate" && headerOf("sec-fetch-dest")?.trim().toLowerCase() === "document";
}

/** 303 to a feed's HTML view; never stored by any cache (see above). */
export function seeFeedView(site: SiteConfig, viewPath: string, search: string): Response {
  const location = new URL(viewPath + search, site.baseUrl).href;
  return new Response(`See the feed's page: ${location}\n`, {
    status: 303,
    headers: {
      Location: location,
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "private, no-store",
      Vary: FEED_VARY,
    },
  });
}
