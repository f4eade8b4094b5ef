/** Cache-Control and the app's caches around an embargo's lift (clampedCacheControl, createApp), with a fake clock. */
import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/core/catalog.js";
import { clampedCacheControl, splitHeldBack, visibleFrom } from "../../src/core/embargo.js";
import { createApp } from "../../src/http/app.js";
import { article, record, testSite } from "../support/fixtures.js";

const site = testSite();
const enc = (text: string) => new TextEncoder().encode(text);

describe("clampedCacheControl", () => {
  it("cuts max-age and s-maxage to the whole seconds left until the lift, never below 0, and leaves shorter ones and other directives alone", () => {
    expect(clampedCacheControl("public, max-age=86400", 1_000_000 + 99_001, 1_000_000)).toBe("public, max-age=100");
    expect(clampedCacheControl("public, max-age=60, s-maxage=600", 1_000_000 + 100_000, 1_000_000)).toBe("public, max-age=60, s-maxage=100");
    expect(clampedCacheControl("public, max-age=300", 1_000, 5_000)).toBe("public, max-age=0");
    expect(clampedCacheControl("no-cache", 2_000, 1_000)).toBe("no-cache");
    expect(clampedCacheControl("public, max-age=300", undefined, 1_000)).toBe("public, max-age=300");
  });
});

describe("visibleFrom and splitHeldBack", () => {
  it("the later of published and embargo; the next lift is the earliest held back", () => {
    const early = article("early", { title: "Early", published: "2022-06-29T00:00:00Z", embargo: "2022-06-28T00:00:00Z" });
    const late = article("late", { title: "Late", published: "2022-06-29T00:00:00Z", embargo: "2022-07-01T00:00:00Z" });
    const future = article("future", { title: "Future", published: "2022-06-30T00:00:00Z" });
    expect([visibleFrom(early), visibleFrom(late)]).toEqual([Date.parse("2022-06-29T00:00:00Z"), Date.parse("2022-07-01T00:00:00Z")]);
    const split = splitHeldBack([early, late, future], Date.parse("2022-06-29T12:00:00Z"));
    expect([split.shown.map((a) => a.slug), split.held.map((a) => a.slug), split.nextLift]).toEqual([["early"], ["late", "future"], Date.parse("2022-06-30T00:00:00Z")]);
  });
});

describe("the app while a lift is pending", () => {
  it("every answer's max-age ends at the lift, counting down with the clock; the cached-answer fast path steps aside", async () => {
    let t = Date.parse("2026-11-27T12:00:00Z");
    const records = [
      { file: "items/a.md", bytes: enc(record({ title: "A", published: "2022-06-29T00:00:00Z" })) },
      { file: "items/b.md", bytes: enc(record({ title: "B", published: "2022-06-30T00:00:00Z", embargo: "2026-11-27T12:01:40Z" })) },
    ];
    const catalog = buildCatalog(records, site, [], t);
    expect(catalog.entries.map((e) => e.slug)).toEqual(["a"]);
    const app = createApp({ site, catalog: () => catalog, now: () => t, log: () => {} });
    const cacheControl = async (path: string) => (await app.request(path)).headers.get("cache-control");
    expect(await cacheControl("/rss.xml")).toBe("public, max-age=100");
    expect(await cacheControl("/items/a")).toBe("public, max-age=100");
    t += 40_000;
    expect(await cacheControl("/rss.xml")).toBe("public, max-age=60");
    // The fast path keeps headers per representation: it must not answer while the lift shortens them.
    expect(app.fastResponse("GET", "/rss.xml", () => undefined)).toBeUndefined();
    // Without a lift ahead the fast path answers again, with the site's max-age.
    const plain = buildCatalog(records.slice(0, 1), site, [], t);
    const other = createApp({ site, catalog: () => plain, now: () => t, log: () => {} });
    await other.request("/rss.xml");
    expect(other.fastResponse("GET", "/rss.xml", () => undefined)?.headers["cache-control"]).toBe("public, max-age=300");
  });
});
