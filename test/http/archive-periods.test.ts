/** Issue 11, item 1: archive documents are calendar periods, split until each is bounded. */
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.js";
import { createApp } from "../../src/http/app.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";

function catalogAt(times: Date[], site = testSite()): Catalog {
  const recs: Record<string, string> = {};
  times.forEach((t, i) => (recs[`a${i}.md`] = record({ title: `Article ${i}`, published: t.toISOString() })));
  return catalogOf(recs, site);
}

/** Follows next_url (JSON Feed's prev-archive) from the subscription feed; every document's item count and key. */
async function walk(site: ReturnType<typeof testSite>, catalog: Catalog) {
  const app = createApp({ site, catalog: () => catalog, log: () => {} });
  const docs: { key: string; ids: string[] }[] = [];
  let url: string | undefined = "https://news.example/feed.json";
  while (url && docs.length < 5000) {
    const res = await app.request(url.replace("https://news.example", ""));
    expect(res.status, url).toBe(200);
    const json = (await res.json()) as { items: { id: string }[]; next_url?: string };
    docs.push({ key: /archive\/([^/]+)\//.exec(url)?.[1] ?? "(feed)", ids: json.items.map((i) => i.id) });
    url = json.next_url;
  }
  return docs;
}

describe("archive periods", () => {
  it("10,000 articles in one month: every document bounded, every article in exactly one archive document", async () => {
    const site = testSite({ feedSize: 50, archivePageSize: 50 });
    const start = Date.UTC(2022, 5, 1);
    const times = Array.from({ length: 10_000 }, (_, i) => new Date(start + i * 259_000)); // ~4.3 minutes apart, 1-30 June
    const docs = await walk(site, catalogAt(times, site));
    const archived = docs.slice(1);
    expect(Math.max(...archived.map((d) => d.ids.length))).toBeLessThanOrEqual(50);
    const all = archived.flatMap((d) => d.ids);
    expect(new Set(all).size).toBe(all.length);
    // The subscription feed holds the open period; together they hold everything.
    expect(new Set([...all, ...docs[0]!.ids]).size).toBe(10_000);
    expect(archived.some((d) => d.key === "2022-06-15")).toBe(true); // a split day: no entries of its own
    expect(archived.find((d) => d.key === "2022-06-15")!.ids).toEqual([]);
    expect(archived.some((d) => d.key === "2022-06-15T10")).toBe(true);
  }, 60_000);

  it("articles sharing one second are paged in numbered parts of archivePageSize", async () => {
    const site = testSite({ feedSize: 10, archivePageSize: 10 });
    const same = new Date("2022-06-28T01:00:00Z");
    const docs = await walk(site, catalogAt([...Array.from({ length: 25 }, () => same), new Date("2022-06-29T00:00:00Z")], site));
    const parts = docs.filter((d) => /-p\d+$/.test(d.key));
    expect(parts.map((d) => [d.key, d.ids.length])).toEqual([
      ["2022-06-28T010000-p3", 5],
      ["2022-06-28T010000-p2", 10],
      ["2022-06-28T010000-p1", 10],
    ]);
  });

  it("a quiet scope gets one document a year; a year without articles is an empty document in the chain", async () => {
    const site = testSite({ feedSize: 2, archivePageSize: 2 });
    const years = [2018, 2019, 2021, 2022, 2023];
    const docs = await walk(site, catalogAt(years.map((y) => new Date(Date.UTC(y, 3, 1))), site));
    expect(docs.map((d) => [d.key, d.ids.length])).toEqual([
      ["(feed)", 2],
      ["2022", 1],
      ["2021", 1],
      ["2020", 0],
      ["2019", 1],
      ["2018", 1],
    ]);
  });
});
