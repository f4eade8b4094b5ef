import type { PageStrings } from "../page-strings.js";

export const EN: PageStrings = {
  byline: (names) => `By ${names}`,
  nameSeparator: ", ",
  published: "Published",
  correction: "Correction",
  updated: "Updated",
  listen: "Listen",
  download: "Download",
  months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
  date: (day, month, _n, year) => `${day} ${month} ${year}`,
  dateTimeSeparator: ", ",

  allFeeds: "All feeds",
  feedsNav: "Feeds",
  latest: "Latest articles",
  noArticles: "No articles yet.",
  articleCount: (n) => `${n} article${n === 1 ? "" : "s"}.`,
  newer: "← Newer",
  older: "Older →",
  pagesLabel: "Pages",
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
  numberedTitle: (heading, page) => `${heading} — page ${page}`,
  scopeEyebrows: { category: "Category", author: "Articles by", language: "Language" },
  kindHeadings: { site: "The whole site", category: "Categories", author: "Authors", language: "Languages" },
  noneYet: "None yet.",
  indexDescription: (heading, site) => `${heading} of ${site}`,
  scopeTitle: (kind, site, label) => (kind === "category" ? `${site}: ${label}` : kind === "author" ? `${site}: articles by ${label}` : `${site} (${label})`),
  scopeDescription: (kind, site, label) =>
    kind === "category" ? `Articles in ${label} from ${site}.` : kind === "author" ? `Articles by ${label} from ${site}.` : `Articles in language ${label} from ${site}.`,
  feedsTitle: (site) => `All feeds — ${site}`,
  feedsDescription: (site) => `Every feed ${site} offers`,
  preview: "Preview",
  feedsLede: (opml, main, perFormat) =>
    `Copy a feed's address into your feed reader (click an address to select it), or import ${opml("the whole list as OPML")} (one ${main} feed each; lists in one format: ${perFormat}).`,
  notFound: "Not found",
  notFoundLede: (latest) => `There is no page at this address. See the ${latest("latest articles")}.`,
  withdrawn: "Withdrawn",
  withdrawnLede: (title, when, latest) =>
    `${title === undefined ? "The article at this address" : `The article “${title}”`} was withdrawn on ${when}. See the ${latest("latest articles")}.`,
  feedKind: (format) => `${format} feed`,
  viewTitle: (title, format) => `${title} (${format} feed)`,
  followHeading: "Follow this feed in a feed reader",
  followText: (readers) =>
    `This address is a web feed: a feed reader (${readers}…) checks it for you and shows each new article as it is filed. Copy the address into your reader's “add feed” or “subscribe” box (click it to select it):`,
  archiveNote: (current) =>
    `This is an <strong>archive document</strong>: older articles of the feed, kept for readers that fetch a feed's history. To follow new articles, subscribe to ${current("the current feed")} instead.`,
  alsoIn: (others, page, all) => `The same feed in ${others}; ${page("its articles as a web page")}; ${all("every feed of this site")}.`,
  sitemapsHeading: "Sitemaps",
  sitemapNames: { all: "Every page (sitemap.xml)", news: "News of the last two days (news-sitemap.xml)" },
  killReason: "Reason given",
  inFeedNow: "In this feed now",
};
