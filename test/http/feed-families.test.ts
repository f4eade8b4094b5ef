/** Issue 5: per-scope feeds, limits, negotiation, CORS, archives, OPML, media, RTL, corrections. */
import { parseAtomFeed, parseJsonFeed, parseOpml, parseRssFeed } from "feedsmith";
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.js";
import { createApp } from "../../src/http/app.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";
import { checkAtom, checkRss } from "../support/w3c-rules.js";
import { child, children, parseXml, xmllint } from "../support/xml.js";

const site = testSite();
const records = {
  "tokyo.md": record({ title: "Tokyo story", published: "2022-06-01T10:00:00Z", categories: ["Diplomacy", "日本"], authors: ["Kim Min-ji"] }),
  "kuwait.md": record(
    { title: "مجلس الوزراء يبحث الميزانية", published: "2022-06-02T10:00:00Z", language: "ar", categories: ["اقتصاد", "Markets"], authors: ["هدى الصالح"] },
    "بحث مجلس الوزراء الكويتي تطورات أسعار النفط.",
  ),
  "markets.md": record({
    title: "Markets story",
    published: "2022-06-03T10:00:00Z",
    updated: "2022-06-10T00:00:00Z",
    categories: ["Markets", "R&D"],
    authors: ["Kim Min-ji", "Lee"],
    image: { url: "https://media.example/a.jpg", length: 1000, alt: "A chart" },
    enclosures: [
      { url: "https://media.example/a.mp3", type: "audio/mpeg", length: 111 },
      { url: "https://media.example/a.pdf", type: "application/pdf", length: 222 },
    ],
  }),
};
const catalog = catalogOf(records, site);
const app = createApp({ site, catalog: () => catalog, log: () => {} });
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

describe("URL families", () => {
  const families = [
    ["/categories/markets/", ["markets", "kuwait"]],
    ["/categories/%E6%97%A5%E6%9C%AC/", ["tokyo"]],
    [`/categories/${encodeURIComponent("اقتصاد")}/`, ["kuwait"]],
    ["/categories/r-d/", ["markets"]],
    ["/authors/kim-min-ji/", ["markets", "tokyo"]],
    [`/authors/${encodeURIComponent("هدى-الصالح")}/`, ["kuwait"]],
    ["/languages/ar/", ["kuwait"]],
    ["/languages/en/", ["markets", "tokyo"]],
  ] as const;

  it.each(families)("%s: three formats with the scope's articles, own title and self link", async (path, slugs) => {
    const urls = slugs.map((s) => `https://news.example/items/${s}`);
    const rssRes = await get(`${path}rss.xml`);
    expect(rssRes.status).toBe(200);
    const rss = parseRssFeed(await rssRes.text());
    expect(rss.items!.map((i) => i.link)).toEqual(urls);
    expect(rss.title).not.toBe(site.title);
    expect(rss.atom?.links?.[0]?.href).toBe(`https://news.example${path}rss.xml`);
    const atomText = await (await get(`${path}atom.xml`)).text();
    const atom = parseAtomFeed(atomText);
    expect(atom.entries!.map((e) => e.links![0]!.href)).toEqual(urls);
    expect(atom.links!.find((l) => l.rel === "self")!.href).toBe(`https://news.example${path}atom.xml`);
    expect(checkAtom(atomText, `https://news.example${path}atom.xml`, Date.parse("2026-01-01"))).toEqual([]);
    const json = parseJsonFeed(await (await get(`${path}feed.json`)).json());
    expect(json.items!.map((i) => i.url)).toEqual(urls);
    expect(json.feed_url).toBe(`https://news.example${path}feed.json`);
  });

  it.each(families)("%s: an HTML page listing the articles, with autodiscovery and a Link header", async (path, slugs) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const s of slugs) expect(html).toContain(`href="https://news.example/items/${s}"`);
    expect(html).toContain(`<link rel="alternate" type="application/atom+xml"`);
    expect(html).toContain(`href="https://news.example${path}atom.xml"`);
    expect(res.headers.get("link")).toContain(`<https://news.example${path}rss.xml>; rel="alternate"; type="application/rss+xml"`);
  });

  it("an unknown scope, or an unknown file of a known one, is a 404", async () => {
    for (const path of ["/categories/nope/", "/categories/nope", "/languages/xx/rss.xml", "/categories/markets/nope.xml", "/categories/markets/page/9/"]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it("a scope without its trailing slash, or in another case, is a 301 to its page", async () => {
    for (const [path, to] of [
      ["/categories/markets", "/categories/markets/"],
      ["/categories/Markets/", "/categories/markets/"],
      ["/categories/MARKETS/rss.xml", "/categories/markets/rss.xml"],
      ["/categories", "/categories/"],
    ]) {
      const res = await get(path!);
      expect([path, res.status, res.headers.get("location")]).toEqual([path, 301, `https://news.example${to}`]);
    }
  });
});

describe("?limit", () => {
  it("bounds the number of items", async () => {
    const rss = parseRssFeed(await (await get("/rss.xml?limit=1")).text());
    expect(rss.items).toHaveLength(1);
    expect((await get(`/feed.json?limit=${site.maxLimit}`)).status).toBe(200);
  });

  it.each(["0", "-1", "abc", "1.5", String(site.maxLimit + 1), "", "1e2"])("limit=%s is a 400 with a clear message", async (value) => {
    const res = await get(`/categories/markets/atom.xml?limit=${value}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(`Bad request: limit must be a whole number from 1 to ${site.maxLimit}\n`);
  });

  it("two limits are a 400", async () => {
    expect((await get("/rss.xml?limit=1&limit=2")).status).toBe(400);
  });
});

describe("GET /feed", () => {
  it.each([
    ["application/atom+xml", "application/atom+xml; charset=utf-8", "atom.xml"],
    ["application/feed+json", "application/feed+json; charset=utf-8", "feed.json"],
    ["application/json", "application/feed+json; charset=utf-8", "feed.json"],
    ["application/rss+xml", "application/rss+xml; charset=utf-8", "rss.xml"],
    ["application/xml", "application/rss+xml; charset=utf-8", "rss.xml"],
    ["*/*", "application/rss+xml; charset=utf-8", "rss.xml"],
    ["application/atom+xml;q=0.5, application/feed+json;q=0.9", "application/feed+json; charset=utf-8", "feed.json"],
  ])("Accept %s → %s", async (accept, type, file) => {
    const res = await get("/feed", { Accept: accept });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("vary")).toBe("Accept, Accept-Encoding");
    expect(res.headers.get("content-location")).toBe(`https://news.example/${file}`);
    expect(await res.text()).toBe(await (await get(`/${file}`, { Accept: accept })).text());
  });

  it("406 when nothing offered is acceptable", async () => {
    const res = await get("/feed", { Accept: "image/png" });
    expect(res.status).toBe(406);
    expect(res.headers.get("vary")).toBe("Accept");
  });
});

describe("CORS", () => {
  it.each(["/rss.xml", "/atom.xml", "/feed.json", "/feeds.opml", "/feed.xsl", "/categories/markets/feed.json"])("%s is readable from other origins", async (path) => {
    const res = await get(path, { Origin: "https://reader.example" });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("HTML pages are not CORS-enabled", async () => {
    expect((await get("/")).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("preflights are answered 204 for feeds, 404 for unknown paths", async () => {
    const res = await app.request("/atom.xml", {
      method: "OPTIONS",
      headers: { Origin: "https://reader.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/If-None-Match/);
    expect((await app.request("/nope.xml", { method: "OPTIONS" })).status).toBe(404);
  });
});

describe("browsers get the XSLT view", () => {
  it("a navigation preferring HTML gets RSS/Atom as application/xml, same bytes", async () => {
    const browser = { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
    for (const path of ["/rss.xml", "/atom.xml"]) {
      const b = await get(path, browser);
      const r = await get(path, { Accept: "application/rss+xml, application/atom+xml, */*;q=0.1" });
      expect(b.headers.get("content-type")).toBe("application/xml; charset=utf-8");
      expect(r.headers.get("content-type")).not.toBe("application/xml; charset=utf-8");
      expect(await b.text()).toBe(await r.text());
    }
  });

  it("the stylesheet is referenced relatively and is well-formed XSLT", async () => {
    expect(await (await get("/rss.xml")).text()).toContain('<?xml-stylesheet href="feed.xsl" type="text/xsl"?>');
    expect(await (await get("/categories/markets/atom.xml")).text()).toContain('<?xml-stylesheet href="../../feed.xsl" type="text/xsl"?>');
    const xsl = await (await get("/feed.xsl")).text();
    xmllint(xsl);
    expect(parseXml(xsl).local).toBe("stylesheet");
  });
});

/** A store of `n` articles, one a day from 2022-01-01. */
function dailyCatalog(n: number): Catalog {
  const recs: Record<string, string> = {};
  for (let i = 1; i <= n; i++) {
    recs[`a${i}.md`] = record({ title: `Article ${i}`, published: new Date(Date.UTC(2022, 0, i)).toISOString() });
  }
  return catalogOf(recs, pagedSite);
}
const pagedSite = testSite({ feedSize: 3, archivePageSize: 2, maxLimit: 10 });

describe("RFC 5005 archives", () => {
  const appOf = (c: Catalog) => createApp({ site: pagedSite, catalog: () => c, log: () => {} });

  it("a reader can walk the whole history from the subscription feed", async () => {
    const paged = appOf(dailyCatalog(7));
    const seen: string[] = [];
    let url: string | undefined = "https://news.example/atom.xml";
    let hops = 0;
    while (url && hops++ < 10) {
      const res = await paged.request(url.replace("https://news.example", ""));
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(checkAtom(text, url, Date.parse("2026-01-01"))).toEqual([]);
      const feed = parseXml(text);
      for (const e of children(feed, "entry")) seen.push(child(e, "title").text);
      url = children(feed, "link").find((l) => l.attrs.rel === "prev-archive")?.attrs.href;
    }
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: 7 }, (_, i) => `Article ${i + 1}`)));
  });

  it("archive pages: fh:archive, current and prev-archive links, a day's caching (never immutable)", async () => {
    // Seven articles a day apart, two per page: 2022 and January split into days; 7 January is still open.
    const paged = appOf(dailyCatalog(7));
    const res = await paged.request("/archive/2022-01-04/rss.xml");
    expect(res.headers.get("cache-control")).toBe("public, max-age=86400");
    const xml = await res.text();
    expect(checkRss(xml, "https://news.example/archive/2022-01-04/rss.xml", Date.parse("2026-01-01"))).toEqual([]);
    const channel = child(parseXml(xml), "channel");
    expect(children(channel, "fh:archive")).toHaveLength(1);
    const links = Object.fromEntries(children(channel, "atom:link").map((l) => [l.attrs.rel, l.attrs.href]));
    expect(links).toEqual({
      self: "https://news.example/archive/2022-01-04/rss.xml",
      current: "https://news.example/rss.xml",
      "prev-archive": "https://news.example/archive/2022-01-03/rss.xml",
    });
    expect(children(channel, "item").map((i) => child(i, "title").text)).toEqual(["Article 4"]);
    // The open period, periods to come, old numbered pages and non-canonical keys are not archive documents.
    for (const key of ["2022-01-07", "2022-01-08", "2022-01", "2022", "3", "2022-01-32", "2022-1-04", "2021-12-31", "2022-01-04T00"]) {
      expect((await paged.request(`/archive/${key}/rss.xml`)).status, key).toBe(404);
    }
  });

  it("adding an article never changes a closed archive page", async () => {
    const before = appOf(dailyCatalog(7));
    const after = appOf(dailyCatalog(8));
    for (let day = 1; day <= 6; day++) {
      for (const file of ["rss.xml", "atom.xml", "feed.json"]) {
        const path = `/archive/2022-01-0${day}/${file}`;
        const a = await before.request(path);
        const b = await after.request(path);
        expect(a.status, path).toBe(200);
        expect(b.headers.get("etag"), path).toBe(a.headers.get("etag"));
      }
    }
    expect((await after.request("/archive/2022-01-07/atom.xml")).status).toBe(200);
  });

  it("JSON Feed pages with next_url; a small store is fh:complete", async () => {
    const paged = appOf(dailyCatalog(7));
    const json = await (await paged.request("/feed.json")).json();
    expect(json.next_url).toBe("https://news.example/archive/2022-01-06/feed.json");
    const small = await (await appOf(dailyCatalog(3)).request("/atom.xml")).text();
    expect(children(parseXml(small), "fh:complete")).toHaveLength(1);
    expect(children(parseXml(small), "link").some((l) => l.attrs.rel === "prev-archive")).toBe(false);
  });
});

describe("OPML and the feeds page", () => {
  it("/feeds.opml lists each scope once, as its Atom feed, each of which is served", async () => {
    const text = await (await get("/feeds.opml")).text();
    xmllint(text);
    const opml = parseOpml(text);
    expect(opml.head?.title).toBe("Test Wire: all feeds");
    const outlines = opml.body!.outlines!;
    // site + 5 categories + 3 authors + 2 languages: one outline each, no groups.
    expect(outlines).toHaveLength(1 + 5 + 3 + 2);
    expect(new Set(outlines.map((o) => o.title)).size).toBe(outlines.length);
    for (const o of outlines) {
      expect(o.outlines ?? []).toEqual([]);
      expect(o.xmlUrl).toMatch(/\/atom\.xml$/);
      expect((await get(o.xmlUrl!.replace("https://news.example", ""))).status, o.xmlUrl).toBe(200);
    }
  });

  it.each([
    ["rss", "rss.xml", "RSS 2.0"],
    ["atom", "atom.xml", "Atom 1.0"],
    ["json", "feed.json", "JSON Feed 1.1"],
  ])("/feeds.%s.opml lists each scope once in that format", async (format, file, label) => {
    const res = await get(`/feeds.${format}.opml`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/x-opml; charset=utf-8");
    const text = await res.text();
    xmllint(text);
    const opml = parseOpml(text);
    expect(opml.head?.title).toBe(`Test Wire: all feeds (${label})`);
    const urls = opml.body!.outlines!.map((o) => o.xmlUrl!);
    expect(urls).toHaveLength(1 + 5 + 3 + 2);
    for (const url of urls) {
      expect(url.endsWith(`/${file}`), url).toBe(true);
      expect((await get(url.replace("https://news.example", ""))).status, url).toBe(200);
    }
  });

  it("/feeds links the main OPML and each per-format OPML", async () => {
    const html = await (await get("/feeds")).text();
    for (const file of ["feeds.opml", "feeds.rss.opml", "feeds.atom.opml", "feeds.json.opml"]) expect(html).toContain(`href="https://news.example/${file}"`);
  });

  it("/feeds shows every feed URL to copy", async () => {
    const html = await (await get("/feeds")).text();
    expect(html).toContain('value="https://news.example/categories/markets/rss.xml"');
    expect(html).toContain(`value="https://news.example/categories/${encodeURIComponent("اقتصاد")}/feed.json"`);
  });
});

describe("multilingual", () => {
  const title = "مجلس الوزراء يبحث الميزانية";

  it("right-to-left text survives every format; xml:lang/language per entry where it differs", async () => {
    const rss = child(child(parseXml(await (await get("/rss.xml")).text()), "channel"), "item");
    const kuwaitRss = children(child(parseXml(await (await get("/rss.xml")).text()), "channel"), "item").find((i) => child(i, "title").text === title)!;
    expect(kuwaitRss).toBeDefined();
    expect(child(kuwaitRss, "dc:language").text).toBe("ar");
    expect(children(rss, "dc:language")).toEqual([]);
    const entries = children(parseXml(await (await get("/atom.xml")).text()), "entry");
    const kuwaitAtom = entries.find((e) => child(e, "id").text.endsWith(":kuwait"))!;
    expect(kuwaitAtom.attrs["xml:lang"]).toBe("ar");
    expect(child(kuwaitAtom, "title").text).toBe(title);
    expect(entries.filter((e) => e.attrs["xml:lang"]).length).toBe(1);
    const json = await (await get("/feed.json")).json();
    const item = json.items.find((i: { title: string }) => i.title === title);
    expect(item.language).toBe("ar");
    expect(item.content_html).toContain("بحث مجلس الوزراء الكويتي تطورات أسعار النفط.");
  });

  it("an Arabic article page is dir=rtl; the Arabic language feed is language ar", async () => {
    expect(await (await get("/items/kuwait")).text()).toMatch(/<html lang="ar" dir="rtl">/);
    const atom = parseXml(await (await get("/languages/ar/atom.xml")).text());
    expect(atom.attrs["xml:lang"]).toBe("ar");
    expect(child(parseXml(await (await get("/languages/ar/rss.xml")).text()), "channel").children.find((c) => c.name === "language")!.text).toBe("ar");
  });
});

describe("media", () => {
  it("image and every enclosure in each format, with correct types and lengths", async () => {
    const item = children(child(parseXml(await (await get("/rss.xml")).text()), "channel"), "item").find((i) => child(i, "title").text === "Markets story")!;
    expect(children(item, "enclosure").map((e) => e.attrs)).toEqual([{ url: "https://media.example/a.mp3", type: "audio/mpeg", length: "111" }]);
    expect(children(item, "media:content").map((m) => m.attrs)).toEqual([
      { url: "https://media.example/a.jpg", type: "image/jpeg", medium: "image", fileSize: "1000" },
      { url: "https://media.example/a.mp3", type: "audio/mpeg", medium: "audio", fileSize: "111" },
      { url: "https://media.example/a.pdf", type: "application/pdf", medium: "document", fileSize: "222" },
    ]);
    expect(child(item, "media:thumbnail").attrs).toEqual({ url: "https://media.example/a.jpg" });
    const entry = children(parseXml(await (await get("/atom.xml")).text()), "entry").find((e) => child(e, "title").text === "Markets story")!;
    expect(children(entry, "link").filter((l) => l.attrs.rel === "enclosure").map((l) => [l.attrs.href, l.attrs.type, l.attrs.length])).toEqual([
      ["https://media.example/a.mp3", "audio/mpeg", "111"],
      ["https://media.example/a.pdf", "application/pdf", "222"],
      ["https://media.example/a.jpg", "image/jpeg", "1000"],
    ]);
    const json = (await (await get("/feed.json")).json()).items.find((i: { title: string }) => i.title === "Markets story");
    expect(json.image).toBe("https://media.example/a.jpg");
    expect(json.attachments.map((a: { mime_type: string }) => a.mime_type)).toEqual(["audio/mpeg", "application/pdf"]);
  });
});

describe("corrections", () => {
  it("the new date shows in every format; order stays by publication by default", async () => {
    const rss = children(child(parseXml(await (await get("/rss.xml")).text()), "channel"), "item");
    const markets = rss.find((i) => child(i, "title").text === "Markets story")!;
    expect(child(markets, "dcterms:modified").text).toBe("2022-06-10T00:00:00.000Z");
    expect(rss.map((i) => child(i, "title").text)).toEqual(["Markets story", "مجلس الوزراء يبحث الميزانية", "Tokyo story"]);
    const entry = children(parseXml(await (await get("/atom.xml")).text()), "entry")[0]!;
    expect(child(entry, "updated").text).toBe("2022-06-10T00:00:00.000Z");
    expect((await (await get("/feed.json")).json()).items[0].date_modified).toBe("2022-06-10T00:00:00.000Z");
  });

  it("with orderBy: updated, a corrected article moves to the top", async () => {
    const bySite = testSite({ orderBy: "updated" });
    const c = catalogOf(
      {
        "old.md": record({ title: "Old", published: "2022-01-01T00:00:00Z", updated: "2022-03-01T00:00:00Z" }),
        "new.md": record({ title: "New", published: "2022-02-01T00:00:00Z" }),
      },
      bySite,
    );
    const ordered = createApp({ site: bySite, catalog: () => c, log: () => {} });
    const titles = (await (await ordered.request("/feed.json")).json()).items.map((i: { title: string }) => i.title);
    expect(titles).toEqual(["Old", "New"]);
    const byPublished = createApp({ site: testSite(), catalog: () => catalogOf({ "old.md": record({ title: "Old", published: "2022-01-01T00:00:00Z", updated: "2022-03-01T00:00:00Z" }), "new.md": record({ title: "New", published: "2022-02-01T00:00:00Z" }) }), log: () => {} });
    expect((await (await byPublished.request("/feed.json")).json()).items.map((i: { title: string }) => i.title)).toEqual(["New", "Old"]);
  });
});
