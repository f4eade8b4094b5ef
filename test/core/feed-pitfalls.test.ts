/**
 * One test per sharp edge of `feed` v6 (and the xml-js writer under it) that
 * the renderers guard against. Each would fail without its guard.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeEntities } from "../../src/core/text.js";
import { siteFeed } from "../../src/core/feed-model.js";
import { renderAtom } from "../../src/core/render/atom.js";
import { renderJson } from "../../src/core/render/json.js";
import { renderRss } from "../../src/core/render/rss.js";
import { article, testSite } from "../support/fixtures.js";
import { checkAtom, checkRss } from "../support/w3c-rules.js";
import { child, children, parseXml, xmllint } from "../support/xml.js";

const site = testSite();
const feedOf = (...articles: ReturnType<typeof article>[]) => siteFeed(site, articles);

function rssItem(xml: string) {
  return child(child(parseXml(xml), "channel"), "item");
}
function atomEntry(xml: string) {
  return child(parseXml(xml), "entry");
}

afterEach(() => vi.useRealTimers());

describe("feed pitfalls", () => {
  it("no clock: same input gives the same bytes at any time; feed dates are the newest change", () => {
    const model = feedOf(article("a", { title: "A", updated: "2022-07-01T00:00:00Z" }), article("b", { title: "B" }));
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00Z") });
    const first = [renderRss(model), renderAtom(model), renderJson(model)];
    vi.setSystemTime(new Date("2031-05-05T05:05:05Z"));
    expect([renderRss(model), renderAtom(model), renderJson(model)]).toEqual(first);
    expect(child(child(parseXml(first[0]!), "channel"), "lastBuildDate").text).toBe("Fri, 01 Jul 2022 00:00:00 GMT");
    expect(child(parseXml(first[1]!), "updated").text).toBe("2022-07-01T00:00:00.000Z");
  });

  it("control characters are removed, leaving well-formed XML", () => {
    const a = article("c", { title: "Bell\u0007 tab\u000b", summary: "S\u0001um" }, "Body\u0008 text");
    // Also straight into the renderer, bypassing record parsing, as the API would.
    const raw = { ...a, title: "Raw\u0000 \u001f title\uDC00", categories: ["Cat\u0002"] };
    for (const xml of [renderRss(feedOf(a, raw)), renderAtom(feedOf(a, raw))]) {
      xmllint(xml);
      expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    }
    const rss = child(parseXml(renderRss(feedOf(raw))), "channel");
    expect(child(child(rss, "item"), "title").text).toBe("Raw  title");
  });

  it.each([
    ["one", "a ]]> b"],
    ["several", "x]]>y]]>z]]]]>"],
    ["at the ends", "]]>middle]]>"],
  ])("]]> in CDATA (%s) survives as text", (_label, text) => {
    const a = article("d", { title: text, summary: text }, `Body ${text}`);
    const rss = renderRss(feedOf(a));
    const atom = renderAtom(feedOf(a));
    xmllint(rss);
    xmllint(atom);
    const item = rssItem(rss);
    expect(child(item, "title").text).toBe(text);
    expect(decodeEntities(child(item, "description").text)).toBe(text);
    expect(child(item, "content:encoded").text).toContain("Body ");
    expect(decodeEntities(child(atomEntry(atom), "title").text)).toBe(text);
  });

  it("attribute values are escaped: <, &, \" and ' in a category", () => {
    const name = `R&D <"lab"> 'x' &amp;`;
    const a = article("e", { title: "t", categories: [name] });
    const atom = renderAtom(feedOf(a));
    const rss = renderRss(feedOf(a));
    xmllint(atom);
    xmllint(rss);
    expect(child(atomEntry(atom), "category").attrs.term).toBe(name);
    expect(child(rssItem(rss), "category").text).toBe(name);
  });

  it('text nodes keep a literal "&amp;" (xml-js would un-escape it)', () => {
    const site2 = testSite({ title: "Tom &amp; Jerry & Co" });
    const xml = renderRss(siteFeed(site2, [article("f", { title: "t", authors: ["A &amp; B"] })]));
    const channel = child(parseXml(xml), "channel");
    expect(child(channel, "title").text).toBe("Tom &amp; Jerry & Co");
    expect(child(child(channel, "item"), "dc:creator").text).toBe("A &amp; B");
  });

  it("enclosures carry their real media type and length (feed guesses image/<extension>)", () => {
    const a = article("g", { title: "t", enclosures: [{ url: "/a/brief.mp3", type: "audio/mpeg", length: 1234 }] });
    const enc = child(rssItem(renderRss(feedOf(a))), "enclosure");
    expect(enc.attrs).toEqual({ url: "https://news.example/a/brief.mp3", type: "audio/mpeg", length: "1234" });
    const links = children(atomEntry(renderAtom(feedOf(a))), "link").filter((l) => l.attrs.rel === "enclosure");
    expect(links.map((l) => l.attrs)).toEqual([{ rel: "enclosure", href: "https://news.example/a/brief.mp3", type: "audio/mpeg", length: "1234" }]);
    const json = JSON.parse(renderJson(feedOf(a)));
    expect(json.items[0].attachments).toEqual([{ url: "https://news.example/a/brief.mp3", mime_type: "audio/mpeg", size_in_bytes: 1234 }]);
  });

  it("RSS authors are dc:creator, never a name-only <author>", () => {
    const a = article("h", { title: "t", authors: ["Kim", { name: "Lee", email: "lee@news.example" }] });
    const item = rssItem(renderRss(feedOf(a)));
    expect(children(item, "author")).toEqual([]);
    const creators = children(item, "dc:creator");
    // One element, one display string: newsboat and feedparser show one of several dc:creator.
    expect(creators.map((c) => [c.uri, c.text])).toEqual([["http://purl.org/dc/elements/1.1/", "Kim, Lee"]]);
  });

  it("Atom categories always have term", () => {
    const a = article("i", { title: "t", categories: ["Security", "Pacific"] });
    const cats = children(atomEntry(renderAtom(feedOf(a))), "category");
    expect(cats.map((c) => c.attrs)).toEqual([{ term: "Security" }, { term: "Pacific" }]);
  });

  it("JSON Feed is version 1.1 with authors, language and no v1 `author`", () => {
    const json = JSON.parse(renderJson(feedOf(article("j", { title: "t", authors: ["Kim"] }))));
    expect(json.version).toBe("https://jsonfeed.org/version/1.1");
    expect(json.language).toBe("en");
    expect(json.authors).toEqual([{ name: "Test Desk" }]);
    expect(json.author).toBeUndefined();
    expect(json.items[0].authors).toEqual([{ name: "Kim" }]);
    expect(json.items[0].author).toBeUndefined();
  });

  it("Atom titles are plain text: < and & display as written", () => {
    const title = `AT&T <b>not bold</b> & "quotes"`;
    const entry = atomEntry(renderAtom(feedOf(article("k", { title }))));
    const el = child(entry, "title");
    expect(el.attrs.type).toBe("html");
    // type="html": a reader decodes the HTML once; what it then shows must be the headline.
    expect(decodeEntities(el.text)).toBe(title);
    expect(el.text).not.toContain("<b>");
  });

  it("RSS and Atom carry the same id string as JSON", () => {
    const a = article("l", { title: "t" });
    const model = feedOf(a);
    const guid = child(rssItem(renderRss(model)), "guid");
    expect(guid.attrs.isPermaLink).toBe("false");
    expect(guid.text).toBe(a.id);
    expect(child(atomEntry(renderAtom(model)), "id").text).toBe(a.id);
    expect(JSON.parse(renderJson(model)).items[0].id).toBe(a.id);
  });

  it("RSS plain text is written with &#x26;/&#x3C; (RSS Best Practices), not CDATA, and reads back exactly", () => {
    const title = 'R&D <labs> say "5 < 7" ]]> done';
    const xml = renderRss(feedOf(article("m", { title, categories: ["C<D> & E"] })));
    const line = xml.split("\n").find((l) => l.includes("<title>R"))!;
    expect(line.trim()).toBe("<title>R&#x26;D &#x3C;labs&gt; say \"5 &#x3C; 7\" ]]&gt; done</title>");
    const item = rssItem(xml);
    expect(child(item, "title").text).toBe(title);
    expect(child(item, "category").text).toBe("C<D> & E");
    xmllint(xml);
  });

  it("Atom plain text (feed title, author names) uses &#x26;/&#x3C; too: a literal \"&amp;\" is not taken for an entity", () => {
    const site2 = testSite({ title: "Tom &amp; Jerry <Wire>" });
    const xml = renderAtom(siteFeed(site2, [article("n", { title: "t", authors: ["A &amp; B <C>"] }, "Body", site2)]));
    xmllint(xml);
    const feed = parseXml(xml);
    expect(child(feed, "title").text).toBe("Tom &amp; Jerry <Wire>");
    expect(child(child(child(feed, "entry"), "author"), "name").text).toBe("A &amp; B <C>");
    expect(xml).toContain("<name>A &#x26;amp; B &#x3C;C&gt;</name>");
    expect(checkAtom(xml, "https://news.example/atom.xml")).toEqual([]);
  });

  it("DEL, C1 controls and noncharacters are removed: HTML parsers treat them as errors (Atom titles are HTML)", () => {
    const title = "Bad\u007f\u0085\u009f chars\ufdd0\ud83f\udffe here";
    const a = article("o", { title, summary: "S\u0080um" });
    const atom = renderAtom(feedOf(a));
    const entry = atomEntry(atom);
    expect(child(entry, "title").text).toBe("Bad chars here");
    expect(child(entry, "summary").text).toBe("Sum");
    expect(checkAtom(atom, "https://news.example/atom.xml")).toEqual([]);
    expect(checkRss(renderRss(feedOf(a)), "https://news.example/rss.xml")).toEqual([]);
  });

  it("an article whose body sanitizes to nothing: RSS still declares dc: (feed only does so with content), every format valid", () => {
    const a = article("p", { title: "Only a script" }, "<script>alert(1)</script>");
    const model = feedOf(a);
    const rss = renderRss(model);
    xmllint(rss);
    expect(child(rssItem(rss), "dc:creator").uri).toBe("http://purl.org/dc/elements/1.1/");
    expect(checkRss(rss, "https://news.example/rss.xml")).toEqual([]);
    const atom = renderAtom(model);
    expect(checkAtom(atom, "https://news.example/atom.xml")).toEqual([]);
    expect(child(atomEntry(atom), "summary").text).toBe("Only a script");
    const item = JSON.parse(renderJson(model)).items[0];
    expect(item.content_html).toBe("");
    // `feed` writes a JSON summary only when there is content too.
    expect(item.summary).toBe("Only a script");
  });

  it("a body without a paragraph still gets a summary, so RSS has a description before content:encoded", () => {
    const model = feedOf(article("q", { title: "Lists" }, "## Background\n\n- one\n- two"), article("r", { title: "Quote only" }, "> "));
    const rss = renderRss(model);
    const items = children(child(parseXml(rss), "channel"), "item");
    expect(items.map((i) => child(i, "description").text)).toEqual(["Background", "Quote only"]);
    expect(checkRss(rss, "https://news.example/rss.xml")).toEqual([]);
  });

  it("attributes of extension elements (media:content, atom:link) escape & and < (xml-js escapes only quotes)", () => {
    const a = article("n", {
      title: "t",
      image: { url: "https://img.example/a.jpg?w=1&h=2", type: "image/jpeg" },
      enclosures: [{ url: "https://media.example/a.mp3?x=1&y=<2>", type: "audio/mpeg", length: 5 }],
    });
    const xml = renderRss(feedOf(a));
    xmllint(xml);
    const item = rssItem(xml);
    expect(children(item, "media:content").map((m) => m.attrs.url)).toEqual([
      "https://img.example/a.jpg?w=1&h=2",
      "https://media.example/a.mp3?x=1&y=%3C2%3E",
    ]);
    expect(child(item, "media:thumbnail").attrs.url).toBe("https://img.example/a.jpg?w=1&h=2");
  });
});
