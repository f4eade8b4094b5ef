import type { Article } from "../article.js";
import type { Person } from "../config.js";
import type { FeedModel } from "../feed-model.js";
import { summaryOf } from "../markdown.js";
import { feedContentHtml } from "../story-html.js";
import { buildFeed } from "./build-feed.js";

interface FeedJsonItem {
  id: string;
  url?: string;
  title?: string;
  content_html?: string;
  summary?: string;
  date_published?: string;
  date_modified?: string;
  tags?: string[];
}

function person(p: Person): { name: string; url?: string } {
  return { name: p.name, ...(p.url ? { url: p.url } : {}) };
}

function attachments(article: Article) {
  return article.enclosures.map((e) => ({ url: e.url, mime_type: e.type, size_in_bytes: e.length }));
}

function wireCredit(article: Article): { source?: string; dateline?: string } {
  return { ...(article.source ? { source: article.source } : {}), ...(article.dateline ? { dateline: article.dateline } : {}) };
}

/**
 * JSON Feed 1.1. `feed` writes version 1 (single `author`, no `language`,
 * no attachments), so its items are re-assembled into a 1.1 document with a
 * fixed key order: same input, same bytes.
 */
export function renderJson(model: FeedModel): string {
  const legacy = JSON.parse(buildFeed(model, "json", (s) => s).json1()) as { items: FeedJsonItem[] };
  const items = legacy.items.map((item, i) => {
    const article = model.articles[i]!;
    const files = attachments(article);
    return {
      id: item.id,
      url: item.url,
      title: item.title,
      // From the article, not from `feed`: it drops the summary when the content is empty.
      content_html: feedContentHtml(article),
      summary: summaryOf(article),
      ...(article.image ? { image: article.image.url } : {}),
      date_published: item.date_published,
      date_modified: item.date_modified,
      authors: article.authors.map(person),
      ...(item.tags && item.tags.length > 0 ? { tags: item.tags } : {}),
      ...(article.language !== model.language ? { language: article.language } : {}),
      ...(files.length > 0 ? { attachments: files } : {}),
      // JSON Feed extension (a key starting with "_"): the wire credit, machine-readable.
      ...(article.source || article.dateline ? { _wirefeed: wireCredit(article) } : {}),
    };
  });
  const doc = {
    version: "https://jsonfeed.org/version/1.1",
    title: model.title,
    home_page_url: model.homeUrl,
    feed_url: model.selfUrls.json,
    description: model.description,
    language: model.language,
    authors: [person(model.author)],
    ...(model.hub ? { hubs: [{ type: "WebSub", url: model.hub }] } : {}),
    // JSON Feed pagination: the next (older) document, the RFC 5005 prev-archive of the XML formats.
    ...(model.history.prevArchive ? { next_url: model.history.prevArchive.json } : {}),
    items,
    // JSON Feed has no withdrawals of its own: the extension lists them as the Atom feeds' RFC 6721
    // tombstones do (the same ids and instants), with the reason given, for clients that look.
    ...(model.deleted.length
      ? {
          _wirefeed: {
            deleted: model.deleted.map((t) => ({ id: t.id, date_deleted: t.when.toISOString(), ...(t.reason !== undefined ? { reason: t.reason } : {}) })),
          },
        }
      : {}),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
