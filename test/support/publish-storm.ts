/**
 * The concurrency must-show of the SQL stores, over a real socket to any
 * server with the publish API (Node on SQLite, the D1 Worker in workerd):
 * 50 concurrent PUTs of distinct slugs, 50 of one new slug, 20 racing
 * PUT/DELETE pairs; then what must hold, now and after a restart.
 */
import { expect } from "vitest";
import { record } from "./fixtures.js";

const story = (title: string, minute: number) => record({ title, published: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(), categories: ["Markets"] });

async function send(base: string, token: string, method: "PUT" | "DELETE", slug: string, text?: string): Promise<number> {
  const res = await fetch(`${base}/api/items/${slug}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(text ? { "Content-Type": "text/markdown" } : {}) },
    ...(text ? { body: text } : {}),
  });
  await res.arrayBuffer();
  return res.status;
}

/** What the acknowledged writes say must be served: each live slug with a text its page shows, and the withdrawn slugs. */
export interface StormOutcome {
  live: Map<string, string[]>;
  withdrawn: string[];
}

/** Runs the storm against `base`; asserts every answer on the way (no 500, one 201 per new slug). */
export async function publishStorm(base: string, token: string): Promise<StormOutcome> {
  const live = new Map<string, string[]>();
  const distinct = await Promise.all(Array.from({ length: 50 }, (_, i) => send(base, token, "PUT", `distinct-${i}`, story(`Distinct ${i}`, i))));
  expect(distinct).toEqual(Array(50).fill(201));
  for (let i = 0; i < 50; i++) live.set(`distinct-${i}`, [`Distinct ${i}`]);
  const same = await Promise.all(Array.from({ length: 50 }, (_, i) => send(base, token, "PUT", "one-slug", story(`One slug, take ${i}`, 100))));
  expect(same.filter((s) => s === 201)).toHaveLength(1);
  expect(same.filter((s) => s === 200)).toHaveLength(49);
  // Every take was acknowledged: the one served is one of them (whichever committed last).
  live.set("one-slug", Array.from({ length: 50 }, (_, i) => `One slug, take ${i}`));
  for (let i = 0; i < 20; i++) expect(await send(base, token, "PUT", `pair-${i}`, story(`Pair ${i}`, 200 + i))).toBe(201);
  // Racing pairs on stored articles: a PUT that came after the DELETE re-creates (201) and is served;
  // one before it replaced (200) and the DELETE then withdrew the article (410).
  const pairs = await Promise.all(
    Array.from({ length: 20 }, (_, i) => Promise.all([send(base, token, "PUT", `pair-${i}`, story(`Pair ${i} again`, 200 + i)), send(base, token, "DELETE", `pair-${i}`)])),
  );
  const withdrawn: string[] = [];
  for (const [i, [put, del]] of pairs.entries()) {
    expect([`pair-${i}`, del]).toEqual([`pair-${i}`, 204]);
    expect([`pair-${i}`, [200, 201].includes(put!)]).toEqual([`pair-${i}`, true]);
    if (put === 201) live.set(`pair-${i}`, [`Pair ${i} again`]);
    else withdrawn.push(`pair-${i}`);
  }
  return { live, withdrawn };
}

/** The slugs the server's site feed lists. */
async function servedSlugs(base: string): Promise<string[]> {
  const res = await fetch(`${base}/feed.json?limit=200`);
  expect(res.status).toBe(200);
  const feed = (await res.json()) as { items: { url: string }[] };
  return feed.items.map((i) => new URL(i.url).pathname.replace(/^\/items\//, "")).sort();
}

/** The slugs the store holds records of, through the API, a page at a time. */
async function storedSlugs(base: string, token: string): Promise<string[]> {
  const out: string[] = [];
  let url: string | null = `${base}/api/items?limit=7`;
  while (url) {
    const res: Response = await fetch(url.replace(/^https?:\/\/[^/]+/, base), { headers: { Authorization: `Bearer ${token}` } });
    const page = (await res.json()) as { items: { slug: string }[]; next: string | null };
    out.push(...page.items.map((i) => i.slug));
    url = page.next;
  }
  return out.sort();
}

/** Every acknowledged write served; the feed exactly what the store holds; withdrawn pages 410; the main URLs 200. */
export async function expectStormServed(base: string, token: string, outcome: StormOutcome): Promise<void> {
  const expected = [...outcome.live.keys()].sort();
  expect(await storedSlugs(base, token)).toEqual(expected);
  expect(await servedSlugs(base)).toEqual(expected);
  for (const [slug, texts] of outcome.live) {
    const page = await fetch(`${base}/items/${slug}`);
    const text = await page.text();
    expect([slug, page.status, texts.some((t) => text.includes(t))]).toEqual([slug, 200, true]);
  }
  for (const slug of outcome.withdrawn) expect([slug, (await fetch(`${base}/items/${slug}`)).status]).toEqual([slug, 410]);
  for (const path of ["/", "/rss.xml", "/atom.xml", "/feeds.opml", "/categories/markets/rss.xml", "/sitemap.xml"]) {
    const res = await fetch(`${base}${path}`);
    await res.arrayBuffer();
    expect([path, res.status]).toEqual([path, 200]);
  }
}
