import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileForPath, headersFile, HEADERS_MARK, type Layout, type StaticFile } from "../../src/cli/static-site.js";
import { buildCatalog } from "../../src/core/catalog.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { createApp } from "../../src/http/app.js";
import { listPaths } from "../../src/http/site-resources.js";
import { LiveCatalog } from "../../src/runtime/live-catalog.js";
import { nodeCompressor } from "../../src/runtime/node-compress.js";
import { record } from "../support/fixtures.js";
import { effectiveHeaders, matchingRules, MIRRORED, parseHeadersFile, type ParsedRule } from "./headers-rules.js";
import { HAVE_PYTHON, plainServer } from "./plain-server.js";
import { project, SITE_CONFIG, wirefeed } from "./support.js";

const RECORDS = {
  "older.md": record({ title: "Older", published: "2022-06-28T10:00:00+09:00", categories: ["Diplomacy"] }),
  "newer.md": record({ title: "Newer & <better>", published: "2022-06-29T10:00:00+09:00", updated: "2022-06-30T01:02:03Z" }),
  "hidden.md": record({ title: "Draft", published: "2022-06-29", draft: true }),
  "broken.md": record({ published: "2022-06-29" }),
};

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** The app the server would run over the same folder, built here independently of the CLI. */
function serverApp(cwd: string, config: Record<string, unknown> = {}) {
  const site = parseSiteConfig({ ...SITE_CONFIG, ...config }, "test");
  const dir = join(cwd, "items");
  const records = readdirSync(dir).filter((f) => f.endsWith(".md")).map((f) => ({ file: `items/${f}`, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  const catalog = buildCatalog(records, site);
  return { site, catalog, app: createApp({ site, catalog: () => catalog, compress: nodeCompressor, log: () => {} }) };
}


function mirrored(res: Response): Record<string, string> {
  return Object.fromEntries(MIRRORED.flatMap((h) => (res.headers.has(h) ? [[h, res.headers.get(h)!]] : [])));
}

/** For every path: the file holds the server's bytes, and _headers gives exactly the server's headers. */
async function expectServedAsTheServerDoes(out: string, app: ReturnType<typeof serverApp>["app"], paths: readonly string[], rules: ParsedRule[], layout: Layout = "flat") {
  for (const path of paths) {
    const res = await app.request(path, { headers: { "Accept-Encoding": "identity" } });
    expect([path, res.status]).toEqual([path, 200]);
    const served = Buffer.from(await res.arrayBuffer());
    expect([path, Buffer.compare(readFileSync(join(out, fileForPath(path, layout))), served)]).toEqual([path, 0]);
    expect([path, matchingRules(rules, path).length]).toEqual([path, 1]);
    expect([path, effectiveHeaders(rules, path)]).toEqual([path, mirrored(res)]);
  }
}

/** Every absolute URL of the site named in the built files (feeds, pages, OPML), entities decoded. */
function linksIn(out: string, origin: string): string[] {
  const urls = new Set<string>();
  const pattern = new RegExp(`${origin.replace(/[.]/g, "\\.")}/[^\\s"'<>]*`, "g");
  for (const file of filesUnder(out)) {
    if (file === "_headers" || file === "_redirects") continue;
    for (const found of readFileSync(join(out, file), "utf8").match(pattern) ?? []) urls.add(found.replaceAll("&amp;", "&"));
  }
  return [...urls].sort();
}

describe("wirefeed build", () => {
  it("every path's file is byte for byte what the server answers, and _headers gives its headers", async () => {
    const cwd = project(RECORDS);
    const result = await wirefeed(["build"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toEqual(["build: wrote 42 files (2 articles), _headers and _redirects to dist for https://news.example/"]);
    expect(result.stderr).toEqual(["build: skipped record: items/broken.md: title: is required"]);

    const { site, catalog, app } = serverApp(cwd);
    const paths = await listPaths(site, catalog);
    // 24 before the feed views (11: three per scope, four scopes, less /feed.xsl) and the 6 of navigation and
    // discovery, less the News sitemap: these records are years old, so there is none (it needs an article of the last two days).
    expect(paths).toHaveLength(41);
    expect(paths).not.toContain("/news-sitemap.xml");
    expect(paths).toEqual(expect.arrayContaining(["/", "/rss.xml", "/categories/diplomacy/atom.xml", "/feeds.opml", "/feeds.rss.opml", "/feeds.json.opml", "/items/newer", "/items/older"]));
    const out = join(cwd, "dist");
    expect(filesUnder(out)).toEqual([...paths.map((p) => fileForPath(p)), "404.html", "_headers", "_redirects"].sort());
    const rules = parseHeadersFile(readFileSync(join(out, "_headers"), "utf8"));
    await expectServedAsTheServerDoes(out, app, paths, rules);
  });

  it("404.html is the server's HTML 404 page, with the server's headers for it", async () => {
    const cwd = project(RECORDS);
    expect((await wirefeed(["build"], { cwd })).code).toBe(0);
    const { app } = serverApp(cwd);
    const res = await app.request("/no/such/page", { headers: { Accept: "text/html" } });
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(page).toContain("<h1>Not found</h1>");
    expect(readFileSync(join(cwd, "dist", "404.html"), "utf8")).toBe(page);
    const rules = parseHeadersFile(readFileSync(join(cwd, "dist", "_headers"), "utf8"));
    expect(effectiveHeaders(rules, "/404.html")).toEqual(mirrored(res));
    expect(effectiveHeaders(rules, "/404.html")["content-security-policy"]).toContain("default-src 'none'");
  });

  it("_headers carries the server's security headers: nosniff on every file, CSP and Referrer-Policy on pages", async () => {
    const cwd = project(RECORDS);
    expect((await wirefeed(["build"], { cwd })).code).toBe(0);
    const rules = parseHeadersFile(readFileSync(join(cwd, "dist", "_headers"), "utf8"));
    const { app } = serverApp(cwd);
    const page = await app.request("/items/newer");
    expect(effectiveHeaders(rules, "/items/newer")).toMatchObject({
      "x-content-type-options": "nosniff",
      "content-security-policy": page.headers.get("content-security-policy"),
      "referrer-policy": page.headers.get("referrer-policy"),
    });
    const feed = effectiveHeaders(rules, "/atom.xml");
    expect(feed["x-content-type-options"]).toBe("nosniff");
    expect(feed["content-security-policy"]).toBeUndefined();
  });

  it("a site of 500 articles in 100 categories: _headers stays within Cloudflare Pages' 100 rules, and every file still gets the server's headers", async () => {
    const records: Record<string, string> = {};
    const authors = ["Kim Min-ji", "Lee Sun-woo", "هدى الصالح", "Hamad Al-Ali", "Sato Yui"];
    for (let i = 0; i < 500; i++) {
      const day = String(1 + (i % 28)).padStart(2, "0");
      const categories = [i % 10 === 0 ? `日本 ${i % 100}` : `Desk ${i % 100}`, ...(i < 240 ? [`Wire ${i % 3}`] : [])];
      records[`story-${i}.md`] = record({
        title: `Story ${i}`,
        published: `2024-${String(1 + (i % 12)).padStart(2, "0")}-${day}T${String(i % 24).padStart(2, "0")}:00:00Z`,
        categories,
        authors: [authors[i % authors.length]],
        ...(i % 7 === 0 ? { language: "ar" } : {}),
      });
    }
    const config = { feedSize: 10, archivePageSize: 10, websubHub: "https://hub.example/" };
    const cwd = project(records, config);
    const result = await wirefeed(["build"], { cwd });
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    const { site, catalog, app } = serverApp(cwd, config);
    expect(catalog.entries).toHaveLength(500);
    const paths = await listPaths(site, catalog);
    // 100 desks, 3 wires with archive pages, authors, languages: thousands of paths.
    expect(paths.filter((p) => /^\/categories\/[^/]+\/$/.test(p))).toHaveLength(103);
    // Older pages of the busiest lists, and the index of categories.
    expect(paths).toEqual(expect.arrayContaining(["/categories/", "/page/2/", "/categories/wire-0/page/2/"]));
    expect(paths.some((p) => /^\/categories\/wire-0\/archive\/\d{4}[^/]*\/atom\.xml$/.test(p))).toBe(true);
    expect(paths.some((p) => p.startsWith("/categories/%E6%97%A5%E6%9C%AC"))).toBe(true);
    const text = readFileSync(join(cwd, "dist", "_headers"), "utf8");
    const rules = parseHeadersFile(text);
    expect(rules.length).toBeLessThanOrEqual(100);
    await expectServedAsTheServerDoes(join(cwd, "dist"), app, paths, rules);
    // A category feed's WebSub self link names that feed, filled in from the request path.
    expect(effectiveHeaders(rules, "/categories/desk-7/rss.xml").link).toBe('<https://hub.example/>; rel="hub", <https://news.example/categories/desk-7/rss.xml>; rel="self"');
  }, 120_000);

  it("--site-url (or SITE_URL) sets every link, as it does for the server", async () => {
    const cwd = project(RECORDS);
    expect((await wirefeed(["build", "--out", "public", "--site-url", "https://wire.example/news"], { cwd })).code).toBe(0);
    const { app } = serverApp(cwd, { baseUrl: "https://wire.example/news/" });
    const served = await (await app.request("/rss.xml")).text();
    expect(readFileSync(join(cwd, "public", "rss.xml"), "utf8")).toBe(served);
    expect(served).toContain("<link>https://wire.example/news/items/newer</link>");

    expect((await wirefeed(["build", "--out", "env"], { cwd, env: { SITE_URL: "https://env.example/" } })).code).toBe(0);
    expect(readFileSync(join(cwd, "env", "index.html"), "utf8")).toContain('<link rel="canonical" href="https://env.example/">');
    expect((await wirefeed(["build", "--site-url", "ftp://x"], { cwd })).code).toBe(2);
  });

  it("a rebuild replaces the earlier build whole: a removed article's page goes, no temporary folder stays", async () => {
    const cwd = project(RECORDS);
    await wirefeed(["build"], { cwd });
    expect(existsSync(join(cwd, "dist", "items", "older.html"))).toBe(true);
    rmSync(join(cwd, "items", "older.md"));
    expect((await wirefeed(["build"], { cwd })).code).toBe(0);
    expect(existsSync(join(cwd, "dist", "items", "older.html"))).toBe(false);
    expect(existsSync(join(cwd, "dist", "items", "newer.html"))).toBe(true);
    expect(readdirSync(cwd).sort()).toEqual(["dist", "items", "site.config.json"]);
  });

  it("never replaces a folder that is not an earlier build; an empty one is fine", async () => {
    const cwd = project(RECORDS);
    const result = await wirefeed(["build", "--out", "items"], { cwd });
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.arrayContaining(["build: items is not empty and not a wirefeed build (no _headers from one); remove it or choose another --out"]),
    });
    expect(readdirSync(join(cwd, "items")).sort()).toEqual(Object.keys(RECORDS).sort());
    mkdirSync(join(cwd, "empty"));
    expect((await wirefeed(["build", "--out", "empty"], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, "empty", "_headers"), "utf8").startsWith(`${HEADERS_MARK}\n`)).toBe(true);
  });

  it("--strict: exit 1 and nothing written when a record fails", async () => {
    const cwd = project(RECORDS);
    const result = await wirefeed(["build", "--strict"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr.at(-1)).toBe("build: --strict: 1 problem(s) in the records; nothing written");
    expect(existsSync(join(cwd, "dist"))).toBe(false);
    rmSync(join(cwd, "items", "broken.md"));
    expect((await wirefeed(["build", "--strict"], { cwd })).code).toBe(0);
  });

  it.skipIf(!HAVE_PYTHON)("--layout dirs: under a plain file server (python3 -m http.server) every link in the feeds and pages answers", async () => {
    const cwd = project(RECORDS);
    const out = join(cwd, "site");
    mkdirSync(out);
    const server = await plainServer(out);
    try {
      const built = await wirefeed(["build", "--out", "site", "--layout", "dirs", "--site-url", `${server.origin}/`], { cwd });
      expect(built.code).toBe(0);
      const { site, catalog, app } = serverApp(cwd, { baseUrl: `${server.origin}/` });
      const paths = await listPaths(site, catalog);
      expect(filesUnder(out)).toEqual([...paths.map((p) => fileForPath(p, "dirs")), "404.html", "_headers", "_redirects"].sort());
      expect(filesUnder(out)).toContain("items/newer/index.html");
      await expectServedAsTheServerDoes(out, app, paths, parseHeadersFile(readFileSync(join(out, "_headers"), "utf8")), "dirs");
      const links = linksIn(out, server.origin);
      // The links the feeds give for each article are among them, as the server's own.
      expect(links).toEqual(expect.arrayContaining([`${server.origin}/items/newer`, `${server.origin}/items/older`, `${server.origin}/feeds`]));
      const answers = await Promise.all(links.map(async (url) => [url, (await fetch(url)).status] as const));
      expect(answers.filter(([, status]) => status !== 200)).toEqual([]);
      expect(answers.length).toBeGreaterThan(20);
    } finally {
      await server.close();
    }
  }, 60_000);

  it.skipIf(!HAVE_PYTHON)("the default (flat) layout is for hosts with pretty URLs: a plain file server answers its article links 404", async () => {
    const cwd = project(RECORDS);
    const out = join(cwd, "site");
    mkdirSync(out);
    const server = await plainServer(out);
    try {
      expect((await wirefeed(["build", "--out", "site", "--site-url", `${server.origin}/`], { cwd })).code).toBe(0);
      expect((await fetch(`${server.origin}/items/newer.html`)).status).toBe(200);
      expect((await fetch(`${server.origin}/items/newer`)).status).toBe(404);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("--layout takes flat or dirs only", async () => {
    const cwd = project(RECORDS);
    const result = await wirefeed(["build", "--layout", "pretty"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr[0]).toBe('wirefeed build: --layout must be flat or dirs, not "pretty"');
  });

  it("a site with deletions: tombstones in the Atom feeds, the scopes they leave empty, and each withdrawn URL's 410 page, as the server serves them", async () => {
    const tombstones = [
      { slug: "gone", id: "tag:news.example,2022-06-27:gone", when: "2026-11-20T08:00:00.000Z", title: "Gone story", categories: ["Cyber"], authors: [], language: "en" },
      { slug: "ancient", id: "tag:news.example,2022-06-01:ancient", when: "2026-11-01T00:00:00.000Z" },
    ];
    const cwd = project({ ...RECORDS, ".tombstones.json": JSON.stringify(tombstones) });
    const result = await wirefeed(["build"], { cwd });
    expect(result.code).toBe(0);
    // The server's own catalog over the same folder (the live catalog the Node server runs).
    const site = parseSiteConfig(SITE_CONFIG, "test");
    const live = await LiveCatalog.open(join(cwd, "items"), site, { label: "items", log: () => {} });
    const app = createApp({ site, catalog: () => live.current(), log: () => {} });
    const paths = await listPaths(site, live.current());
    expect(paths).toEqual(expect.arrayContaining(["/categories/cyber/", "/categories/cyber/atom.xml", "/categories/cyber/rss.xml", "/categories/cyber/feed.json"]));
    const out = join(cwd, "dist");
    for (const path of paths) {
      const res = await app.request(path, { headers: { "Accept-Encoding": "identity" } });
      expect([path, res.status]).toEqual([path, 200]);
      expect([path, Buffer.compare(readFileSync(join(out, fileForPath(path))), Buffer.from(await res.arrayBuffer()))]).toEqual([path, 0]);
    }
    expect(readFileSync(join(out, "atom.xml"), "utf8")).toContain('<at:deleted-entry ref="tag:news.example,2022-06-27:gone" when="2026-11-20T08:00:00.000Z"/>');
    expect(readFileSync(join(out, "categories", "cyber", "atom.xml"), "utf8")).toContain('<at:deleted-entry ref="tag:news.example,2022-06-27:gone"');
    for (const slug of ["gone", "ancient"]) {
      const res = await app.request(`/items/${slug}`, { headers: { Accept: "text/html" } });
      expect(res.status).toBe(410);
      const page = readFileSync(join(out, "items", `${slug}.html`));
      expect(Buffer.compare(page, Buffer.from(await res.arrayBuffer()))).toBe(0);
      expect(page.toString()).toContain("<h1>Withdrawn</h1>");
    }
    // Withdrawn pages are cached and linked like article pages: still one rule for all of /items/ (hosts read few rules).
    const rules = parseHeadersFile(readFileSync(join(out, "_headers"), "utf8"));
    expect(rules.filter((r) => r.pattern.startsWith("/items/")).map((r) => r.pattern)).toEqual(["/items/*"]);
    const gone = await app.request("/items/gone", { headers: { Accept: "text/html" } });
    expect(effectiveHeaders(rules, "/items/gone")).toMatchObject({ "content-type": gone.headers.get("content-type"), "cache-control": gone.headers.get("cache-control"), link: gone.headers.get("link") });
    live.close();
  });

  it("a tombstones file that is not JSON: named on stderr; --strict writes nothing", async () => {
    const cwd = project({ "newer.md": RECORDS["newer.md"], ".tombstones.json": "[{" });
    const lenient = await wirefeed(["build"], { cwd });
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toEqual(["build: items/.tombstones.json: not valid JSON; no tombstones read"]);
    const strict = await wirefeed(["build", "--strict", "--out", "strict"], { cwd });
    expect(strict.code).toBe(1);
    expect(existsSync(join(cwd, "strict"))).toBe(false);
  });

  it("usage errors: a stray argument, a missing --dir", async () => {
    const cwd = project(RECORDS);
    expect((await wirefeed(["build", "dist"], { cwd })).stderr[0]).toBe("wirefeed build: takes no arguments (did you mean --out dist?)");
    expect((await wirefeed(["build", "--dir", "nowhere"], { cwd })).code).toBe(2);
  });
});

describe("static site layout", () => {
  it("maps paths to files", () => {
    const paths = ["/", "/rss.xml", "/feed.json", "/style.css", "/items/a-b", "/items/", "/feeds", "/categories/x/", "/404.html"];
    expect(paths.map((p) => fileForPath(p))).toEqual([
      "index.html",
      "rss.xml",
      "feed.json",
      "style.css",
      "items/a-b.html",
      "items/index.html",
      "feeds.html",
      "categories/x/index.html",
      "404.html",
    ]);
    expect(paths.map((p) => fileForPath(p, "dirs"))).toEqual([
      "index.html",
      "rss.xml",
      "feed.json",
      "style.css",
      "items/a-b/index.html",
      "items/index.html",
      "feeds/index.html",
      "categories/x/index.html",
      "404.html",
    ]);
    for (const bad of ["", "items/a", "/../x", "/items/..", "/a//b", "/a\\b"]) expect(() => fileForPath(bad)).toThrow(/not a site path/);
  });

  it("_headers: one rule per kind of URL while its paths' headers fit it; a path of its own otherwise", () => {
    const file = (path: string, contentType = "text/html; charset=utf-8", extraHeaders: Record<string, string> = {}): StaticFile => ({
      path,
      bytes: new Uint8Array(),
      contentType,
      cacheControl: "public, max-age=300",
      extraHeaders,
    });
    const shared = parseHeadersFile(headersFile([file("/"), file("/items/a"), file("/items/b")]));
    expect(shared.map((r) => r.pattern)).toEqual(["/", "/items/*"]);
    const mixed = parseHeadersFile(headersFile([file("/items/a"), file("/items/b.json", "application/json")]));
    expect(mixed.map((r) => r.pattern)).toEqual(["/items/a", "/items/b.json"]);
    // A value naming the page's own scope or archive page becomes the placeholder's...
    const scoped = [
      file("/categories/a/", "text/html; charset=utf-8", { Link: "<https://x.example/categories/a/rss.xml>; rel=\"alternate\"" }),
      file("/categories/b/", "text/html; charset=utf-8", { Link: "<https://x.example/categories/b/rss.xml>; rel=\"alternate\"" }),
      file("/authors/a/archive/2022/rss.xml", "application/rss+xml", { Link: "<https://x.example/authors/a/archive/2022/rss.xml>" }),
      file("/authors/b/archive/2023-01-02T10/rss.xml", "application/rss+xml", { Link: "<https://x.example/authors/b/archive/2023-01-02T10/rss.xml>" }),
    ];
    const rules = parseHeadersFile(headersFile(scoped));
    expect(rules.map((r) => r.pattern)).toEqual(["/categories/:slug/", "/authors/:slug/archive/:page/rss.xml"]);
    expect(effectiveHeaders(rules, "/categories/b/").link).toBe("<https://x.example/categories/b/rss.xml>; rel=\"alternate\"");
    expect(effectiveHeaders(rules, "/authors/b/archive/2023-01-02T10/rss.xml").link).toBe("<https://x.example/authors/b/archive/2023-01-02T10/rss.xml>");
    // ...but a value that differs otherwise (here a title) keeps each path's own rule.
    const titled = parseHeadersFile(
      headersFile([
        file("/categories/a/", "text/html; charset=utf-8", { Link: "<https://x.example/categories/a/rss.xml>; title=\"A\"" }),
        file("/categories/b/", "text/html; charset=utf-8", { Link: "<https://x.example/categories/b/rss.xml>; title=\"B\"" }),
      ]),
    );
    expect(titled.map((r) => r.pattern)).toEqual(["/categories/a/", "/categories/b/"]);
  });
});

describe("fileForPath", () => {
  it("decodes percent-encoded segments, as static hosts do, and refuses smuggled separators", () => {
    expect(fileForPath("/categories/%E6%97%A5%E6%9C%AC/rss.xml")).toBe("categories/日本/rss.xml");
    expect(fileForPath("/categories/%E6%97%A5%E6%9C%AC/")).toBe("categories/日本/index.html");
    expect(() => fileForPath("/categories/a%2Fb/rss.xml")).toThrow(/not a site path/);
    expect(() => fileForPath("/categories/%E6%97/rss.xml")).toThrow(/not a site path/);
  });
});
