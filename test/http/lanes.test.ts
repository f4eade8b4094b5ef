/**
 * Inputs from the network stay in their lane: request paths only ever become
 * a catalog lookup by slug (never a file path), the request line is bounded,
 * and the Host header changes neither a link nor a cached response.
 */
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.js";
import { SLUG } from "../../src/core/record.js";
import { createApp } from "../../src/http/app.js";
import { LIMITS, rawTargetProblem } from "../../src/http/request-limits.js";
import { nodeCompressor } from "../../src/runtime/node-compress.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";

const site = testSite();
const records = {
  "newer.md": record({ title: "Newer", published: "2022-06-29T10:00:00+09:00" }),
  "older.md": record({ title: "Older", published: "2022-06-28T10:00:00+09:00" }),
};

/** The catalog, recording every lookup the app makes. */
function spiedCatalog() {
  const inner = catalogOf(records, site);
  const finds: string[] = [];
  const loads: string[] = [];
  const catalog: Catalog = {
    entries: inner.entries,
    errors: inner.errors,
    tombstones: inner.tombstones,
    find: (slug) => {
      finds.push(slug);
      return inner.find(slug);
    },
    load: (entry) => {
      loads.push(entry.slug);
      return inner.load(entry);
    },
  };
  return { catalog, finds, loads };
}

const freshApp = (catalog: Catalog = catalogOf(records, site)) =>
  createApp({ site, catalog: () => catalog, compress: nodeCompressor, log: () => {} });

const HOSTILE_PATHS = [
  "/items/..%2f..%2fsite.config.json",
  "/items/%2e%2e%2fsecret",
  "/items/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
  "/items/newer%2f..%2f..%2fsite.config.json",
  "/items/newer%00",
  "/items/%00",
  "/items/newer%00.md",
  "/items/newer.md",
  "/items/newer/..%2f..%2fsecret",
  "/items/%5c..%5csecret",
  "/items/..\\..\\secret",
  "//etc/passwd",
  "/etc/passwd",
  "/items//etc/passwd",
  "/items/%2fetc%2fpasswd",
  "/site.config.json",
  "/items/newer/../../site.config.json",
  "/C:/Windows/win.ini",
  "/items/%C0%AE%C0%AE%2fsecret",
  "/items/\u0000",
];

describe("paths: only a slug lookup, never a file", () => {
  it.each(HOSTILE_PATHS)("%s: 404, quickly, with no lookup but by a valid slug", async (path) => {
    const { catalog, finds, loads } = spiedCatalog();
    const app = freshApp(catalog);
    const started = performance.now();
    const res = await app.request(path);
    expect(performance.now() - started).toBeLessThan(200);
    expect(res.status).toBe(404);
    expect(finds.every((slug) => SLUG.test(slug))).toBe(true);
    expect(loads).toEqual([]);
  });

  it("/items/newer/ and /items/NEWER: a 301 to /items/newer, after a lookup by the valid slug only", async () => {
    for (const path of ["/items/newer/", "/items/NEWER", "/items/Newer/"]) {
      const { catalog, finds, loads } = spiedCatalog();
      const res = await freshApp(catalog).request(path);
      expect([path, res.status, res.headers.get("location")]).toEqual([path, 301, "https://news.example/items/newer"]);
      expect(finds).toEqual(["newer"]);
      expect(loads).toEqual([]);
    }
  });

  it("dot segments, even percent-encoded, are resolved by the URL parser before the app: at most up to the site root", async () => {
    const { catalog, finds, loads } = spiedCatalog();
    const app = freshApp(catalog);
    const root = await app.request("/");
    for (const path of ["/items/%2e%2e", "/items/..", "/items/%2e%2e/%2e%2e/%2e%2e", "/items/../../../"]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("etag"), path).toBe(root.headers.get("etag"));
    }
    expect(finds).toEqual([]);
    expect(loads.every((slug) => slug === "newer" || slug === "older")).toBe(true);
    // Over a socket, Node sees the raw target and refuses these with 400 (test/runtime/node-server.test.ts).
  });

  it("the lookup recorder is not vacuous: a real article is looked up and loaded", async () => {
    const { catalog, finds, loads } = spiedCatalog();
    expect((await freshApp(catalog).request("/items/newer")).status).toBe(200);
    expect(finds).toEqual(["newer"]);
    expect(loads).toEqual(["newer"]);
  });
});

describe("request line bounds", () => {
  const app = freshApp();

  it(`a path over ${LIMITS.pathBytes} bytes: 414`, async () => {
    const res = await app.request(`/items/${"a".repeat(LIMITS.pathBytes)}`);
    expect(res.status).toBe(414);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await app.request(`/items/${"a".repeat(LIMITS.pathBytes - 7)}`)).status).toBe(404);
  });

  it(`a query over ${LIMITS.queryBytes} bytes: 414; at the limit: served`, async () => {
    expect((await app.request(`/rss.xml?x=${"a".repeat(LIMITS.queryBytes)}`)).status).toBe(414);
    expect((await app.request(`/rss.xml?x=${"a".repeat(LIMITS.queryBytes - 2)}`)).status).toBe(200);
  });

  it(`more than ${LIMITS.queryParams} query parameters: 400; up to that: served`, async () => {
    const params = (n: number) => Array.from({ length: n }, (_, i) => `p${i}=1`).join("&");
    expect((await app.request(`/feed.json?${params(LIMITS.queryParams + 1)}`)).status).toBe(400);
    expect((await app.request(`/feed.json?${params(LIMITS.queryParams)}`)).status).toBe(200);
  });

  it("a cache-buster query gives the very same representation", async () => {
    const plain = await app.request("/atom.xml");
    const busted = await app.request("/atom.xml?_=1700000000");
    expect(busted.status).toBe(200);
    expect(busted.headers.get("etag")).toBe(plain.headers.get("etag"));
    expect(await busted.text()).toBe(await plain.text());
  });
});

describe("the Host header never changes a link or a cache entry", () => {
  const HOSTILE = [
    ["http://evil.example", { Host: "evil.example" }],
    ["http://evil.example:8443", { Host: "evil.example:8443", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http", Forwarded: "host=evil.example;proto=http" }],
  ] as const;

  it.each(["/rss.xml", "/atom.xml", "/feed.json", "/", "/items/newer"])("%s: a hostile first request does not poison what the next one gets", async (path) => {
    const reference = await freshApp().request(path);
    const referenceBody = await reference.text();
    const app = freshApp();
    for (const [url, headers] of HOSTILE) {
      for (const encoding of ["identity", "gzip", "br"]) {
        const res = await app.request(`${url}${path}`, { headers: { ...headers, "Accept-Encoding": encoding } });
        expect(res.status).toBe(200);
        if (encoding === "identity") expect(await res.text()).not.toContain("evil.example");
      }
    }
    const next = await app.request(path);
    expect(next.headers.get("etag")).toBe(reference.headers.get("etag"));
    const body = await next.text();
    expect(body).toBe(referenceBody);
    expect(body).toContain("https://news.example/");
  });

  it("the HTML 404 page links to the configured site whatever the Host", async () => {
    const res = await freshApp().request("http://evil.example/nope", { headers: { Host: "evil.example", Accept: "text/html" } });
    const html = await res.text();
    expect(html).not.toContain("evil.example");
    expect(html).toContain('href="https://news.example/"');
  });
});

describe("rawTargetProblem (what Node checks before the URL is normalised)", () => {
  it.each([
    ["/items/%2e%2e", "dot segment in path"],
    ["/items/.%2E/x", "dot segment in path"],
    ["/./rss.xml", "dot segment in path"],
    ["/items/a%2fb", "encoded slash in path"],
    ["/items/a%5Cb", "encoded slash in path"],
    ["/items/a%00", "NUL in request target"],
    ["/rss.xml?x=%00", "NUL in request target"],
  ])("%s: %s", (target, problem) => {
    expect(rawTargetProblem(target)).toBe(problem);
  });

  it.each(["/", "/rss.xml", "/items/kuwait-oil-output-steady", "/rss.xml?_=123&a=%2e%2e", "/items/a.b", "/items/...", "/style.css"])("%s: fine", (target) => {
    expect(rawTargetProblem(target)).toBeUndefined();
  });
});
