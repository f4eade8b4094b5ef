/**
 * Politeness (off by default): a client polling the same feed again within
 * the configured interval without a conditional header gets 429 with
 * Retry-After; conditional polls, other clients, other feeds and pages are
 * never affected; the memory it uses is bounded.
 */
import type { Context } from "hono";
import { describe, expect, it } from "vitest";
import { parseSiteConfig } from "../../src/core/config.js";
import { createApp } from "../../src/http/app.js";
import { PollTracker } from "../../src/http/polite.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";

const records = { "story.md": record({ title: "Story", published: "2022-06-29T10:00:00+09:00" }) };
/** In these tests the client is whoever the X-Test-Client header names (the Node runtime uses the socket's address). */
const clientKey = (c: Context) => c.req.header("x-test-client");

function politeApp(minIntervalSeconds = 300, trackedClients = 10_000) {
  const clock = { now: Date.parse("2026-01-01T00:00:00Z") };
  const site = testSite({ politeness: { minIntervalSeconds, trackedClients } });
  const app = createApp({ site, catalog: () => catalogOf(records, site), log: () => {}, clientKey, now: () => clock.now });
  const get = (path: string, client = "198.51.100.7", headers: Record<string, string> = {}) =>
    app.request(path, { headers: { "X-Test-Client": client, ...headers } });
  return { app, clock, get };
}

describe("politeness", () => {
  it("is off by default: unconditional polls as often as a client likes", async () => {
    const site = testSite();
    expect(site.politeness).toBeUndefined();
    const app = createApp({ site, catalog: () => catalogOf(records, site), log: () => {}, clientKey });
    for (let i = 0; i < 5; i++) expect((await app.request("/rss.xml", { headers: { "X-Test-Client": "a" } })).status).toBe(200);
  });

  it("on: a second unconditional poll within the interval gets 429 with Retry-After; after it, 200", async () => {
    const { clock, get } = politeApp(300);
    expect((await get("/rss.xml")).status).toBe(200);
    clock.now += 100_000;
    const refused = await get("/rss.xml");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("200");
    expect(refused.headers.get("cache-control")).toBe("no-store");
    expect(refused.headers.get("x-content-type-options")).toBe("nosniff");
    // The wait counts from the last served poll: asking again does not push it back.
    clock.now += 150_000;
    expect((await get("/rss.xml")).headers.get("retry-after")).toBe("50");
    clock.now += 50_000;
    expect((await get("/rss.xml")).status).toBe(200);
  });

  it("HEAD is not a poll: never refused, never counted, so the GET after it is served", async () => {
    const { app, get } = politeApp(300);
    const head = () => app.request("/atom.xml", { method: "HEAD", headers: { "X-Test-Client": "h" } });
    expect((await head()).status).toBe(200);
    expect((await head()).status).toBe(200);
    expect((await get("/atom.xml", "h")).status).toBe(200);
    expect((await head()).status).toBe(200);
    expect((await get("/atom.xml", "h")).status).toBe(429);
  });

  it("conditional polls are never refused, however often", async () => {
    const { get } = politeApp(300);
    const first = await get("/feed.json");
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    for (let i = 0; i < 10; i++) {
      expect((await get("/feed.json", undefined, { "If-None-Match": etag })).status).toBe(304);
      expect((await get("/feed.json", undefined, { "If-Modified-Since": lastModified })).status).toBe(304);
      expect((await get("/feed.json", undefined, { "If-None-Match": '"stale"' })).status).toBe(200);
    }
  });

  it("other clients, other feeds and pages are unaffected", async () => {
    const { get } = politeApp(300);
    expect((await get("/rss.xml", "a")).status).toBe(200);
    expect((await get("/rss.xml", "a")).status).toBe(429);
    expect((await get("/rss.xml", "b")).status).toBe(200);
    expect((await get("/atom.xml", "a")).status).toBe(200);
    expect((await get("/feed.json", "a")).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      expect((await get("/", "a")).status).toBe(200);
      expect((await get("/items/story", "a")).status).toBe(200);
      expect((await get("/style.css", "a")).status).toBe(200);
    }
  });

  it("a request whose client the runtime cannot name is served", async () => {
    const { app } = politeApp(300);
    for (let i = 0; i < 3; i++) expect((await app.request("/rss.xml")).status).toBe(200);
  });

  it("memory is bounded: many distinct clients never hold more than trackedClients entries", async () => {
    const tracker = new PollTracker(300_000, 100);
    for (let i = 0; i < 50_000; i++) tracker.check(`client-${i} /rss.xml`, i);
    expect(tracker.size).toBe(100);
    // The most recent clients are the ones remembered.
    expect(tracker.check("client-49999 /rss.xml", 50_000)).toBe(300);
    expect(tracker.check("client-0 /rss.xml", 50_000)).toBeUndefined();
  });

  it("through the app too: a flood of clients leaves the tracker at its bound", async () => {
    const { app } = politeApp(300, 50);
    const middleware = app.routes.find((r) => "tracker" in r.handler)?.handler as unknown as { tracker: PollTracker };
    for (let i = 0; i < 500; i++) await app.request("/rss.xml", { headers: { "X-Test-Client": `10.0.${i >> 8}.${i & 255}` } });
    expect(middleware.tracker.size).toBe(50);
  });
});

describe("politeness config", () => {
  const parse = (politeness: unknown) =>
    parseSiteConfig({ title: "t", description: "d", baseUrl: "https://news.example/", author: { name: "a" }, politeness }, "site.config.json");

  it("absent: off; minIntervalSeconds alone: on with the default bound", () => {
    expect(parse(undefined).politeness).toBeUndefined();
    expect(parse({ minIntervalSeconds: 300 }).politeness).toEqual({ minIntervalSeconds: 300, trackedClients: 10_000 });
    expect(parse({ minIntervalSeconds: 60, trackedClients: 500 }).politeness).toEqual({ minIntervalSeconds: 60, trackedClients: 500 });
  });

  it.each([
    [{}, "politeness.minIntervalSeconds: is required"],
    [{ minIntervalSeconds: 0 }, "politeness.minIntervalSeconds: must be a positive whole number"],
    [{ minIntervalSeconds: 1.5 }, "politeness.minIntervalSeconds: must be a positive whole number"],
    [{ minIntervalSeconds: "300" }, "politeness.minIntervalSeconds: must be a positive whole number"],
    [{ minIntervalSeconds: 300, trackedClients: -1 }, "politeness.trackedClients: must be a positive whole number"],
    [{ minIntervalSecs: 300 }, "politeness.minIntervalSecs: unknown setting"],
    [true, "politeness: must be an object"],
  ])("%j is refused: %s", (value, message) => {
    expect(() => parse(value)).toThrow(message);
  });
});
