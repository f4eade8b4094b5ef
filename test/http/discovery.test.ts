/**
 * Discovery: robots.txt naming the sitemaps, sitemap.xml (an index of
 * sitemap files once the URLs outgrow one) and the News sitemap of the last
 * two days, each checked against the protocol's published schemas.
 */
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { resolveResource, type Resource } from "../../src/http/site-resources.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";
import { children, child, parseXml, type XmlElement } from "../support/xml.js";
import { validateSitemap } from "../support/sitemap-schemas.js";

const site = testSite();
const at = (iso: string) => new Date(iso).getTime();
const records = {
  "old.md": record({ title: "Old", published: "2022-06-01T00:00:00Z", categories: ["Markets"] }),
  "yesterday.md": record({ title: "Yesterday & after", published: "2022-06-29T12:00:00Z", updated: "2022-06-30T08:00:00Z" }),
  "today.md": record({ title: "Today", published: "2022-06-30T09:00:00Z", language: "ar" }),
};
const catalog = catalogOf(records, site);
const NOW = at("2022-06-30T10:00:00Z");
const app = createApp({ site, catalog: () => catalog, log: () => {}, now: () => NOW });

const texts = (el: XmlElement, name: string) => children(el, name).map((u) => child(u, "loc").text);

describe("robots.txt", () => {
  it("lets crawlers in, keeps them out of the write API and names both sitemaps", async () => {
    const res = await app.request("/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toBe(
      "User-agent: *\nDisallow: /api/\n\nSitemap: https://news.example/sitemap.xml\nSitemap: https://news.example/news-sitemap.xml\n",
    );
  });
});

describe("sitemap.xml", () => {
  it("lists the pages and every article with its last change, and is valid against sitemap.xsd", async () => {
    const res = await app.request("/sitemap.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await res.text();
    validateSitemap(xml, "urlset");
    const urlset = parseXml(xml);
    expect(texts(urlset, "url")).toEqual([
      "https://news.example/",
      "https://news.example/feeds",
      "https://news.example/categories/",
      "https://news.example/categories/markets/",
      "https://news.example/authors/",
      "https://news.example/authors/test-desk/",
      "https://news.example/languages/",
      "https://news.example/languages/ar/",
      "https://news.example/languages/en/",
      "https://news.example/items/old",
      "https://news.example/items/yesterday",
      "https://news.example/items/today",
    ]);
    const lastmods = Object.fromEntries(children(urlset, "url").flatMap((u) => children(u, "lastmod").map((l) => [child(u, "loc").text, l.text])));
    expect(lastmods["https://news.example/items/yesterday"]).toBe("2022-06-30T08:00:00Z");
    expect(lastmods["https://news.example/items/old"]).toBe("2022-06-01T00:00:00Z");
  });

  it("past its limit of URLs it is an index of sitemap files that together list each URL once", async () => {
    const render = async (path: string) => {
      const resource = (await resolveResource(site, catalog, path, undefined, { sitemapMaxUrls: 5 })) as Resource | undefined;
      const body = resource && (await resource.render()).body;
      return typeof body === "string" || body === undefined ? body : new TextDecoder().decode(body);
    };
    const index = (await render("/sitemap.xml"))!;
    validateSitemap(index, "sitemapindex");
    const files = children(parseXml(index), "sitemap").map((s) => child(s, "loc").text);
    expect(files).toEqual(["https://news.example/sitemaps/1.xml", "https://news.example/sitemaps/2.xml", "https://news.example/sitemaps/3.xml"]);
    const all: string[] = [];
    for (const n of [1, 2, 3]) {
      const part = (await render(`/sitemaps/${n}.xml`))!;
      validateSitemap(part, "urlset");
      all.push(...texts(parseXml(part), "url"));
    }
    expect(all).toHaveLength(12);
    expect(new Set(all).size).toBe(12);
    expect(all.slice(-3)).toEqual(["https://news.example/items/old", "https://news.example/items/yesterday", "https://news.example/items/today"]);
    expect(await render("/sitemaps/4.xml")).toBeUndefined();
    // A site that fits in one file has no parts.
    expect((await app.request("/sitemaps/1.xml")).status).toBe(404);
  });
});

describe("the pages naming the sitemaps", () => {
  it("robots.txt and /feeds name the News sitemap only while it has articles, and are not cached past its end", async () => {
    let now = NOW;
    const clocked = createApp({ site, catalog: () => catalog, log: () => {}, now: () => now });
    const feedsPage = async () => (await clocked.request("/feeds", { headers: { accept: "text/html" } })).text();
    expect(await feedsPage()).toContain('<a href="https://news.example/news-sitemap.xml">');
    expect(await feedsPage()).toContain('<a href="https://news.example/sitemap.xml">');
    // The newest article (09:00 on 30 June) leaves the window at 09:00 on 2 July.
    now = at("2022-07-02T08:59:00Z");
    const robots = await clocked.request("/robots.txt");
    expect(await robots.text()).toContain("Sitemap: https://news.example/news-sitemap.xml\n");
    expect(robots.headers.get("cache-control")).toBe("public, max-age=60");
    now = at("2022-07-02T09:00:01Z");
    expect(await (await clocked.request("/robots.txt")).text()).toBe("User-agent: *\nDisallow: /api/\n\nSitemap: https://news.example/sitemap.xml\n");
    const page = await feedsPage();
    expect(page).not.toContain("news-sitemap.xml");
    expect(page).toContain('<a href="https://news.example/sitemap.xml">');
  });
});

describe("news-sitemap.xml", () => {
  it("lists the articles of the last 48 hours, newest first, in the news: namespace, valid against the News schema", async () => {
    const res = await app.request("/news-sitemap.xml");
    expect(res.status).toBe(200);
    const xml = await res.text();
    validateSitemap(xml, "news");
    const urls = children(parseXml(xml), "url");
    expect(urls.map((u) => child(u, "loc").text)).toEqual(["https://news.example/items/today", "https://news.example/items/yesterday"]);
    const news = child(urls[1]!, "news:news");
    expect(child(child(news, "news:publication"), "news:name").text).toBe("Test Wire");
    expect(child(child(news, "news:publication"), "news:language").text).toBe("en");
    expect(child(news, "news:publication_date").text).toBe("2022-06-29T12:00:00Z");
    expect(child(news, "news:title").text).toBe("Yesterday & after");
    expect(child(child(child(urls[0]!, "news:news"), "news:publication"), "news:language").text).toBe("ar");
  });

  it("follows the clock: an article ages out two days after it was published, and Last-Modified says when", async () => {
    let now = NOW;
    const clocked = createApp({ site, catalog: () => catalog, log: () => {}, now: () => now });
    const first = await clocked.request("/news-sitemap.xml");
    now = at("2022-07-01T12:30:00Z");
    const later = await clocked.request("/news-sitemap.xml");
    expect(texts(parseXml(await later.text()), "url")).toEqual(["https://news.example/items/today"]);
    expect(later.headers.get("etag")).not.toBe(first.headers.get("etag"));
    expect(later.headers.get("last-modified")).toBe(new Date("2022-07-01T12:00:00Z").toUTCString());
    now = at("2022-07-05T00:00:00Z");
    // An empty urlset is not valid against the schema: with nothing in the window there is no News sitemap.
    expect((await clocked.request("/news-sitemap.xml")).status).toBe(404);
  });

  it("is never cached past the moment its oldest article ages out", async () => {
    let now = NOW;
    const clocked = createApp({ site, catalog: () => catalog, log: () => {}, now: () => now });
    // At 10:00 on 30 June the oldest shown (12:00 on 29 June) leaves at 12:00 on 1 July: 26 hours away, beyond the site's max-age.
    expect((await clocked.request("/news-sitemap.xml")).headers.get("cache-control")).toBe(`public, max-age=${site.cacheMinutes * 60}`);
    now = at("2022-07-01T11:58:20Z");
    expect((await clocked.request("/news-sitemap.xml")).headers.get("cache-control")).toBe("public, max-age=100");
  });
});
