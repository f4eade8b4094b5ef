import type { ArticleMeta } from "./article.js";
import type { SiteConfig } from "./config.js";
import { formatUrls } from "./feed-model.js";
import { scopesOf, SITE_SCOPE } from "./scopes.js";

/** Every feed URL an article appears in (site, its categories, authors, language): the WebSub topics a change touches. */
export function feedsShowing(site: SiteConfig, article: ArticleMeta | undefined): string[] {
  const scopes = [SITE_SCOPE];
  if (article) for (const kind of ["category", "author", "language"] as const) scopes.push(...scopesOf([article], kind));
  return scopes.flatMap((s) => Object.values(formatUrls(site, s.path)));
}
