/**
 * Last-Modified is when a representation's content last changed (change
 * stamps, src/core/change-stamps.ts), not the newest date it shows: through
 * the Node server over a socket, with a fake clock, the publish API and the
 * watcher. A back-dated publish, the removal of an older article and an edit
 * without `updated:` each move ETag and Last-Modified together, and a client
 * polling with If-Modified-Since alone sees them; a restart keeps both.
 */
import type { ServerType } from "@hono/node-server";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNodeSite, listen } from "../../src/runtime/node-site.js";
import { TEST_SITE_CONFIG, record } from "../support/fixtures.js";
import { fetchRaw } from "../support/servers.js";

const TOKEN = "stamp-token";
const PATHS = ["/rss.xml", "/atom.xml", "/feed.json", "/", "/categories/markets/rss.xml", "/categories/markets/", "/feeds.opml"];

let clock = new Date("2026-01-01T00:00:00Z");
const servers: ServerType[] = [];
const dirs: string[] = [];
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(records: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), "wirefeed-lm-"));
  dirs.push(root);
  const items = join(root, "items");
  writeFileSync(join(root, "site.config.json"), JSON.stringify({ ...TEST_SITE_CONFIG, feedSize: 2 }));
  mkdirSync(items);
  for (const [name, text] of Object.entries(records)) writeFileSync(join(items, name), text);
  return { root, items };
}

async function start(p: { root: string; items: string }) {
  const node = await createNodeSite({ configPath: join(p.root, "site.config.json"), itemsDir: p.items, publishToken: TOKEN, now: () => clock, log: () => {} });
  const server = await listen(node.app.fetch, 0, "127.0.0.1", node.app.fastResponse);
  servers.push(server);
  closers.push(() => node.live.close());
  const port = (server.address() as { port: number }).port;
  return { base: `http://127.0.0.1:${port}`, live: node.live, server };
}

async function stop(server: ServerType) {
  await new Promise((r) => server.close(r));
  servers.splice(servers.indexOf(server), 1);
}

/** ETag and Last-Modified of every path (identity, as a poller sees them). */
async function validators(base: string, paths = PATHS) {
  const out: Record<string, { etag: string; lastModified: string }> = {};
  for (const path of paths) {
    const res = await fetchRaw(`${base}${path}`);
    expect(res.status, path).toBe(200);
    out[path] = { etag: res.headers.etag!, lastModified: res.headers["last-modified"]! };
  }
  return out;
}

const story = (title: string, published: string, extra: Record<string, unknown> = {}, body = "The ministry said talks would continue.") =>
  record({ title, published, categories: ["Markets"], ...extra }, body);

const INITIAL = {
  "oldest.md": story("Oldest", "2022-01-01T00:00:00Z"),
  "middle.md": story("Middle", "2022-01-02T00:00:00Z"),
  "newest.md": story("Newest", "2022-01-03T00:00:00Z"),
};

async function put(base: string, slug: string, fields: Record<string, unknown>) {
  const res = await fetch(`${base}/api/items/${slug}`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify(fields),
  });
  expect(res.status).toBeLessThan(300);
}

/** Every path moved both validators to `at`, and a poll with the old Last-Modified alone gets the new 200. */
async function expectMoved(base: string, before: Awaited<ReturnType<typeof validators>>, at: Date, paths: string[]) {
  const after = await validators(base, paths);
  for (const path of paths) {
    expect(after[path]!.etag, path).not.toBe(before[path]!.etag);
    expect(after[path]!.lastModified, path).toBe(at.toUTCString());
    const poll = await fetchRaw(`${base}${path}`, { headers: { "If-Modified-Since": before[path]!.lastModified } });
    expect(poll.status, `${path} If-Modified-Since ${before[path]!.lastModified}`).toBe(200);
    // And the new validators answer 304, each on its own.
    expect((await fetchRaw(`${base}${path}`, { headers: { "If-Modified-Since": after[path]!.lastModified } })).status, path).toBe(304);
    expect((await fetchRaw(`${base}${path}`, { headers: { "If-None-Match": after[path]!.etag } })).status, path).toBe(304);
  }
  return after;
}

describe("Last-Modified follows content changes", () => {
  it("a first start dates everything by what it shows; a restart keeps both validators", async () => {
    clock = new Date("2026-01-01T00:00:00Z");
    const p = project(INITIAL);
    const first = await start(p);
    const before = await validators(first.base);
    expect(before["/rss.xml"]!.lastModified).toBe(new Date("2022-01-03T00:00:00Z").toUTCString());
    await first.live.idle();
    await stop(first.server);
    clock = new Date("2027-05-05T00:00:00Z");
    const second = await start(p);
    expect(await validators(second.base)).toEqual(before);
  });

  it("a back-dated publish moves ETag and Last-Modified of what it changes (the scope page), never back", async () => {
    clock = new Date("2026-01-01T00:00:00Z");
    const { base } = await start(project(INITIAL));
    const before = await validators(base);
    clock = new Date("2026-01-02T10:00:00Z");
    // Older than every article shown (feedSize 2): the feeds' newest date stays 2022-01-03.
    await put(base, "back-dated", { title: "Back-dated", published: "2021-06-01T00:00:00Z", categories: ["Markets"], body: "Filed late." });
    // The scope page counts its articles: its bytes change. The subscription feeds show the same
    // window and, with calendar-period archives, the same history links: their bytes stay.
    await expectMoved(base, before, clock, ["/categories/markets/"]);
    const after = await validators(base);
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/categories/markets/rss.xml", "/"]) {
      expect(after[path]!.etag, path).toBe(before[path]!.etag);
      // Last-Modified may move with the scope's listing (it errs toward a 200, never a missed change): never backwards.
      expect(Date.parse(after[path]!.lastModified), path).toBeGreaterThanOrEqual(Date.parse(before[path]!.lastModified));
    }
  });

  it("removing an older article moves them too, in feeds that announce no tombstone", async () => {
    clock = new Date("2026-01-01T00:00:00Z");
    const { base } = await start(project(INITIAL));
    const before = await validators(base);
    clock = new Date("2026-01-03T08:30:00Z");
    const res = await fetch(`${base}/api/items/oldest`, { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(204);
    await expectMoved(base, before, clock, PATHS.filter((p) => p !== "/" && p !== "/feeds.opml"));
  });

  it("an edit without `updated:`, seen by the watcher, moves the article page and every feed showing it", async () => {
    clock = new Date("2026-01-01T00:00:00Z");
    const p = project(INITIAL);
    const { base, live } = await start(p);
    live.watch();
    const paths = ["/items/newest", "/rss.xml", "/atom.xml", "/feed.json", "/", "/categories/markets/atom.xml"];
    const before = await validators(base, paths);
    clock = new Date("2026-01-04T12:00:00Z");
    writeFileSync(join(p.items, "newest.md"), story("Newest", "2022-01-03T00:00:00Z", {}, "The ministry said talks would continue on Friday."));
    for (let i = 0; i < 100 && (await fetchRaw(`${base}/items/newest`)).headers.etag === before["/items/newest"]!.etag; i++) await new Promise((r) => setTimeout(r, 50));
    await expectMoved(base, before, clock, paths);
  });

  it("unchanged content keeps both: the same bytes again, other records' edits, a restart", async () => {
    clock = new Date("2026-01-01T00:00:00Z");
    const p = project(INITIAL);
    const first = await start(p);
    const fields = { title: "Markets open", published: "2022-01-05T00:00:00Z", categories: ["Markets"], body: "Shares rose." };
    clock = new Date("2026-02-01T00:00:00Z");
    await put(first.base, "markets-open", fields);
    const before = await validators(first.base, [...PATHS, "/items/markets-open", "/items/oldest"]);
    expect(before["/rss.xml"]!.lastModified).toBe(clock.toUTCString());
    clock = new Date("2026-03-01T00:00:00Z");
    await put(first.base, "markets-open", fields);
    // An edit to an article not shown (feedSize 2) changes that article's page, and no feed's validators.
    await put(first.base, "oldest", { title: "Oldest", published: "2022-01-01T00:00:00Z", categories: ["Markets"], body: "Corrected." });
    const again = await validators(first.base, [...PATHS, "/items/markets-open"]);
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", "/", "/categories/markets/rss.xml", "/items/markets-open"]) expect(again[path], path).toEqual(before[path]);
    const oldest = await validators(first.base, ["/items/oldest"]);
    await first.live.idle();
    await stop(first.server);
    clock = new Date("2026-04-01T00:00:00Z");
    const second = await start(p);
    expect(await validators(second.base, [...PATHS, "/items/markets-open", "/items/oldest"])).toEqual({ ...again, ...oldest });
    // What the server keeps is content-like: one line per record, beside them.
    expect(JSON.parse(readFileSync(join(p.items, ".changes.json"), "utf8")).records["markets-open.md"].changed).toBe("2026-02-01T00:00:00.000Z");
  });
});
