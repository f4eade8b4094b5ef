/**
 * Every format, parsed back by independent parsers (feedsmith for the feed
 * vocabularies, libxml2 and saxes for XML well-formedness), compared field by
 * field with the records it was made from.
 */
import { readFileSync } from "node:fs";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { describe, expect, it } from "vitest";
import { lastChange } from "../../src/core/article.js";
import { siteFeed } from "../../src/core/feed-model.js";
import { withCredit } from "../../src/core/credit.js";
import { summaryOf, renderBody } from "../../src/core/markdown.js";
import { renderAtom } from "../../src/core/render/atom.js";
import { renderJson } from "../../src/core/render/json.js";
import { renderRss } from "../../src/core/render/rss.js";
import { decodeEntities } from "../../src/core/text.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { buildCatalog } from "../../src/core/catalog.js";
import { readAllRecords } from "../../src/storage/load.js";
import { directoryStore } from "../../src/storage/fs-dir.js";
import { parseXml, xmllint } from "../support/xml.js";
import { SAMPLE_ITEMS } from "../support/sample-items.js";

const site = parseSiteConfig(JSON.parse(readFileSync("site.config.json", "utf8")), "site.config.json", "https://wire.example/news/");
const catalog = buildCatalog(await readAllRecords(directoryStore(SAMPLE_ITEMS, "items")), site);
const model = siteFeed(site, await Promise.all(catalog.entries.slice(0, site.feedSize).map((e) => catalog.load(e))));
const articles = model.articles;
const rss = renderRss(model);
const atom = renderAtom(model);
const json = renderJson(model);

describe("the bundled items, in every format", () => {
  it("has no record errors and shows ordering, categories, an update and an enclosure", () => {
    expect(catalog.errors).toEqual([]);
    expect(articles.some((a) => a.updated)).toBe(true);
    expect(articles.some((a) => a.enclosures.length > 0)).toBe(true);
    const times = articles.map((a) => a.published.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it("is well-formed for libxml2 and a strict namespace-aware parser", () => {
    for (const xml of [rss, atom]) {
      xmllint(xml);
      parseXml(xml);
    }
  });

  it("RSS 2.0 reads back field by field", () => {
    const feed = parseRssFeed(rss);
    expect(feed.title).toBe(site.title);
    expect(feed.link).toBe("https://wire.example/news/");
    expect(feed.description).toBe(site.description);
    expect(feed.language).toBe(site.language);
    expect(feed.ttl).toBe(site.cacheMinutes);
    expect(feed.atom?.links).toEqual([{ href: "https://wire.example/news/rss.xml", rel: "self", type: "application/rss+xml" }]);
    expect(feed.items).toHaveLength(articles.length);
    feed.items!.forEach((item, i) => {
      const a = articles[i]!;
      expect(item.title).toBe(a.title);
      expect(item.link).toBe(a.url);
      expect(item.link!.startsWith("https://wire.example/news/items/")).toBe(true);
      expect(item.guid).toEqual({ value: a.id, isPermaLink: false });
      expect(new Date(item.pubDate!).getTime()).toBe(a.published.getTime());
      expect(decodeEntities(item.description!)).toBe(summaryOf(a));
      expect(item.content?.encoded).toBe(withCredit(renderBody(a).html, a));
      expect((item.categories ?? []).map((c) => c.name)).toEqual(a.categories);
      expect(item.dc?.creators).toEqual([a.authors.map((p) => p.name).join(", ")]);
      expect(item.authors).toBeUndefined();
      expect(item.enclosures ?? []).toEqual(a.enclosures.slice(0, 1).map((e) => ({ url: e.url, type: e.type, length: e.length })));
    });
  });

  it("Atom 1.0 reads back field by field", () => {
    const feed = parseAtomFeed(atom);
    // A tag: id like the entries', not the host: it survives a move.
    expect(feed.id).toBe("tag:wirefeed.example,2022:feed/");
    expect(feed.title).toEqual({ value: site.title });
    expect(feed.updated).toBe(model.updated.toISOString());
    expect(feed.links).toEqual([
      { href: "https://wire.example/news/", rel: "alternate" },
      { href: "https://wire.example/news/atom.xml", rel: "self" },
    ]);
    expect(parseXml(atom).attrs["xml:lang"]).toBe("en");
    feed.entries!.forEach((entry, i) => {
      const a = articles[i]!;
      expect(entry.id).toBe(a.id);
      expect(entry.title?.type).toBe("html");
      expect(decodeEntities(entry.title!.value!)).toBe(a.title);
      expect(entry.updated).toBe(lastChange(a).toISOString());
      expect(entry.published).toBe(a.published.toISOString());
      expect(entry.links![0]).toEqual({ href: a.url });
      expect(entry.authors!.map((p) => p.name)).toEqual(a.authors.map((p) => p.name));
      expect((entry.categories ?? []).map((c) => c.term)).toEqual(a.categories);
      expect(decodeEntities(entry.summary!.value!)).toBe(summaryOf(a));
      expect(entry.content).toEqual({ value: withCredit(renderBody(a).html, a), type: "html" });
    });
  });

  it("JSON Feed 1.1 reads back field by field", () => {
    const doc = JSON.parse(json);
    const feed = parseJsonFeed(doc);
    expect(doc.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.feed_url).toBe("https://wire.example/news/feed.json");
    expect(feed.home_page_url).toBe("https://wire.example/news/");
    expect(feed.language).toBe("en");
    feed.items!.forEach((item, i) => {
      const a = articles[i]!;
      expect(item.id).toBe(a.id);
      expect(item.url).toBe(a.url);
      expect(item.title).toBe(a.title);
      expect(item.summary).toBe(summaryOf(a));
      expect(item.content_html).toBe(withCredit(renderBody(a).html, a));
      expect(item.date_published).toBe(a.published.toISOString());
      expect(item.date_modified).toBe(lastChange(a).toISOString());
      expect(item.authors).toEqual(a.authors.map((p) => (p.url ? { name: p.name, url: p.url } : { name: p.name })));
      expect(item.tags ?? []).toEqual(a.categories);
      expect(item.attachments ?? []).toEqual(a.enclosures.map((e) => ({ url: e.url, mime_type: e.type, size_in_bytes: e.length })));
    });
  });

  it("links inside content are absolute", () => {
    for (const a of articles) {
      for (const m of renderBody(a).html.matchAll(/(?:href|src)="([^"]*)"/g)) expect(m[1]).toMatch(/^https?:\/\//);
    }
  });
});
