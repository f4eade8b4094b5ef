import type { SiteConfig } from "../config.js";
import { escapeXml } from "./xml-guards.js";

/** The sitemap protocol's limit of URLs per file (https://www.sitemaps.org/protocol.html). */
export const SITEMAP_MAX_URLS = 50_000;
/** Google News sitemaps list at most 1,000 articles, of the last two days. */
export const NEWS_SITEMAP_MAX_URLS = 1_000;
export const NEWS_WINDOW_MS = 48 * 3_600_000;

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";
const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface SitemapUrl {
  loc: string;
  lastmod?: Date;
}

/** W3C Datetime to the second, in UTC (the protocol's `lastmod`). */
function w3cDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function urlElement(url: SitemapUrl, inner = ""): string {
  return `<url><loc>${escapeXml(url.loc)}</loc>${url.lastmod ? `<lastmod>${w3cDate(url.lastmod)}</lastmod>` : ""}${inner}</url>`;
}

/** A `urlset` document: at most SITEMAP_MAX_URLS URLs (the caller splits). */
export function renderUrlset(urls: readonly SitemapUrl[]): string {
  return `${HEAD}<urlset xmlns="${SITEMAP_NS}">\n${urls.map((u) => urlElement(u)).join("\n")}${urls.length ? "\n" : ""}</urlset>\n`;
}

/** A sitemap index naming each sitemap file. */
export function renderSitemapIndex(sitemaps: readonly string[]): string {
  return `${HEAD}<sitemapindex xmlns="${SITEMAP_NS}">\n${sitemaps.map((loc) => `<sitemap><loc>${escapeXml(loc)}</loc></sitemap>`).join("\n")}\n</sitemapindex>\n`;
}

export interface NewsUrl {
  loc: string;
  title: string;
  published: Date;
  language: string;
}

/**
 * Google News wants ISO 639 codes, with zh-cn and zh-tw for Chinese
 * (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
 */
function newsLanguage(tag: string): string {
  const lower = tag.toLowerCase();
  if (lower === "zh-cn" || lower === "zh-hans" || lower.startsWith("zh-hans-")) return "zh-cn";
  if (lower === "zh-tw" || lower === "zh-hant" || lower.startsWith("zh-hant-")) return "zh-tw";
  return lower.split("-")[0]!;
}

/** The News sitemap: the articles of the last two days, newest first. */
export function renderNewsSitemap(site: SiteConfig, urls: readonly NewsUrl[]): string {
  const items = urls.map((u) =>
    urlElement(
      { loc: u.loc },
      `<news:news><news:publication><news:name>${escapeXml(site.title)}</news:name><news:language>${escapeXml(newsLanguage(u.language))}</news:language></news:publication>` +
        `<news:publication_date>${w3cDate(u.published)}</news:publication_date><news:title>${escapeXml(u.title)}</news:title></news:news>`,
    ),
  );
  return `${HEAD}<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n${items.join("\n")}${items.length ? "\n" : ""}</urlset>\n`;
}

/** robots.txt: everything may be crawled but the write API; the sitemaps are named (the News sitemap while there is one). */
export function renderRobots(site: SiteConfig, withNews: boolean): string {
  const url = (path: string) => new URL(path, site.baseUrl).href;
  return `User-agent: *\nDisallow: ${new URL("api/", site.baseUrl).pathname}\n\nSitemap: ${url("sitemap.xml")}\n${withNews ? `Sitemap: ${url("news-sitemap.xml")}\n` : ""}`;
}
