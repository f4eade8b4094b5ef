/**
 * The edge cache inside workerd (the real Cache API), in front of the
 * bundled app: for every dimension the app's answer varies on, warm the
 * cache with one variant, ask for another, and get the app's own answer for
 * that one. Every call that reaches the app is counted: what the cache
 * answers must not call it.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import bundleData from "../../.generated/worker-data.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { edgeCached } from "../../src/runtime/edge-cache.js";
import { bundleApp } from "../../src/runtime/worker-site.js";

const site = parseSiteConfig(bundleData.siteConfig, "site.config.json", env.SITE_URL);
const ITEMS = Object.keys(bundleData.records).length;
const slug = Object.keys(bundleData.records)[0]!.slice(0, -3);

/** A browser navigating (Chromium's Accept), and a feed reader's. */
const BROWSER = { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8" };
const READER = { Accept: "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8, */*;q=0.1" };

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

/** What the app set: without the headers the edge cache adds to a response it serves. */
const appHeaders = (r: Response) => [...r.headers].filter(([k]) => !["date", "age", "cf-cache-status"].includes(k));
const answer = async (r: Response): Promise<Answer> => ({ status: r.status, headers: appHeaders(r), body: await r.text() });
const header = (a: Answer, name: string) => a.headers.find(([k]) => k === name)?.[1];
const items = (a: Answer) => (a.body.match(/<item>/g) ?? []).length;

let edges = 0;

/**
 * A fresh edge over a fresh app, in a scope of the shared cache no other
 * test uses (as a new content version would be): `get` goes through the edge
 * cache, `direct` asks the app alone (the reference), `calls` lists what
 * reached the app through the edge.
 */
function edge() {
  const app = bundleApp(bundleData, site, () => {});
  const calls: string[] = [];
  const cache = (caches as unknown as { default: Cache }).default;
  const cached = edgeCached({ cache, site, log: (m, e) => console.error(m, e) });
  const scope = `edge-cache-test-${++edges}`;
  const request = (path: string, headers: Record<string, string>, method: string) => new Request(`https://wire.example${path}`, { method, headers });
  const get = async (path: string, headers: Record<string, string> = {}, method = "GET") => {
    const ctx = createExecutionContext();
    const counted = (r: Request) => {
      calls.push(`${r.method} ${path}`);
      return app(r);
    };
    const response = await cached(request(path, headers, method), ctx, scope, () => counted);
    const result = await answer(response);
    await waitOnExecutionContext(ctx); // the cache put runs after the response
    return result;
  };
  const direct = async (path: string, headers: Record<string, string> = {}, method = "GET") => answer(await app(request(path, headers, method)));
  return { get, direct, calls };
}

describe("edge cache: ?limit", () => {
  it("a warm ?limit=1 does not answer the plain feed, nor the reverse; each is the app's answer, each asked of the app once", async () => {
    const e = edge();
    const one = await e.get("/rss.xml?limit=1");
    expect(items(one)).toBe(1);
    const plain = await e.get("/rss.xml");
    expect(items(plain)).toBe(ITEMS);
    expect(plain).toEqual(await e.direct("/rss.xml"));
    expect(one).toEqual(await e.direct("/rss.xml?limit=1"));
    // Again, from the cache: the same answers, no new call.
    expect(await e.get("/rss.xml")).toEqual(plain);
    expect(await e.get("/rss.xml?limit=1")).toEqual(one);
    expect(e.calls).toEqual(["GET /rss.xml?limit=1", "GET /rss.xml"]);
  });

  it("the plain feed warm first: ?limit=2 still gets two items", async () => {
    const e = edge();
    expect(items(await e.get("/rss.xml"))).toBe(ITEMS);
    const two = await e.get("/rss.xml?limit=2");
    expect(items(two)).toBe(2);
    expect(two).toEqual(await e.direct("/rss.xml?limit=2"));
    expect(e.calls).toEqual(["GET /rss.xml", "GET /rss.xml?limit=2"]);
  });

  it("an invalid limit gets the app's 400 after a warm plain feed, every time, and is never stored", async () => {
    const e = edge();
    expect((await e.get("/rss.xml")).status).toBe(200);
    for (const bad of ["abc", "0", "-1", "1.5", String(site.maxLimit + 1), "1&limit=2"]) {
      const path = `/rss.xml?limit=${bad}`;
      const got = await e.get(path);
      expect([bad, got.status]).toEqual([bad, 400]);
      expect(got).toEqual(await e.direct(path));
      expect((await e.get(path)).status).toBe(400);
    }
    // Each 400 came from the app (twice per value), and the warm plain feed is untouched.
    expect(e.calls.filter((c) => c.includes("limit="))).toHaveLength(12);
    expect(items(await e.get("/rss.xml"))).toBe(ITEMS);
    expect(e.calls.filter((c) => c === "GET /rss.xml")).toHaveLength(1);
  });

  it("other query parameters (readers' cache-busters), which the app ignores, share the entry", async () => {
    const e = edge();
    const plain = await e.get("/rss.xml");
    expect(await e.get("/rss.xml?_=1700000000")).toEqual(plain);
    expect(await e.get("/rss.xml?limit=3&utm_source=reader")).toEqual(await e.direct("/rss.xml?limit=3"));
    expect(await e.get("/rss.xml?utm_source=reader&limit=3")).toEqual(await e.direct("/rss.xml?limit=3"));
    expect(e.calls).toEqual(["GET /rss.xml", "GET /rss.xml?limit=3&utm_source=reader"]);
  });

  it("a request line over the app's limits gets the app's answer, even with the entry warm", async () => {
    const e = edge();
    await e.get("/rss.xml?limit=1");
    const many = `/rss.xml?limit=1&${Array.from({ length: 20 }, (_, i) => `p${i}=1`).join("&")}`;
    const got = await e.get(many);
    expect(got.status).toBe(400);
    expect(got).toEqual(await e.direct(many));
    expect(e.calls).toEqual(["GET /rss.xml?limit=1", `GET ${many}`]);
  });
});

describe("edge cache: /feed negotiation", () => {
  it("asked as JSON, then as RSS, then as Atom: each format as the app negotiates it", async () => {
    const e = edge();
    const json = await e.get("/feed", { Accept: "application/feed+json" });
    expect(header(json, "content-type")).toBe("application/feed+json; charset=utf-8");
    const rss = await e.get("/feed", { Accept: "application/rss+xml" });
    expect(header(rss, "content-type")).toBe("application/rss+xml; charset=utf-8");
    expect(rss).toEqual(await e.direct("/feed", { Accept: "application/rss+xml" }));
    const atom = await e.get("/feed", { Accept: "application/atom+xml" });
    expect(atom).toEqual(await e.direct("/feed", { Accept: "application/atom+xml" }));
    expect(header(atom, "content-location")).toBe(new URL("atom.xml", site.baseUrl).href);
    expect(json).toEqual(await e.direct("/feed", { Accept: "application/feed+json" }));
    // The same three again: all from the cache.
    expect(await e.get("/feed", { Accept: "application/json" })).toEqual(json);
    expect(await e.get("/feed", { Accept: "application/rss+xml" })).toEqual(rss);
    expect(e.calls).toHaveLength(3);
  });

  it("no acceptable format: the app's 406, even with every format warm", async () => {
    const e = edge();
    await e.get("/feed");
    const refused = await e.get("/feed", { Accept: "image/png" });
    expect(refused.status).toBe(406);
    expect(refused).toEqual(await e.direct("/feed", { Accept: "image/png" }));
    expect(e.calls).toEqual(["GET /feed", "GET /feed"]);
  });
});

describe("edge cache: the media type a browser gets for an XML feed", () => {
  for (const path of ["/rss.xml", "/atom.xml", "/feed"]) {
    it(`${path}: browser first, then a feed reader`, async () => {
      const e = edge();
      const browser = await e.get(path, BROWSER);
      expect(header(browser, "content-type")).toBe("application/xml; charset=utf-8");
      const reader = await e.get(path, READER);
      expect(header(reader, "content-type")).toMatch(/^application\/(rss|atom)\+xml; charset=utf-8$/);
      expect(reader).toEqual(await e.direct(path, READER));
      expect(browser).toEqual(await e.direct(path, BROWSER));
      expect(e.calls).toHaveLength(2);
    });

    it(`${path}: a feed reader first, then a browser`, async () => {
      const e = edge();
      const reader = await e.get(path, READER);
      expect(header(reader, "content-type")).toMatch(/^application\/(rss|atom)\+xml; charset=utf-8$/);
      const browser = await e.get(path, BROWSER);
      expect(header(browser, "content-type")).toBe("application/xml; charset=utf-8");
      expect(browser).toEqual(await e.direct(path, BROWSER));
      expect(await e.get(path, READER)).toEqual(reader);
      expect(await e.get(path, BROWSER)).toEqual(browser);
      expect(e.calls).toHaveLength(2);
    });
  }

  it("no Accept and */* are readers, as the app decides", async () => {
    const e = edge();
    const none = await e.get("/rss.xml");
    expect(header(none, "content-type")).toBe("application/rss+xml; charset=utf-8");
    expect(await e.get("/rss.xml", { Accept: "*/*" })).toEqual(none);
    expect(e.calls).toHaveLength(1);
  });
});

describe("edge cache: content coding", () => {
  it("the Worker's app sends the same identity bytes for every Accept-Encoding, so one entry answers them all", async () => {
    const e = edge();
    const codings = ["gzip, deflate, br", "identity", "br;q=1, gzip;q=0.5", ""];
    const first = await e.get("/atom.xml", { "Accept-Encoding": codings[0]! });
    for (const coding of codings) {
      const reference = await e.direct("/atom.xml", coding ? { "Accept-Encoding": coding } : {});
      // What makes sharing right: the app's own answer does not depend on the coding asked for.
      expect(header(reference, "content-encoding")).toBeUndefined();
      expect(reference).toEqual(first);
      expect(await e.get("/atom.xml", coding ? { "Accept-Encoding": coding } : {})).toEqual(first);
    }
    expect(e.calls).toEqual(["GET /atom.xml"]);
  });
});

describe("edge cache: conditional requests and HEAD", () => {
  const paths = ["/rss.xml", "/", `/items/${slug}`, "/style.css", "/feeds.opml"];

  it("If-None-Match and If-Modified-Since are answered from the cached entry with the app's own 304", async () => {
    const e = edge();
    for (const path of paths) {
      const full = await e.get(path);
      expect(full.status, path).toBe(200);
      const conditions = [{ "If-None-Match": header(full, "etag")! }, { "If-None-Match": `"other", ${header(full, "etag")}` }];
      const lastModified = header(full, "last-modified");
      if (lastModified) conditions.push({ "If-Modified-Since": lastModified } as never);
      for (const headers of conditions) {
        const got = await e.get(path, headers);
        expect([path, got.status]).toEqual([path, 304]);
        expect(got).toEqual(await e.direct(path, headers));
      }
      // A stale validator gets the full 200, also from the cache.
      expect(await e.get(path, { "If-None-Match": '"stale"' })).toEqual(full);
    }
    expect(e.calls).toEqual(paths.map((p) => `GET ${p}`));
  });

  it("/feed's 304 carries Content-Location, as the app's does", async () => {
    const e = edge();
    const full = await e.get("/feed", { Accept: "application/atom+xml" });
    const headers = { Accept: "application/atom+xml", "If-None-Match": header(full, "etag")! };
    const got = await e.get("/feed", headers);
    expect(got.status).toBe(304);
    expect(got).toEqual(await e.direct("/feed", headers));
    expect(e.calls).toHaveLength(1);
  });

  it("a conditional request on a cold cache fills it: the app is asked the plain GET once, and the 304 is the app's", async () => {
    const e = edge();
    const etag = header(await e.direct("/atom.xml"), "etag")!;
    const got = await e.get("/atom.xml", { "If-None-Match": etag });
    expect(got.status).toBe(304);
    expect(got).toEqual(await e.direct("/atom.xml", { "If-None-Match": etag }));
    expect(await e.get("/atom.xml")).toEqual(await e.direct("/atom.xml"));
    expect(e.calls).toEqual(["GET /atom.xml"]);
  });

  it("HEAD is answered from the cached GET, with the app's HEAD headers; a cold HEAD fills the cache for GET", async () => {
    const e = edge();
    const full = await e.get("/rss.xml");
    const head = await e.get("/rss.xml", {}, "HEAD");
    expect(head).toEqual(await e.direct("/rss.xml", {}, "HEAD"));
    expect(head.body).toBe("");
    expect(header(head, "content-length")).toBe(header(full, "content-length"));
    expect(e.calls).toEqual(["GET /rss.xml"]);

    const cold = edge();
    expect(await cold.get("/feed.json", {}, "HEAD")).toEqual(await cold.direct("/feed.json", {}, "HEAD"));
    expect(await cold.get("/feed.json")).toEqual(await cold.direct("/feed.json"));
    expect(cold.calls).toEqual(["GET /feed.json"]);
  });

  it("what is not a 200 is never stored: a 404 is the app's every time", async () => {
    const e = edge();
    for (let i = 0; i < 2; i++) {
      const missing = await e.get("/items/no-such-article", BROWSER);
      expect(missing.status).toBe(404);
      expect(missing).toEqual(await e.direct("/items/no-such-article", BROWSER));
    }
    expect(e.calls).toEqual(["GET /items/no-such-article", "GET /items/no-such-article"]);
  });
});

describe("edge cache: what is one client's", () => {
  it("the publish API and requests with credentials reach the app every time, even when it answers 200", async () => {
    const calls: string[] = [];
    // An app whose every answer could be stored: the edge must still not share these.
    const app = (r: Request) => {
      calls.push(new URL(r.url).pathname);
      return new Response(`for ${r.headers.get("authorization") ?? "anyone"}`, { status: 200, headers: { "Cache-Control": "public, max-age=300", ETag: '"x"' } });
    };
    const cached = edgeCached({ cache: (caches as unknown as { default: Cache }).default, site, log: () => {} });
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const ctx = createExecutionContext();
      const body = await (await cached(new Request(`https://wire.example${path}`, { headers }), ctx, "edge-cache-test-private", () => app)).text();
      await waitOnExecutionContext(ctx);
      return body;
    };
    for (let i = 0; i < 2; i++) {
      expect(await get("/api/items/scoop", { Authorization: `Bearer token-${i}` })).toBe(`for Bearer token-${i}`);
      expect(await get("/api/items")).toBe("for anyone");
      expect(await get("/rss.xml", { Authorization: `Bearer token-${i}` })).toBe(`for Bearer token-${i}`);
    }
    expect(calls).toEqual(["/api/items/scoop", "/api/items", "/rss.xml", "/api/items/scoop", "/api/items", "/rss.xml"]);
    // The control: without credentials, the same app's 200 is shared.
    expect(await get("/rss.xml")).toBe("for anyone");
    expect(await get("/rss.xml")).toBe("for anyone");
    expect(calls.filter((c) => c === "/rss.xml")).toHaveLength(3);
  });
});
