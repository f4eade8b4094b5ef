import type { SiteConfig } from "./config.js";
import { formatUrls, scopeTitle, type FeedFormat, type FormatUrls } from "./feed-model.js";
import type { Scope } from "./scopes.js";

export interface FeedLink {
  format: FeedFormat;
  type: string;
  label: string;
  href: string;
}

export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml",
  atom: "application/atom+xml",
  json: "application/feed+json",
};

export const FORMAT_LABELS: Record<FeedFormat, string> = { rss: "RSS", atom: "Atom", json: "JSON Feed" };

/** The three feeds of a scope, for autodiscovery <link>s, HTTP Link headers and listings. */
export function feedLinksOf(site: SiteConfig, scope: Scope): FeedLink[] {
  const urls: FormatUrls = formatUrls(site, scope.path);
  return (["rss", "atom", "json"] as const).map((format) => ({
    format,
    type: FEED_MEDIA_TYPES[format],
    label: `${scopeTitle(site, scope)} (${FORMAT_LABELS[format]})`,
    href: urls[format],
  }));
}

export interface DirectoryEntry {
  scope: Scope;
  title: string;
  htmlUrl: string;
  feeds: FeedLink[];
}

/** Every feed the site offers, one entry per scope given (the site's, then each category, author and language). */
export function feedDirectory(site: SiteConfig, scopes: readonly Scope[]): DirectoryEntry[] {
  return scopes.map((scope) => ({
    scope,
    title: scopeTitle(site, scope),
    htmlUrl: new URL(scope.path, site.baseUrl).href,
    feeds: feedLinksOf(site, scope),
  }));
}
