/**
 * Issue 14 item 1: a browser opening a feed's URL is sent to the feed's HTML
 * view; every other client (feed readers, programs, caches) gets exactly the
 * bytes and media type it got before the views existed: the golden files in
 * test/fixtures/reader-feeds are what main served at 968dd77 for the samples.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { catalogOf, testSite } from "../support/fixtures.js";
import { htmlElements } from "../support/html.js";
import { readSample, SAMPLE_RECORDS } from "../support/sample-items.js";

const site = testSite();
const catalog = catalogOf(Object.fromEntries(SAMPLE_RECORDS.map((n) => [n, readSample(n).toString("utf8")])), site);
const app = createApp({ site, catalog: () => catalog, log: () => {} });
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

const NAVIGATION = { "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none", "Sec-Fetch-User": "?1", Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8" };

const GOLDEN = [
  ["/rss.xml", "rss.xml", "application/rss+xml; charset=utf-8"],
  ["/atom.xml", "atom.xml", "application/atom+xml; charset=utf-8"],
  ["/feed.json", "feed.json", "application/feed+json; charset=utf-8"],
  ["/categories/markets/rss.xml", "categories__markets__rss.xml", "application/rss+xml; charset=utf-8"],
  ["/categories/markets/atom.xml", "categories__markets__atom.xml", "application/atom+xml; charset=utf-8"],
  [`/categories/${encodeURIComponent("اقتصاد")}/atom.xml`, "categories__iqtisad__atom.xml", "application/atom+xml; charset=utf-8"],
  ["/languages/ar/rss.xml", "languages__ar__rss.xml", "application/rss+xml; charset=utf-8"],
  ["/authors/kim-min-ji/feed.json", "authors__kim-min-ji__feed.json", "application/feed+json; charset=utf-8"],
] as const;

/** What readers and programs send: none is a browser's top-level navigation. */
const NOT_NAVIGATIONS: [string, Record<string, string>][] = [
  ["no headers", {}],
  ["curl", { Accept: "*/*" }],
  ["a reader asking for feed types", { Accept: "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8, */*;q=0.1" }],
  // Readers that copy a browser's Accept to get past bot filters: Accept alone must not turn them away.
  ["a reader with a browser's Accept", { Accept: NAVIGATION.Accept, "User-Agent": "Mozilla/5.0 (compatible; SomeReader/1.0)" }],
  ["a web reader's fetch()", { "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty", "Sec-Fetch-Site": "cross-site", Accept: "*/*" }],
  ["a feed in an iframe", { "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe", Accept: NAVIGATION.Accept }],
  ["the old XSLT view's Accept", { Accept: "text/html,application/xml;q=0.9" }],
];

describe("feed readers get exactly the bytes and type they got before", () => {
  it.each(GOLDEN)("%s", async (path, file, type) => {
    const golden = readFileSync(join("test/fixtures/reader-feeds", file));
    for (const [who, headers] of NOT_NAVIGATIONS) {
      const res = await get(path, headers);
      expect([who, res.status, res.headers.get("content-type")]).toEqual([who, 200, type]);
      expect([who, Buffer.from(await res.arrayBuffer()).equals(golden)]).toEqual([who, true]);
    }
  });
});

describe("a browser opening a feed's URL", () => {
  const views = [
    ["/rss.xml", "https://news.example/feeds/rss"],
    ["/atom.xml", "https://news.example/feeds/atom"],
    ["/feed.json", "https://news.example/feeds/json"],
    ["/categories/markets/atom.xml", "https://news.example/feeds/categories/markets/atom"],
    ["/rss.xml?limit=2", "https://news.example/feeds/rss?limit=2"],
    ["/feed", "https://news.example/feeds/rss"],
  ] as const;

  it.each(views)("%s is a 303 to %s that no cache keeps", async (path, location) => {
    const res = await get(path, NAVIGATION);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(location);
    // Not stored anywhere: a shared cache that ignores Vary can only ever hold the feed for this URL.
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("vary")).toBe("Sec-Fetch-Dest, Sec-Fetch-Mode");
    expect(res.headers.get("etag")).toBeNull();
    // And the feed's own answer says it varies on what decided this.
    expect((await get(path.split("?")[0]!)).headers.get("vary")).toContain("Sec-Fetch-Dest, Sec-Fetch-Mode");
  });

  it("the Node fast path does not answer a navigation from the feed it has cached", async () => {
    await get("/atom.xml");
    const headers: Record<string, string> = Object.fromEntries(Object.entries(NAVIGATION).map(([k, v]) => [k.toLowerCase(), v]));
    expect(app.fastResponse("GET", "/atom.xml", (n) => headers[n])).toBeUndefined();
    expect(app.fastResponse("GET", "/atom.xml", () => undefined)?.status).toBe(200);
  });

  it("every feed's view is a page: what the feed is, its address to copy, its items, the feed's own Last-Modified", async () => {
    for (const [feed, view] of [
      ["/rss.xml", "/feeds/rss"],
      ["/atom.xml", "/feeds/atom"],
      ["/feed.json", "/feeds/json"],
      [`/categories/${encodeURIComponent("اقتصاد")}/atom.xml`, `/feeds/categories/${encodeURIComponent("اقتصاد")}/atom`],
    ] as const) {
      const res = await get(view, NAVIGATION);
      expect([view, res.status, res.headers.get("content-type")]).toEqual([view, 200, "text/html; charset=utf-8"]);
      const html = await res.text();
      const feedRes = await get(feed);
      expect(res.headers.get("last-modified")).toBe(feedRes.headers.get("last-modified"));
      const feedUrl = `https://news.example${feed}`;
      const elements = htmlElements(html);
      // The address to subscribe to: a link to the feed, shown as a reader would paste it.
      expect(elements.some((e) => e.tag === "a" && e.attrs.class === "address" && e.attrs.href === feedUrl)).toBe(true);
      expect(html.replace(/<wbr>/g, "")).toContain(`<code class="url" dir="ltr">${decodeURI(feedUrl)}</code>`);
      // Autodiscovery names the feed itself first.
      expect(elements.find((e) => e.tag === "link" && e.attrs.rel === "alternate")!.attrs.href).toBe(feedUrl);
      // The same items as the feed, in the same order.
      const feedText = await feedRes.text();
      const feedLinks = feed.endsWith(".json")
        ? (JSON.parse(feedText).items as { url: string }[]).map((i) => i.url)
        : [...feedText.matchAll(/<(?:link)(?: href="([^"]+)"[^>]*\/>|>([^<]+)<\/link>)/g)].map((m) => m[1] ?? m[2]!).filter((u) => u.includes("/items/"));
      const pageLinks = elements.filter((e) => e.tag === "a" && e.attrs.href?.includes("/items/")).map((e) => e.attrs.href);
      expect([view, pageLinks]).toEqual([view, [...new Set(feedLinks)]]);
      expect(html).not.toMatch(/xsl/i);
    }
  });

  it("views of feeds that do not exist are 404s, and /feed.xsl is gone", async () => {
    for (const path of ["/feeds/nope", "/feeds/rss.xml", "/feeds/categories/no-such/rss", "/feed.xsl"]) {
      expect([path, (await get(path, NAVIGATION)).status]).toEqual([path, 404]);
    }
    // /feeds/ is the directory page typed with a slash: a 301 to /feeds, as every typed address is.
    expect((await get("/feeds/", NAVIGATION)).status).toBe(301);
  });

  it("/feeds links each feed's view as its preview", async () => {
    const html = await (await get("/feeds")).text();
    const previews = htmlElements(html).filter((e) => e.tag === "a" && e.attrs.class === "preview").map((e) => e.attrs.href);
    expect(previews).toContain("https://news.example/feeds/rss");
    expect(previews).toContain(`https://news.example/feeds/categories/${encodeURIComponent("اقتصاد")}/json`);
    for (const href of previews) expect([href, (await get(new URL(href!).pathname)).status]).toEqual([href, 200]);
  });
});
