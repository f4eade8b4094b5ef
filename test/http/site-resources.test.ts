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
  const paths = await listPaths(site, catalog);

  it("lists the pages, every scope's feeds and each published article once", () => {
    const feeds = (scope: string) => [`${scope}rss.xml`, `${scope}atom.xml`, `${scope}feed.json`];
    expect(paths).toEqual([
      "/",
      "/style.css",
      "/feed.xsl",
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
    for (const path of paths) expect([path, (await resolveResource(site, catalog, path)) !== undefined]).toEqual([path, true]);
  });

  it("drafts and broken records are neither listed nor answered", async () => {
    for (const path of ["/items/draft", "/items/broken"]) {
      expect(paths).not.toContain(path);
      expect(await resolveResource(site, catalog, path)).toBeUndefined();
    }
  });
});
