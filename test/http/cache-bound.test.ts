/** The representation cache is bounded in bytes (bodies and compressed variants), not only in entries. */
import { describe, expect, it } from "vitest";
import type { Article, ArticleMeta } from "../../src/core/article.js";
import { lazyCatalog } from "../../src/core/catalog.js";
import { createApp } from "../../src/http/app.js";
import { BoundedMap } from "../../src/http/bounded-map.js";
import type { Compressor } from "../../src/http/representation.js";
import { BYTES_PER_HELD_ENTRY, RESOLUTION_OVERHEAD, resolutionWeight } from "../../src/http/resolution-weight.js";
import { resolveResource, type Resource } from "../../src/http/site-resources.js";
import { article, testSite } from "../support/fixtures.js";

describe("BoundedMap by weight", () => {
  it("forgets the oldest entries once the total weight passes the budget", () => {
    const map = new BoundedMap<string, number>(100, 10);
    map.set("a", 1, 4);
    map.set("b", 2, 4);
    expect(map.weight).toBe(8);
    map.set("c", 3, 4);
    expect(map.get("a")).toBeUndefined();
    expect([map.get("b"), map.get("c")]).toEqual([2, 3]);
    expect(map.weight).toBe(8);
  });

  it("re-weighs an entry that grew, evicting older ones", () => {
    const map = new BoundedMap<string, number>(100, 10);
    map.set("a", 1, 3);
    map.set("b", 2, 3);
    map.reweigh("b", 8);
    expect(map.get("a")).toBeUndefined();
    expect(map.get("b")).toBe(2);
    expect(map.weight).toBe(8);
  });

  it("does not keep an entry heavier than the whole budget", () => {
    const map = new BoundedMap<string, number>(100, 10);
    map.set("a", 1, 2);
    map.set("huge", 2, 11);
    expect(map.get("huge")).toBeUndefined();
    expect(map.get("a")).toBe(1);
    map.set("a", 3, 11);
    expect(map.get("a")).toBeUndefined();
    expect(map.weight).toBe(0);
  });
});

describe("the app's representation cache", () => {
  const site = testSite({ feedSize: 10, maxLimit: 60 });
  const body = "Officials said the talks would continue. ".repeat(60);
  const articles: Article[] = Array.from({ length: 60 }, (_, i) => ({
    ...article(`story-${i}`, { title: `Story ${i}`, published: new Date(Date.UTC(2022, 0, 1, i)).toISOString() }, body, site),
    rev: `r${i}`,
  }));
  // A stand-in compressor that keeps the size: the cache must count compressed variants too.
  const copy: Compressor = async (_coding, bytes) => new Uint8Array(bytes);

  it("stays within its byte budget through a ?limit sweep, bodies and variants counted", async () => {
    const loads: string[] = [];
    const catalog = lazyCatalog(articles, async (e: ArticleMeta) => {
      loads.push(e.slug);
      return articles.find((a) => a.slug === e.slug)!;
    });
    // ?limit answers get an eighth of the cache's budget: 1 MiB of these 8.
    const budget = 1024 * 1024;
    const cacheBytes = 8 * budget;
    const app = createApp({ site, catalog: () => catalog, compress: copy, cacheBytes, log: () => {} });
    let served = 0;
    for (let limit = 1; limit <= 60; limit++) {
      // ?limit=10 is the feed itself, held with the everyday answers (next test).
      if (limit === site.feedSize) continue;
      for (const file of ["rss.xml", "atom.xml", "feed.json"]) {
        for (const enc of ["identity", "gzip"]) {
          const res = await app.request(`/${file}?limit=${limit}`, { headers: { "Accept-Encoding": enc } });
          expect(res.status).toBe(200);
          served += (await res.arrayBuffer()).byteLength;
          expect(app.cacheUse().bytes).toBeLessThanOrEqual(budget);
        }
      }
    }
    // Far more was served than the budget, so the bound did something.
    expect(served).toBeGreaterThan(10 * budget);
    expect(app.cacheUse().entries).toBeGreaterThan(0);
    // The oldest representations were let go: asking again renders again.
    loads.length = 0;
    await app.request("/rss.xml?limit=1");
    expect(loads).toEqual(["story-59"]);
    // The newest is still held: no render.
    loads.length = 0;
    await app.request("/feed.json?limit=60", { headers: { "Accept-Encoding": "gzip" } });
    expect(loads).toEqual([]);
  });

  it("a ?limit sweep takes only its own eighth of the budget: the feeds and pages everyone asks for stay held", async () => {
    const loads: string[] = [];
    const catalog = lazyCatalog(articles, async (e: ArticleMeta) => {
      loads.push(e.slug);
      return articles.find((a) => a.slug === e.slug)!;
    });
    const budget = 8 * 1024 * 1024;
    const app = createApp({ site, catalog: () => catalog, compress: copy, cacheBytes: budget, log: () => {} });
    const everyday = ["/rss.xml", "/atom.xml", "/feed.json", "/", "/items/story-3"];
    // Both codings of each, as the sweep below asks (its ?limit=10 is the feed itself).
    for (const path of everyday) for (const enc of ["identity", "gzip"]) expect((await app.request(path, { headers: { "Accept-Encoding": enc } })).status).toBe(200);
    const before = app.cacheUse().bytes;
    for (let limit = 1; limit <= 60; limit++) {
      for (const file of ["rss.xml", "atom.xml", "feed.json"]) {
        expect((await app.request(`/${file}?limit=${limit}`, { headers: { "Accept-Encoding": "gzip" } })).status).toBe(200);
        expect(app.cacheUse().bytes - before).toBeLessThanOrEqual(budget / 8);
      }
    }
    // The sweep filled its share (so the bound did something), and pushed none of the everyday answers out.
    expect(app.cacheUse().bytes - before).toBeGreaterThan(budget / 16);
    loads.length = 0;
    for (const path of everyday) expect((await app.request(path)).status).toBe(200);
    expect(loads).toEqual([]);
    // ?limit=<feedSize> is the feed itself, held once.
    await app.request("/rss.xml?limit=10");
    expect(loads).toEqual([]);
  });

  it("a representation larger than the whole budget is served, not kept", async () => {
    const catalog = lazyCatalog(articles, async (e: ArticleMeta) => articles.find((a) => a.slug === e.slug)!);
    const app = createApp({ site, catalog: () => catalog, cacheBytes: 8 * 1024, log: () => {} });
    const res = await app.request("/rss.xml?limit=60");
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(8 * 1024);
    expect(app.cacheUse()).toEqual({ entries: 0, bytes: 0 });
  });
});

describe("the app's resolution cache weighs what a resolution keeps alive", () => {
  it("counts the measured overhead, the key in UTF-16 and a slot per entry shown", () => {
    expect(RESOLUTION_OVERHEAD).toBe(1536);
    expect(BYTES_PER_HELD_ENTRY).toBe(8);
    expect(resolutionWeight("atom.xml?limit=200", { holds: 200 })).toBe(1536 + 18 * 2 + 200 * 8);
    expect(resolutionWeight("style.css", {})).toBe(1536 + 9 * 2);
  });

  it("a ?limit=N feed holds the N entries it shows, so its weight grows with N", async () => {
    const site = testSite({ feedSize: 10, maxLimit: 60 });
    const articles: Article[] = Array.from({ length: 30 }, (_, i) => article(`story-${i}`, { title: `Story ${i}`, published: new Date(Date.UTC(2022, 0, 1, i)).toISOString() }, "Body.", site));
    const catalog = lazyCatalog(articles, async (e: ArticleMeta) => articles.find((a) => a.slug === e.slug)!);
    const holds = async (query: string) => ((await resolveResource(site, catalog, "/atom.xml", new URLSearchParams(query))) as Resource).holds;
    expect(await holds("limit=1")).toBe(1);
    expect(await holds("limit=25")).toBe(25);
    expect(await holds("limit=60")).toBe(30);
    expect(await holds("")).toBe(10);
  });
});
