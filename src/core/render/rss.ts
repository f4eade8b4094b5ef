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

/**
 * RSS 2.0. Plain text (titles, categories, channel text) is written with
 * &#x26;/&#x3C; references (see xml-guards.ts). Authors go out as
 * dc:creator: RSS's own <author> must be an email address, and `feed` would
 * print a bare name there (invalid). The first enclosure is the one RSS
 * allows, with its real type and length; all media also go out as media:content.
 */
export function renderRss(model: FeedModel): string {
  const used = new Set<keyof typeof NS>();
  const feed = buildFeed(model, "xml", rssPlainText, (article) => {
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
  });
  // Replaces the self link `feed` writes, in the same place (before the items).
  feed.addExtension({ name: "atom:link", objects: atomLinks(model) as unknown as Record<string, unknown> });
  if (model.history.complete) feed.addExtension({ name: "fh:complete", objects: {} });
  if (model.history.archive) feed.addExtension({ name: "fh:archive", objects: {} });
  if (model.history.complete || model.history.archive) used.add("fh");
  const rendered = feed.rss2();
  // `feed` declares xmlns:dc only when some item has content:encoded; an article whose body
  // sanitizes to nothing (only a <script>) would leave dc:creator with an unbound prefix.
  if (!rendered.includes(`xmlns:dc="${NS.dc}"`)) used.add("dc");
  const xml = declareNamespaces(rendered, '<rss version="2.0"', [...used].sort());
  return finishXml(xml) + "\n";
}
