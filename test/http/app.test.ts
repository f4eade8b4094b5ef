import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/http/app.js";
import { nodeCompressor } from "../../src/runtime/node-compress.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";

const site = testSite();
const catalog = catalogOf({
  "older.md": record({ title: "Older", published: "2022-06-28T10:00:00+09:00" }),
  "newer.md": record({ title: "Newer", published: "2022-06-29T10:00:00+09:00", updated: "2022-06-30T01:02:03Z" }),
});
const app = createApp({ site, catalog: () => catalog, compress: nodeCompressor, log: () => {} });

const CORS = { "access-control-allow-origin": "*", "access-control-expose-headers": "ETag, Last-Modified, Link" };
const SITE_FEEDS_LINK =
  '<https://news.example/rss.xml>; rel="alternate"; type="application/rss+xml"; title="Test Wire (RSS)", ' +
  '<https://news.example/atom.xml>; rel="alternate"; type="application/atom+xml"; title="Test Wire (Atom)", ' +
  '<https://news.example/feed.json>; rel="alternate"; type="application/feed+json"; title="Test Wire (JSON Feed)"';
const CSP = "default-src 'none'; style-src https://news.example; img-src http: https:; media-src http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** Pages also get a strict CSP and a referrer policy; every body gets nosniff. */
const PAGE_HEADERS = { "content-security-policy": CSP, "referrer-policy": "strict-origin-when-cross-origin" };

/** Path, media type, and what else each kind of resource sends: CORS for feeds, a Link header and page headers for pages. */
const FEEDS = [
  // Feeds vary on Fetch Metadata too: a browser's navigation is sent to the feed's page (feed-navigation.ts).
  ["/rss.xml", "application/rss+xml; charset=utf-8", { ...CORS, vary: "Sec-Fetch-Dest, Sec-Fetch-Mode, Accept-Encoding" }],
  ["/atom.xml", "application/atom+xml; charset=utf-8", { ...CORS, vary: "Sec-Fetch-Dest, Sec-Fetch-Mode, Accept-Encoding" }],
  ["/feed.json", "application/feed+json; charset=utf-8", { ...CORS, vary: "Sec-Fetch-Dest, Sec-Fetch-Mode, Accept-Encoding" }],
  ["/", "text/html; charset=utf-8", { link: SITE_FEEDS_LINK, ...PAGE_HEADERS }],
  ["/items/newer", "text/html; charset=utf-8", { link: SITE_FEEDS_LINK, ...PAGE_HEADERS }],
] as const;

describe("GET", () => {
  it.each(FEEDS)("%s: 200 with exact headers", async (path, type, extra) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    const body = new Uint8Array(await res.arrayBuffer());
    expect(Object.fromEntries(res.headers)).toEqual({
      "cache-control": "public, max-age=300",
      "content-length": String(body.length),
      "content-type": type,
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]{24}"$/),
      "last-modified": "Thu, 30 Jun 2022 01:02:03 GMT",
      vary: "Accept-Encoding",
      "x-content-type-options": "nosniff",
      ...extra,
    });
  });

  it("the same bytes and ETag on every request", async () => {
    const a = await app.request("/rss.xml");
    const b = await app.request("/rss.xml");
    expect(a.headers.get("etag")).toBe(b.headers.get("etag"));
    expect(await a.text()).toBe(await b.text());
  });

  it("an article page's Last-Modified is its own last change", async () => {
    const res = await app.request("/items/older");
    expect(res.headers.get("last-modified")).toBe("Tue, 28 Jun 2022 01:00:00 GMT");
  });

  it("the Host header never changes a link", async () => {
    const res = await app.request("http://evil.example/rss.xml", { headers: { Host: "evil.example" } });
    const text = await res.text();
    expect(text).not.toContain("evil.example");
    expect(text).toContain("https://news.example/items/newer");
  });

  it("pages carry lang, canonical and feed autodiscovery", async () => {
    for (const path of ["/", "/items/newer"]) {
      const html = await (await app.request(path)).text();
      expect(html).toMatch(/<html lang="en" dir="ltr">/);
      expect(html).toContain(`<link rel="canonical" href="https://news.example/${path === "/" ? "" : "items/newer"}">`);
      expect(html).toContain('<link rel="alternate" type="application/rss+xml" title="Test Wire (RSS)" href="https://news.example/rss.xml">');
      expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="Test Wire (Atom)" href="https://news.example/atom.xml">');
      expect(html).toContain('<link rel="alternate" type="application/feed+json" title="Test Wire (JSON Feed)" href="https://news.example/feed.json">');
    }
  });
});

describe("conditional GET", () => {
  const etagOf = async (path: string, headers: Record<string, string> = {}) =>
    (await app.request(path, { headers })).headers.get("etag")!;

  it("304 for a matching If-None-Match, with the caching headers and no body", async () => {
    const etag = await etagOf("/atom.xml");
    const res = await app.request("/atom.xml", { headers: { "If-None-Match": etag } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe("");
    expect(Object.fromEntries(res.headers)).toEqual({
      "cache-control": "public, max-age=300",
      etag,
      "last-modified": "Thu, 30 Jun 2022 01:02:03 GMT",
      vary: "Sec-Fetch-Dest, Sec-Fetch-Mode, Accept-Encoding",
      ...CORS,
    });
  });

  it("If-None-Match is list-aware, accepts weak forms and *", async () => {
    const etag = await etagOf("/rss.xml");
    for (const header of [`"nope", ${etag}`, `W/${etag}`, "*", `"a","b",${etag}`]) {
      expect((await app.request("/rss.xml", { headers: { "If-None-Match": header } })).status, header).toBe(304);
    }
    expect((await app.request("/rss.xml", { headers: { "If-None-Match": '"other"' } })).status).toBe(200);
  });

  it("If-Modified-Since: 304 when not changed since, 200 when changed", async () => {
    const h = (v: string) => ({ headers: { "If-Modified-Since": v } });
    expect((await app.request("/feed.json", h("Thu, 30 Jun 2022 01:02:03 GMT"))).status).toBe(304);
    expect((await app.request("/feed.json", h("Fri, 01 Jul 2022 00:00:00 GMT"))).status).toBe(304);
    expect((await app.request("/feed.json", h("Thu, 30 Jun 2022 01:02:02 GMT"))).status).toBe(200);
    expect((await app.request("/feed.json", h("not a date"))).status).toBe(200);
  });

  it("If-None-Match takes precedence over If-Modified-Since", async () => {
    const res = await app.request("/feed.json", {
      headers: { "If-None-Match": '"stale"', "If-Modified-Since": "Fri, 01 Jul 2030 00:00:00 GMT" },
    });
    expect(res.status).toBe(200);
  });
});

describe("compression", () => {
  it("brotli preferred, gzip next, each with its own strong ETag", async () => {
    const plain = await app.request("/rss.xml");
    const text = await plain.text();
    const br = await app.request("/rss.xml", { headers: { "Accept-Encoding": "gzip, deflate, br" } });
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(brotliDecompressSync(new Uint8Array(await br.arrayBuffer())).toString()).toBe(text);
    const gz = await app.request("/rss.xml", { headers: { "Accept-Encoding": "gzip;q=1, br;q=0" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    const gzBytes = new Uint8Array(await gz.arrayBuffer());
    expect(gz.headers.get("content-length")).toBe(String(gzBytes.length));
    expect(gunzipSync(gzBytes).toString()).toBe(text);
    const tags = new Set([plain, br, gz].map((r) => r.headers.get("etag")));
    expect(tags.size).toBe(3);
    const again = await app.request("/rss.xml", { headers: { "Accept-Encoding": "br", "If-None-Match": br.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(br.headers.get("etag"));
  });
});

describe("HEAD", () => {
  it.each(FEEDS)("%s: same status and headers as GET, no body", async (path) => {
    const get = await app.request(path);
    const head = await app.request(path, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Object.fromEntries(head.headers)).toEqual(Object.fromEntries(get.headers));
    expect(await head.text()).toBe("");
  });

  it("404 and 304 work for HEAD", async () => {
    expect((await app.request("/missing", { method: "HEAD" })).status).toBe(404);
    const etag = (await app.request("/rss.xml")).headers.get("etag")!;
    expect((await app.request("/rss.xml", { method: "HEAD", headers: { "If-None-Match": etag } })).status).toBe(304);
  });
});

describe("errors", () => {
  it.each([
    ["*/*", "text/plain; charset=utf-8", "Not found\n"],
    ["text/html,application/xhtml+xml,*/*;q=0.8", "text/html; charset=utf-8", "<h1>Not found</h1>"],
    ["application/feed+json", "application/json; charset=utf-8", '{"error":"not found"}\n'],
    ["application/rss+xml, application/xml;q=0.9", "application/xml; charset=utf-8", '<error status="404">Not found</error>'],
  ])("unknown path with Accept %s: 404 in that format", async (accept, type, body) => {
    const res = await app.request("/items/no-such-story", { headers: { Accept: accept } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("vary")).toBe("Accept");
    expect(await res.text()).toContain(body);
  });

  it.each(["/items/", "/items/UPPER", "/items/a/b", "/rss.xml/", "/%2e%2e/etc/passwd", "/items/..%2fsite.config.json"])(
    "%s is a 404",
    async (path) => {
      expect((await app.request(path)).status).toBe(404);
    },
  );

  it("other methods: 405 with Allow", async () => {
    const res = await app.request("/rss.xml", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("the HTML 404 page has the page headers; other 404s have nosniff only", async () => {
    const html = await app.request("/nope", { headers: { Accept: "text/html" } });
    expect(Object.fromEntries(html.headers)).toEqual({
      "cache-control": "no-cache",
      "content-type": "text/html; charset=utf-8",
      vary: "Accept",
      "x-content-type-options": "nosniff",
      ...PAGE_HEADERS,
    });
    const json = await app.request("/nope", { headers: { Accept: "application/json" } });
    expect(json.headers.get("x-content-type-options")).toBe("nosniff");
    expect(json.headers.get("content-security-policy")).toBeNull();
  });

  it("the stylesheet a page links is allowed by its CSP; inline script and style are not", async () => {
    const html = await (await app.request("/items/newer")).text();
    const sheet = /<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!;
    expect(CSP).toContain(`style-src ${new URL(sheet).origin}`);
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval|script-src/);
    // The one script element is JSON-LD: data, never run (and script-src is 'none' anyway).
    expect([...html.matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual(['<script type="application/ld+json">']);
    expect(html.replace(/<script type="application\/ld\+json">[^<]*<\/script>/, "")).not.toMatch(/<script|<style| style=/);
  });

  it("a failure is logged and answered 500, and the next request is served", async () => {
    const log = vi.fn();
    let fail = true;
    const flaky = createApp({
      site,
      catalog: () => {
        if (fail) throw new Error("disk on fire");
        return catalog;
      },
      log,
    });
    const res = await flaky.request("/rss.xml");
    expect(res.status).toBe(500);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe("Internal Server Error\n");
    expect(log).toHaveBeenCalledWith("500 GET /rss.xml", expect.objectContaining({ message: "disk on fire" }));
    fail = false;
    expect((await flaky.request("/rss.xml")).status).toBe(200);
  });
});
