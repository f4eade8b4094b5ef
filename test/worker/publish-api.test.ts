/** The publish API on the Worker, inside workerd: writes to KV, visible at once, tombstones on delete. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import kvData from "../../.generated/worker-kv-data.js";
import { workerEntry } from "../../src/runtime/worker-site.js";
import { clearKv } from "./support.js";

const TOKEN = "worker-token";
const worker = workerEntry(kvData);
const withApi = { ARTICLES: env.ARTICLES, SITE_URL: "https://wire.example/", PUBLISH_TOKEN: TOKEN };
const withoutApi = { ARTICLES: env.ARTICLES, SITE_URL: "https://wire.example/" };

async function call(path: string, init: RequestInit = {}, bindings: object = withApi): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://wire.example${path}`, init), bindings as never, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const auth = { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" };
const STORY = { title: "Worker scoop", published: "2022-07-02T08:00:00+09:00", categories: ["Energy"], body: "Filed from the edge." };

beforeEach(() => clearKv(env.ARTICLES));

describe("publish API on the Worker", () => {
  it("off without PUBLISH_TOKEN: 404", async () => {
    expect((await call("/api/items/x", { method: "PUT", headers: auth, body: JSON.stringify(STORY) }, withoutApi)).status).toBe(404);
  });

  it("401 without or with a wrong token", async () => {
    expect((await call("/api/items/x", { method: "PUT", body: JSON.stringify(STORY) })).status).toBe(401);
    expect((await call("/api/items/x", { method: "PUT", headers: { ...auth, Authorization: "Bearer nope" }, body: JSON.stringify(STORY) })).status).toBe(401);
  });

  it("201 then 200; visible at once in every format; 422 lists every field error", async () => {
    const created = await call("/api/items/scoop", { method: "PUT", headers: auth, body: JSON.stringify(STORY) });
    expect(created.status).toBe(201);
    expect(await (await call("/rss.xml")).text()).toContain("<title>Worker scoop</title>");
    expect((await call("/categories/energy/feed.json")).status).toBe(200);
    const replaced = await call("/api/items/scoop", { method: "PUT", headers: auth, body: JSON.stringify({ ...STORY, title: "Worker scoop, updated" }) });
    expect(replaced.status).toBe(200);
    expect(await (await call("/items/scoop")).text()).toContain("Worker scoop, updated");
    const invalid = await call("/api/items/bad", { method: "PUT", headers: auth, body: JSON.stringify({ published: "soon", body: "x" }) });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(["published", "title"]);
  });

  it("413 over the limit; 204 on delete, then 404, with a tombstone in Atom", async () => {
    expect((await call("/api/items/big", { method: "PUT", headers: auth, body: JSON.stringify({ ...STORY, body: "x".repeat(1_100_000) }) })).status).toBe(413);
    await call("/api/items/scoop", { method: "PUT", headers: auth, body: JSON.stringify(STORY) });
    expect((await call("/api/items/scoop", { method: "DELETE", headers: auth })).status).toBe(204);
    expect((await call("/api/items/scoop", { method: "DELETE", headers: auth })).status).toBe(404);
    expect((await call("/items/scoop")).status).toBe(404);
    const atom = await (await call("/atom.xml")).text();
    expect(atom).toMatch(/<at:deleted-entry ref="tag:wirefeed\.example,2022-07-02:scoop" when="\d{4}-\d\d-\d\dT[^"]+"\/>/);
  });

  it("a back-dated publish moves the feeds' Last-Modified to when it was written; the same bytes again keep it", async () => {
    await call("/api/items/scoop", { method: "PUT", headers: auth, body: JSON.stringify(STORY) });
    const before = (await call("/categories/energy/rss.xml")).headers;
    // HTTP dates have whole seconds: the next write lands in a later one.
    await new Promise((r) => setTimeout(r, 1100));
    const started = Date.now();
    const late = { ...STORY, title: "Filed late", published: "2020-01-01T00:00:00Z" };
    expect((await call("/api/items/late", { method: "PUT", headers: auth, body: JSON.stringify(late) })).status).toBe(201);
    const after = (await call("/categories/energy/rss.xml")).headers;
    expect(after.get("etag")).not.toBe(before.get("etag"));
    const moved = new Date(after.get("last-modified")!).getTime();
    // Stamped by the write (the Worker's clock), not by the newest date shown (2022-07-02).
    expect(moved).toBeGreaterThan(new Date(before.get("last-modified")!).getTime());
    expect(Math.abs(moved - started)).toBeLessThan(120_000);
    const poll = await call("/categories/energy/rss.xml", { headers: { "If-Modified-Since": before.get("last-modified")! } });
    expect(poll.status).toBe(200);
    expect((await call("/api/items/late", { method: "PUT", headers: auth, body: JSON.stringify(late) })).status).toBe(200);
    const again = (await call("/categories/energy/rss.xml")).headers;
    expect([again.get("etag"), again.get("last-modified")]).toEqual([after.get("etag"), after.get("last-modified")]);
  });
});
