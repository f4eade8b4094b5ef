import type { Article } from "../article.js";
import type { SiteConfig } from "../config.js";
import { withCredit } from "../credit.js";
import { zoneOffsetMinutes } from "../dates.js";
import { feedLinksOf, type DirectoryEntry, type FeedLink } from "../feed-directory.js";
import { FEED_FORMATS, type FeedFormat } from "../feed-model.js";
import { OPML_MAIN_FORMAT, opmlFile } from "./opml.js";
import { scopePath, SITE_SCOPE, type Scope } from "../scopes.js";
import { slugify } from "../slug.js";
import { renderBody, summaryOf } from "../markdown.js";
import { escapeHtml } from "../text.js";
import type { Tombstone } from "../tombstone.js";

/** Languages written right to left (primary subtag), so pages set dir="rtl" for them. */
const RTL = new Set(["ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"]);

function dir(lang: string): "rtl" | "ltr" {
  return RTL.has(lang.split("-")[0]!.toLowerCase()) ? "rtl" : "ltr";
}

function autodiscovery(feeds: readonly FeedLink[]): string {
  return feeds.map((f) => `<link rel="alternate" type="${f.type}" title="${escapeHtml(f.label)}" href="${escapeHtml(f.href)}">`).join("\n");
}

interface PageOptions {
  title: string;
  lang: string;
  /** Absent on error pages: they stand for no URL of their own. */
  canonical?: string;
  /** The neighbouring pages of a paginated list (rel="prev": newer, rel="next": older). */
  prev?: string;
  next?: string;
  description: string;
  main: string;
  /** Feeds this page stands for: autodiscovery links and the header's feed links. */
  feeds: readonly FeedLink[];
}

function page(site: SiteConfig, opts: PageOptions): string {
  const url = (path: string) => escapeHtml(new URL(path, site.baseUrl).href);
  return `<!doctype html>
<html lang="${escapeHtml(opts.lang)}" dir="${dir(opts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<meta name="description" content="${escapeHtml(opts.description)}">
${opts.canonical ? `<link rel="canonical" href="${escapeHtml(opts.canonical)}">\n` : ""}${opts.prev ? `<link rel="prev" href="${escapeHtml(opts.prev)}">\n` : ""}${opts.next ? `<link rel="next" href="${escapeHtml(opts.next)}">\n` : ""}${autodiscovery(opts.feeds)}
<link rel="stylesheet" href="${url("style.css")}">
</head>
<body>
<header><a class="site" href="${escapeHtml(site.baseUrl)}">${escapeHtml(site.title)}</a>
<nav>${opts.feeds.map((f) => `<a href="${escapeHtml(f.href)}">${FORMAT_NAMES[f.format]}</a>`).join(" ")} <a href="${url("feeds")}">All feeds</a></nav></header>
<main>
${opts.main}
</main>
${site.copyright ? `<footer>${escapeHtml(site.copyright)}</footer>\n` : ""}</body>
</html>
`;
}

const FORMAT_NAMES = { rss: "RSS", atom: "Atom", json: "JSON Feed" } as const;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * Dates on pages are shown in the site's time zone, so a reader sees the
 * dateline's day. Formatted by hand, not by Intl's date styles: those differ
 * between ICU versions, and every runtime must produce the same bytes.
 */
function humanDate(date: Date, site: SiteConfig): string {
  const offset = zoneOffsetMinutes(site.timeZone, date.getTime());
  const local = new Date(date.getTime() + offset * 60000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}, ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}

function time(date: Date, site: SiteConfig): string {
  return `<time datetime="${date.toISOString()}">${escapeHtml(humanDate(date, site))}</time>`;
}

function byline(article: Article): string {
  return article.authors.map((a) => escapeHtml(a.name)).join(", ");
}

function scopeLink(site: SiteConfig, kind: "category" | "author", name: string): string {
  return `<a href="${escapeHtml(new URL(scopePath(kind, slugify(name)), site.baseUrl).href)}">${escapeHtml(name)}</a>`;
}

export function renderArticlePage(site: SiteConfig, article: Article): string {
  const categories = article.categories.length
    ? `<ul class="categories">${article.categories.map((c) => `<li>${scopeLink(site, "category", c)}</li>`).join("")}</ul>\n`
    : "";
  const image = article.image
    ? `<figure><img src="${escapeHtml(article.image.url)}" alt="${escapeHtml(article.image.alt ?? "")}"></figure>\n`
    : "";
  const main = `<article lang="${escapeHtml(article.language)}" dir="${dir(article.language)}">
<h1>${escapeHtml(article.title)}</h1>
<p class="meta">By ${article.authors.map((a) => scopeLink(site, "author", a.name)).join(", ")} · Published ${time(article.published, site)}${article.updated ? ` · Updated ${time(article.updated, site)}` : ""}</p>
${categories}${image}${withCredit(renderBody(article).html, article)}
${article.desk ? `<p class="desk">(end) ${escapeHtml(article.desk)}</p>\n` : ""}</article>`;
  return page(site, {
    title: `${article.title} — ${site.title}`,
    lang: article.language,
    canonical: article.url,
    description: summaryOf(article),
    main,
    feeds: feedLinksOf(site, SITE_SCOPE),
  });
}

/** Where a page of a paginated list sits: its number, how many there are, and its neighbours' URLs. */
export interface Pager {
  page: number;
  pages: number;
  /** The page of newer articles. */
  newer?: string;
  /** The page of older articles. */
  older?: string;
}

function pagerNav(pager: Pager | undefined): string {
  if (!pager || pager.pages <= 1) return "";
  const newer = pager.newer ? `<a rel="prev" href="${escapeHtml(pager.newer)}">← Newer</a>` : "";
  const older = pager.older ? `<a rel="next" href="${escapeHtml(pager.older)}">Older →</a>` : "";
  return `\n<nav class="pager" aria-label="Pages">${newer} <span>Page ${pager.page} of ${pager.pages}</span> ${older}</nav>`;
}

/** The site's front page, or the page of a category, author or language: its newest articles (or, with a pager, an older page of them). */
export function renderListPage(site: SiteConfig, scope: Scope, heading: string, description: string, articles: readonly Article[], pager?: Pager): string {
  const lang = scope.kind === "language" ? scope.label : site.language;
  const items = articles
    .map(
      (a) => `<li${a.language !== lang ? ` lang="${escapeHtml(a.language)}" dir="${dir(a.language)}"` : ""}><h2><a href="${escapeHtml(a.url)}">${escapeHtml(a.title)}</a></h2>
<p class="meta">${time(a.published, site)}${a.updated ? " · updated" : ""}${a.dateline ? ` · ${escapeHtml(a.dateline)}` : ""}</p>
<p>${escapeHtml(summaryOf(a))}</p></li>`,
    )
    .join("\n");
  const main = `<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(description)}</p>
${articles.length ? `<ol class="articles">\n${items}\n</ol>` : "<p>No articles yet.</p>"}${pagerNav(pager)}`;
  const numbered = pager && pager.page > 1 ? pager.page : undefined;
  return page(site, {
    title: numbered ? `${heading} — page ${numbered}` : heading,
    lang,
    canonical: new URL(numbered ? `${scope.path}page/${numbered}/` : scope.path, site.baseUrl).href,
    ...(pager?.newer ? { prev: pager.newer } : {}),
    ...(pager?.older ? { next: pager.older } : {}),
    description,
    main,
    feeds: feedLinksOf(site, scope),
  });
}

const INDEX_HEADINGS = { category: "Categories", author: "Authors", language: "Languages" } as const;

/** The index of every category, author or language, with how many articles each has. */
export function renderScopeIndexPage(site: SiteConfig, kind: keyof typeof INDEX_HEADINGS, scopes: readonly { scope: Scope; total: number }[], path: string): string {
  const rows = scopes
    .map(({ scope, total }) => `<li><a href="${escapeHtml(new URL(scope.path, site.baseUrl).href)}"${kind === "language" ? ` hreflang="${escapeHtml(scope.label)}"` : ""}><bdi>${escapeHtml(scope.label)}</bdi></a> <span class="count">${total}</span></li>`)
    .join("\n");
  const heading = INDEX_HEADINGS[kind];
  const main = `<h1>${heading}</h1>\n${scopes.length ? `<ul class="scope-index">\n${rows}\n</ul>` : `<p>None yet.</p>`}`;
  return page(site, {
    title: `${heading} — ${site.title}`,
    lang: site.language,
    canonical: new URL(path, site.baseUrl).href,
    description: `${heading} of ${site.title}`,
    main,
    feeds: feedLinksOf(site, SITE_SCOPE),
  });
}

/** Every feed the site offers, with URLs to copy into a reader. */
export function renderFeedsPage(site: SiteConfig, directory: readonly DirectoryEntry[]): string {
  const rows = directory
    .map(
      (d) => `<li><h2><a href="${escapeHtml(d.htmlUrl)}">${escapeHtml(d.title)}</a></h2>
<ul class="feed-urls">${d.feeds.map((f) => `<li>${FORMAT_NAMES[f.format]}: <input readonly value="${escapeHtml(f.href)}" aria-label="${escapeHtml(f.label)}"></li>`).join("")}</ul></li>`,
    )
    .join("\n");
  const opmlUrl = (format?: FeedFormat) => escapeHtml(new URL(opmlFile(format), site.baseUrl).href);
  const perFormat = FEED_FORMATS.map((f) => `<a href="${opmlUrl(f)}">${FORMAT_NAMES[f]}</a>`).join(", ");
  const main = `<h1>All feeds</h1>
<p>Copy a feed's address into your feed reader, or import <a href="${opmlUrl()}">the whole list as OPML</a> (one ${FORMAT_NAMES[OPML_MAIN_FORMAT]} feed each); lists in one format: ${perFormat}.</p>
<ol class="directory">
${rows}
</ol>`;
  return page(site, {
    title: `All feeds — ${site.title}`,
    lang: site.language,
    canonical: new URL("feeds", site.baseUrl).href,
    description: `Every feed ${site.title} offers`,
    main,
    feeds: feedLinksOf(site, SITE_SCOPE),
  });
}

export function renderNotFoundPage(site: SiteConfig): string {
  return page(site, {
    title: `Not found — ${site.title}`,
    lang: site.language,
    description: "Not found",
    feeds: feedLinksOf(site, SITE_SCOPE),
    main: `<h1>Not found</h1>\n<p>There is no page at this address. See the <a href="${escapeHtml(site.baseUrl)}">latest articles</a>.</p>`,
  });
}

/** The page a withdrawn article's URL answers with (410 Gone): what was withdrawn, and when. */
export function renderGonePage(site: SiteConfig, withdrawn: Tombstone): string {
  const what = withdrawn.title === undefined ? "The article at this address" : `The article “${escapeHtml(withdrawn.title)}”`;
  return page(site, {
    title: `Withdrawn — ${site.title}`,
    lang: site.language,
    description: "Withdrawn",
    feeds: feedLinksOf(site, SITE_SCOPE),
    main: `<h1>Withdrawn</h1>\n<p>${what} was withdrawn on ${time(withdrawn.when, site)}. See the <a href="${escapeHtml(site.baseUrl)}">latest articles</a>.</p>`,
  });
}

export const STYLESHEET = `body{font:17px/1.55 Georgia,"Noto Serif",serif;max-width:44rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fdfdfb}
header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:2px solid #1b1b1b;margin-bottom:1.5rem;padding-bottom:.5rem}
header a.site{font:700 1.3rem system-ui,sans-serif;color:inherit;text-decoration:none}
nav a{font:.9rem system-ui,sans-serif;margin-inline-start:.75rem}
h1{font:700 1.9rem/1.2 system-ui,sans-serif;margin:.2rem 0 .6rem}
h2{font:700 1.25rem/1.3 system-ui,sans-serif;margin:0}
.meta,.desk,footer{color:#5a5a5a;font:.85rem system-ui,sans-serif}
ol.articles{list-style:none;padding:0}ol.articles li{margin:0 0 1.4rem}
ul.categories{list-style:none;padding:0;display:flex;gap:.5rem}ul.categories li{font:.75rem system-ui,sans-serif;background:#eee;padding:.1rem .5rem;border-radius:.6rem}
ol.directory{list-style:none;padding:0}ul.feed-urls{list-style:none;padding:0;font:.85rem system-ui,sans-serif}ul.feed-urls input{width:70%;font:.85rem ui-monospace,monospace}
aside.about-feed{background:#f3f6fa;border:1px solid #d5dde8;padding:.5rem 1rem;border-radius:.4rem;font:.9rem system-ui,sans-serif}
a{color:#0b57a4}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}
footer{border-top:1px solid #ccc;margin-top:2rem;padding-top:.5rem}
`;
