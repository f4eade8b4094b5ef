import type { PageStrings } from "../page-strings.js";

export const JA: PageStrings = {
  byline: (names) => `筆者：${names}`,
  nameSeparator: "、",
  published: "配信",
  correction: "訂正",
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
  newer: "← 新しい記事",
  older: "古い記事 →",
  pagesLabel: "ページ",
  pageOf: (page, pages) => `${page} / ${pages} ページ`,
  numberedTitle: (heading, page) => `${heading}（${page}ページ目）`,
  scopeEyebrows: { category: "カテゴリー", author: "筆者", language: "言語" },
  kindHeadings: { site: "サイト全体", category: "カテゴリー", author: "筆者", language: "言語" },
  noneYet: "まだありません。",
  indexDescription: (heading, site) => `${site}の${heading}`,
  scopeTitle: (kind, site, label) => (kind === "category" ? `${site}：${label}` : kind === "author" ? `${site}：${label}の記事` : `${site}（${label}）`),
  scopeDescription: (kind, site, label) =>
    kind === "category" ? `${site}の「${label}」の記事。` : kind === "author" ? `${site}の${label}による記事。` : `${site}の${label}の記事。`,
  feedsTitle: (site) => `すべてのフィード — ${site}`,
  feedsDescription: (site) => `${site}が配信するすべてのフィード`,
  preview: "プレビュー",
  feedsLede: (opml, main, perFormat) =>
    `フィードのアドレスをフィードリーダーにコピーしてください（アドレスをクリックすると選択されます）。${opml("一覧全体をOPMLで")}読み込むこともできます（各項目は${main}フィード。形式別の一覧：${perFormat}）。`,
  notFound: "ページが見つかりません",
  notFoundLede: (latest) => `このアドレスにはページがありません。${latest("最新記事")}をご覧ください。`,
  withdrawn: "取り消された記事",
  withdrawnLede: (title, when, latest) =>
    `${title === undefined ? "このアドレスの記事" : `記事「${title}」`}は${when}に取り消されました。${latest("最新記事")}をご覧ください。`,
  feedKind: (format) => `${format}フィード`,
  viewTitle: (title, format) => `${title}（${format}フィード）`,
  followHeading: "フィードリーダーでこのフィードを購読する",
  followText: (readers) =>
    `このアドレスはWebフィードです。フィードリーダー（${readers}など）が代わりに確認し、新しい記事が配信されるたびに表示します。リーダーの「フィードを追加」または「購読」欄にアドレスをコピーしてください（クリックすると選択されます）：`,
  archiveNote: (current) =>
    `これは<strong>アーカイブ文書</strong>です。フィードの履歴を取得するリーダーのために残された古い記事です。新しい記事を読むには、${current("現在のフィード")}を購読してください。`,
  alsoIn: (others, page, all) => `同じフィードの別形式：${others}。${page("記事をWebページで見る")}。${all("このサイトのすべてのフィード")}。`,
  sitemapsHeading: "サイトマップ",
  sitemapNames: { all: "すべてのページ（sitemap.xml）", news: "過去2日間のニュース（news-sitemap.xml）" },
  killReason: "理由",
  inFeedNow: "このフィードの現在の記事",
};
