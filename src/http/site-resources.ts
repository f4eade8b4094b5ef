import { lastChange, type Article } from "../core/article.js";
import type { Catalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { FEED_FILES, newestChange, siteFeed, type FeedFormat } from "../core/feed-model.js";
import { renderAtom } from "../core/render/atom.js";
import { renderArticlePage, renderIndexPage, STYLESHEET } from "../core/render/html.js";
import { renderJson } from "../core/render/json.js";
import { renderRss } from "../core/render/rss.js";
import type { Rendered } from "./representation.js";

export const MEDIA_TYPES = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
} as const;

const RENDERERS = { rss: renderRss, atom: renderAtom, json: renderJson } as const;

/** The newest `site.feedSize` articles, loaded in full. */
function newest(site: SiteConfig, catalog: Catalog): Promise<Article[]> {
  return Promise.all(catalog.entries.slice(0, site.feedSize).map((e) => catalog.load(e)));
}

/**
 * Every path the site answers with 200, mapped to how its body is made
 * (undefined: 404). Deciding is cheap and synchronous; rendering is deferred.
 */
export function resolveResource(site: SiteConfig, catalog: Catalog, path: string): (() => Promise<Rendered>) | undefined {
  for (const format of Object.keys(FEED_FILES) as FeedFormat[]) {
    if (path === `/${FEED_FILES[format]}`) {
      return async () => {
        const model = siteFeed(site, await newest(site, catalog));
        return { contentType: MEDIA_TYPES[format], body: RENDERERS[format](model), lastModified: model.updated };
      };
    }
  }
  if (path === "/") {
    return async () => {
      const shown = await newest(site, catalog);
      return { contentType: MEDIA_TYPES.html, body: renderIndexPage(site, shown), lastModified: newestChange(shown) };
    };
  }
  if (path === "/style.css") return async () => ({ contentType: MEDIA_TYPES.css, body: STYLESHEET });
  const item = /^\/items\/([a-z0-9-]+)$/.exec(path);
  if (item) {
    const entry = catalog.find(item[1]!);
    if (!entry) return undefined;
    return async () => {
      const article = await catalog.load(entry);
      return { contentType: MEDIA_TYPES.html, body: renderArticlePage(site, article), lastModified: lastChange(article) };
    };
  }
  return undefined;
}

/**
 * Every path resolveResource answers with 200: the index, the feeds, the
 * stylesheet, then one page per published article (newest first). A static
 * build (wirefeed build) writes exactly these. The site is unused today; it is
 * there so a path that comes to depend on config changes both functions alike.
 */
export function listPaths(_site: SiteConfig, catalog: Catalog): string[] {
  const feeds = (Object.keys(FEED_FILES) as FeedFormat[]).map((format) => `/${FEED_FILES[format]}`);
  return ["/", ...feeds, "/style.css", ...catalog.entries.map((entry) => `/items/${entry.slug}`)];
}
