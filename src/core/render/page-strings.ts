/**
 * The words pages put around an article's own text, in the languages the
 * wire files in. The chrome (masthead, navigation, footer, directory) is in
 * the site's language; what sits inside an article, or a list item of one
 * (byline, dates, "Updated", the audio player's caption), is in the
 * article's. A language without a table here gets English.
 */
import { primaryLanguage } from "./direction.js";

export interface PageStrings {
  /** "By Kim Min-ji, Lee Sun-woo". */
  byline: (names: string) => string;
  /** Between names in a byline. */
  nameSeparator: string;
  /** Between the parts of a line of meta (dateline · date). */
  published: string;
  updated: string;
  listen: string;
  download: string;
  months: readonly string[];
  /** A calendar date as the language writes it. */
  date: (day: number, month: string, monthNumber: number, year: number) => string;
  /** Between the date and the time of day. */
  dateTimeSeparator: string;
  // The chrome.
  allFeeds: string;
  feedsNav: string;
  latest: string;
  noArticles: string;
  articleCount: (n: number) => string;
}

const EN: PageStrings = {
  byline: (names) => `By ${names}`,
  nameSeparator: ", ",
  published: "Published",
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
};

const AR: PageStrings = {
  byline: (names) => `بقلم ${names}`,
  nameSeparator: "، ",
  published: "نُشر",
  updated: "حُدّث",
  listen: "استمع",
  download: "تنزيل",
  months: ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
  date: (day, month, _n, year) => `${day} ${month} ${year}`,
  dateTimeSeparator: "، ",
  allFeeds: "كل الخلاصات",
  feedsNav: "الخلاصات",
  latest: "آخر الأخبار",
  noArticles: "لا أخبار بعد.",
  articleCount: (n) => `عدد الأخبار: ${n}.`,
};

const JA: PageStrings = {
  byline: (names) => `筆者：${names}`,
  nameSeparator: "、",
  published: "配信",
  updated: "更新",
  listen: "音声を聞く",
  download: "ダウンロード",
  months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
  date: (day, _month, n, year) => `${year}年${n}月${day}日`,
  dateTimeSeparator: " ",
  allFeeds: "すべてのフィード",
  feedsNav: "フィード",
  latest: "最新記事",
  noArticles: "記事はまだありません。",
  articleCount: (n) => `${n}件の記事。`,
};

const TABLES: Record<string, PageStrings> = { en: EN, ar: AR, ja: JA };

export function stringsFor(lang: string): PageStrings {
  return TABLES[primaryLanguage(lang)] ?? EN;
}
