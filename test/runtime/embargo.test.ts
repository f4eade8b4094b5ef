/**
 * Embargoes on Node, files store and SQLite: an embargoed record is absent
 * at every URL the site lists (and from the API's listing) until its lift,
 * then present with no restart; caches never outlive the lift; readers'
 * change signals (ETag, Last-Modified, the change event WebSub pings on)
 * move at the lift, not at the write. A fake clock for the rules; the real
 * one for "the timer lets it in within a second, with no request".
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ArticleMeta } from "../../src/core/article.js";
import { createNodeSite, itemsStore, sqliteStore } from "../../src/runtime/node-site.js";
import { wirefeed } from "../../src/wirefeed.js";
import { record, TEST_SITE_CONFIG, testSite } from "../support/fixtures.js";

const site = testSite({ baseUrl: "https://news.example/" });
const TOKEN = "embargo-token";
const auth = { Authorization: `Bearer ${TOKEN}` };
const SECRET = { slug: "secret-merger", title: "Quokka Holdings agrees merger", body: "Zanzibar vellum oscillates." };
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `wirefeed-embargo-${prefix}`));
}

type Change = { slug: string; before?: ArticleMeta; after?: ArticleMeta };

/** A store of either kind, with two ordinary articles, behind the app; its clock is `clock.now`. */
async function openSite(kind: "files" | "sqlite", clock: { now: () => Date }) {
  const changes: Change[] = [];
  const log: string[] = [];
  const others = {
    "kuwait-oil.md": record({ title: "Kuwait keeps oil output", published: "2022-06-29T09:00:00Z", categories: ["Energy"] }),
    "tokyo-talks.md": record({ title: "Tokyo talks open", published: "2022-07-02T09:00:00Z", categories: ["Diplomacy"] }),
  };
  let store: { current(): unknown; publisher: import("../../src/http/publish-api.js").Publisher };
  if (kind === "files") {
    const dir = tempDir("items-");
    for (const [name, text] of Object.entries(others)) writeFileSync(join(dir, name), text);
    const items = await itemsStore(dir, site, { now: clock.now, watch: false, parseIndex: false, log: (m) => log.push(m) });
    items.live.onChange((c) => changes.push(c));
    closers.push(() => items.close());
    store = items;
  } else {
    const sql = await sqliteStore(join(tempDir("db-"), "site.db"), site, { now: clock.now, log: (m) => log.push(m), onChange: (c) => changes.push(c as Change) });
    closers.push(() => sql.close());
    store = sql;
    for (const [name, text] of Object.entries(others)) await sql.publisher.put(name.replace(/\.md$/, ""), new TextEncoder().encode(text));
    changes.length = 0;
  }
  const app = wirefeed({ site, store: store as Parameters<typeof wirefeed>[0]["store"], publishToken: TOKEN, now: () => clock.now().getTime() });
  const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { "Accept-Encoding": "identity", ...headers } });
  const putSecret = (fields: Record<string, unknown>) =>
    app.request(`/api/items/${SECRET.slug}`, {
      method: "PUT",
      headers: { ...auth, "Content-Type": "text/markdown" },
      body: record({ title: SECRET.title, categories: ["Mergers"], authors: ["Vesna Ombudsdottir"], ...fields }, SECRET.body),
    });
  return { app, get, putSecret, changes, log };
}

/** Every URL under the site reachable from its front page, sitemap, feed directory and OPML, with what each answered. */
async function crawl(get: (path: string) => Response | Promise<Response>): Promise<Map<string, { status: number; body: string; cacheControl: string | null }>> {
  const seen = new Map<string, { status: number; body: string; cacheControl: string | null }>();
  const queue = ["/", "/sitemap.xml", "/feeds", "/feeds.opml", "/rss.xml", "/atom.xml", "/feed.json", "/archive/"];
  while (queue.length > 0 && seen.size < 3000) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    const res = await get(path);
    const body = await res.text();
    seen.set(path, { status: res.status, body, cacheControl: res.headers.get("cache-control") });
    for (const m of body.matchAll(/https:\/\/news\.example(\/[^"'<>\s)\\]*)/g)) {
      const next = m[1]!.replace(/&amp;/g, "&").split("#")[0]!;
      if (!seen.has(next) && !next.startsWith("/api/")) queue.push(next);
    }
    for (const m of body.matchAll(/(?:href|src)="(\/[^"]*)"/g)) {
      const next = m[1]!.replace(/&amp;/g, "&").split("#")[0]!;
      if (!seen.has(next)) queue.push(next);
    }
  }
  return seen;
}

const leaks = (text: string) => [SECRET.slug, SECRET.title, "Zanzibar", "Quokka", "Ombudsdottir", "mergers"].filter((needle) => text.toLowerCase().includes(needle.toLowerCase()));

for (const kind of ["files", "sqlite"] as const) {
  describe(`embargo on Node (${kind})`, () => {
    it("before the lift nothing leaks at any URL the site lists, nor in the API's listing; at the lift it is everywhere, with new ETag and Last-Modified", async () => {
      let t = Date.parse("2026-11-27T12:00:00Z");
      const clock = { now: () => new Date(t) };
      const { get, putSecret, changes, app } = await openSite(kind, clock);
      const lift = t + 100_000;
      const before = await get("/rss.xml");
      const put = await putSecret({ published: "2022-08-01T09:00:00Z", embargo: new Date(lift).toISOString() });
      expect(put.status).toBe(201);
      expect(((await put.json()) as { embargoedUntil?: string }).embargoedUntil).toBe(new Date(lift).toISOString());
      // Not told to readers (no WebSub ping) when written.
      expect(changes.filter((c) => c.after?.slug === SECRET.slug)).toEqual([]);

      const pages = await crawl(get);
      expect(pages.size).toBeGreaterThan(15);
      for (const [path, page] of pages) {
        expect(leaks(page.body), path).toEqual([]);
        // No cache keeps an answer past the lift (100 s away); the site's own is 300 s, archives a day.
        const maxAge = /max-age=(\d+)/.exec(page.cacheControl ?? "")?.[1];
        if (maxAge !== undefined) expect(Number(maxAge), path).toBeLessThanOrEqual(100);
      }
      expect([...pages.keys()].some((p) => p.startsWith("/archive/"))).toBe(true);
      // The page is a 404 exactly as for a slug that never existed.
      const page = await get(`/items/${SECRET.slug}`, { Accept: "text/html" });
      const absent = await get("/items/never-was-here", { Accept: "text/html" });
      expect([page.status, await page.text(), page.headers.get("cache-control")]).toEqual([404, await absent.text(), absent.headers.get("cache-control")]);
      // The API: not listed; the record itself is the editor's, with its lift.
      const listing = await (await app.request("/api/items", { headers: auth })).text();
      expect(leaks(listing)).toEqual([]);
      const stored = await app.request(`/api/items/${SECRET.slug}`, { headers: auth });
      expect([stored.status, stored.headers.get("embargoed-until")]).toEqual([200, new Date(lift).toISOString()]);
      expect(await stored.text()).toContain(SECRET.body);
      // Nothing readers see moved.
      const held = await get("/rss.xml");
      expect([held.headers.get("etag"), held.headers.get("last-modified")]).toEqual([before.headers.get("etag"), before.headers.get("last-modified")]);

      t = lift;
      const after = await get("/rss.xml");
      const rss = await after.text();
      expect(rss).toContain(SECRET.title);
      expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
      // The lift is when the feed changed, though the article's published is older than the newest shown.
      expect(after.headers.get("last-modified")).toBe(new Date(lift).toUTCString());
      expect(after.headers.get("cache-control")).toBe("public, max-age=300");
      expect((await get(`/items/${SECRET.slug}`)).status).toBe(200);
      expect((await get("/categories/mergers/")).status).toBe(200);
      // Told now: the change the WebSub hub is pinged on.
      expect(changes.filter((c) => c.after?.slug === SECRET.slug).map((c) => [c.slug, !!c.before])).toEqual([[SECRET.slug, false]]);
      const listed = (await (await app.request("/api/items", { headers: auth })).json()) as { items: { slug: string }[] };
      expect(listed.items.map((i) => i.slug)).toContain(SECRET.slug);
      const crawled = await crawl(get);
      expect([...crawled.values()].filter((p) => p.body.includes(SECRET.title)).length).toBeGreaterThan(5);
    });

    it("a published date in the future is held back the same way, and a live article embargoed again leaves at once", async () => {
      let t = Date.parse("2026-11-27T12:00:00Z");
      const { get, putSecret, changes } = await openSite(kind, { now: () => new Date(t) });
      expect((await putSecret({ published: "2022-08-01T09:00:00Z" })).status).toBe(201);
      expect(await (await get("/rss.xml")).text()).toContain(SECRET.title);
      changes.length = 0;
      // Embargoed again (a story pulled back before the agreed time): it leaves every feed now.
      expect((await putSecret({ published: "2022-08-01T09:00:00Z", embargo: "2026-11-28T00:00:00Z" })).status).toBe(200);
      expect(await (await get("/rss.xml")).text()).not.toContain(SECRET.title);
      expect((await get(`/items/${SECRET.slug}`)).status).toBe(404);
      expect(changes.map((c) => [!!c.before, !!c.after])).toEqual([[true, false]]);
      // Scheduled: published later than now.
      expect((await putSecret({ published: "2026-11-27T13:00:00Z" })).status).toBe(200);
      expect((await get(`/items/${SECRET.slug}`)).status).toBe(404);
      t = Date.parse("2026-11-27T13:00:00Z");
      expect((await get(`/items/${SECRET.slug}`)).status).toBe(200);
      expect(await (await get("/atom.xml")).text()).toContain(SECRET.title);
    });

    it("a deleted embargoed record leaves no withdrawal (it was never shown)", async () => {
      const t = Date.parse("2026-11-27T12:00:00Z");
      const { get, putSecret, app } = await openSite(kind, { now: () => new Date(t) });
      expect((await putSecret({ published: "2022-08-01T09:00:00Z", embargo: "2026-12-01T00:00:00Z" })).status).toBe(201);
      expect((await app.request(`/api/items/${SECRET.slug}`, { method: "DELETE", headers: auth })).status).toBe(204);
      expect((await get(`/items/${SECRET.slug}`)).status).toBe(404);
      expect(leaks(await (await get("/rss.xml")).text())).toEqual([]);
    });

    it("with the real clock the lift's timer lets the article in within a second of its instant, with no request", async () => {
      const { get, putSecret, changes } = await openSite(kind, { now: () => new Date() });
      const lift = Date.now() + 1500;
      expect((await putSecret({ published: "2022-08-01T09:00:00Z", embargo: new Date(lift).toISOString() })).status).toBe(201);
      expect(await (await get("/rss.xml")).text()).not.toContain(SECRET.title);
      // No request meanwhile: only the timer can tell.
      while (!changes.some((c) => c.after?.slug === SECRET.slug) && Date.now() < lift + 1000) await new Promise((r) => setTimeout(r, 20));
      expect(changes.some((c) => c.after?.slug === SECRET.slug)).toBe(true);
      expect(await (await get("/rss.xml")).text()).toContain(SECRET.title);
    });
  });
}

describe("embargo across a restart (files store with its parse index)", () => {
  it("a record taken from the parse index at start-up is still held back, and lifts at its instant", async () => {
    let t = Date.parse("2026-11-27T12:00:00Z");
    const now = () => new Date(t);
    const dir = tempDir("restart-");
    const index = join(tempDir("index-"), "index.db");
    writeFileSync(join(dir, "kuwait-oil.md"), record({ title: "Kuwait keeps oil output", published: "2022-06-29T09:00:00Z" }));
    writeFileSync(join(dir, `${SECRET.slug}.md`), record({ title: SECRET.title, published: "2022-08-01T09:00:00Z", embargo: "2026-11-27T13:00:00Z" }, SECRET.body));
    const first = await itemsStore(dir, site, { now, watch: false, parseIndex: index, log: () => {} });
    expect(first.current().entries.map((e) => e.slug)).toEqual(["kuwait-oil"]);
    first.close();
    const second = await itemsStore(dir, site, { now, watch: false, parseIndex: index, log: () => {} });
    closers.push(() => second.close());
    expect(second.live.startStats.reused).toBe(2);
    expect(second.current().entries.map((e) => e.slug)).toEqual(["kuwait-oil"]);
    expect(second.current().nextLift).toBe(Date.parse("2026-11-27T13:00:00Z"));
    t = Date.parse("2026-11-27T13:00:00Z");
    expect(second.current().entries.map((e) => e.slug)).toEqual([SECRET.slug, "kuwait-oil"]);
    expect(second.current().nextLift).toBeUndefined();
  });
});

describe("embargo and WebSub on the Node site", () => {
  it("the hub is pinged for the article's feeds at the lift, and not when the embargoed record is written", async () => {
    const pings: string[] = [];
    const hub = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        pings.push(new URLSearchParams(body).get("hub.url") ?? "");
        res.writeHead(204).end();
      });
    });
    // A port of this suite's own range.
    await new Promise<void>((resolve, reject) => hub.once("error", reject).listen(9123, "127.0.0.1", () => resolve()));
    closers.push(() => hub.close());
    const dir = tempDir("websub-");
    writeFileSync(join(dir, "site.config.json"), JSON.stringify({ ...TEST_SITE_CONFIG, websubHub: "http://127.0.0.1:9123/hub" }));
    const items = join(dir, "items");
    mkdirSync(items);
    let t = Date.parse("2026-11-27T12:00:00Z");
    const node = await createNodeSite({ configPath: join(dir, "site.config.json"), itemsDir: items, watch: false, parseIndex: false, publishToken: TOKEN, now: () => new Date(t), log: () => {} });
    closers.push(() => node.live.close());
    const put = await node.app.request(`/api/items/${SECRET.slug}`, {
      method: "PUT",
      headers: { ...auth, "Content-Type": "text/markdown" },
      body: record({ title: SECRET.title, published: "2022-08-01T09:00:00Z", embargo: "2026-11-27T12:10:00Z", categories: ["Mergers"] }, SECRET.body),
    });
    expect(put.status).toBe(201);
    await node.hub!.idle();
    expect(pings).toEqual([]);
    t = Date.parse("2026-11-27T12:10:00Z");
    expect(await (await node.app.request("/rss.xml")).text()).toContain(SECRET.title);
    await node.hub!.idle();
    expect(pings).toEqual(expect.arrayContaining(["https://news.example/rss.xml", "https://news.example/categories/mergers/atom.xml"]));
  });
});
