/**
 * The publish API on the D1 Worker, inside workerd: each PUT and DELETE one
 * D1 batch, visible at once to every isolate, answered 2xx only once the
 * database holds it; and under concurrency, every acknowledged write kept.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { d1Isolate, driver, loadD1 } from "./d1-support.js";

const TOKEN = "d1-token";
const auth = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
const STORY = { title: "Edge scoop", published: "2022-07-02T08:00:00+09:00", categories: ["Energy"], body: "Filed from the edge." };

const story = (title: string, published = STORY.published) => JSON.stringify({ ...STORY, title, published });
let call: ReturnType<typeof d1Isolate>;
const put = (slug: string, body: string) => call(`/api/items/${slug}`, { method: "PUT", headers: auth, body });
const remove = (slug: string) => call(`/api/items/${slug}`, { method: "DELETE", headers: auth });

/** The slugs the database holds records of, through the API (what a reader of the store sees). */
async function storedSlugs(): Promise<string[]> {
  const page = (await (await call("/api/items?limit=1000", { headers: auth })).json()) as { items: { slug: string }[] };
  return page.items.map((i) => i.slug);
}

/** The article URLs a JSON feed lists, in order. */
async function feedUrls(path = "/feed.json?limit=200"): Promise<string[]> {
  const feed = (await (await call(path)).json()) as { items: { url: string }[] };
  return feed.items.map((i) => i.url);
}

beforeEach(async () => {
  await loadD1({});
  call = d1Isolate({ PUBLISH_TOKEN: TOKEN });
});

describe("publish API on the D1 Worker", () => {
  it("GET /api/items: a page at a time (limit and cursor, Link rel=next), every record once, in record-name order", async () => {
    const slugs = ["a-b", "a", "b", "c-1", "c", "d", "e"];
    for (const slug of slugs) expect((await put(slug, story(slug))).status).toBe(201);
    const seen: string[] = [];
    let url: string | null = "/api/items?limit=3";
    let pages = 0;
    while (url) {
      const res = await call(url.replace("https://wire.example", ""), { headers: auth });
      const page = (await res.json()) as { items: { slug: string }[]; next: string | null };
      expect(res.headers.get("link")).toBe(page.next ? `<${page.next}>; rel="next"` : null);
      seen.push(...page.items.map((i) => i.slug));
      url = page.next;
      pages++;
    }
    expect([seen, pages]).toEqual([slugs, 3]);
    // The default page is bounded (100): 7 fit, no next.
    expect(((await (await call("/api/items", { headers: auth })).json()) as { next: unknown }).next).toBeNull();
  });

  it("off without PUBLISH_TOKEN (404); 401 without or with a wrong token", async () => {
    const readOnly = d1Isolate();
    expect((await readOnly("/api/items/x", { method: "PUT", headers: auth, body: story("x") })).status).toBe(404);
    expect((await call("/api/items/x", { method: "PUT", body: story("x") })).status).toBe(401);
    expect((await call("/api/items/x", { method: "PUT", headers: { ...auth, Authorization: "Bearer nope" }, body: story("x") })).status).toBe(401);
  });

  it("PUT: 201 then 200, served at once here and by another isolate; 422 stores nothing", async () => {
    expect((await put("scoop", story("Edge scoop"))).status).toBe(201);
    const other = d1Isolate();
    expect(await (await other("/rss.xml")).text()).toContain("<title>Edge scoop</title>");
    expect((await other("/categories/energy/feed.json")).status).toBe(200);
    expect((await put("scoop", story("Edge scoop, corrected"))).status).toBe(200);
    expect(await (await other("/items/scoop")).text()).toContain("Edge scoop, corrected");
    const [version] = await driver.all<{ value: string }>({ sql: "SELECT value FROM meta WHERE key = 'version'" });
    const invalid = await put("bad", JSON.stringify({ published: "soon", body: "x" }));
    expect(invalid.status).toBe(422);
    expect((await call("/api/items/bad", { headers: auth })).status).toBe(404);
    expect(await driver.all({ sql: "SELECT value FROM meta WHERE key = 'version'" })).toEqual([version]);
  });

  it("PUT text/markdown: GET gives back the stored bytes", async () => {
    const file = "---\ntitle: Edge file\npublished: 2022-07-03T08:00:00+09:00\n---\n\nFrom an editor.\n";
    expect((await call("/api/items/edge-file", { method: "PUT", headers: { ...auth, "Content-Type": "text/markdown" }, body: file })).status).toBe(201);
    const got = await call("/api/items/edge-file", { headers: auth });
    expect([got.status, got.headers.get("content-type"), await got.text()]).toEqual([200, "text/markdown; charset=utf-8", file]);
  });

  it("DELETE: 204, then 404; the article page is 410 and Atom announces the withdrawal, in every isolate", async () => {
    await put("scoop", story("Edge scoop"));
    expect((await remove("scoop")).status).toBe(204);
    expect((await remove("scoop")).status).toBe(404);
    const other = d1Isolate();
    expect((await other("/items/scoop")).status).toBe(410);
    expect(await (await other("/atom.xml")).text()).toMatch(/<at:deleted-entry ref="tag:wirefeed\.example,2022-07-02:scoop" when="[^"]+"\/>/);
    expect((await other("/categories/energy/atom.xml")).status).toBe(200);
    expect(await storedSlugs()).toEqual([]);
  });

  it("409 naming the holder for a new slug carrying a live article's id; nothing is stored", async () => {
    await put("scoop", story("Edge scoop"));
    const copy = await put("copy", JSON.stringify({ ...STORY, id: "tag:wirefeed.example,2022-07-02:scoop" }));
    expect(copy.status).toBe(409);
    expect(((await copy.json()) as { holder: unknown }).holder).toEqual({ slug: "scoop", url: "https://wire.example/items/scoop" });
    expect((await call("/items/copy")).status).toBe(404);
    expect(await storedSlugs()).toEqual(["scoop"]);
  });

  it("a failed write changes nothing: the batch is rolled back whole", async () => {
    await put("scoop", story("Edge scoop"));
    const before = await (await call("/rss.xml")).text();
    // A binding whose batches fail after running: as a D1 batch that fails part way (D1 rolls it back).
    const failing = d1Isolate({
      PUBLISH_TOKEN: TOKEN,
      DB: { prepare: (sql) => env.DB.prepare(sql), batch: () => Promise.reject(new Error("D1_ERROR: network connection lost")) },
    });
    const res = await failing("/api/items/scoop", { method: "PUT", headers: auth, body: story("Never stored") });
    expect(res.status).toBe(500);
    expect((await failing("/api/items/scoop", { method: "DELETE", headers: auth })).status).toBe(500);
    expect(await (await d1Isolate()("/rss.xml")).text()).toBe(before);
  });
});

describe("publish API on the D1 Worker, under concurrency", () => {
  /**
   * Writes spread over five isolates, as requests spread over isolates and locations: each isolate
   * takes its own writes one at a time, and the isolates race each other through the database.
   */
  let writers: ReturnType<typeof d1Isolate>[] = [];
  beforeEach(() => {
    writers = Array.from({ length: 5 }, () => d1Isolate({ PUBLISH_TOKEN: TOKEN }));
  });
  const putVia = (i: number, slug: string, body: string) => writers[i % writers.length]!(`/api/items/${slug}`, { method: "PUT", headers: auth, body });
  const removeVia = (i: number, slug: string) => writers[i % writers.length]!(`/api/items/${slug}`, { method: "DELETE", headers: auth });

  /** After a storm: no 500 anywhere, every URL that should answer does, and the feed is what the database holds. */
  async function consistent() {
    const reader = d1Isolate({ PUBLISH_TOKEN: TOKEN });
    const slugs = (await storedSlugs()).sort();
    const urls = await feedUrls();
    expect([...urls].sort()).toEqual(slugs.map((s) => `https://wire.example/items/${s}`));
    for (const path of ["/", "/rss.xml", "/atom.xml", "/feed.json", "/feeds.opml", "/categories/energy/rss.xml"]) expect([path, (await reader(path)).status]).toEqual([path, 200]);
    return slugs;
  }

  it("50 concurrent PUTs of distinct slugs: 50 × 201, all 50 served, the feed exactly what is stored", async () => {
    const slugs = Array.from({ length: 50 }, (_, i) => `story-${String(i).padStart(2, "0")}`);
    const answers = await Promise.all(slugs.map((s, i) => putVia(i, s, story(`Story ${i}`, `2022-07-02T${String(8 + (i % 12)).padStart(2, "0")}:${String(i).padStart(2, "0")}:00+09:00`))));
    expect(answers.map((r) => r.status)).toEqual(slugs.map(() => 201));
    expect(await consistent()).toEqual(slugs);
    const reader = d1Isolate();
    for (const [i, slug] of slugs.entries()) expect(await (await reader(`/items/${slug}`)).text()).toContain(`Story ${i}`);
  }, 60_000);

  it("50 concurrent PUTs of one new slug: exactly one 201, the rest 200, one article served", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => putVia(i, "one-slug", story(`Take ${i}`))));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    expect(await consistent()).toEqual(["one-slug"]);
    expect((await feedUrls()).length).toBe(1);
  }, 60_000);

  it("20 racing PUT/DELETE pairs on stored articles: each ends as its acknowledged order says, nothing lost, no 500", async () => {
    const slugs = Array.from({ length: 20 }, (_, i) => `pair-${String(i).padStart(2, "0")}`);
    for (const [i, slug] of slugs.entries()) expect((await put(slug, story(`Pair ${i}`))).status).toBe(201);
    const results = await Promise.all(slugs.map(async (slug, i) => {
      const [written, removed] = await Promise.all([putVia(i, slug, story(`Pair ${i}, rewritten`)), removeVia(i + 1, slug)]);
      return { slug, i, put: written.status, del: removed.status };
    }));
    const reader = d1Isolate();
    for (const r of results) {
      // The DELETE found the article each time (it was stored). A PUT after it re-creates (201), so the article
      // is served with the new text; a PUT before it replaced (200), then the DELETE withdrew it (410).
      expect([r.slug, r.del]).toEqual([r.slug, 204]);
      expect([r.slug, [200, 201].includes(r.put)]).toEqual([r.slug, true]);
      const page = await reader(`/items/${r.slug}`);
      if (r.put === 201) {
        expect([r.slug, page.status]).toEqual([r.slug, 200]);
        expect(await page.text()).toContain(`Pair ${r.i}, rewritten`);
      } else expect([r.slug, page.status]).toEqual([r.slug, 410]);
    }
    const kept = results.filter((r) => r.put === 201).map((r) => r.slug);
    expect(await consistent()).toEqual(kept);
  }, 60_000);
});
