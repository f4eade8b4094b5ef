/** A change to one article re-renders only what shows it; everything else keeps its bytes, unrendered. */
import { describe, expect, it } from "vitest";
import type { Article, ArticleMeta } from "../../src/core/article.js";
import { lazyCatalog, type Catalog } from "../../src/core/catalog.js";
import { createApp } from "../../src/http/app.js";
import { article, testSite } from "../support/fixtures.js";

const site = testSite();
const a = { ...article("a", { title: "A", published: "2022-01-01T00:00:00Z", categories: ["Alpha"] }), rev: "a1" };
const b1 = { ...article("b", { title: "B", published: "2022-01-02T00:00:00Z", categories: ["Beta"] }), rev: "b1" };
const b2 = { ...article("b", { title: "B corrected", published: "2022-01-02T00:00:00Z", categories: ["Beta"] }), rev: "b2" };

describe("representations across catalog versions", () => {
  it("only resources showing the changed article are rendered again", async () => {
    const loads: string[] = [];
    const catalogOf = (articles: Article[]): Catalog => {
      const bySlug = new Map(articles.map((x) => [x.slug, x]));
      return lazyCatalog(articles.map((x) => ({ ...x })), async (e: ArticleMeta) => {
        loads.push(`${e.slug}@${e.rev}`);
        return bySlug.get(e.slug)!;
      });
    };
    let current = catalogOf([a, b1]);
    const app = createApp({ site, catalog: () => current, log: () => {} });
    const paths = ["/items/a", "/items/b", "/categories/alpha/rss.xml", "/categories/beta/rss.xml", "/rss.xml"];
    const before = new Map<string, string>();
    for (const p of paths) before.set(p, (await app.request(p)).headers.get("etag")!);
    loads.length = 0;

    current = catalogOf([a, b2]);
    const after = new Map<string, string>();
    for (const p of paths) after.set(p, (await app.request(p)).headers.get("etag")!);

    // Article a's page and the Alpha feed were not rendered again: a was never loaded.
    expect(loads.filter((l) => l.startsWith("a@"))).toEqual(["a@a1"]);
    expect(after.get("/items/a")).toBe(before.get("/items/a"));
    expect(after.get("/categories/alpha/rss.xml")).toBe(before.get("/categories/alpha/rss.xml"));
    // Everything showing b changed.
    for (const p of ["/items/b", "/categories/beta/rss.xml", "/rss.xml"]) expect(after.get(p), p).not.toBe(before.get(p));
    expect(await (await app.request("/items/b")).text()).toContain("B corrected");
  });
});
