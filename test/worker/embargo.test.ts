/**
 * Embargoes inside workerd: on the D1 Worker (a request after the lift lets
 * the article in before it is answered, so no edge cache entry of the
 * version before is used; the Cron Trigger does it with no request; two
 * promoters move the version once) and on the bundled Worker (a catalog and
 * an edge-cache scope per lift passed). A fake clock for the rules; the real
 * one for "within a second".
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import d1Data from "../../.generated/worker-d1-data.js";
import { listPaths } from "../../src/http/site-resources.js";
import { workerSite } from "../../src/runtime/worker-site.js";
import type { WorkerData } from "../../src/runtime/worker-data.js";
import { sqlListings, storedVersion } from "../../src/storage/sql/sql-listings.js";
import { d1Isolate, driver, loadD1, site } from "./d1-support.js";

const TOKEN = "embargo-d1";
const auth = { Authorization: `Bearer ${TOKEN}` };
const SECRET = { slug: "secret-merger", title: "Quokka Holdings agrees merger", body: "Zanzibar vellum oscillates." };
const recordText = (fields: Record<string, unknown>, body: string) =>
  `---\n${Object.entries(fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n")}\n---\n\n${body}\n`;
const secret = (fields: Record<string, unknown>) => recordText({ title: SECRET.title, categories: ["Mergers"], authors: ["Vesna Ombudsdottir"], ...fields }, SECRET.body);
const OTHER = recordText({ title: "Tokyo talks open", published: "2022-07-02T09:00:00Z", categories: ["Diplomacy"] }, "Talks.");
const leaks = (text: string) => [SECRET.slug, SECRET.title, "Zanzibar", "Quokka", "Ombudsdottir", "mergers"].filter((n) => text.toLowerCase().includes(n.toLowerCase()));
const counter = (version: string) => Number.parseInt(version, 10);

let t = 0;
const clock = () => t;

beforeEach(async () => {
  t = Date.parse("2026-11-27T12:00:00Z");
  // No earlier stamps (the bundle's would mark its records' scopes left at the real now).
  await loadD1({ "tokyo-talks.md": OTHER }, {});
});

describe("embargo on the D1 Worker", () => {
  it("before the lift no URL the site lists and no API listing shows it; the first request after the lift serves it, the edge cache notwithstanding", async () => {
    const call = d1Isolate({ PUBLISH_TOKEN: TOKEN, now: clock });
    const lift = t + 100_000;
    const put = await call(`/api/items/${SECRET.slug}`, { method: "PUT", headers: { ...auth, "Content-Type": "text/markdown" }, body: secret({ published: "2022-08-01T09:00:00Z", embargo: new Date(lift).toISOString() }) });
    expect(put.status).toBe(201);
    expect(((await put.json()) as { embargoedUntil?: string }).embargoedUntil).toBe(new Date(lift).toISOString());
    const before = await call("/rss.xml");
    // Every URL the site lists (as the static build lists them), each twice: the second from the edge cache.
    const paths = await listPaths(site, sqlListings(driver, await storedVersion(driver)));
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      for (let i = 0; i < 2; i++) {
        const res = await call(path);
        expect([path, res.status]).toEqual([path, 200]);
        expect([path, leaks(await res.text())]).toEqual([path, []]);
        const maxAge = /max-age=(\d+)/.exec(res.headers.get("cache-control") ?? "")?.[1];
        if (maxAge !== undefined) expect([path, Number(maxAge) <= 100]).toEqual([path, true]);
      }
    }
    expect((await call(`/items/${SECRET.slug}`)).status).toBe(404);
    expect(leaks(await (await call("/api/items", { headers: auth })).text())).toEqual([]);
    const stored = await call(`/api/items/${SECRET.slug}`, { headers: auth });
    expect([stored.status, stored.headers.get("embargoed-until")]).toEqual([200, new Date(lift).toISOString()]);

    t = lift;
    const after = await call("/rss.xml");
    expect(await after.text()).toContain(SECRET.title);
    expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    expect(after.headers.get("last-modified")).toBe(new Date(lift).toUTCString());
    expect((await call(`/items/${SECRET.slug}`)).status).toBe(200);
    // Another isolate (its own state, the same database and edge cache) agrees.
    expect(await (await d1Isolate({ now: clock })("/rss.xml")).text()).toContain(SECRET.title);
  });

  it("the Cron Trigger lets it in with no request; two promoters at once move the version once", async () => {
    const call = d1Isolate({ PUBLISH_TOKEN: TOKEN, now: clock });
    const lift = t + 60_000;
    expect((await call(`/api/items/${SECRET.slug}`, { method: "PUT", headers: { ...auth, "Content-Type": "text/markdown" }, body: secret({ published: "2022-08-01T09:00:00Z", embargo: new Date(lift).toISOString() }) })).status).toBe(201);
    const held = await storedVersion(driver);
    // Scheduled before the instant: nothing to do, nothing moved.
    await call.scheduled();
    expect(await storedVersion(driver)).toBe(held);
    t = lift;
    await Promise.all([call.scheduled(), d1Isolate({ now: clock }).scheduled()]);
    const [row] = await driver.all({ sql: "SELECT listed_ms FROM articles WHERE slug = ?", params: [SECRET.slug] });
    expect(Number(row?.listed_ms)).toBe(lift);
    expect(await driver.all({ sql: "SELECT slug FROM embargoed" })).toEqual([]);
    expect(counter(await storedVersion(driver))).toBe(counter(held) + 1);
  });

  it("with the real clock it is served within a second of its instant", async () => {
    const call = d1Isolate({ PUBLISH_TOKEN: TOKEN });
    const lift = Date.now() + 1500;
    expect((await call(`/api/items/${SECRET.slug}`, { method: "PUT", headers: { ...auth, "Content-Type": "text/markdown" }, body: secret({ published: "2022-08-01T09:00:00Z", embargo: new Date(lift).toISOString() }) })).status).toBe(201);
    expect(await (await call("/rss.xml")).text()).not.toContain(SECRET.title);
    let shown = false;
    while (!shown && Date.now() < lift + 1000) {
      await new Promise((r) => setTimeout(r, 50));
      shown = (await (await call("/rss.xml")).text()).includes(SECRET.title);
    }
    expect(shown).toBe(true);
  });
});

describe("a D1 database loaded by an older release (no embargoed table)", () => {
  it("is served as it is, and the publish API writes to it, held-back records included", async () => {
    await driver.batch([{ sql: "DROP TABLE embargoed" }]);
    const log: string[] = [];
    const call = d1Isolate({ PUBLISH_TOKEN: TOKEN, now: clock, log });
    expect(await (await call("/rss.xml")).text()).toContain("Tokyo talks open");
    expect((await call("/api/items", { headers: auth })).status).toBe(200);
    await call.scheduled();
    const put = await call(`/api/items/${SECRET.slug}`, { method: "PUT", headers: { ...auth, "Content-Type": "text/markdown" }, body: secret({ published: "2022-08-01T09:00:00Z", embargo: new Date(t + 60_000).toISOString() }) });
    expect(put.status).toBe(201);
    expect(leaks(await (await call("/rss.xml")).text())).toEqual([]);
    // Another isolate reads the table now there, and lets the article in at its instant.
    t += 60_000;
    expect(await (await d1Isolate({ now: clock })("/rss.xml")).text()).toContain(SECRET.title);
    expect(log.filter((m) => /error|failed/i.test(m))).toEqual([]);
  });
});

describe("embargo on the bundled Worker", () => {
  it("a catalog and an edge-cache scope per lift passed: held back before, served after, from the same isolate", async () => {
    const lift = t + 100_000;
    const data: WorkerData = {
      ...d1Data,
      buildId: `embargo-${crypto.randomUUID()}`,
      version: "embargo-bundle",
      records: { "tokyo-talks.md": OTHER, [`${SECRET.slug}.md`]: secret({ published: "2022-08-01T09:00:00Z", embargo: new Date(lift).toISOString() }) },
      problems: [],
      lifts: [lift],
    };
    const worker = workerSite(data, {}, () => {}, {}, clock);
    const get = async (path: string) => {
      const ctx = createExecutionContext();
      const res = await worker(new Request(`https://wire.example${path}`), ctx);
      const text = await res.text();
      await waitOnExecutionContext(ctx);
      return { res, text };
    };
    for (let i = 0; i < 2; i++) expect(leaks((await get("/rss.xml")).text)).toEqual([]);
    expect((await get(`/items/${SECRET.slug}`)).res.status).toBe(404);
    expect((await get("/rss.xml")).res.headers.get("cache-control")).toBe("public, max-age=100");
    t = lift;
    expect((await get("/rss.xml")).text).toContain(SECRET.title);
    expect((await get(`/items/${SECRET.slug}`)).res.status).toBe(200);
  });
});
