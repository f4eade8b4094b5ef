/**
 * The Worker entry points inside workerd: the bundled Worker as the pool
 * loads it (wrangler.toml's top level), and isolates of one build sharing
 * the edge cache.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import bundleData from "../../.generated/worker-data.js";
import bundledWorker from "../../src/runtime/worker.js";
import { workerEntry } from "../../src/runtime/worker-site.js";
import type { WorkerData } from "../../src/runtime/worker-data.js";
import { record } from "../support/fixtures.js";

const slugs = Object.keys(bundleData.records).map((n) => n.slice(0, -3));
const ROUTES = ["/", "/rss.xml", "/atom.xml", "/feed.json", "/style.css", ...slugs.map((s) => `/items/${s}`)];
const scoop = record({ title: "Scoop: a new article", published: "2022-07-02T08:00:00+09:00" }, "Filed just now.");

/** What the app set: without the headers the edge cache adds to a response it serves. */
const appHeaders = (r: Response) => [...r.headers].filter(([k]) => !["date", "age", "cf-cache-status"].includes(k));

describe("edge cache", () => {
  /** A build of the bundle's records plus `extra`, its own build id and version: an edge-cache scope no other test uses. */
  function buildOf(name: string, extra: Record<string, string> = {}): WorkerData {
    return { ...bundleData, buildId: `${name}-build`, version: `${name}-version`, records: { ...bundleData.records, ...extra } };
  }

  /** A fresh isolate of one build: its own app and per-isolate caches, the same edge cache; every record it reads is recorded. */
  function isolate(data: WorkerData) {
    const reads: string[] = [];
    const records = new Proxy(data.records, {
      get(target, name) {
        if (typeof name === "string") reads.push(name);
        return Reflect.get(target, name);
      },
    });
    const worker = workerEntry({ ...data, records });
    const bindings = { SITE_URL: env.SITE_URL };
    const fetch = async (path: string, headers: Record<string, string> = {}) => {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request(`https://wire.example${path}`, { headers }), bindings, ctx);
      const body = await response.text();
      await waitOnExecutionContext(ctx); // the cache put runs after the response
      return { response, body };
    };
    return { fetch, reads };
  }

  it("one isolate's rendering serves the next from the edge cache, which reads no record; a new build is never answered from the old one's entries", async () => {
    const first = buildOf("edge-one", { "edge.md": record({ title: "Only in the edge-cache test", published: "2022-06-01" }) });
    const a = isolate(first);
    const rendered = await a.fetch("/atom.xml");
    expect(rendered.body).toContain("Only in the edge-cache test");
    expect(a.reads).toHaveLength(slugs.length + 1);

    const b = isolate(first);
    const second = await b.fetch("/atom.xml");
    expect(second.body).toBe(rendered.body);
    expect(second.response.headers.get("etag")).toBe(rendered.response.headers.get("etag"));
    expect(b.reads).toEqual([]); // answered by the edge cache: the bundle is not even parsed

    const next = buildOf("edge-two", { "edge.md": record({ title: "Only in the edge-cache test", published: "2022-06-01" }), "scoop.md": scoop });
    const c = isolate(next);
    const fresh = await c.fetch("/atom.xml");
    expect(fresh.body).toContain("Scoop: a new article");
    expect(fresh.response.headers.get("etag")).not.toBe(rendered.response.headers.get("etag"));
    expect(c.reads).toHaveLength(slugs.length + 2);
    const d = isolate(next);
    expect((await d.fetch("/atom.xml")).body).toBe(fresh.body);
    expect(d.reads).toEqual([]);
  });

  it("conditional requests are answered from the edge cache, with the app's 304", async () => {
    const data = buildOf("edge-conditional");
    const a = isolate(data);
    const { response } = await a.fetch("/feed.json");
    const b = isolate(data);
    const conditional = await b.fetch("/feed.json", { "If-None-Match": response.headers.get("etag")! });
    expect(conditional.response.status).toBe(304);
    expect(conditional.body).toBe("");
    expect(conditional.response.headers.get("etag")).toBe(response.headers.get("etag"));
    expect(b.reads).toEqual([]);
  });
});

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

  it("answers every route as the pool's main module (src/runtime/worker.ts, loaded by wrangler.toml) does", async () => {
    for (const path of ROUTES) {
      const bundled = await fetchBundled(path);
      const fromMain = await exports.default.fetch(`https://wire.example${path}`);
      expect(bundled.status, path).toBe(200);
      expect(appHeaders(bundled), path).toEqual(appHeaders(fromMain));
      expect(new Uint8Array(await bundled.arrayBuffer()), path).toEqual(new Uint8Array(await fromMain.arrayBuffer()));
    }
  });
});
