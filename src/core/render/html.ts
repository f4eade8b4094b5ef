import type { Article, Enclosure } from "../article.js";
import type { SiteConfig } from "../config.js";
import { withCredit } from "../credit.js";
import { feedLinksOf, type DirectoryEntry, type FeedLink } from "../feed-directory.js";
import { FEED_FORMATS, type FeedFormat } from "../feed-model.js";
import { renderBody, summaryOf } from "../markdown.js";
import { scopePath, SITE_SCOPE, type Scope, type ScopeKind } from "../scopes.js";
import { slugify } from "../slug.js";
import { correctionHtml } from "../story-html.js";
import { escapeHtml } from "../text.js";
import type { Tombstone } from "../tombstone.js";
import { creditedTo, jsonLdScript, sharingMeta } from "./article-sharing.js";
import { dirOf, langAttrs } from "./direction.js";
import { OPML_MAIN_FORMAT, opmlFile } from "./opml.js";
import { timeElement } from "./page-dates.js";
import { stringsFor, type Link } from "./page-strings.js";

export { STYLESHEET } from "./stylesheet.js";

function autodiscovery(feeds: readonly FeedLink[]): string {
  return feeds.map((f) => `<link rel="alternate" type="${f.type}" title="${escapeHtml(f.label)}" href="${escapeHtml(f.href)}">`).join("\n");
}

export interface PageOptions {
  title: string;
  /** Absent on error pages: they stand for no URL of their own. */
  canonical?: string;
  /** The neighbouring pages of a paginated list (rel="prev": newer, rel="next": older). */
  prev?: string;
  next?: string;
  description: string;
  main: string;
  /** Feeds this page stands for: autodiscovery links and the header's feed links. */
  feeds: readonly FeedLink[];
  /** More of <head> (an article's sharing meta and JSON-LD). */
  head?: string;
}

/**
 * The chrome every page shares, in the site's language and direction: an
 * article in another language carries its own lang and dir inside it.
 */
export function page(site: SiteConfig, opts: PageOptions): string {
  const url = (path: string) => escapeHtml(new URL(path, site.baseUrl).href);
  const s = stringsFor(site.language);
  const feedNav = opts.feeds.map((f) => `<a href="${escapeHtml(f.href)}" type="${f.type}">${FORMAT_NAMES[f.format]}</a>`).join("\n");
  return `<!doctype html>
<html${langAttrs(site.language, escapeHtml)}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(opts.title)}</title>
<meta name="description" content="${escapeHtml(opts.description)}">
${opts.canonical ? `<link rel="canonical" href="${escapeHtml(opts.canonical)}">\n` : ""}${opts.prev ? `<link rel="prev" href="${escapeHtml(opts.prev)}">\n` : ""}${opts.next ? `<link rel="next" href="${escapeHtml(opts.next)}">\n` : ""}${autodiscovery(opts.feeds)}
<link rel="stylesheet" href="${url("style.css")}">
${opts.head ? `${opts.head}\n` : ""}</head>
<body>
<header class="masthead"><div class="bar">
<a class="site" href="${escapeHtml(site.baseUrl)}"><bdi>${escapeHtml(site.title)}</bdi></a>
<nav aria-label="${escapeHtml(s.feedsNav)}">${feedNav}
<a class="all-feeds" href="${url("feeds")}">${escapeHtml(s.allFeeds)}</a></nav>
</div></header>
<main>
${opts.main}
</main>
${site.copyright ? `<footer><p>${escapeHtml(site.copyright)}</p></footer>\n` : ""}</body>
</html>
`;
}

export const FORMAT_NAMES = { rss: "RSS", atom: "Atom", json: "JSON Feed" } as const;

/** A link whose words a string table gives (see page-strings.ts). */
export function linkTo(href: string): Link {
  return (text) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
}

function scopeUrl(site: SiteConfig, kind: Exclude<ScopeKind, "site">, name: string): string {
  return escapeHtml(new URL(scopePath(kind, slugify(name)), site.baseUrl).href);
}

/** A name, its direction its own (an Arabic name in an English line, a Latin one in Arabic). */
function bdi(text: string): string {
  return `<bdi>${escapeHtml(text)}</bdi>`;
}

/** "By Kim Min-ji, Lee Sun-woo", each name linking to its author page; agency copy credits the agency. */
function byline(site: SiteConfig, article: Article): string {
  const s = stringsFor(article.language);
  const credit = creditedTo(site, article);
  const names =
    credit.kind === "agency"
      ? `<span class="agency">${bdi(credit.name)}</span>`
      : credit.people.map((a) => `<a rel="author" href="${scopeUrl(site, "author", a.name)}">${bdi(a.name)}</a>`).join(escapeHtml(s.nameSeparator));
  // The template's words are plain text: escape them, then put the names' HTML in.
  const [before = "", after = ""] = s.byline("\u0000").split("\u0000");
  return `<p class="byline">${escapeHtml(before)}${names}${escapeHtml(after)}</p>`;
}

/** Published and, for a corrected story, when it was updated: the correction is marked, not hidden. */
function datesLine(site: SiteConfig, article: Article): string {
  const s = stringsFor(article.language);
  const published = `<span class="published">${escapeHtml(s.published)} ${timeElement(article.published, site, article.language, article.dateOnly?.published)}</span>`;
  const updated = article.updated
    ? ` <span class="updated"><strong>${escapeHtml(s.updated)}</strong> ${timeElement(article.updated, site, article.language, article.dateOnly?.updated)}</span>`
    : "";
  return `<p class="dates">${published}${updated}</p>`;
}

const AUDIO_NAMES: Record<string, string> = { "audio/mpeg": "MP3", "audio/mp4": "AAC", "audio/aac": "AAC", "audio/ogg": "Ogg", "audio/opus": "Opus", "audio/wav": "WAV", "audio/flac": "FLAC" };

function sizeText(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

/** Audio plays on the page (nothing loads before the reader presses play); anything else is a download link. */
function enclosure(e: Enclosure, lang: string): string {
  const s = stringsFor(lang);
  const kind = AUDIO_NAMES[e.type] ?? e.type;
  const about = `${kind}${e.length > 0 ? `, ${sizeText(e.length)}` : ""}`;
  const link = `<a href="${escapeHtml(e.url)}" type="${escapeHtml(e.type)}" download>${escapeHtml(s.download)}</a> <span class="about" dir="ltr">(${escapeHtml(about)})</span>`;
  if (e.type.startsWith("audio/")) {
    return `<figure class="enclosure audio"><figcaption>${escapeHtml(s.listen)}</figcaption>
<audio controls preload="none" src="${escapeHtml(e.url)}"></audio>
<p>${link}</p></figure>`;
  }
  return `<p class="enclosure">${link}</p>`;
}

function figure(article: Article): string {
  const image = article.image;
  if (!image) return "";
  const size = image.width && image.height ? ` width="${image.width}" height="${image.height}"` : "";
  return `<figure class="lead-image"><img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt ?? "")}"${size} decoding="async">${
    image.alt ? `<figcaption>${escapeHtml(image.alt)}</figcaption>` : ""
  }</figure>\n`;
}

export function renderArticlePage(site: SiteConfig, article: Article): string {
  const categories = article.categories.length
    ? `<ul class="kicker">${article.categories.map((c) => `<li><a href="${scopeUrl(site, "category", c)}">${bdi(c)}</a></li>`).join("")}</ul>\n`
    : "";
  const enclosures = article.enclosures.map((e) => enclosure(e, article.language)).join("\n");
  const correction = correctionHtml(article);
  // The desk trailer is wire shorthand, Latin in every language's copy: kept left to right as a unit.
  const desk = article.desk ? `<p class="desk"><bdi dir="ltr">(end) ${escapeHtml(article.desk)}</bdi></p>\n` : "";
  const main = `<article class="story"${langAttrs(article.language, escapeHtml)}>
${categories}<h1>${escapeHtml(article.title)}</h1>
${byline(site, article)}
${datesLine(site, article)}
${correction ? `${correction}\n` : ""}${figure(article)}<div class="body">
${withCredit(renderBody(article).html, article)}
</div>
${enclosures ? `${enclosures}\n` : ""}${desk}</article>`;
  return page(site, {
    title: `${article.title} — ${site.title}`,
    canonical: article.url,
    description: summaryOf(article),
    main,
    feeds: feedLinksOf(site, SITE_SCOPE),
    head: `${sharingMeta(site, article)}\n${jsonLdScript(site, article)}`,
  });
}

/** One article in a list: its own language and direction, headline, dateline, date, summary. */
export function listItem(site: SiteConfig, a: Article): string {
  const s = stringsFor(a.language);
  const meta = [
    ...(a.dateline ? [`<span class="dateline">${bdi(a.dateline)}</span>`] : []),
    timeElement(a.published, site, a.language, a.dateOnly?.published),
    ...(a.updated ? [`<span class="updated">${escapeHtml(s.updated)}</span>`] : []),
  ].join(" · ");
  return `<li${langAttrs(a.language, escapeHtml)}><h2><a href="${escapeHtml(a.url)}">${escapeHtml(a.title)}</a></h2>
<p class="meta">${meta}</p>
<p class="summary">${escapeHtml(summaryOf(a))}</p></li>`;
}

export function articleList(site: SiteConfig, articles: readonly Article[]): string {
  return articles.length
    ? `<ol class="articles">\n${articles.map((a) => listItem(site, a)).join("\n")}\n</ol>`
    : `<p class="empty">${escapeHtml(stringsFor(site.language).noArticles)}</p>`;
}

/** The site's front page, or the page of a category, author or language: its newest articles. */
/** Where a page of a paginated list sits: its number, how many there are, and its neighbours' URLs. */
export interface Pager {
  page: number;
  pages: number;
  /** The page of newer articles. */
  newer?: string;
  /** The page of older articles. */
  older?: string;
}

function pagerNav(site: SiteConfig, pager: Pager | undefined): string {
  if (!pager || pager.pages <= 1) return "";
  const s = stringsFor(site.language);
  const newer = pager.newer ? `<a rel="prev" href="${escapeHtml(pager.newer)}">${escapeHtml(s.newer)}</a>` : "";
  const older = pager.older ? `<a rel="next" href="${escapeHtml(pager.older)}">${escapeHtml(s.older)}</a>` : "";
  return `\n<nav class="pager" aria-label="${escapeHtml(s.pagesLabel)}">${newer} <span>${escapeHtml(s.pageOf(pager.page, pager.pages))}</span> ${older}</nav>`;
}

/** The site's front page, or the page of a category, author or language: its newest articles (or, with a pager, an older page of them). */
export function renderListPage(site: SiteConfig, scope: Scope, heading: string, description: string, articles: readonly Article[], pager?: Pager): string {
  const s = stringsFor(site.language);
  // The front page is headed by what it holds (the masthead names the site); a scope by its own
  // name, isolated (an Arabic category on an English site), under what kind of scope it is.
  const head =
    scope.kind === "site"
      ? `<h1>${escapeHtml(s.latest)}</h1>`
      : `<p class="eyebrow">${escapeHtml(s.scopeEyebrows[scope.kind])}</p>\n<h1>${bdi(scope.label)}</h1>`;
  const main = `<div class="page-head">
${head}
<p class="lede">${escapeHtml(description)}</p>
</div>
${articleList(site, articles)}${pagerNav(site, pager)}`;
  const numbered = pager && pager.page > 1 ? pager.page : undefined;
  return page(site, {
    title: numbered ? s.numberedTitle(heading, numbered) : heading,
    canonical: new URL(numbered ? `${scope.path}page/${numbered}/` : scope.path, site.baseUrl).href,
    ...(pager?.newer ? { prev: pager.newer } : {}),
    ...(pager?.older ? { next: pager.older } : {}),
    description,
    main,
    feeds: feedLinksOf(site, scope),
  });
}

/** The index of every category, author or language, with how many articles each has. */
export function renderScopeIndexPage(site: SiteConfig, kind: Exclude<ScopeKind, "site">, scopes: readonly { scope: Scope; total: number }[], path: string): string {
  const rows = scopes
    .map(({ scope, total }) => `<li><a href="${escapeHtml(new URL(scope.path, site.baseUrl).href)}"${kind === "language" ? ` hreflang="${escapeHtml(scope.label)}"` : ""}><bdi>${escapeHtml(scope.label)}</bdi></a> <span class="count">${total}</span></li>`)
    .join("\n");
  const s = stringsFor(site.language);
  const heading = s.kindHeadings[kind];
  const main = `<div class="page-head"><h1>${escapeHtml(heading)}</h1></div>\n${scopes.length ? `<ul class="scope-index">\n${rows}\n</ul>` : `<p>${escapeHtml(s.noneYet)}</p>`}`;
  return page(site, {
    title: `${heading} — ${site.title}`,
    canonical: new URL(path, site.baseUrl).href,
    description: s.indexDescription(heading, site.title),
    main,
    feeds: feedLinksOf(site, SITE_SCOPE),
  });
}

/** A URL as a reader types or pastes it: non-ASCII path segments shown as letters, not %-escapes. */
export function readableUrl(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}

/** A feed's address, to select with one click (no script: CSS user-select) and copy into a reader. */
export function copyableUrl(href: string): string {
  // Line breaks, where a narrow screen needs them, fall after a "/" (<wbr> adds no character to what is copied).
  const text = readableUrl(href).split("/").map(escapeHtml).join("/<wbr>");
  return `<code class="url" dir="ltr">${text}</code>`;
}

/** Every feed the site offers, grouped by kind, with addresses to copy into a reader and a preview of each. */
export function renderFeedsPage(site: SiteConfig, directory: readonly DirectoryEntry[], viewUrl: (feed: FeedLink) => string, withNews: boolean): string {
  const s = stringsFor(site.language);
  const entry = (d: DirectoryEntry) => {
    const name = d.scope.kind === "site" ? site.title : d.scope.label;
    const rows = d.feeds
      .map(
        (f) => `<li><span class="format">${FORMAT_NAMES[f.format]}</span> <a class="feed-link" href="${escapeHtml(f.href)}" type="${f.type}">${copyableUrl(f.href)}</a> <a class="preview" href="${escapeHtml(viewUrl(f))}">${escapeHtml(s.preview)}</a></li>`,
      )
      .join("\n");
    return `<li class="scope"><h3><a href="${escapeHtml(d.htmlUrl)}" dir="auto">${escapeHtml(name)}</a></h3>
<ul class="feed-urls">
${rows}
</ul></li>`;
  };
  const sections = (["site", "category", "author", "language"] as const)
    .map((kind) => ({ kind, entries: directory.filter((d) => d.scope.kind === kind) }))
    .filter((g) => g.entries.length > 0)
    .map((g) => `<section class="scope-group">
<h2>${escapeHtml(s.kindHeadings[g.kind])}</h2>
<ol class="directory">
${g.entries.map(entry).join("\n")}
</ol>
</section>`)
    .join("\n");
  const opmlUrl = (format?: FeedFormat) => new URL(opmlFile(format), site.baseUrl).href;
  const perFormat = FEED_FORMATS.map((f) => linkTo(opmlUrl(f))(FORMAT_NAMES[f])).join(s.nameSeparator);
  const main = `<div class="page-head">
<h1>${escapeHtml(s.allFeeds)}</h1>
<p class="lede">${s.feedsLede(linkTo(opmlUrl()), FORMAT_NAMES[OPML_MAIN_FORMAT], perFormat)}</p>
</div>
${sections}
<section class="scope-group">
<h2>${escapeHtml(s.sitemapsHeading)}</h2>
<ul class="sitemaps">
<li>${linkTo(new URL("sitemap.xml", site.baseUrl).href)(s.sitemapNames.all)}</li>${
    withNews ? `\n<li>${linkTo(new URL("news-sitemap.xml", site.baseUrl).href)(s.sitemapNames.news)}</li>` : ""
  }
</ul>
</section>`;
  return page(site, {
    title: s.feedsTitle(site.title),
    canonical: new URL("feeds", site.baseUrl).href,
    description: s.feedsDescription(site.title),
    main,
    feeds: feedLinksOf(site, SITE_SCOPE),
  });
}

/** No canonical link: a 404 is not a copy of the home page. */
export function renderNotFoundPage(site: SiteConfig): string {
  const s = stringsFor(site.language);
  return page(site, {
    title: `${s.notFound} — ${site.title}`,
    description: s.notFound,
    feeds: feedLinksOf(site, SITE_SCOPE),
    main: `<div class="page-head"><h1>${escapeHtml(s.notFound)}</h1>\n<p class="lede">${s.notFoundLede(linkTo(site.baseUrl))}</p></div>`,
  });
}

/** The page a withdrawn article's URL answers with (410 Gone): what was withdrawn, and when. */
export function renderGonePage(site: SiteConfig, withdrawn: Tombstone): string {
  const s = stringsFor(site.language);
  // The withdrawn headline keeps its own direction inside the site's sentence.
  const title = withdrawn.title === undefined ? undefined : bdi(withdrawn.title);
  const lede = s.withdrawnLede(title, timeElement(withdrawn.when, site, site.language), linkTo(site.baseUrl));
  // The reason is the desk's words, in the article's language.
  const reason = withdrawn.reason === undefined
    ? ""
    : `\n<p class="kill-reason"><strong>${escapeHtml(s.killReason)}:</strong> <span${langAttrs(withdrawn.language ?? site.language, escapeHtml)}>${escapeHtml(withdrawn.reason)}</span></p>`;
  return page(site, {
    title: `${s.withdrawn} — ${site.title}`,
    description: s.withdrawn,
    feeds: feedLinksOf(site, SITE_SCOPE),
    main: `<div class="page-head"><h1>${escapeHtml(s.withdrawn)}</h1>\n<p class="lede">${lede}</p>${reason}</div>`,
  });
}

export { dirOf };
