import type { Feed } from "feed";
import type { Article } from "../article.js";
import type { FeedHistory, FeedModel } from "../feed-model.js";
import { buildFeed, creditElements, displayNames } from "./build-feed.js";
import { declareNamespaces, NS } from "./namespaces.js";
import { finishXml, plainAttribute, rssPlainText } from "./xml-guards.js";

const RSS_TYPE = "application/rss+xml";

/** Channel atom:links: self, and the RFC 5005 archive links. */
function atomLinks(model: FeedModel) {
  const h: FeedHistory = model.history;
  const link = (rel: string, href: string) => ({ _attributes: { href: plainAttribute(href), rel, type: RSS_TYPE } });
  return [
    link("self", model.selfUrls.rss),
    ...(model.hub ? [{ _attributes: { href: plainAttribute(model.hub), rel: "hub" } }] : []),
    ...(h.current ? [link("current", h.current.rss)] : []),
    ...(h.prevArchive ? [link("prev-archive", h.prevArchive.rss)] : []),
  ];
}

/** Media RSS: the image (with a thumbnail) and every enclosure, since <enclosure> carries only one. */
function mediaElements(article: Article) {
  const content = [
    ...(article.image
      ? [{ url: article.image.url, type: article.image.type, medium: "image", fileSize: article.image.length }]
      : []),
    ...article.enclosures.map((e) => ({ url: e.url, type: e.type, medium: e.type.split("/")[0], fileSize: e.length })),
  ].map(({ fileSize, medium, url, type }) => ({
    _attributes: {
      url: plainAttribute(url),
      type: plainAttribute(type),
      ...(["image", "audio", "video"].includes(medium!) ? { medium } : { medium: "document" }),
      // The validator wants fileSize > 0; unknown sizes are left out.
      ...(fileSize ? { fileSize } : {}),
    },
  }));
  const extensions = [];
  if (content.length) extensions.push({ name: "media:content", objects: content });
  if (article.image) extensions.push({ name: "media:thumbnail", objects: { _attributes: { url: plainAttribute(article.image.url) } } });
  return extensions;
}

/** What the channel declares for one item, and the item as `feed` writes it. */
interface RssItem {
  /** The item's element, preceded by its line break and indentation, finished (finishXml). */
  xml: string;
  media: boolean;
  dcterms: boolean;
  /** It has content:encoded (for which `feed` declares xmlns:dc and xmlns:content). */
  content: boolean;
  /** Its unfinished text names the dc namespace as `feed` declares it (see renderRss). */
  namesDc: boolean;
}

/** `feed`'s line break and indentation before each item (depth 2: rss, channel). */
const ITEM_START = "\n        <item>";
const ITEM_END = "</item>";
/** Stands in for the items while the channel is written: a character no content holds (stripped from every input). */
const ITEMS_MARK = "\u0003";

/** The item objects `feed` takes for an article in this model (its extras: RSS title, categories, media, credits). */
function itemInput(model: FeedModel, used: Set<keyof typeof NS>) {
  return (article: Article) => {
    const enclosure = article.enclosures[0];
    const media = mediaElements(article);
    if (media.length) used.add("media");
    if (article.updated || article.dateline) used.add("dcterms");
    return {
      title: rssPlainText(article.title),
      category: article.categories.map((name) => ({ name: rssPlainText(name) })),
      // `feed` escapes the URL itself, but writes type and length as given.
      ...(enclosure ? { enclosure: { url: enclosure.url, type: plainAttribute(enclosure.type), length: enclosure.length } } : {}),
      extensions: [
        // One dc:creator holding every name: readers (newsboat, feedparser) show only one of several.
        { name: "dc:creator", objects: { _text: rssPlainText(displayNames(article.authors)) } },
        ...(article.language !== model.language ? [{ name: "dc:language", objects: { _text: rssPlainText(article.language) } }] : []),
        ...(article.updated ? [{ name: "dcterms:modified", objects: { _text: article.updated.toISOString() } }] : []),
        ...creditElements(article).map(([name, value]) => ({ name, objects: { _text: rssPlainText(value) } })),
        ...media,
      ] as { name: string; objects: Record<string, unknown> }[],
    };
  };
}

/** The channel of `model` holding `articles`, with our atom:links and feed-history elements, as `feed` writes it. */
function channel(model: FeedModel, articles: readonly Article[], used: Set<keyof typeof NS>): Feed {
  const feed = buildFeed({ ...model, articles: [...articles] }, "xml", rssPlainText, itemInput(model, used));
  // Replaces the self link `feed` writes, in the same place (before the items).
  feed.addExtension({ name: "atom:link", objects: atomLinks(model) as unknown as Record<string, unknown> });
  if (model.history.complete) feed.addExtension({ name: "fh:complete", objects: {} });
  if (model.history.archive) feed.addExtension({ name: "fh:archive", objects: {} });
  if (model.history.complete || model.history.archive) used.add("fh");
  return feed;
}

const DC_DECLARED = `xmlns:dc="${NS.dc}"`;

/** One article's item, cut from a channel holding only it: `feed` writes an item the same whatever its channel and siblings. */
function renderItem(model: FeedModel, article: Article): RssItem {
  const used = new Set<keyof typeof NS>();
  const written = channel(model, [article], used).rss2();
  // The channel's own text has no "<" (placeholders until finishXml); the item's content ends before the last "</item>".
  const from = written.indexOf(ITEM_START);
  const to = written.lastIndexOf(ITEM_END) + ITEM_END.length;
  if (from < 0 || to < from) throw new Error("unexpected RSS from feed: no item");
  const raw = written.slice(from, to);
  return { xml: finishXml(raw), media: used.has("media"), dcterms: used.has("dcterms"), content: raw.includes("<content:encoded>"), namesDc: raw.includes(DC_DECLARED) };
}

/**
 * Items already written, per article object and whether its language is
 * its feed's (the one thing of the feed an item depends on): after a
 * publish, a store that hands out the same Article objects for the
 * articles it did not change (the files catalog, RowArticles) has the new
 * feed written with only the new item rendered. Bounded (the least
 * recently used go first); what a render gives is the same either way.
 */
const ITEMS_KEPT = 512;
const items = new Map<Article, { own?: RssItem; other?: RssItem }>();
/**
 * Articles met in an earlier render. Writing items one by one costs a
 * little more than writing the document in one go, so a feed none of whose
 * article objects was met before (a store that makes new objects per
 * request: nothing to keep) is written in one go; from the first object met
 * again on, items are written one by one and kept.
 */
const seen = new WeakSet<Article>();

function itemOf(model: FeedModel, article: Article): RssItem {
  const kept = items.get(article) ?? {};
  items.delete(article);
  items.set(article, kept);
  if (items.size > ITEMS_KEPT) items.delete(items.keys().next().value!);
  const key = article.language === model.language ? "own" : "other";
  return (kept[key] ??= renderItem(model, article));
}

/**
 * The same document written by `feed` in one go, every item in it: what
 * renderRss's spliced document is held to (the tests compare them), the
 * way to see that a new `feed` or xml-js still writes items independently.
 */
export function renderRssWhole(model: FeedModel): string {
  const used = new Set<keyof typeof NS>();
  const rendered = channel(model, model.articles, used).rss2();
  if (!rendered.includes(DC_DECLARED)) used.add("dc");
  return finishXml(declareNamespaces(rendered, '<rss version="2.0"', [...used].sort())) + "\n";
}

/**
 * RSS 2.0. Plain text (titles, categories, channel text) is written with
 * &#x26;/&#x3C; references (see xml-guards.ts). Authors go out as
 * dc:creator: RSS's own <author> must be an email address, and `feed` would
 * print a bare name there (invalid). The first enclosure is the one RSS
 * allows, with its real type and length; all media also go out as media:content.
 *
 * The document is the one `feed` writes for the whole model: in one go
 * when none of its articles was met before (see `seen`), else its channel
 * written with one stand-in item where the items go, and each article's
 * item written on its own (itemOf, kept between renders). finishXml and the
 * namespace declarations work on each part as on the whole (no match spans
 * an element boundary).
 */
export function renderRss(model: FeedModel): string {
  if (!model.articles.some((a) => items.has(a) || seen.has(a))) {
    for (const a of model.articles) seen.add(a);
    return renderRssWhole(model);
  }
  const used = new Set<keyof typeof NS>();
  const parts = model.articles.map((article) => itemOf(model, article));
  for (const part of parts) {
    if (part.media) used.add("media");
    if (part.dcterms) used.add("dcterms");
  }
  const feed = channel(model, [], used);
  // The stand-in has content:encoded when some item has: `feed` then declares xmlns:dc and xmlns:content, as for those items.
  if (parts.length) feed.addItem({ title: ITEMS_MARK, link: model.homeUrl, date: model.updated, ...(parts.some((p) => p.content) ? { content: ITEMS_MARK } : {}) });
  const rendered = feed.rss2();
  let before = rendered;
  let after = "";
  if (parts.length) {
    const from = rendered.indexOf(ITEM_START);
    const to = rendered.indexOf(ITEM_END, from) + ITEM_END.length;
    if (from < 0 || to < from) throw new Error("unexpected RSS from feed: no stand-in item");
    before = rendered.slice(0, from);
    after = rendered.slice(to);
  }
  // `feed` declares xmlns:dc only when some item has content:encoded; an article whose body
  // sanitizes to nothing (only a <script>) would leave dc:creator with an unbound prefix.
  if (!rendered.includes(DC_DECLARED) && !parts.some((p) => p.namesDc)) used.add("dc");
  const xml = declareNamespaces(before, '<rss version="2.0"', [...used].sort());
  return `${finishXml(xml)}${parts.map((p) => p.xml).join("")}${finishXml(after)}\n`;
}
