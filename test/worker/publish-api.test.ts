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
    // Withdrawn, not unknown: 410, as on Node.
    expect((await call("/items/scoop")).status).toBe(410);
    const atom = await (await call("/atom.xml")).text();
    expect(atom).toMatch(/<at:deleted-entry ref="tag:wirefeed\.example,2022-07-02:scoop" when="\d{4}-\d\d-\d\dT[^"]+"\/>/);
    // Its only category keeps its feeds, the Atom one announcing the withdrawal.
    const energy = await call("/categories/energy/atom.xml");
    expect(energy.status).toBe(200);
    expect(await energy.text()).toContain('<at:deleted-entry ref="tag:wirefeed.example,2022-07-02:scoop"');
    expect((await call("/categories/energy/feed.json")).status).toBe(200);
  });

  it("409 naming the holder for a new slug carrying a live article's id; nothing is stored", async () => {
    await call("/api/items/scoop", { method: "PUT", headers: auth, body: JSON.stringify(STORY) });
    const copy = await call("/api/items/copy", { method: "PUT", headers: auth, body: JSON.stringify({ ...STORY, id: "tag:wirefeed.example,2022-07-02:scoop" }) });
    expect(copy.status).toBe(409);
    expect(await copy.json()).toEqual({
      errors: [{ field: "id", message: '"tag:wirefeed.example,2022-07-02:scoop" is already used by items/scoop.md' }],
      holder: { slug: "scoop", url: "https://wire.example/items/scoop" },
    });
    expect((await call("/items/copy")).status).toBe(404);
    expect(await env.ARTICLES.get("items/copy.md")).toBeNull();
  });
});

describe("publish API on the Worker: limits, text/markdown, reading back", () => {
  const put = (slug: string, body: string, type = "application/json") =>
    call(`/api/items/${slug}`, { method: "PUT", headers: { ...auth, "Content-Type": type }, body });

  it("413 is JSON; a body whose YAML outgrows 1 MiB is 422 and nothing is stored", async () => {
    const big = await put("big", JSON.stringify({ ...STORY, body: "x".repeat(1_100_000) }));
    expect([big.status, big.headers.get("content-type")]).toEqual([413, "application/json; charset=utf-8"]);
    expect(await big.json()).toEqual({ error: "Content Too Large: the limit is 1048576 bytes" });
    const quotes = await put("quotes", JSON.stringify({ ...STORY, summary: "'".repeat(600_000) }));
    expect(quotes.status).toBe(422);
    expect(((await quotes.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["(record)"]);
    expect((await call("/api/items/quotes", { headers: auth })).status).toBe(404);
  });

  it("long slugs, deep JSON, long field names, years outside 1900–9999: 422 naming the field", async () => {
    const fields = async (res: Response) => ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    const slug = await put("a".repeat(235), JSON.stringify(STORY));
    expect([slug.status, await fields(slug)]).toEqual([422, ["slug"]]);
    const deep = await put("deep", `{"title":"t","published":"2022-06-29","body":"b","authors":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    expect([deep.status, await fields(deep)]).toEqual([422, ["authors[0][0][0][0]"]]);
    const key = await put("key", JSON.stringify({ ...STORY, ["k".repeat(40_000)]: 1 }));
    expect([key.status, await fields(key)]).toEqual([422, [`${"k".repeat(24)}…`]]);
    const year = await put("year", JSON.stringify({ ...STORY, published: "9999-12-31T23:59:59-23:59" }));
    expect([year.status, await fields(year)]).toEqual([422, ["published"]]);
  });

  it("PUT text/markdown; GET gives the stored bytes; GET /api/items pages through every record", async () => {
    const file = "---\ntitle: Edge file\npublished: 2022-07-03T08:00:00+09:00\n---\n\nFrom an editor.\n";
    expect((await put("edge-file", file, "text/markdown")).status).toBe(201);
    expect(await (await call("/items/edge-file")).text()).toContain("Edge file");
    const got = await call("/api/items/edge-file", { headers: auth });
    expect([got.status, got.headers.get("content-type"), await got.text()]).toEqual([200, "text/markdown; charset=utf-8", file]);
    expect((await put("scoop", JSON.stringify(STORY))).status).toBe(201);
    const first = (await (await call("/api/items?limit=1", { headers: auth })).json()) as { items: { slug: string }[]; next: string };
    expect(first.items.map((i) => i.slug)).toEqual(["edge-file"]);
    expect(first.next).toBe("https://wire.example/api/items?after=edge-file&limit=1");
    const second = (await (await call(new URL(first.next).pathname + new URL(first.next).search, { headers: auth })).json()) as { items: { slug: string }[]; next: string | null };
    expect(second).toEqual({ items: [{ slug: "scoop", href: "https://wire.example/api/items/scoop" }], next: null });
    expect((await call("/api/items")).status).toBe(401);
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
