/**
 * The words pages put around an article's own text, in the languages the
 * wire files in (one table per language in strings/). The chrome
 * (masthead, navigation, footer, directory, feed views, error pages, the
 * titles of scope feeds) is in the site's language; what sits inside an
 * article, or a list item of one (byline, dates, "Updated", the audio
 * player's caption), is in the article's. A language without a table here
 * gets English.
 *
 * Templates that return HTML take their links ready made (`link(text)`
 * escapes the words and wraps them) and other HTML already escaped; the
 * words of the tables themselves hold no markup characters.
 */
import type { ScopeKind } from "../scopes.js";
import { primaryLanguage } from "./direction.js";
import { AR } from "./strings/ar.js";
import { EN } from "./strings/en.js";
import { JA } from "./strings/ja.js";

/** HTML, already escaped. */
export type Html = string;
/** Makes a link of some plain words (escaping them). */
export type Link = (text: string) => Html;
type NamedKind = Exclude<ScopeKind, "site">;

export interface PageStrings {
  // Inside an article, in the article's language.
  /** "By Kim Min-ji, Lee Sun-woo". */
  byline: (names: string) => string;
  /** Between names in a byline. */
  nameSeparator: string;
  published: string;
  updated: string;
  /** Labels a correction note. */
  correction: string;
  listen: string;
  download: string;
  months: readonly string[];
  /** A calendar date as the language writes it. */
  date: (day: number, month: string, monthNumber: number, year: number) => string;
  /** Between the date and the time of day. */
  dateTimeSeparator: string;

  // The chrome, in the site's language.
  allFeeds: string;
  feedsNav: string;
  latest: string;
  noArticles: string;
  articleCount: (n: number) => string;
  /** Pagination of lists: the link to newer articles, to older ones, the nav's label, "Page 2 of 5", a numbered page's title. */
  newer: string;
  older: string;
  pagesLabel: string;
  pageOf: (page: number, pages: number) => string;
  numberedTitle: (heading: string, page: number) => string;
  /** Above a scope page's name ("Category", "Articles by"). */
  scopeEyebrows: Record<NamedKind, string>;
  /** Headings of the index pages and of the groups on /feeds. */
  kindHeadings: Record<ScopeKind, string>;
  noneYet: string;
  indexDescription: (heading: string, site: string) => string;
  /** The titles and descriptions of scope feeds and pages (in the feeds' bytes too). */
  scopeTitle: (kind: NamedKind, site: string, label: string) => string;
  scopeDescription: (kind: NamedKind, site: string, label: string) => string;
  // /feeds
  feedsTitle: (site: string) => string;
  feedsDescription: (site: string) => string;
  preview: string;
  /** The sitemaps /feeds names for search engines. */
  sitemapsHeading: string;
  sitemapNames: { all: string; news: string };
  feedsLede: (opml: Link, mainFormat: string, perFormat: Html) => Html;
  // Error pages
  notFound: string;
  notFoundLede: (latest: Link) => Html;
  withdrawn: string;
  /** Labels the reason a withdrawal gave, on its 410 page. */
  killReason: string;
  withdrawnLede: (title: Html | undefined, when: Html, latest: Link) => Html;
  // A feed's HTML view
  feedKind: (format: string) => string;
  viewTitle: (title: string, format: string) => string;
  followHeading: string;
  /** `readers`: the names of some feed readers, as HTML isolated left to right (Latin names inside any script). */
  followText: (readers: Html) => Html;
  archiveNote: (current: Link) => Html;
  alsoIn: (others: Html, page: Link, all: Link) => Html;
  inFeedNow: string;
}

const TABLES: Record<string, PageStrings> = { en: EN, ar: AR, ja: JA };

export function stringsFor(lang: string): PageStrings {
  return TABLES[primaryLanguage(lang)] ?? EN;
}
