import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryCatalog } from "../../src/core/catalog.js";
import { createApp } from "../../src/http/app.js";
import { LiveCatalog } from "../../src/runtime/live-catalog.js";
import { StorageFullError } from "../../src/storage/storage-full-error.js";
import { testSite } from "../support/fixtures.js";
import { checkAtom } from "../support/w3c-rules.js";
import { children, parseXml } from "../support/xml.js";

const site = testSite();
const TOKEN = "s3cret-token";

async function setup(maxBodyBytes?: number) {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-api-"));
  const live = await LiveCatalog.open(dir, site, { label: "items", log: () => {}, now: () => new Date("2026-11-27T12:00:00Z") });
  const app = createApp({
    site,
    catalog: () => live.current(),
    log: () => {},
    publish: { token: TOKEN, publisher: live, ...(maxBodyBytes ? { maxBodyBytes } : {}) },
  });
  const put = (slug: string, body: unknown, token = TOKEN) =>
    app.request(`/api/items/${slug}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return { dir, live, app, put };
}

const STORY = { title: "Cabinet meets", published: "2022-06-30T14:20:00+03:00", categories: ["Markets"], body: "The cabinet met on Thursday.\n\nIt discussed oil." };

describe("publish API", () => {
  it("is off without a token: every /api path is a 404", async () => {
    const app = createApp({ site, catalog: () => memoryCatalog([]), log: () => {} });
    for (const method of ["GET", "PUT", "DELETE"]) expect((await app.request("/api/items/x", { method })).status).toBe(404);
  });

  it("401 without a token, with a wrong one, or a malformed header", async () => {
    const { app, put } = await setup();
    const noAuth = await app.request("/api/items/x", { method: "PUT", body: JSON.stringify(STORY) });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get("www-authenticate")).toBe('Bearer realm="wirefeed"');
    expect((await put("x", STORY, "wrong")).status).toBe(401);
    expect((await put("x", STORY, `${TOKEN}x`)).status).toBe(401);
    const basic = await app.request("/api/items/x", { method: "DELETE", headers: { Authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it("201 on create with Location, 200 on replace; the article is served at once", async () => {
    const { app, put, dir } = await setup();
    const created = await put("cabinet", STORY);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("https://news.example/items/cabinet");
    expect(await created.json()).toEqual({ slug: "cabinet", url: "https://news.example/items/cabinet", id: "tag:news.example,2022-06-30:cabinet" });
    expect((await app.request("/items/cabinet")).status).toBe(200);
    const replaced = await put("cabinet", { ...STORY, title: "Cabinet meets again" });
    expect(replaced.status).toBe(200);
    expect(await (await app.request("/feed.json")).text()).toContain("Cabinet meets again");
    // What lands on disk is a record like any other (and its change stamp), and no temporary file stays behind.
    expect(readdirSync(dir).sort()).toEqual([".changes.json", "cabinet.md"]);
    expect(readFileSync(join(dir, "cabinet.md"), "utf8")).toMatch(/^---\ntitle: Cabinet meets again\n/);
  });

  it("422 with every field error at once", async () => {
    const { put } = await setup();
    const res = await put("bad", { title: "", published: "yesterday", colour: "red", body: "text" });
    expect(res.status).toBe(422);
    const { errors } = await res.json();
    expect(errors.map((e: { field: string }) => e.field).sort()).toEqual(["colour", "published", "title"]);
    expect((await put("no-body", { title: "x", published: "2022-01-01" })).status).toBe(422);
    expect((await put("Bad_Slug", STORY)).status).toBe(422);
  });

  it("422 naming the body for one that cannot be rendered within the limits; the site keeps serving", async () => {
    const { app, put } = await setup();
    expect((await put("fine", STORY)).status).toBe(201);
    for (const body of [`${"> ".repeat(3000)}x`, `${"<div>".repeat(20_000)}x`, `${"<b>".repeat(5000)}x`, `${"<blockquote>".repeat(5000)}x`, `${"<ul><li>".repeat(5000)}x`, `${"<x-y>".repeat(5000)}x`]) {
      const res = await put("deep", { ...STORY, body });
      expect(res.status, body.slice(0, 20)).toBe(422);
      const { errors } = (await res.json()) as { errors: { field: string; message: string }[] };
      expect(errors.map((e) => e.field)).toEqual(["body"]);
      expect(errors[0]!.message).toMatch(/nests deeper than 64 levels/);
    }
    for (const path of ["/", "/rss.xml", "/atom.xml", "/feed.json", "/items/fine"]) expect((await app.request(path)).status, path).toBe(200);
    expect((await app.request("/items/deep")).status).toBe(404);
  });

  it("400 for a body that is not a JSON object", async () => {
    const { put } = await setup();
    expect((await put("x", "not json")).status).toBe(400);
    expect((await put("x", "[1,2]")).status).toBe(400);
  });

  it("413 over the body limit, before parsing", async () => {
    const { put, dir } = await setup(1000);
    const res = await put("big", { ...STORY, body: "x".repeat(2000) });
    expect(res.status).toBe(413);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("204 on delete, then 404; the Atom feed announces the withdrawal", async () => {
    const { app, put } = await setup();
    await put("cabinet", STORY);
    const del = () => app.request("/api/items/cabinet", { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(404);
    // Withdrawn, not unknown: 410 Gone (see test/http/withdrawals.test.ts for its bodies).
    expect((await app.request("/items/cabinet")).status).toBe(410);
    const atom = await (await app.request("/atom.xml")).text();
    const deleted = children(parseXml(atom), "at:deleted-entry");
    expect(deleted.map((d) => d.attrs)).toEqual([{ ref: "tag:news.example,2022-06-30:cabinet", when: "2026-11-27T12:00:00.000Z" }]);
    // The W3C validator does not know RFC 6721's namespace: that is its only remark.
    expect(checkAtom(atom, "https://news.example/atom.xml", Date.parse("2027-01-01"))).toEqual(["UnknownNamespace: http://purl.org/atompub/tombstones/1.0"]);
  });

  it("405 for other methods on an item", async () => {
    const { app } = await setup();
    const res = await app.request("/api/items/x", { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, PUT, DELETE");
  });
});

describe("publish API: hostile input is refused with 422 naming the field, never a 500", () => {
  it("a 40,000-character field name (the line finder once built a RegExp of it: 500)", async () => {
    const { put, dir } = await setup();
    const res = await put("long-key", { ...STORY, ["k".repeat(40_000)]: 1 });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ field: `${"k".repeat(24)}…`, message: "field name is 40000 characters long; the limit is 64" }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("slugs up to 128 characters; longer is 422 (235+ once failed with ENAMETOOLONG: 500)", async () => {
    const { put, app } = await setup();
    expect((await put("a".repeat(128), STORY)).status).toBe(201);
    expect((await app.request(`/items/${"a".repeat(128)}`)).status).toBe(200);
    for (const length of [129, 235, 300]) {
      const res = await put("a".repeat(length), STORY);
      expect(res.status, String(length)).toBe(422);
      expect((await res.json()).errors).toEqual([{ field: "slug", message: `is ${length} characters long; the limit is 128` }]);
    }
  });

  it("JSON nested 100,000 deep (once a stack overflow in the YAML dump: 500)", async () => {
    const { put, dir } = await setup();
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const res = await put("deep", `{"title":"t","published":"2022-06-29","categories":${deep},"body":"b"}`);
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ field: "categories[0][0][0][0]", message: "nests lists or mappings deeper than 4 levels" }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("one rule for lone surrogates and control characters: removed from every field and the body (the body once kept U+FFFD)", async () => {
    const { put, app, dir } = await setup();
    const hostile = "A\uD800B\u0007C\uDFFFD\uFFFE";
    const res = await put("surrogates", { ...STORY, title: `Title ${hostile}`, summary: hostile, authors: [{ name: `Kim ${hostile}` }], categories: [hostile], body: `Body ${hostile}` });
    expect(res.status).toBe(201);
    const stored = readFileSync(join(dir, "surrogates.md"), "utf8");
    expect(stored).not.toMatch(/[\uFFFD\u0007]|\\u|\\x/);
    const item = JSON.parse(await (await app.request("/feed.json")).text()).items[0];
    expect([item.title, item.summary, item.authors[0].name, item.tags[0]]).toEqual(["Title ABCD", "ABCD", "Kim ABCD", "ABCD"]);
    expect(item.content_html).toBe("<p>Body ABCD</p>");
  });

  it.each([
    ["0022-06-29", "is in the year 22: years must be 1900–9999"],
    ["1899-12-31T23:59:59Z", "is in the year 1899: years must be 1900–9999"],
    ["1900-01-01T00:30:00+01:00", "is in the year 1899 in UTC: years must be 1900–9999"],
    ["9999-12-31T23:59:59-23:59", "is in the year 10000 in UTC: years must be 1900–9999"],
    ["9999-12-31T20:00:00Z", "is in the year 10000 in the site's time zone (Asia/Tokyo): years must be 1900–9999"],
  ])("published %s: 422 (0022 was read as 1922; 10000 made a +010000 tag: id)", async (date, message) => {
    const { put } = await setup();
    const res = await put("dated", { ...STORY, published: date });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ field: "published", message: `"${date}" ${message}` }]);
  });

  it("what is validated is the stored bytes: a body under the limit whose YAML doubles every ' is 422, and nothing is stored", async () => {
    const { put, dir } = await setup(2 * 1024 * 1024);
    // 600,000 quotes: 600 KB of JSON, 1.2 MB of YAML ('' for each ').
    const res = await put("quotes", { ...STORY, summary: "'".repeat(600_000) });
    expect(res.status).toBe(422);
    const { errors } = await res.json();
    expect(errors).toEqual([{ field: "(record)", message: expect.stringMatching(/^would be 12\d{5} bytes as stored \(front matter and body\); the limit is 1048576$/) }]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("413 over the body limit is JSON, like every other answer of the API", async () => {
    const { put } = await setup(1000);
    const res = await put("big", { ...STORY, body: "x".repeat(2000) });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.json()).toEqual({ error: "Content Too Large: the limit is 1000 bytes" });
  });
});

describe("publish API: text/markdown and reading back", () => {
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const FILE = "---\ntitle: From a file\npublished: 2022-07-01T09:00:00+09:00\ncategories: [Energy]\n---\n\nWritten in an editor.\n";

  it("PUT text/markdown stores the record file itself; GET gives back exactly those bytes", async () => {
    const { app, dir } = await setup();
    const res = await app.request("/api/items/from-file", { method: "PUT", headers: { ...auth, "Content-Type": "text/markdown; charset=utf-8" }, body: FILE });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ slug: "from-file", url: "https://news.example/items/from-file", id: "tag:news.example,2022-07-01:from-file" });
    expect(readFileSync(join(dir, "from-file.md"), "utf8")).toBe(FILE);
    const got = await app.request("/api/items/from-file", { headers: auth });
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(got.headers.get("cache-control")).toBe("no-store");
    expect(got.headers.get("etag")).toMatch(/^"[A-Za-z0-9+/]{43}"$/);
    expect(await got.text()).toBe(FILE);
    expect((await app.request("/api/items/from-file", { method: "HEAD", headers: auth })).status).toBe(200);
  });

  it("a JSON PUT is read back as the record file it became", async () => {
    const { app, put, dir } = await setup();
    await put("cabinet", STORY);
    const got = await app.request("/api/items/cabinet", { headers: auth });
    expect(await got.text()).toBe(readFileSync(join(dir, "cabinet.md"), "utf8"));
  });

  it("a text/markdown record with errors: 422 listing them; another type: 415; another charset: 415", async () => {
    const { app, dir } = await setup();
    const bad = await app.request("/api/items/bad", { method: "PUT", headers: { ...auth, "Content-Type": "text/markdown" }, body: "---\ntitle: x\ncolour: red\n---\nbody\n" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual(["colour", "published"]);
    const form = await app.request("/api/items/x", { method: "PUT", headers: { ...auth, "Content-Type": "application/x-www-form-urlencoded" }, body: "a=b" });
    expect(form.status).toBe(415);
    expect((await form.json()).error).toMatch(/application\/json .* or text\/markdown/);
    const latin1 = await app.request("/api/items/x", { method: "PUT", headers: { ...auth, "Content-Type": "text/markdown; charset=iso-8859-1" }, body: FILE });
    expect(latin1.status).toBe(415);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("GET of a record that does not exist, or of no slug: 404 in JSON; the token is required", async () => {
    const { app } = await setup();
    for (const path of ["/api/items/nothing", `/api/items/${"a".repeat(129)}`, "/api/items/Bad_Slug"]) {
      const res = await app.request(path, { headers: auth });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: "no such record" });
    }
    expect((await app.request("/api/items/x")).status).toBe(401);
    expect((await app.request("/api/items")).status).toBe(401);
  });

  it("GET /api/items: every record in name order, a page at a time, with the next page's URL", async () => {
    const { app, put } = await setup();
    const slugs = Array.from({ length: 7 }, (_, i) => `story-${i}`);
    for (const slug of [...slugs].reverse()) expect((await put(slug, STORY)).status).toBe(201);
    const seen: string[] = [];
    let url: string | null = "https://news.example/api/items?limit=3";
    let pages = 0;
    while (url) {
      const res = await app.request(url.replace("https://news.example", ""), { headers: auth });
      expect(res.status).toBe(200);
      const page: { items: { slug: string; href: string }[]; next: string | null } = await res.json();
      for (const item of page.items) expect(item.href).toBe(`https://news.example/api/items/${item.slug}`);
      seen.push(...page.items.map((i) => i.slug));
      expect(res.headers.get("link")).toBe(page.next ? `<${page.next}>; rel="next"` : null);
      url = page.next;
      pages++;
    }
    expect(seen).toEqual(slugs);
    expect(pages).toBe(3);
    // The default page holds them all; a deleted record is gone from the list.
    await app.request("/api/items/story-3", { method: "DELETE", headers: auth });
    const all = await (await app.request("/api/items", { headers: auth })).json();
    expect(all).toEqual({ items: slugs.filter((s) => s !== "story-3").map((slug) => ({ slug, href: `https://news.example/api/items/${slug}` })), next: null });
  });

  it("GET /api/items with a bad limit or cursor: 400 saying so; other methods: 405", async () => {
    const { app } = await setup();
    for (const query of ["limit=0", "limit=1001", "limit=x", "limit=-1", "after=Not_A_Slug"]) {
      const res = await app.request(`/api/items?${query}`, { headers: auth });
      expect(res.status, query).toBe(400);
      expect((await res.json()).error).toMatch(/limit|after/);
    }
    const post = await app.request("/api/items", { method: "POST", headers: auth });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("publish API: a store that fails", () => {
  const failing = (error: Error) => {
    const log: string[] = [];
    const app = createApp({
      site,
      catalog: () => memoryCatalog([]),
      log: (m) => log.push(m),
      publish: { token: TOKEN, publisher: { put: () => Promise.reject(error), remove: () => Promise.reject(error), read: () => Promise.resolve(undefined), list: () => Promise.resolve([]) } },
    });
    const send = (method: string) =>
      app.request("/api/items/cabinet", { method, headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" }, body: method === "PUT" ? JSON.stringify(STORY) : undefined });
    return { send, log };
  };

  it("507 in JSON, saying storage full, when the store has no room (PUT and DELETE)", async () => {
    const { send } = failing(new StorageFullError("items/cabinet.md"));
    for (const method of ["PUT", "DELETE"]) {
      const res = await send(method);
      expect(res.status).toBe(507);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual({ error: "storage full: the change was not saved; retry once there is room" });
    }
  });

  it("any other failure is still the site's logged 500, never a 2xx", async () => {
    const { send, log } = failing(new Error("EIO: i/o error"));
    for (const method of ["PUT", "DELETE"]) expect((await send(method)).status).toBe(500);
    expect(log).toEqual(["500 PUT /api/items/cabinet", "500 DELETE /api/items/cabinet"]);
  });
});
