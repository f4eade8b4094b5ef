import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileForPath, headersFile, HEADERS_MARK, type StaticFile } from "../../src/cli/static-site.js";
import { buildCatalog } from "../../src/core/catalog.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { createApp } from "../../src/http/app.js";
import { listPaths } from "../../src/http/site-resources.js";
import { nodeCompressor } from "../../src/runtime/node-compress.js";
import { record } from "../support/fixtures.js";
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

/** _headers rules: pattern → headers, in file order. */
function parseHeaders(text: string): { pattern: string; headers: Record<string, string> }[] {
  const rules: { pattern: string; headers: Record<string, string> }[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    if (!line.startsWith(" ")) rules.push({ pattern: line, headers: {} });
    else {
      const [name, ...value] = line.trim().split(": ");
      rules.at(-1)!.headers[name!.toLowerCase()] = value.join(": ");
    }
  }
  return rules;
}

/** Netlify / Cloudflare matching: exact, or a trailing "*" matching the rest. */
function rulesFor(path: string, rules: ReturnType<typeof parseHeaders>) {
  return rules.filter((r) => (r.pattern.endsWith("*") ? path.startsWith(r.pattern.slice(0, -1)) : r.pattern === path));
}

describe("wirefeed build", () => {
  it("every path's file is byte for byte what the server answers, and _headers gives its headers", async () => {
    const cwd = project(RECORDS);
    const result = await wirefeed(["build"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toEqual(["build: wrote 22 files (2 articles) and _headers to dist for https://news.example/"]);
    expect(result.stderr).toEqual(["build: skipped record: items/broken.md: title: is required"]);

    const { site, catalog, app } = serverApp(cwd);
    const paths = listPaths(site, catalog);
    expect(paths).toHaveLength(22);
    expect(paths).toEqual(expect.arrayContaining(["/", "/rss.xml", "/categories/diplomacy/atom.xml", "/feeds.opml", "/items/newer", "/items/older"]));
    const out = join(cwd, "dist");
    expect(filesUnder(out)).toEqual([...paths.map(fileForPath), "_headers"].sort());
    const rules = parseHeaders(readFileSync(join(out, "_headers"), "utf8"));
    for (const path of paths) {
      const res = await app.request(path, { headers: { "Accept-Encoding": "identity" } });
      expect(res.status).toBe(200);
      const served = Buffer.from(await res.arrayBuffer());
      expect([path, Buffer.compare(readFileSync(join(out, fileForPath(path))), served)]).toEqual([path, 0]);
      const matching = rulesFor(path, rules);
      expect([path, matching.length]).toEqual([path, 1]);
      const exported = ["access-control-allow-origin", "access-control-expose-headers", "link"].filter((h) => res.headers.has(h));
      expect(matching[0]!.headers).toEqual({
        "content-type": res.headers.get("content-type"),
        "cache-control": res.headers.get("cache-control"),
        ...Object.fromEntries(exported.map((h) => [h, res.headers.get(h)])),
      });
    }
  });

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

  it("usage errors: a stray argument, a missing --dir", async () => {
    const cwd = project(RECORDS);
    expect((await wirefeed(["build", "dist"], { cwd })).stderr[0]).toBe("wirefeed build: takes no arguments (did you mean --out dist?)");
    expect((await wirefeed(["build", "--dir", "nowhere"], { cwd })).code).toBe(2);
  });
});

describe("static site layout", () => {
  it("maps paths to files", () => {
    expect(["/", "/rss.xml", "/feed.json", "/style.css", "/items/a-b", "/items/"].map(fileForPath)).toEqual([
      "index.html",
      "rss.xml",
      "feed.json",
      "style.css",
      "items/a-b.html",
      "items/index.html",
    ]);
    for (const bad of ["", "items/a", "/../x", "/items/..", "/a//b", "/a\\b"]) expect(() => fileForPath(bad)).toThrow(/not a site path/);
  });

  it("_headers: one rule per top-level path; a folder gets a * rule only while its pages share headers", () => {
    const file = (path: string, contentType = "text/html; charset=utf-8"): StaticFile => ({
      path,
      bytes: new Uint8Array(),
      contentType,
      cacheControl: "public, max-age=300",
    });
    const shared = parseHeaders(headersFile([file("/"), file("/items/a"), file("/items/b")]));
    expect(shared.map((r) => r.pattern)).toEqual(["/", "/items/*"]);
    const mixed = parseHeaders(headersFile([file("/items/a"), file("/items/b.json", "application/json")]));
    expect(mixed.map((r) => r.pattern)).toEqual(["/items/a", "/items/b.json"]);
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
