import { Feed, type Item } from "feed";
import { lastChange, type Article } from "../article.js";
import type { FeedModel } from "../feed-model.js";
import { renderBody, summaryOf } from "../markdown.js";
import { escapeHtml } from "../text.js";
import { cdata } from "./xml-guards.js";

export const GENERATOR = "wirefeed";

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
    const body = renderBody(article);
    feed.addItem({
      id: article.id,
      link: article.url,
      // Each XML format sets its own title markup; JSON takes the plain text.
      title: article.title,
      date: lastChange(article),
      published: article.published,
      // RSS description and Atom summary are HTML: escape the plain-text summary into it.
      description: html(target === "xml" ? escapeHtml(summaryOf(article)) : summaryOf(article)),
      content: html(body.html),
      // RSS prints `name` as text, Atom needs `term` (an attribute): the XML formats set their own.
      category: article.categories.map((name) => ({ name })),
      ...itemExtras?.(article, i),
    });
  });
  return feed;
}
