import { Feed, type Item } from "feed";
import { lastChange, type Article } from "../article.js";
import type { FeedModel } from "../feed-model.js";
import { summaryOf } from "../markdown.js";
import { feedContentHtml } from "../story-html.js";
import { escapeHtml } from "../text.js";
import { cdata } from "./xml-guards.js";

export const GENERATOR = "wirefeed";

/**
 * The wire credit, machine-readable, for RSS items and Atom entries:
 * dc:source names the agency the story is derived from, dcterms:spatial its
 * dateline place. Values are plain text (each format escapes them its way).
 */
export function creditElements(article: Article): ["dc:source" | "dcterms:spatial", string][] {
  return [
    ...(article.source ? [["dc:source", article.source] as ["dc:source", string]] : []),
    ...(article.dateline ? [["dcterms:spatial", article.dateline] as ["dcterms:spatial", string]] : []),
  ];
}

/** Several authors as one display string ("Kim Min-ji, Lee Sun-woo"), for formats that hold one value. */
export function displayNames(people: readonly { name: string }[]): string {
  return people.map((p) => p.name).join(", ");
}

/**
 * The `feed` library's input for one format. XML formats get guarded strings
 * (see xml-guards.ts); JSON gets the plain text. Dates are always given, so
 * `feed` never falls back to the clock.
 */
export function buildFeed(
  model: FeedModel,
  target: "xml" | "json",
  /** How this format writes plain-text element content. */
  text: (s: string) => string,
  itemExtras?: (a: Article, i: number) => Partial<Item>,
): Feed {
  const html = target === "xml" ? cdata : (s: string) => s;
  const feed = new Feed({
    id: text(model.id),
    title: text(model.title),
    description: text(model.description),
    link: model.homeUrl,
    language: text(model.language),
    updated: model.updated,
    generator: GENERATOR,
    ...(target === "xml" && model.stylesheetUrl ? { stylesheet: model.stylesheetUrl } : {}),
    ttl: model.ttlMinutes,
    feedLinks: { rss: model.selfUrls.rss, atom: model.selfUrls.atom, json: model.selfUrls.json },
    ...(model.hub ? { hub: model.hub } : {}),
    author: {
      name: text(model.author.name),
      ...(model.author.email ? { email: text(model.author.email) } : {}),
      ...(model.author.url ? { link: model.author.url } : {}),
    },
    ...(model.copyright ? { copyright: text(model.copyright) } : {}),
  });
  model.articles.forEach((article, i) => {
    feed.addItem({
      id: article.id,
      link: article.url,
      // Each XML format sets its own title markup; JSON takes the plain text.
      title: article.title,
      date: lastChange(article),
      published: article.published,
      // RSS description and Atom summary are HTML: escape the plain-text summary into it.
      description: html(target === "xml" ? escapeHtml(summaryOf(article)) : summaryOf(article)),
      // The agency credit opens the content as it opens the page (wire copy keeps its credit); a correction note comes first.
      content: html(feedContentHtml(article)),
      // RSS prints `name` as text, Atom needs `term` (an attribute): the XML formats set their own.
      category: article.categories.map((name) => ({ name })),
      ...itemExtras?.(article, i),
    });
  });
  return feed;
}
