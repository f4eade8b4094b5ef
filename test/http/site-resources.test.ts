import { describe, expect, it } from "vitest";
import { listPaths, resolveResource } from "../../src/http/site-resources.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";

const site = testSite();
const catalog = catalogOf({
  "a.md": record({ title: "A", published: "2022-06-28" }),
  "b.md": record({ title: "B", published: "2022-06-29" }),
  "draft.md": record({ title: "D", published: "2022-06-29", draft: true }),
  "broken.md": record({ published: "2022-06-29" }),
});

describe("listPaths", async () => {
  // A clock within two days of "b", so the News sitemap has an article.
  const clock = { now: () => Date.parse("2022-06-30T00:00:00Z") };
  const paths = await listPaths(site, catalog, clock);

  it("lists the pages, every scope's feeds and each published article once", () => {
    // Each feed, then its HTML view (/feeds/…, the page a browser opening it is sent to).
    const view = (scope: string, format: string) => `/feeds/${scope.slice(1)}${format}`;
    const feeds = (scope: string) => [`${scope}rss.xml`, view(scope, "rss"), `${scope}atom.xml`, view(scope, "atom"), `${scope}feed.json`, view(scope, "json")];
    expect(paths).toEqual([
      "/",
      "/style.css",
      "/feeds",
      "/feeds.opml",
      "/feeds.rss.opml",
      "/feeds.atom.opml",
      "/feeds.json.opml",
      "/robots.txt",
      "/sitemap.xml",
      "/news-sitemap.xml",
      "/categories/",
      "/authors/",
      "/languages/",
      ...feeds("/"),
      "/authors/test-desk/",
      ...feeds("/authors/test-desk/"),
      "/languages/en/",
      ...feeds("/languages/en/"),
      "/items/b",
      "/items/a",
    ]);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("every listed path is one the server answers", async () => {
    for (const path of paths) expect([path, (await resolveResource(site, catalog, path, undefined, clock)) !== undefined]).toEqual([path, true]);
  });

  it("lists the News sitemap only while it has articles (the schema wants at least one URL)", async () => {
    const later = { now: () => Date.parse("2022-07-02T00:00:00Z") };
    expect(await listPaths(site, catalog, later)).toEqual(paths.filter((p) => p !== "/news-sitemap.xml"));
    expect(await resolveResource(site, catalog, "/news-sitemap.xml", undefined, later)).toBeUndefined();
  });

  it("drafts and broken records are neither listed nor answered", async () => {
    for (const path of ["/items/draft", "/items/broken"]) {
      expect(paths).not.toContain(path);
      expect(await resolveResource(site, catalog, path)).toBeUndefined();
    }
  });
});
