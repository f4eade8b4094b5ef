/**
 * What a link to an article shows where it is shared or found: OpenGraph and
 * Twitter card <meta> for chat apps and social sites, and schema.org
 * NewsArticle JSON-LD for search engines. Everything comes from the record;
 * nothing is fetched.
 */
import type { Article } from "../article.js";
import type { SiteConfig } from "../config.js";
import { summaryOf } from "../markdown.js";
import { escapeHtml } from "../text.js";
import { machineDate } from "./page-dates.js";

/**
 * Who the page credits: the named authors, or, for agency copy that names
 * none (the record fell back to the site's own author), the agency itself:
 * KUNA's story is KUNA's, not the desk's.
 */
export function creditedTo(site: SiteConfig, article: Article): { kind: "people"; people: Article["authors"] } | { kind: "agency"; name: string } {
  const onlySiteAuthor = article.authors.length === 1 && article.authors[0]!.name === site.author.name && article.authors[0]!.email === site.author.email;
  if (onlySiteAuthor && article.source) return { kind: "agency", name: article.source };
  return { kind: "people", people: article.authors };
}

/** OpenGraph wants a territory-less language as is, and "ll_TT" for a tag with a region. */
function ogLocale(lang: string): string {
  const [language, region] = lang.split("-");
  return region && /^[A-Za-z]{2}$/.test(region) ? `${language!.toLowerCase()}_${region.toUpperCase()}` : language!.toLowerCase();
}

export function sharingMeta(site: SiteConfig, article: Article): string {
  const description = summaryOf(article);
  const meta = (attr: "property" | "name", key: string, value: string) => `<meta ${attr}="${key}" content="${escapeHtml(value)}">`;
  const og = (key: string, value: string) => meta("property", key, value);
  const tw = (key: string, value: string) => meta("name", key, value);
  const lines = [
    og("og:type", "article"),
    og("og:site_name", site.title),
    og("og:title", article.title),
    og("og:description", description),
    og("og:url", article.url),
    og("og:locale", ogLocale(article.language)),
    og("article:published_time", machineDate(article.published, site, article.dateOnly?.published)),
    ...(article.updated ? [og("article:modified_time", machineDate(article.updated, site, article.dateOnly?.updated))] : []),
    ...article.categories.map((c) => og("article:tag", c)),
  ];
  const image = article.image;
  if (image) {
    lines.push(og("og:image", image.url), og("og:image:type", image.type));
    if (image.width && image.height) lines.push(og("og:image:width", String(image.width)), og("og:image:height", String(image.height)));
    if (image.alt) lines.push(og("og:image:alt", image.alt));
  }
  lines.push(
    tw("twitter:card", image ? "summary_large_image" : "summary"),
    tw("twitter:title", article.title),
    tw("twitter:description", description),
    ...(image ? [tw("twitter:image", image.url), ...(image.alt ? [tw("twitter:image:alt", image.alt)] : [])] : []),
  );
  return lines.join("\n");
}

/** schema.org NewsArticle for the page, as a plain object (the tests read it back). */
export function newsArticle(site: SiteConfig, article: Article): Record<string, unknown> {
  const credit = creditedTo(site, article);
  const author =
    credit.kind === "agency"
      ? [{ "@type": "Organization", name: credit.name }]
      : credit.people.map((p) => ({ "@type": "Person", name: p.name, ...(p.url ? { url: p.url } : {}) }));
  const image = article.image;
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: article.title,
    description: summaryOf(article),
    url: article.url,
    mainEntityOfPage: article.url,
    inLanguage: article.language,
    datePublished: machineDate(article.published, site, article.dateOnly?.published),
    // Google reads a missing dateModified as "never modified": say so explicitly.
    dateModified: article.updated ? machineDate(article.updated, site, article.dateOnly?.updated) : machineDate(article.published, site, article.dateOnly?.published),
    author,
    publisher: { "@type": "Organization", name: site.title, url: site.baseUrl },
    ...(image
      ? {
          image: [
            {
              "@type": "ImageObject",
              url: image.url,
              ...(image.width && image.height ? { width: image.width, height: image.height } : {}),
              ...(image.alt ? { caption: image.alt } : {}),
            },
          ],
        }
      : {}),
    ...(article.dateline ? { locationCreated: { "@type": "Place", name: article.dateline } } : {}),
    ...(article.source ? { sourceOrganization: { "@type": "Organization", name: article.source } } : {}),
    ...(article.categories.length ? { articleSection: article.categories[0], keywords: article.categories.join(", ") } : {}),
    // schema.org's way to say what was corrected, and when (a correction needs `updated`).
    ...(article.correction && article.updated
      ? { correction: { "@type": "CorrectionComment", text: article.correction, datePublished: machineDate(article.updated, site, article.dateOnly?.updated) } }
      : {}),
  };
}

/**
 * JSON for inside <script>: `<` (so no "</script>" or "<!--" can end or
 * change the element), `>` and `&` escaped as \u escapes, which JSON reads
 * back as the same characters; U+2028/2029 too, for older JavaScript parsers.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function jsonLdScript(site: SiteConfig, article: Article): string {
  return `<script type="application/ld+json">${scriptSafeJson(newsArticle(site, article))}</script>`;
}
