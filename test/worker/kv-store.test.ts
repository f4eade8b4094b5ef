/** The KV store inside workerd, against the KV binding of wrangler.toml's "kv" environment (local storage). */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseIndex } from "../../src/storage/kv-index.js";
import { INDEX_KEY, kvStore, recordKey, VERSION_KEY } from "../../src/storage/kv.js";
import { record, testSite } from "../support/fixtures.js";
import { writableStoreContract } from "../storage/contract.js";
import { clearKv, enc } from "./support.js";

const site = testSite();

async function freshStore(records: Record<string, string>) {
  await clearKv(env.ARTICLES);
  const store = kvStore(env.ARTICLES, site);
  for (const [name, text] of Object.entries(records)) await store.write(name, enc(text));
  return store;
}

writableStoreContract("kvStore (workerd, KV binding)", freshStore);

const index = async () => parseIndex((await env.ARTICLES.get(INDEX_KEY, "text"))!, INDEX_KEY);

describe("kvStore specifics", () => {
  it("keeps a record's exact bytes under items/<name>, and its meta in the index", async () => {
    const text = record({ title: "Tokyo — 東京", published: "2022-06-29" });
    await freshStore({ "tokyo.md": text });
    expect(new TextDecoder().decode((await env.ARTICLES.get(recordKey("tokyo.md"), "arrayBuffer"))!)).toBe(text);
    const entry = (await index()).records["tokyo.md"]!;
    expect(entry).toMatchObject({
      meta: { slug: "tokyo", file: "items/tokyo.md", title: "Tokyo — 東京", published: "2022-06-28T15:00:00.000Z", url: "https://news.example/items/tokyo" },
    });
    // The index carries metas only: the body stays in the record.
    expect(JSON.stringify(entry)).not.toContain("Body text");
  });

  it("indexes broken records with their problems and drafts as drafts", async () => {
    await freshStore({ "bad.md": record({ published: "2022-06-29" }), "draft.md": record({ title: "D", published: "2022-06-29", draft: true }) });
    const { records } = await index();
    expect(records["bad.md"]).toMatchObject({ errors: [{ file: "items/bad.md", field: "title", problem: "is required" }] });
    expect(records["draft.md"]).toMatchObject({ draft: true });
  });

  it("the version follows the content: every change moves it, the same content gives it back", async () => {
    const a = record({ title: "A", published: "2022-06-29" });
    const store = await freshStore({ "a.md": a });
    const v1 = await env.ARTICLES.get(VERSION_KEY, "text");
    expect(v1).toBe((await index()).version);
    await store.write("a.md", enc(a.replace("Body text.", "Corrected body.")));
    const v2 = await env.ARTICLES.get(VERSION_KEY, "text");
    expect(v2).not.toBe(v1);
    await store.write("b.md", enc(record({ title: "B", published: "2022-06-30" })));
    const v3 = await env.ARTICLES.get(VERSION_KEY, "text");
    expect(new Set([v1, v2, v3]).size).toBe(3);
    // A withdrawal is a change readers see (an Atom tombstone), so it moves the version too.
    await store.remove("b.md");
    const v4 = await env.ARTICLES.get(VERSION_KEY, "text");
    expect(new Set([v1, v2, v3, v4]).size).toBe(4);
    // With what it was filed under, so its scopes keep their feeds and announce the withdrawal.
    expect((await index()).tombstones).toEqual([
      { slug: "b", id: "tag:news.example,2022-06-30:b", when: expect.any(String), title: "B", categories: [], authors: ["Test Desk"], language: "en" },
    ]);
    // Published again, the tombstone goes; its change stamp is new (Last-Modified moves), so the version is too.
    await store.write("b.md", enc(record({ title: "B", published: "2022-06-30" })));
    const v5 = await env.ARTICLES.get(VERSION_KEY, "text");
    expect(new Set([v1, v2, v3, v4, v5]).size).toBe(5);
    expect((await index()).tombstones).toBeUndefined();
    // The same bytes again change nothing: the same version.
    await store.write("b.md", enc(record({ title: "B", published: "2022-06-30" })));
    expect(await env.ARTICLES.get(VERSION_KEY, "text")).toBe(v5);
  });

  it("another site config gives another version (metas depend on it)", async () => {
    await freshStore({ "a.md": record({ title: "A", published: "2022-06-29" }) });
    const first = (await index()).version;
    await kvStore(env.ARTICLES, testSite({ baseUrl: "https://elsewhere.example/" })).write("a.md", enc(record({ title: "A", published: "2022-06-29" })));
    expect((await index()).version).not.toBe(first);
  });
});
