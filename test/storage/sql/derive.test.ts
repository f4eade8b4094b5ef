/**
 * The derive (db load, d1:load, the re-derive on open) is one algorithm with
 * two places to keep its state: streamed through an open libsql transaction,
 * or in memory beside one batch (D1). Both must write the same rows; the
 * counts the triggers keep (scope_names, scope_totals) must always equal a
 * recount of the rows, after loads and after any sequence of publishes.
 */
import { afterAll, describe, expect, test } from "vitest";
import { parseStamps } from "../../../src/core/change-stamps.js";
import type { SqlDriver } from "../../../src/storage/sql/driver.js";
import { applySchema, openSqlStore, replaceContents, type StoredRecord } from "../../../src/storage/sql/derive.js";
import { sqlPublisher } from "../../../src/storage/sql/sql-publisher.js";
import { recordDigest } from "../../../src/storage/stamps-file.js";
import { record, testSite } from "../../support/fixtures.js";
import { closeDatabases, CONTRACT_SITE, tempDatabase } from "../listings-builders.js";

afterAll(closeDatabases);

const enc = (text: string) => new TextEncoder().encode(text);
const stored = (name: string, text: string): StoredRecord => ({ name, bytes: enc(text), sha: recordDigest(enc(text)) });
const NOW = new Date("2024-07-01T00:00:00Z");

/** The same database, without `transaction`: the derive then takes its batch path (as on D1). */
function batchOnly(driver: SqlDriver): SqlDriver {
  return { all: (s) => driver.all(s), batch: (s) => driver.batch(s) };
}

/** Every row of every table but the version (which is random), in a fixed order. */
async function contents(driver: SqlDriver): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ["records", "articles", "article_scopes", "tombstones", "tombstone_scopes", "scope_names", "scope_totals", "scopes_left"]) {
    out[table] = await driver.all({ sql: `SELECT * FROM ${table} ORDER BY 1, 2${table === "scopes_left" ? "" : ", 3"}` });
  }
  out.meta = await driver.all({ sql: "SELECT * FROM meta WHERE key <> 'version' ORDER BY key" });
  return out;
}

/** scope_names and scope_totals as a GROUP BY over the rows would count them. */
async function recount(driver: SqlDriver) {
  const names = await driver.all({
    sql: `SELECT kind, slug, name, SUM(live) AS live, SUM(withdrawn) AS withdrawn FROM (
      SELECT kind, slug, name, 1 AS live, 0 AS withdrawn FROM article_scopes
      UNION ALL SELECT kind, slug, name, 0, 1 FROM tombstone_scopes) GROUP BY kind, slug, name ORDER BY kind, slug, name`,
  });
  const totals = await driver.all({
    sql: `SELECT kind, slug, COUNT(*) AS total FROM article_scopes GROUP BY kind, slug
      UNION ALL SELECT 'site', '', COUNT(*) FROM articles HAVING COUNT(*) > 0 ORDER BY 1, 2`,
  });
  return { names, totals };
}

async function counted(driver: SqlDriver) {
  return {
    names: await driver.all({ sql: "SELECT kind, slug, name, live, withdrawn FROM scope_names ORDER BY kind, slug, name" }),
    totals: await driver.all({ sql: "SELECT kind, slug, total FROM scope_totals ORDER BY kind, slug" }),
  };
}

const story = (title: string, fields: Record<string, unknown> = {}) => record({ title, published: "2024-05-01T00:00:00Z", ...fields });

/** A folder's worth: articles in several scopes (several names of one slug), a draft, a broken record, two duplicate-id pairs. */
const RECORDS: StoredRecord[] = [
  stored("a.md", story("A", { categories: ["R&D", "Markets"], authors: ["Ann"] })),
  stored("b.md", story("B", { categories: ["R D"], language: "fr", published: "2024-05-02T00:00:00Z" })),
  stored("broken.md", "---\ntitle: [\n---\n"),
  stored("c.md", story("C", { id: "tag:shared,2024:x", published: "2024-05-03T00:00:00Z" })),
  stored("d.md", story("D", { id: "tag:shared,2024:x", published: "2024-05-02T12:00:00Z" })),
  stored("draft.md", story("Draft", { draft: true })),
  stored("e.md", story("E", { id: "tag:shared,2024:y", categories: ["\u{1F600}x", "\uFFFDx"] })),
  stored("f.md", story("F", { id: "tag:shared,2024:y", published: "2024-06-01T00:00:00Z" })),
];

describe("derive", () => {
  test("streamed and batched: the same rows, the same errors; the counts equal a recount", async () => {
    const stream = tempDatabase();
    const batch = tempDatabase();
    const results = [];
    for (const driver of [stream, batchOnly(batch)]) {
      await applySchema(driver);
      results.push(await replaceContents(driver, CONTRACT_SITE, { records: RECORDS, tombstones: [], previous: undefined, now: NOW }));
    }
    expect(stream.transaction).toBeTypeOf("function");
    const [a, b] = results;
    expect({ ...a, version: "" }).toEqual({ ...b, version: "" });
    expect(a!.errors.map((e) => e.message).join("\n")).toMatch(/already used by/);
    expect(await contents(stream)).toEqual(await contents(batch));
    expect(await counted(stream)).toEqual(await recount(stream));
    expect((await counted(stream)).names.length).toBeGreaterThan(3);
  });

  test("a load over earlier stamps, then a re-derive for another config, agree between the two paths", async () => {
    const stream = tempDatabase();
    const batch = tempDatabase();
    const stamps = parseStamps(
      {
        format: 1,
        records: { "a.md": { sha: "old", changed: "2024-05-05T00:00:00.000Z", listed: "2024-05-04T00:00:00.000Z", scopes: ["category/old"], position: "x|" } },
        left: { "category/earlier": "2024-01-01T00:00:00.000Z" },
      },
      "test",
    );
    for (const driver of [stream, batchOnly(batch)]) {
      await applySchema(driver);
      await replaceContents(driver, CONTRACT_SITE, { records: RECORDS, tombstones: [], previous: stamps, now: NOW });
    }
    expect(await contents(stream)).toEqual(await contents(batch));
    const other = testSite({ baseUrl: "https://elsewhere.example/" });
    for (const driver of [stream, batchOnly(batch)]) await openSqlStore(driver, other, { now: () => new Date("2024-08-01T00:00:00Z"), log: () => {} });
    expect(await contents(stream)).toEqual(await contents(batch));
    expect(await counted(batch)).toEqual(await recount(batch));
  });

  test("the counts follow every publish, replacement, move between scopes, draft, withdrawal and republication", async () => {
    const driver = tempDatabase();
    await applySchema(driver);
    let clock = NOW.getTime();
    const publisher = sqlPublisher(driver, CONTRACT_SITE, { now: () => new Date((clock += 1000)), digest: recordDigest });
    const put = (slug: string, fields: Record<string, unknown>) => publisher.put(slug, enc(story(slug, fields)));
    const check = async () => expect(await counted(driver)).toEqual(await recount(driver));
    await put("one", { categories: ["Markets", "markets"], authors: ["Ann"] });
    await check();
    await put("two", { categories: ["Markets"], language: "de" });
    await put("one", { categories: ["Energy"] });
    await check();
    await publisher.remove("two");
    await check();
    expect((await counted(driver)).names).toContainEqual({ kind: "category", slug: "markets", name: "Markets", live: 0, withdrawn: 1 });
    await put("two", { categories: ["Markets"], language: "de" });
    await check();
    await put("one", { draft: true });
    await check();
    await publisher.remove("one");
    await publisher.remove("two");
    await check();
    expect((await counted(driver)).totals).toEqual([]);
  });
});
