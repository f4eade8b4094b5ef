/**
 * The catalog over KV, inside workerd: what it costs in reads, and that it is
 * the same catalog the Node server builds from the same records.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { ArticleMeta } from "../../src/core/article.js";
import { createApp } from "../../src/http/app.js";
import { INDEX_KEY, kvCatalogSource, kvStore, recordKey, VERSION_KEY } from "../../src/storage/kv.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";
import { clearKv, countingKv, enc } from "./support.js";

const site = testSite(); // feedSize 50

/** n valid records, one a minute apart, named so name order and date order differ. */
function manyRecords(n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2022, 5, 1) + i * 60_000).toISOString();
    out[`story-${(n - i) * 7 % 1000}-${i}.md`] = record({ title: `Story ${i}`, published: at }, `Text of story ${i}.`);
  }
  return out;
}

async function load(records: Record<string, string>, withSite = site) {
  const store = kvStore(env.ARTICLES, withSite);
  for (const [name, text] of Object.entries(records)) await store.write(name, enc(text));
}

const meta = (e: ArticleMeta): ArticleMeta => ({
  slug: e.slug, file: e.file, id: e.id, title: e.title, published: e.published,
  ...(e.updated ? { updated: e.updated } : {}), categories: e.categories, authors: e.authors, language: e.language, url: e.url,
});

beforeEach(() => clearKv(env.ARTICLES));

describe("reads per request", () => {
  it("a 50-article feed over 120 stored articles: the version, the index, and the 50 records shown, once", async () => {
    await load(manyRecords(120));
    const { kv, reads } = countingKv(env.ARTICLES);
    const source = kvCatalogSource(kv, site, () => {});
    const { catalog } = await source();
    expect(catalog.entries).toHaveLength(120);
    const app = createApp({ site, catalog: () => catalog, log: () => {} });

    const rss = await (await app.request("/rss.xml")).text();
    expect(rss.match(/<item>/g)).toHaveLength(50);
    const shown = catalog.entries.slice(0, 50).map((e) => recordKey(`${e.slug}.md`));
    expect(reads).toHaveLength(2 + 50);
    expect(reads.slice(0, 2)).toEqual([VERSION_KEY, INDEX_KEY]);
    expect(new Set(reads.slice(2))).toEqual(new Set(shown));

    // The other feeds and the index page show the same articles: no record is read again.
    for (const path of ["/atom.xml", "/feed.json", "/"]) expect((await app.request(path)).status).toBe(200);
    expect(reads).toHaveLength(52);
    // An older article's page: one read, its own.
    const old = catalog.entries[119]!;
    expect((await app.request(`/items/${old.slug}`)).status).toBe(200);
    expect(reads.slice(52)).toEqual([recordKey(`${old.slug}.md`)]);
  });

  it("an unchanged version costs one small read; the index is read again only after a change", async () => {
    await load(manyRecords(3));
    const { kv, reads } = countingKv(env.ARTICLES);
    const source = kvCatalogSource(kv, site, () => {});
    const first = await source();
    expect(await source()).toBe(first);
    expect(reads).toEqual([VERSION_KEY, INDEX_KEY, VERSION_KEY]);
    await load({ "late.md": record({ title: "Late", published: "2022-07-01" }) });
    const second = await source();
    expect(second.version).not.toBe(first.version);
    expect(second.catalog.entries[0]!.slug).toBe("late");
    expect(reads.slice(3)).toEqual([VERSION_KEY, INDEX_KEY]);
  });
});

describe("the same catalog as the Node server's", () => {
  const records = {
    ...manyRecords(5),
    "corrected.md": record({ title: "Corrected", published: "2022-06-29T09:00:00+09:00", updated: "2022-06-30T01:00:00Z", categories: ["A", "B"], authors: ["Kim", { name: "Lee", email: "lee@news.example" }] }),
    "no-title.md": record({ published: "2022-06-29" }),
    "typo.md": record({ title: "x", published: "2022-06-29", catgories: [] }),
    "draft.md": record({ title: "Draft", published: "2022-06-29", draft: true }),
    "a-first.md": record({ title: "First with id", published: "2022-06-20", id: "tag:news.example,2022:same" }),
    "b-second.md": record({ title: "Second with id", published: "2022-06-21", id: "tag:news.example,2022:same" }),
    "binary.md": "\u0000\u0001",
  };

  it("entries, errors and loaded articles equal those parsed from the records directly", async () => {
    await load(records);
    const logged: string[] = [];
    const { catalog } = await kvCatalogSource(env.ARTICLES, site, (m) => logged.push(m))();
    const expected = catalogOf(records, site);
    expect(catalog.entries.map(meta)).toEqual(expected.entries.map(meta));
    expect(catalog.errors.map((e) => e.message).sort()).toEqual(expected.errors.map((e) => e.message).sort());
    expect(catalog.errors).toHaveLength(4); // no-title, typo, binary, the second of two records with one id
    expect(logged.filter((m) => m.startsWith("skipped record: "))).toHaveLength(catalog.errors.length);
    for (const entry of expected.entries) {
      // The KV writes stamped each record (change-stamps.ts); apart from those, the same article.
      const { changed, listed, ...loaded } = await catalog.load(catalog.find(entry.slug)!);
      expect(loaded).toEqual(await expected.load(entry));
      expect([changed, listed].every((d) => d instanceof Date)).toBe(true);
    }
  });

  it("an index built for another site config is not trusted: URLs follow this site, and the operator is told", async () => {
    await load(records, testSite({ baseUrl: "https://old.example/" }));
    const logged: string[] = [];
    const { catalog } = await kvCatalogSource(env.ARTICLES, site, (m) => logged.push(m))();
    expect(catalog.entries.map(meta)).toEqual(catalogOf(records, site).entries.map(meta));
    expect(catalog.entries[0]!.url).toMatch(/^https:\/\/news\.example\//);
    expect(logged.some((m) => m.includes("built for another site config"))).toBe(true);
  });

  it("an empty namespace serves no articles and says how to load them", async () => {
    const logged: string[] = [];
    const { catalog } = await kvCatalogSource(env.ARTICLES, site, (m) => logged.push(m))();
    expect(catalog.entries).toEqual([]);
    expect(logged).toEqual([expect.stringContaining("npm run kv:load")]);
  });

  it("a version key that runs ahead of the index is re-checked until they agree", async () => {
    await load(manyRecords(2));
    const { kv, reads } = countingKv(env.ARTICLES);
    const source = kvCatalogSource(kv, site, () => {});
    const before = await source();
    await env.ARTICLES.put(VERSION_KEY, "ahead-of-the-index");
    expect(await source()).toBe(before); // the index still says the old version: the same catalog
    expect(await source()).toBe(before);
    expect(reads.filter((k) => k === INDEX_KEY)).toHaveLength(3);
    await load({ "late.md": record({ title: "Late", published: "2022-07-01" }) });
    expect((await source()).catalog.entries[0]!.slug).toBe("late");
  });
});
