/**
 * The D1 Worker inside workerd: the fixture items loaded into D1 (as
 * d1:load loads them) answer every URL as the bundled Worker answers it from
 * the same records, and a request costs the reads the design says.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import bundleData from "../../.generated/worker-data.js";
import { buildCatalog } from "../../src/core/catalog.js";
import { parseStamps, withStamps } from "../../src/core/change-stamps.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { parseTombstones } from "../../src/core/tombstone.js";
import { createApp } from "../../src/http/app.js";
import { listPaths, listWithdrawnPaths } from "../../src/http/site-resources.js";
import bundledWorker from "../../src/runtime/worker.js";
import { countingDb, d1Isolate, enc, loadD1, site, SITE_URL } from "./d1-support.js";

/** What the app set: without the headers the edge cache adds to a response it serves. */
const appHeaders = (r: Response) => [...r.headers].filter(([k]) => !["date", "age", "cf-cache-status"].includes(k));

async function fetchBundled(path: string, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const response = await bundledWorker.fetch(new Request(`https://wire.example${path}`, { headers }), { SITE_URL }, ctx);
  const body = new Uint8Array(await response.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { response, body };
}

const records = Object.entries(bundleData.records).map(([name, text]) => ({ file: `items/${name}`, bytes: enc(text) }));
const bundled = withStamps(buildCatalog(records, site, parseTombstones(bundleData.tombstones ?? [])), parseStamps(JSON.parse(bundleData.stamps!), "bundle"));
let paths: string[] = [];

beforeAll(async () => {
  paths = [...(await listPaths(site, bundled)), ...(await listWithdrawnPaths(bundled))];
});

describe("D1 Worker: the fixture items", () => {
  it("every URL of the site answers as the bundled Worker does: status, headers and bytes, twice (the second from the edge cache)", async () => {
    await loadD1();
    expect(paths.length).toBeGreaterThan(40);
    const fetchD1 = d1Isolate();
    for (const path of paths) {
      const expected = await fetchBundled(path);
      expect([path, expected.response.status]).toEqual([path, 200]);
      for (let i = 0; i < 2; i++) {
        const fromD1 = await fetchD1(path);
        expect([path, appHeaders(fromD1)]).toEqual([path, appHeaders(expected.response)]);
        expect([path, new Uint8Array(await fromD1.arrayBuffer())]).toEqual([path, expected.body]);
      }
    }
  }, 60_000);

  it("?limit, 400s, 404s and conditional requests alike", async () => {
    await loadD1();
    // The app over the bundle's catalog, in process: no edge cache in between (whose key leaves the query out).
    const reference = createApp({ site, catalog: () => bundled, log: () => {} });
    const fetchD1 = d1Isolate();
    for (const path of ["/rss.xml?limit=2", "/atom.xml?limit=abc", "/items/nope", "/categories/nope/", "/rss.xml/"]) {
      const expected = await reference.fetch(new Request(`https://wire.example${path}`));
      const fromD1 = await fetchD1(path);
      expect([path, fromD1.status, appHeaders(fromD1)]).toEqual([path, expected.status, appHeaders(expected)]);
      expect([path, new Uint8Array(await fromD1.arrayBuffer())]).toEqual([path, new Uint8Array(await expected.arrayBuffer())]);
    }
    const etag = (await fetchBundled("/feed.json")).response.headers.get("etag")!;
    expect((await fetchD1("/feed.json", { headers: { "If-None-Match": etag } })).status).toBe(304);
  });
});

describe("D1 Worker: reads per request", () => {
  it("a request answered from the isolate's or the edge's cache reads the version only; a cold /rss.xml at most 3 queries", async () => {
    await loadD1();
    const counted = countingDb();
    const fetchD1 = d1Isolate({ DB: counted.db });
    expect((await fetchD1("/rss.xml")).status).toBe(200);
    // Counted as statements prepared (a batch of n would count n): the version with the site's stats, the window, the withdrawals.
    console.log(`D1 queries for a cold /rss.xml (5 articles): ${counted.queries.length}`);
    expect(counted.queries.length).toBeLessThanOrEqual(3);
    expect(counted.queries[0]).toMatch(/FROM meta/);
    counted.queries.length = 0;
    await fetchD1("/rss.xml");
    expect(counted.queries).toHaveLength(1);
    expect(counted.queries[0]).toMatch(/FROM meta/);
    // Another isolate: the edge cache answers, after the one version read.
    const other = countingDb();
    const fetchOther = d1Isolate({ DB: other.db });
    const hit = await fetchOther("/rss.xml");
    expect(hit.headers.get("cf-cache-status")).toBe("HIT");
    expect(other.queries).toHaveLength(1);
  });

  it("an archive split down to the hour (more than a page in the newest year, month, day, hour): a cold /rss.xml still makes at most 3 queries, and links the newest closed period", async () => {
    const records: Record<string, string> = {};
    // 130 articles a minute apart on one day: year, month, day and hour split (page size 50), minutes not.
    for (let i = 0; i < 130; i++) {
      const at = new Date(Date.UTC(2024, 4, 6, 10, 0) + i * 60_000).toISOString();
      records[`wire-${String(i).padStart(3, "0")}.md`] = `---\ntitle: Wire ${i}\npublished: ${at}\ncategories: [Markets]\n---\n\nStory ${i}.\n`;
    }
    await loadD1(records, {});
    const counted = countingDb();
    const cold = await d1Isolate({ DB: counted.db })("/rss.xml");
    const body = await cold.text();
    expect(cold.status).toBe(200);
    expect(counted.queries.length).toBeLessThanOrEqual(3);
    // The newest article is at 12:09 on 2024-05-06; the hour before is the newest closed period.
    expect(body).toContain("/archive/2024-05-06T11/");
  });

  it("rows loaded for another site config are served as they are and said loudly, once per isolate", async () => {
    await loadD1(bundleData.records, { site: parseSiteConfig(bundleData.siteConfig, "site.config.json", "https://elsewhere.example/") });
    const log: string[] = [];
    const fetchD1 = d1Isolate({ log });
    expect((await fetchD1("/rss.xml")).status).toBe(200);
    expect((await fetchD1("/atom.xml")).status).toBe(200);
    expect(log.filter((m) => m.includes("loaded for another site config"))).toHaveLength(1);
    expect(log[0]).toContain("npm run d1:load");
  });
});
