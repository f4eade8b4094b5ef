import type { Article } from "../article.js";
import type { SiteConfig } from "../config.js";
import { zoneOffsetMinutes } from "../dates.js";
import { FEED_FILES } from "../feed-model.js";
import { renderBody, summaryOf } from "../markdown.js";
import { escapeHtml } from "../text.js";

/** Languages written right to left (primary subtag), so pages set dir="rtl" for them. */
const RTL = new Set(["ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"]);

function dir(lang: string): "rtl" | "ltr" {
  return RTL.has(lang.split("-")[0]!.toLowerCase()) ? "rtl" : "ltr";
}

function feedLinks(site: SiteConfig): string {
  const link = (type: string, file: string, label: string) =>
    `<link rel="alternate" type="${type}" title="${escapeHtml(`${site.title} (${label})`)}" href="${escapeHtml(new URL(file, site.baseUrl).href)}">`;
  return [
    link("application/rss+xml", FEED_FILES.rss, "RSS"),
    link("application/atom+xml", FEED_FILES.atom, "Atom"),
    link("application/feed+json", FEED_FILES.json, "JSON Feed"),
  ].join("\n");
}

function page(site: SiteConfig, opts: { title: string; lang: string; canonical: string; description: string; main: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(opts.lang)}" dir="${dir(opts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title>
<meta name="description" content="${escapeHtml(opts.description)}">
<link rel="canonical" href="${escapeHtml(opts.canonical)}">
${feedLinks(site)}
<link rel="stylesheet" href="${escapeHtml(new URL("style.css", site.baseUrl).href)}">
</head>
<body>
<header><a class="site" href="${escapeHtml(site.baseUrl)}">${escapeHtml(site.title)}</a>
<nav><a href="${escapeHtml(new URL(FEED_FILES.rss, site.baseUrl).href)}">RSS</a> <a href="${escapeHtml(new URL(FEED_FILES.atom, site.baseUrl).href)}">Atom</a> <a href="${escapeHtml(new URL(FEED_FILES.json, site.baseUrl).href)}">JSON Feed</a></nav></header>
<main>
${opts.main}
</main>
${site.copyright ? `<footer>${escapeHtml(site.copyright)}</footer>\n` : ""}</body>
</html>
`;
}

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

/** Wire style: the dateline opens the first paragraph ("TOKYO (KUNA) — Japanese Prime Minister…"). */
function withDateline(html: string, dateline: string): string {
  if (!dateline) return html;
  return html.startsWith("<p>") ? `<p>${dateline}${html.slice(3)}` : `<p>${dateline}</p>\n${html}`;
}

export function renderArticlePage(site: SiteConfig, article: Article): string {
  const dateline = article.dateline
    ? `<strong class="dateline">${escapeHtml(article.dateline)}${article.source ? ` (${escapeHtml(article.source)})` : ""} —</strong> `
    : "";
  const main = `<article lang="${escapeHtml(article.language)}" dir="${dir(article.language)}">
<h1>${escapeHtml(article.title)}</h1>
<p class="meta">By ${byline(article)} · Published ${time(article.published, site)}${article.updated ? ` · Updated ${time(article.updated, site)}` : ""}</p>
${article.categories.length ? `<ul class="categories">${article.categories.map((c) => `<li>${escapeHtml(c)}</li>`).join("")}</ul>\n` : ""}${article.image ? `<figure><img src="${escapeHtml(article.image.url)}" alt="${escapeHtml(article.image.alt ?? "")}"></figure>\n` : ""}${withDateline(renderBody(article).html, dateline)}
${article.desk ? `<p class="desk">(end) ${escapeHtml(article.desk)}</p>\n` : ""}</article>`;
  return page(site, {
    title: `${article.title} — ${site.title}`,
    lang: article.language,
    canonical: article.url,
    description: summaryOf(article),
    main,
  });
}

export function renderIndexPage(site: SiteConfig, articles: readonly Article[]): string {
  const items = articles
    .map(
      (a) => `<li lang="${escapeHtml(a.language)}" dir="${dir(a.language)}"><h2><a href="${escapeHtml(a.url)}">${escapeHtml(a.title)}</a></h2>
<p class="meta">${time(a.published, site)}${a.updated ? " · updated" : ""}${a.dateline ? ` · ${escapeHtml(a.dateline)}` : ""}</p>
<p>${escapeHtml(summaryOf(a))}</p></li>`,
    )
    .join("\n");
  const main = `<h1>${escapeHtml(site.title)}</h1>
<p>${escapeHtml(site.description)}</p>
${articles.length ? `<ol class="articles">\n${items}\n</ol>` : "<p>No articles yet.</p>"}`;
  return page(site, { title: site.title, lang: site.language, canonical: site.baseUrl, description: site.description, main });
}

export function renderNotFoundPage(site: SiteConfig): string {
  return page(site, {
    title: `Not found — ${site.title}`,
    lang: site.language,
    canonical: site.baseUrl,
    description: "Not found",
    main: `<h1>Not found</h1>\n<p>There is no page at this address. See the <a href="${escapeHtml(site.baseUrl)}">latest articles</a>.</p>`,
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
a{color:#0b57a4}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}
footer{border-top:1px solid #ccc;margin-top:2rem;padding-top:.5rem}
`;
