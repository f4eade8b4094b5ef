/**
 * Issue 11, item 1, through the Node server over a socket: archive documents
 * are calendar periods, so deleting or back-dating an article changes only
 * the document of its period, and no archive document claims `immutable`.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { record, TEST_SITE_CONFIG } from "../support/fixtures.js";
import { httpGet, startServer, type RunningServer } from "../support/server.js";

const TOKEN = "archive-test-token";
const SITE = "http://127.0.0.1:1/";
let dir = "";
let server: RunningServer;

/** 57 articles: one a day through January 2022 (so January splits into days), then five a month to July. */
function publishedOf(i: number): Date {
  if (i < 30) return new Date(Date.UTC(2022, 0, 1 + i, 9));
  const k = i - 30;
  return new Date(Date.UTC(2022, 1 + Math.floor(k / 5), 1 + (k % 5) * 5, 9));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "wirefeed-archive-"));
  const items = join(dir, "items");
  mkdirSync(items);
  for (let i = 0; i < 57; i++) writeFileSync(join(items, `a${i}.md`), record({ title: `Article ${i}`, published: publishedOf(i).toISOString() }));
  writeFileSync(join(dir, "site.json"), JSON.stringify({ ...TEST_SITE_CONFIG, feedSize: 10, archivePageSize: 10 }));
  server = await startServer({ ITEMS_DIR: items, WIREFEED_CONFIG: join(dir, "site.json"), SITE_URL: SITE, PUBLISH_TOKEN: TOKEN });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function api(method: string, slug: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.base}/api/items/${slug}`, { method, headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface Snapshot {
  /** Archive key → the bytes of its three formats. */
  docs: Map<string, string>;
  /** Article titles reachable through the archive chain and the subscription feed. */
  titles: string[];
  cacheControl: Set<string>;
}

const keyOf = (url: string) => /\/archive\/([^/]+)\//.exec(url)![1]!;

/** Walks the Atom prev-archive chain from the subscription feed, fetching every format of every document. */
async function snapshot(): Promise<Snapshot> {
  const docs = new Map<string, string>();
  const titles: string[] = [];
  const cacheControl = new Set<string>();
  const first = parseAtomFeed((await httpGet(server.base, "/atom.xml")).body.toString());
  titles.push(...first.entries!.map((e) => e.title!.value ?? String(e.title)));
  let next = first.links?.find((l) => l.rel === "prev-archive")?.href;
  while (next && docs.size < 200) {
    const key = keyOf(next);
    const bodies: string[] = [];
    for (const file of ["atom.xml", "rss.xml", "feed.json"]) {
      const res = await httpGet(server.base, `/archive/${key}/${file}`);
      expect(res.status, `${key}/${file}`).toBe(200);
      cacheControl.add(String(res.headers["cache-control"]));
      bodies.push(res.body.toString());
    }
    const [atom, rss, json] = bodies as [string, string, string];
    parseRssFeed(rss);
    parseJsonFeed(JSON.parse(json));
    const feed = parseAtomFeed(atom);
    titles.push(...(feed.entries ?? []).map((e) => e.title!.value ?? String(e.title)));
    docs.set(key, bodies.join("\n"));
    next = feed.links?.find((l) => l.rel === "prev-archive")?.href;
  }
  return { docs, titles, cacheControl };
}

function changed(before: Snapshot, after: Snapshot): string[] {
  const keys = new Set([...before.docs.keys(), ...after.docs.keys()]);
  return [...keys].filter((k) => before.docs.get(k) !== after.docs.get(k)).sort();
}

describe("archive documents by calendar period", () => {
  it("the chain covers every article; January (30 articles) is split into days, other months are one document", async () => {
    const s = await snapshot();
    expect(new Set(s.titles)).toEqual(new Set(Array.from({ length: 57 }, (_, i) => `Article ${i}`)));
    expect([...s.docs.keys()]).toContain("2022-01-15");
    expect([...s.docs.keys()]).toContain("2022-03");
    expect([...s.docs.keys()]).not.toContain("2022-03-06");
  });

  it("Cache-Control is honest: archive documents can still change, so none is immutable", async () => {
    const s = await snapshot();
    expect([...s.cacheControl]).toEqual(["public, max-age=86400"]);
  });

  it("deleting an older article changes only the document of its period", async () => {
    const before = await snapshot();
    // a12: 13 January; a37: 26 March.
    expect(await api("DELETE", "a12")).toBe(204);
    const afterJan = await snapshot();
    expect(changed(before, afterJan)).toEqual(["2022-01-13"]);
    expect(await api("DELETE", "a37")).toBe(204);
    const afterMar = await snapshot();
    expect(changed(afterJan, afterMar)).toEqual(["2022-03"]);
    expect(afterMar.titles).not.toContain("Article 37");
    expect(afterMar.titles).toHaveLength(before.titles.length - 2);
  });

  it("correcting an older article changes only the document of its period", async () => {
    const before = await snapshot();
    // a20: 21 January, corrected in June.
    const corrected = { title: "Article 20 (corrected)", published: publishedOf(20).toISOString(), updated: "2022-06-30T00:00:00Z", body: "Corrected." };
    expect(await api("PUT", "a20", corrected)).toBe(200);
    expect(changed(before, await snapshot())).toEqual(["2022-01-21"]);
  });

  it("a back-dated publish changes only the document of its period", async () => {
    const before = await snapshot();
    expect(await api("PUT", "late-january", { title: "Late January", published: "2022-01-20T15:00:00Z", body: "Filed late." })).toBe(201);
    const afterJan = await snapshot();
    expect(changed(before, afterJan)).toEqual(["2022-01-20"]);
    expect(await api("PUT", "late-april", { title: "Late April", published: "2022-04-03T15:00:00Z", body: "Filed late." })).toBe(201);
    const afterApr = await snapshot();
    expect(changed(afterJan, afterApr)).toEqual(["2022-04"]);
    expect(afterApr.titles).toContain("Late April");
  });
});
