/**
 * /feeds/<feed path>: a feed's HTML view (src/core/feed-views.ts), the page a
 * browser opening the feed's URL is sent to. Rendered from the feed's own
 * content (the same entries, the same Last-Modified), so the page and the
 * feed never disagree; cached like any page.
 */
import type { SiteConfig } from "../core/config.js";
import { feedOfView, feedViewPath } from "../core/feed-views.js";
import { FEED_FORMATS, type FormatUrls } from "../core/feed-model.js";
import { renderFeedView } from "../core/render/feed-view.js";
import type { Resource } from "./resource.js";

const HTML = "text/html; charset=utf-8";

/** The absolute URL of the HTML view of the feed at `feedHref` (an absolute URL of the site). */
export function feedViewUrl(site: SiteConfig, feedHref: string): string {
  const feedPath = feedHref.slice(new URL(site.baseUrl).href.length);
  return new URL(feedViewPath(feedPath) ?? "feeds", site.baseUrl).href;
}

/**
 * The view named by the segments after "feeds", or undefined when they name
 * no feed. `resolveFeed` answers a raw feed path as the site does (a 404
 * there is a 404 here; a bad ?limit is a 400 here too).
 */
export async function feedViewResource(
  site: SiteConfig,
  segments: readonly string[],
  resolveFeed: (rawPath: string) => Promise<Resource | undefined>,
): Promise<Resource | undefined> {
  const named = feedOfView(segments);
  if (!named) return undefined;
  const feed = await resolveFeed(`/${named.feedSegments.map(encodeURIComponent).join("/")}`);
  const content = feed?.feed;
  if (!feed || !content || content.format !== named.format) return undefined;
  const viewUrls = (model: { selfUrls: FormatUrls }) =>
    Object.fromEntries(FEED_FORMATS.map((f) => [f, feedViewUrl(site, model.selfUrls[f])])) as FormatUrls;
  const deps = feed.deps;
  return {
    key: `view:${feed.key}`,
    ...(deps ? { deps: () => `view|${deps()}` } : {}),
    ...(feed.holds !== undefined ? { holds: feed.holds } : {}),
    ...(feed.cacheControl ? { cacheControl: feed.cacheControl } : {}),
    cors: false,
    render: async () => {
      const { model, lastModified } = await content.load();
      return { contentType: HTML, body: renderFeedView(site, content.format, model, viewUrls(model)), lastModified };
    },
  };
}
