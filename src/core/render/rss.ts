import type { FeedModel } from "../feed-model.js";
import { buildFeed } from "./build-feed.js";
import { finishXml, rssPlainText } from "./xml-guards.js";

const DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"';

/**
 * `feed` declares xmlns:dc only when some item has content:encoded; an
 * article whose body sanitizes to nothing (e.g. only a <script>) would then
 * leave our dc:creator with an unbound prefix: ill-formed XML.
 */
function withDcNamespace(xml: string): string {
  if (xml.includes(DC)) return xml;
  if (!xml.includes("<rss version=\"2.0\"")) throw new Error("rss: unexpected root element from feed");
  return xml.replace("<rss version=\"2.0\"", `<rss version="2.0" ${DC}`);
}

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
  return finishXml(withDcNamespace(feed.rss2())) + "\n";
}
