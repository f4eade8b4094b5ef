import { afterAll, describe, expect, test } from "vitest";
import { SITE_SCOPE } from "../../src/core/scopes.js";
import { IdTakenError } from "../../src/http/publish-api.js";
import type { SqlDriver } from "../../src/storage/sql/driver.js";
import { applySchema } from "../../src/storage/sql/derive.js";
import { parseRecord } from "../../src/core/record.js";
import { RowArticles, sqlListings, storedVersion } from "../../src/storage/sql/sql-listings.js";
import { sqlPublisher } from "../../src/storage/sql/sql-publisher.js";
import { recordDigest } from "../../src/storage/stamps-file.js";
import { record } from "../support/fixtures.js";
import { closeDatabases, CONTRACT_SITE, tempDatabase } from "./listings-builders.js";

afterAll(closeDatabases);

const bytes = (fields: Record<string, unknown>, body?: string) => new TextEncoder().encode(record(fields, body));
const story = (title: string, extra: Record<string, unknown> = {}) => bytes({ title, published: "2024-05-01T00:00:00Z", categories: ["Markets"], ...extra });

async function setup(driver: SqlDriver = tempDatabase()) {
  await applySchema(driver);
  let clock = Date.parse("2024-06-01T00:00:00Z");
  const now = () => new Date((clock += 1000));
  const publisher = sqlPublisher(driver, CONTRACT_SITE, { now, digest: recordDigest });
  const listings = async () => sqlListings(driver, await storedVersion(driver));
  return { driver, publisher, listings };
}

describe("SQL publisher", () => {
  test("list: a page at a time in record-name order (a-b.md before a.md), after a cursor, at most limit", async () => {
    const { publisher } = await setup();
    for (const slug of ["b", "a", "a-b", "c-1", "c"]) await publisher.put(slug, story(slug));
    expect(await publisher.list({ limit: 10 })).toEqual(["a-b", "a", "b", "c-1", "c"]);
    expect(await publisher.list({ limit: 2 })).toEqual(["a-b", "a"]);
    expect(await publisher.list({ after: "a", limit: 2 })).toEqual(["b", "c-1"]);
    expect(await publisher.list({ after: "c-1", limit: 2 })).toEqual(["c"]);
    expect(await publisher.list({ after: "c", limit: 2 })).toEqual([]);
    await publisher.remove("b");
    expect(await publisher.list({ after: "a", limit: 2 })).toEqual(["c-1", "c"]);
  });

  test("PUT creates (created) then replaces; the version moves with each change and not for the same bytes", async () => {
    const { publisher, listings, driver } = await setup();
    expect(await publisher.put("one", story("One"))).toEqual({ created: true });
    const v1 = await storedVersion(driver);
    expect(await publisher.put("one", story("One, corrected"))).toEqual({ created: false });
    const v2 = await storedVersion(driver);
    expect(v2).not.toBe(v1);
    expect(await publisher.put("one", story("One, corrected"))).toEqual({ created: false });
    expect(await storedVersion(driver)).toBe(v2);
    expect((await (await listings()).find("one"))?.title).toBe("One, corrected");
    expect(new TextDecoder().decode(await publisher.read("one"))).toContain("One, corrected");
    expect(await publisher.list({ limit: 10 })).toEqual(["one"]);
  });

  test("an id another slug holds is refused (IdTakenError), nothing written", async () => {
    const { publisher, listings } = await setup();
    await publisher.put("holder", story("Holder", { id: "tag:news.example,2024:shared" }));
    await expect(publisher.put("thief", story("Thief", { id: "tag:news.example,2024:shared" }))).rejects.toBeInstanceOf(IdTakenError);
    expect(await publisher.read("thief")).toBeUndefined();
    expect((await (await listings()).find("holder"))?.title).toBe("Holder");
  });

  test("a draft is stored as a record only; making an article a draft takes it out without a withdrawal", async () => {
    const { publisher, listings } = await setup();
    await publisher.put("d", story("D"));
    await publisher.put("d", story("D", { draft: true }));
    const l = await listings();
    expect(await l.find("d")).toBeUndefined();
    expect(await l.withdrawn("d")).toBeUndefined();
    expect(await publisher.read("d")).toBeDefined();
    expect((await l.stats(SITE_SCOPE)).left).toBeDefined();
  });

  test("DELETE leaves a tombstone (410) filed under the article's scopes; publishing the id again takes it back", async () => {
    const { publisher, listings } = await setup();
    await publisher.put("gone", story("Gone"));
    expect(await publisher.remove("gone")).toBe(true);
    expect(await publisher.remove("gone")).toBe(false);
    let l = await listings();
    expect((await l.withdrawn("gone"))?.title).toBe("Gone");
    const markets = (await l.scope("category", "markets"))!;
    expect((await l.withdrawals(markets, 5)).map((t) => t.slug)).toEqual(["gone"]);
    expect((await l.stats(markets)).total).toBe(0);
    await publisher.put("gone", story("Gone"));
    l = await listings();
    expect(await l.withdrawn("gone")).toBeUndefined();
    expect(await l.withdrawals(SITE_SCOPE, 5)).toEqual([]);
  });

  test("change stamps: an edit moves `changed` only; new dates or scopes move `listed`; leaving a scope stamps it", async () => {
    const { publisher, listings } = await setup();
    await publisher.put("s", story("S"));
    const first = (await (await listings()).find("s"))!;
    await publisher.put("s", story("S", {}).slice(0, -1));
    const edited = (await (await listings()).find("s"))!;
    expect(edited.changed!.getTime()).toBeGreaterThan(first.changed!.getTime());
    expect(edited.listed).toEqual(first.listed);
    await publisher.put("s", story("S", { categories: ["Energy"] }));
    const l = await listings();
    const moved = (await l.find("s"))!;
    expect(moved.listed!.getTime()).toBeGreaterThan(first.listed!.getTime());
    expect((await l.stats({ kind: "category", slug: "markets", label: "Markets", path: "categories/markets/" })).left).toEqual(moved.changed);
  });

  test("a write is all or nothing: a batch that fails part-way leaves the database as it was", async () => {
    const driver = tempDatabase();
    const { publisher, listings } = await setup(driver);
    await publisher.put("keep", story("Keep"));
    const before = await storedVersion(driver);
    let fail = false;
    const failing: SqlDriver = {
      all: (s) => driver.all(s),
      batch: (list) => driver.batch(fail ? [...list, { sql: "INSERT INTO no_such_table VALUES (1)" }] : list),
    };
    const broken = sqlPublisher(failing, CONTRACT_SITE, { now: () => new Date(), digest: recordDigest });
    fail = true;
    await expect(broken.put("new", story("New"))).rejects.toThrow(/no_such_table/);
    await expect(broken.remove("keep")).rejects.toThrow(/no_such_table/);
    expect(await storedVersion(driver)).toBe(before);
    expect(await publisher.read("new")).toBeUndefined();
    const l = await listings();
    expect((await l.newest(SITE_SCOPE, 10, "published")).map((a) => a.slug)).toEqual(["keep"]);
    expect(await l.withdrawals(SITE_SCOPE, 10)).toEqual([]);
  });

  test("two publishers on one database (two processes, two isolates): every write lands, one creation per slug", async () => {
    const driver = tempDatabase();
    const a = await setup(driver);
    const b = sqlPublisher(driver, CONTRACT_SITE, { now: () => new Date(), digest: recordDigest });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a.publisher : b).put("race", story(`Race ${i}`))));
    expect(results.filter((r) => r.created).length).toBe(1);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a.publisher : b).put(`d-${i}`, story(`D ${i}`))));
    expect((await (await a.listings()).stats(SITE_SCOPE)).total).toBe(21);
  });
});

describe("SQL publisher: work a publish does once", () => {
  test("put takes the API's parse of the same bytes (same record name) instead of parsing again; another name's is not taken", async () => {
    const driver = tempDatabase();
    await applySchema(driver);
    const parsed: string[] = [];
    const parse = async (file: string, input: Uint8Array, site: typeof CONTRACT_SITE) => (parsed.push(file), parseRecord(file, input, site));
    const publisher = sqlPublisher(driver, CONTRACT_SITE, { now: () => new Date("2024-06-01T00:00:00Z"), digest: recordDigest, parse });
    const one = story("One");
    const checked = { file: "one.md", result: await publisher.check!("one.md", one) };
    expect(parsed).toEqual(["one.md"]);
    expect(await publisher.put("one", one, checked)).toEqual({ created: true });
    expect(parsed).toEqual(["one.md"]);
    // Checked as another record's name: parsed again under its own.
    await publisher.put("two", story("Two"), { file: "one.md", result: checked.result });
    expect(parsed).toEqual(["one.md", "two.md"]);
    const listings = sqlListings(driver, await storedVersion(driver));
    expect((await listings.find("one"))?.title).toBe("One");
    expect((await listings.find("two"))?.title).toBe("Two");
  });

  test("RowArticles: across versions an unchanged article is the same object, a changed one is made anew", async () => {
    const { driver, publisher } = await setup();
    await publisher.put("a", story("A"));
    await publisher.put("b", story("B", { published: "2024-05-02T00:00:00Z" }));
    const kept = new RowArticles();
    const listingsNow = async () => sqlListings(driver, await storedVersion(driver), { rowArticles: kept });
    const [b1, a1] = await (await listingsNow()).newest(SITE_SCOPE, 10, "published");
    await publisher.put("b", story("B, corrected", { published: "2024-05-02T00:00:00Z" }));
    const later = await listingsNow();
    const [b2, a2] = await later.newest(SITE_SCOPE, 10, "published");
    expect(a2).toBe(a1);
    expect(b2).not.toBe(b1);
    expect(b2?.title).toBe("B, corrected");
    expect(await later.find("a")).toBe(a1);
    // An article page does not add entries: only feed windows do.
    await publisher.put("c", story("C"));
    const third = await listingsNow();
    expect(await third.find("c")).not.toBe(await third.find("c"));
    expect(await third.find("a")).toBe(a1);
    // Equal to what a Listings without RowArticles makes of the same rows.
    expect(await later.newest(SITE_SCOPE, 10, "published")).toEqual(await sqlListings(driver, await storedVersion(driver)).newest(SITE_SCOPE, 10, "published"));
  });
});
