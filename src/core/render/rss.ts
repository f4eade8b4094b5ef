import type { FeedModel } from "../feed-model.js";
import { buildFeed } from "./build-feed.js";
import { finishXml, rssPlainText } from "./xml-guards.js";

/**
 * RSS 2.0. Plain text (titles, categories, channel text) is written with
 * &#x26;/&#x3C; references (see xml-guards.ts). Authors go out as dc:creator: RSS's own <author> must be an email
 * address, and `feed` would print a bare name there (invalid). The first
 * enclosure is the one RSS allows, with its real type and length.
 */
export function renderRss(model: FeedModel): string {
  const feed = buildFeed(model, "xml", rssPlainText, (article) => {
    const enclosure = article.enclosures[0];
    return {
      title: rssPlainText(article.title),
      category: article.categories.map((name) => ({ name: rssPlainText(name) })),
      ...(enclosure ? { enclosure: { url: enclosure.url, type: enclosure.type, length: enclosure.length } } : {}),
      extensions: [
        {
          name: "dc:creator",
          objects: article.authors.map((a) => ({ _text: rssPlainText(a.name) })) as unknown as Record<string, unknown>,
        },
      ],
    };
  });
  return finishXml(feed.rss2()) + "\n";
}
