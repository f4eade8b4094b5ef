/**
 * The Worker entry points inside workerd: the KV Worker as the pool loads it
 * (bindings from wrangler.toml's "kv" environment), and the bundled Worker.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import bundleData from "../../.generated/worker-data.js";
import kvData from "../../.generated/worker-kv-data.js";
import { parseSiteConfig } from "../../src/core/config.js";
import bundledWorker from "../../src/runtime/worker.js";
import { workerEntry } from "../../src/runtime/worker-site.js";
import { parseStamps } from "../../src/core/change-stamps.js";
import { INDEX_KEY, kvStore, VERSION_KEY } from "../../src/storage/kv.js";
import { parseIndex, sealIndex } from "../../src/storage/kv-index.js";
import { record } from "../support/fixtures.js";
import { clearKv, countingKv, enc } from "./support.js";

const site = parseSiteConfig(kvData.siteConfig, "site.config.json", env.SITE_URL);
const slugs = Object.keys(bundleData.records).map((n) => n.slice(0, -3));
const ROUTES = ["/", "/rss.xml", "/atom.xml", "/feed.json", "/style.css", ...slugs.map((s) => `/items/${s}`)];
const scoop = record({ title: "Scoop: a new article", published: "2022-07-02T08:00:00+09:00" }, "Filed just now.");

async function loadItems() {
  const store = kvStore(env.ARTICLES, site);
  for (const [name, text] of Object.entries(bundleData.records)) await store.write(name, enc(text));
  return store;
}

/** The bundle's records loaded as scripts/kv-load.ts loads them: with the change stamps of items/.changes.json. */
async function loadItemsWithStamps() {
  await loadItems();
  const index = parseIndex((await env.ARTICLES.get(INDEX_KEY, "text"))!, INDEX_KEY);
  const sealed = await sealIndex(index.site, index.records, [], parseStamps(JSON.parse(bundleData.stamps!), "bundle"));
  await env.ARTICLES.put(INDEX_KEY, JSON.stringify(sealed));
  await env.ARTICLES.put(VERSION_KEY, sealed.version);
}

const get = (path: string, headers: Record<string, string> = {}) => exports.default.fetch(`https://wire.example${path}`, { headers });

beforeEach(() => clearKv(env.ARTICLES));

describe("KV Worker (the pool's main module)", () => {
  it("serves the articles in KV", async () => {
    await loadItems();
    const rss = await (await get("/rss.xml")).text();
    expect(rss.match(/<item>/g)).toHaveLength(slugs.length);
    for (const slug of slugs) expect((await get(`/items/${slug}`)).status).toBe(200);
  });

  it("a publish is visible at once, and nothing stale is served after it", async () => {
    const store = await loadItems();
    const before = await get("/rss.xml");
    const oldEtag = before.headers.get("etag")!;
    const beforeText = await before.text();
    expect(beforeText).not.toContain("Scoop");
    expect((await get("/items/scoop")).status).toBe(404);

    await store.write("scoop.md", enc(scoop));
    const after = await get("/rss.xml");
    expect(after.headers.get("etag")).not.toBe(oldEtag);
    expect(await after.text()).toContain("<title>Scoop: a new article</title>");
    expect((await get("/items/scoop")).status).toBe(200);
    // A client holding the old representation gets the new one, not a 304.
    expect((await get("/rss.xml", { "If-None-Match": oldEtag })).status).toBe(200);

    await store.remove("scoop.md");
    // Withdrawn, not unknown: 410, as on Node.
    expect((await get("/items/scoop")).status).toBe(410);
    // The same items as before the publish; the feed's date moves on to the withdrawal (a change readers see in Atom).
    const items = (xml: string) => xml.match(/<item>[\s\S]*?<\/item>/g);
    const reverted = await get("/rss.xml");
    expect(reverted.headers.get("etag")).not.toBe(after.headers.get("etag"));
    expect(items(await reverted.text())).toEqual(items(beforeText));
  });
});

describe("edge cache", () => {
  /** A fresh isolate: its own per-isolate caches, the same KV and the same edge cache. */
  function isolate() {
    const counted = countingKv(env.ARTICLES);
    const worker = workerEntry(kvData);
    const isolateEnv = { SITE_URL: env.SITE_URL, ARTICLES: counted.kv };
    const fetch = async (path: string, headers: Record<string, string> = {}) => {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`https://wire.example${path}`, { headers }), isolateEnv, ctx);
      const body = await response.text();
      await waitOnExecutionContext(ctx); // the cache put runs after the response
      return { response, body };
    };
    return { fetch, reads: counted.reads };
  }
  const recordReads = (reads: string[]) => reads.filter((k) => k.startsWith("items/"));

  it("one isolate's rendering serves the next from the edge cache; a publish moves both to the new version", async () => {
    const store = await loadItems();
    // Content no other test publishes: a version the edge cache has never seen.
    await store.write("edge.md", enc(record({ title: "Only in the edge-cache test", published: "2022-06-01" })));
    const a = isolate();
    const first = await a.fetch("/atom.xml");
    expect(recordReads(a.reads)).toHaveLength(slugs.length + 1);

    const b = isolate();
    const second = await b.fetch("/atom.xml");
    expect(second.body).toBe(first.body);
    expect(second.response.headers.get("etag")).toBe(first.response.headers.get("etag"));
    expect(recordReads(b.reads)).toEqual([]); // answered by the edge cache, not rendered

    await store.write("scoop.md", enc(scoop));
    const fresh = await b.fetch("/atom.xml");
    expect(fresh.body).toContain("Scoop: a new article");
    expect(recordReads(b.reads)).toHaveLength(slugs.length + 2);
    const fromA = await a.fetch("/atom.xml");
    expect(fromA.body).toBe(fresh.body);
  });

  it("conditional requests are answered by the app, even when the edge cache holds the response", async () => {
    await loadItems();
    const a = isolate();
    const { response } = await a.fetch("/feed.json");
    const b = isolate();
    const conditional = await b.fetch("/feed.json", { "If-None-Match": response.headers.get("etag")! });
    expect(conditional.response.status).toBe(304);
    expect(conditional.body).toBe("");
    expect(conditional.response.headers.get("etag")).toBe(response.headers.get("etag"));
  });
});

/** What the app set: without the headers the edge cache adds to a response it serves. */
const appHeaders = (r: Response) => [...r.headers].filter(([k]) => !["date", "age", "cf-cache-status"].includes(k));

describe("bundled Worker", () => {
  const fetchBundled = async (path: string, headers: Record<string, string> = {}) => {
    const ctx = createExecutionContext();
    const response = await bundledWorker.fetch(new Request(`https://wire.example${path}`, { headers }), { SITE_URL: env.SITE_URL }, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };

  it("serves every bundled article with links from SITE_URL", async () => {
    const rss = await (await fetchBundled("/rss.xml")).text();
    expect(rss.match(/<item>/g)).toHaveLength(slugs.length);
    for (const slug of slugs) expect(rss).toContain(`<link>https://wire.example/items/${slug}</link>`);
  });

  it("answers every route exactly as the KV Worker does over the same records", async () => {
    await loadItemsWithStamps();
    for (const path of ROUTES) {
      const bundled = await fetchBundled(path);
      const fromKv = await get(path);
      expect(bundled.status, path).toBe(200);
      expect(appHeaders(bundled), path).toEqual(appHeaders(fromKv));
      expect(new Uint8Array(await bundled.arrayBuffer()), path).toEqual(new Uint8Array(await fromKv.arrayBuffer()));
    }
  });
});
