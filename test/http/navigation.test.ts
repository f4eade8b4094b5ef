/**
 * A reader can get past the newest articles: numbered older pages with
 * rel="prev"/"next", index pages of categories, authors and languages, and
 * 301s for the spellings of an address a person types (no trailing slash, capitals).
 */
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";
import { htmlElements } from "../support/html.js";

const hour = (h: number) => new Date(Date.UTC(2022, 5, 28, h)).toISOString();
/** Seven articles an hour apart, a-0 the oldest; the even ones in "Markets". */
const records = Object.fromEntries(
  Array.from({ length: 7 }, (_, i) => [`a-${i}.md`, record({ title: `A ${i}`, published: hour(i), ...(i % 2 === 0 ? { categories: ["Markets"] } : {}) })]),
);

function appOf(overrides: Record<string, unknown> = {}) {
  const site = testSite({ feedSize: 3, ...overrides });
  const catalog = catalogOf(records, site);
  return createApp({ site, catalog: () => catalog, log: () => {} });
}

/** The article links of a list page, in order, and its rel=prev/next links (head and body). */
async function listed(app: ReturnType<typeof appOf>, path: string) {
  const res = await app.request(path);
  const html = await res.text();
  const elements = htmlElements(html);
  const items = elements.filter((e) => e.tag === "a" && /\/items\/a-\d$/.test(e.attrs.href ?? "")).map((e) => e.attrs.href!.slice(-3));
  const rel = (name: string) => [...new Set(elements.filter((e) => e.attrs.rel === name).map((e) => e.attrs.href))];
  return { status: res.status, items, prev: rel("prev"), next: rel("next"), canonical: rel("canonical"), html };
}

describe("pagination", () => {
  it("the front page shows the newest, then /page/2/ and /page/3/ the older ones, each linked to its neighbours", async () => {
    const app = appOf();
    expect(await listed(app, "/")).toMatchObject({ status: 200, items: ["a-6", "a-5", "a-4"], prev: [], next: ["https://news.example/page/2/"] });
    expect(await listed(app, "/page/2/")).toMatchObject({
      status: 200,
      items: ["a-3", "a-2", "a-1"],
      prev: ["https://news.example/"],
      next: ["https://news.example/page/3/"],
      canonical: ["https://news.example/page/2/"],
    });
    const last = await listed(app, "/page/3/");
    expect(last).toMatchObject({ status: 200, items: ["a-0"], prev: ["https://news.example/page/2/"], next: [] });
    expect(last.html).toContain("Page 3 of 3");
    expect((await app.request("/page/4/")).status).toBe(404);
    expect((await app.request("/page/0/")).status).toBe(404);
    expect((await app.request("/page/02/")).status).toBe(404);
  });

  it("a scope's pages work the same way", async () => {
    const app = appOf();
    expect(await listed(app, "/categories/markets/")).toMatchObject({ items: ["a-6", "a-4", "a-2"], next: ["https://news.example/categories/markets/page/2/"] });
    expect(await listed(app, "/categories/markets/page/2/")).toMatchObject({ items: ["a-0"], prev: ["https://news.example/categories/markets/"], next: [] });
    expect((await app.request("/categories/markets/page/3/")).status).toBe(404);
  });

  it("in order of change, a corrected article moves up and the pages follow", async () => {
    const site = testSite({ feedSize: 3, orderBy: "updated" });
    const catalog = catalogOf({ ...records, "a-0.md": record({ title: "A 0", published: hour(0), updated: hour(10) }) }, site);
    const app = createApp({ site, catalog: () => catalog, log: () => {} });
    expect((await listed(app, "/")).items).toEqual(["a-0", "a-6", "a-5"]);
    expect((await listed(app, "/page/3/")).items).toEqual(["a-1"]);
  });

  it("/page/1/ is the scope's own page and a page without its slash gets one: 301s", async () => {
    const app = appOf();
    for (const [path, to] of [
      ["/page/1/", "/"],
      ["/page/1", "/"],
      ["/page/2", "/page/2/"],
      ["/categories/markets/page/1/", "/categories/markets/"],
      ["/categories/markets/page/2", "/categories/markets/page/2/"],
    ]) {
      const res = await app.request(path!);
      expect([path, res.status, res.headers.get("location")]).toEqual([path, 301, `https://news.example${to}`]);
    }
    expect((await app.request("/page/9")).status).toBe(404);
  });

  it("a site that fits on one page has no pager", async () => {
    const page = await listed(appOf({ feedSize: 50 }), "/");
    expect(page).toMatchObject({ items: ["a-6", "a-5", "a-4", "a-3", "a-2", "a-1", "a-0"], prev: [], next: [] });
    expect(page.html).not.toContain("Page 1 of");
  });
});

describe("index pages", () => {
  it("/categories/, /authors/ and /languages/ list every scope with its count, linked to its page", async () => {
    const app = appOf();
    const categories = await app.request("/categories/");
    expect(categories.status).toBe(200);
    const html = await categories.text();
    expect(htmlElements(html).filter((e) => e.tag === "a" && e.attrs.href?.includes("/categories/")).map((e) => e.attrs.href)).toEqual([
      "https://news.example/categories/markets/",
    ]);
    expect(html).toMatch(/<bdi>Markets<\/bdi><\/a> <span class="count">4<\/span>/);
    expect(await (await app.request("/authors/")).text()).toMatch(/<bdi>Test Desk<\/bdi><\/a> <span class="count">7<\/span>/);
    expect(await (await app.request("/languages/")).text()).toMatch(/hreflang="en"><bdi>en<\/bdi><\/a> <span class="count">7<\/span>/);
  });

  it("each index without its slash redirects to it", async () => {
    const app = appOf();
    for (const index of ["categories", "authors", "languages"]) {
      const res = await app.request(`/${index}`);
      expect([res.status, res.headers.get("location")]).toEqual([301, `https://news.example/${index}/`]);
    }
  });
});

describe("redirects keep to what exists", () => {
  it("a slug in capitals, or with a slash, that names no article is a 404, not a redirect", async () => {
    const app = appOf();
    for (const path of ["/items/NOPE", "/items/nope/", "/categories/NOPE/"]) expect((await app.request(path)).status, path).toBe(404);
  });

  it("the 404 page names no canonical URL of its own", async () => {
    const res = await appOf().request("/nowhere", { headers: { Accept: "text/html" } });
    expect(res.status).toBe(404);
    expect(htmlElements(await res.text()).filter((e) => e.attrs.rel === "canonical")).toEqual([]);
  });
});
