import type { PageStrings } from "../page-strings.js";

export const AR: PageStrings = {
  byline: (names) => `بقلم ${names}`,
  nameSeparator: "، ",
  published: "نُشر",
  correction: "تصحيح",
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
  // Right to left: newer pages lie to the right, so the arrows point the other way.
  newer: "→ الأحدث",
  older: "الأقدم ←",
  pagesLabel: "الصفحات",
  pageOf: (page, pages) => `الصفحة ${page} من ${pages}`,
  numberedTitle: (heading, page) => `${heading} — الصفحة ${page}`,
  scopeEyebrows: { category: "قسم", author: "أخبار بقلم", language: "اللغة" },
  kindHeadings: { site: "الموقع كله", category: "الأقسام", author: "الكتّاب", language: "اللغات" },
  noneYet: "لا شيء بعد.",
  indexDescription: (heading, site) => `${heading} في ${site}`,
  scopeTitle: (kind, site, label) => (kind === "category" ? `${site}: ${label}` : kind === "author" ? `${site}: أخبار بقلم ${label}` : `${site} (${label})`),
  scopeDescription: (kind, site, label) =>
    kind === "category" ? `أخبار ${site} في قسم ${label}.` : kind === "author" ? `أخبار ${site} بقلم ${label}.` : `أخبار ${site} باللغة ${label}.`,
  feedsTitle: (site) => `كل الخلاصات — ${site}`,
  feedsDescription: (site) => `كل الخلاصات التي يقدّمها ${site}`,
  preview: "معاينة",
  feedsLede: (opml, main, perFormat) =>
    `انسخ عنوان الخلاصة إلى قارئ الخلاصات (انقر العنوان لتحديده)، أو استورد ${opml("القائمة كاملة بصيغة OPML")} (خلاصة ${main} لكلٍّ منها؛ قوائم بصيغة واحدة: ${perFormat}).`,
  notFound: "الصفحة غير موجودة",
  notFoundLede: (latest) => `لا توجد صفحة بهذا العنوان. اطّلع على ${latest("آخر الأخبار")}.`,
  withdrawn: "خبر مسحوب",
  withdrawnLede: (title, when, latest) =>
    `${title === undefined ? "الخبر المنشور بهذا العنوان" : `الخبر «${title}»`} سُحب في ${when}. اطّلع على ${latest("آخر الأخبار")}.`,
  feedKind: (format) => `خلاصة ${format}`,
  viewTitle: (title, format) => `${title} (خلاصة ${format})`,
  followHeading: "تابع هذه الخلاصة في قارئ خلاصات",
  followText: (readers) =>
    `هذا العنوان خلاصة ويب: يتحقق منها قارئ الخلاصات (${readers}…) نيابةً عنك ويعرض كل خبر جديد فور نشره. انسخ العنوان إلى خانة «إضافة خلاصة» أو «اشتراك» في قارئك (انقر العنوان لتحديده):`,
  archiveNote: (current) =>
    `هذه <strong>وثيقة أرشيف</strong>: أخبار أقدم من الخلاصة، محفوظة للقرّاء الذين يجلبون تاريخها. لمتابعة الأخبار الجديدة اشترك في ${current("الخلاصة الحالية")} بدلًا منها.`,
  alsoIn: (others, page, all) => `الخلاصة نفسها بصيغة ${others}؛ ${page("أخبارها في صفحة ويب")}؛ ${all("كل خلاصات هذا الموقع")}.`,
  sitemapsHeading: "خرائط الموقع",
  sitemapNames: { all: "كل الصفحات (sitemap.xml)", news: "أخبار اليومين الأخيرين (news-sitemap.xml)" },
  killReason: "السبب المعلن",
  inFeedNow: "في هذه الخلاصة الآن",
};
