/**
 * Every statement the SQL stores run to serve a request or take a publish
 * is an index lookup or a bounded walk down an index: each one the listings,
 * the version read and the publisher send (recorded through the driver, on a
 * small database) is put through EXPLAIN QUERY PLAN, and a SCAN of a table
 * without an index, or a sort of a whole range in a temp B-tree, fails.
 * (Load, re-derive and dump read whole tables by design and are not here.
 * A long walk down an index is not caught here: the totals and scope names
 * that once were counted so are rows of their own, scope_totals/scope_names.)
 */
import { afterAll, expect, test } from "vitest";
import { SITE_SCOPE, scopePath, type Scope } from "../../../src/core/scopes.js";
import type { SqlDriver, SqlStatement } from "../../../src/storage/sql/driver.js";
import { applySchema, replaceContents } from "../../../src/storage/sql/derive.js";
import { readVersion, sqlListings } from "../../../src/storage/sql/sql-listings.js";
import { sqlPublisher } from "../../../src/storage/sql/sql-publisher.js";
import { recordDigest } from "../../../src/storage/stamps-file.js";
import { record } from "../../support/fixtures.js";
import { closeDatabases, CONTRACT_SITE, tempDatabase } from "../listings-builders.js";

afterAll(closeDatabases);

const enc = (text: string) => new TextEncoder().encode(text);

/** The driver, with every statement it is sent kept (batches and reads alike). */
function recording(driver: SqlDriver): { driver: SqlDriver; seen: SqlStatement[] } {
  const seen: SqlStatement[] = [];
  return {
    seen,
    driver: {
      all: (s) => (seen.push(s), driver.all(s)),
      batch: (list) => (seen.push(...list), driver.batch(list)),
    },
  };
}

/** Plan lines that read a whole table or sort a whole range. */
function badSteps(plan: string[]): string[] {
  return plan.filter((line) => (/^SCAN /.test(line) && !/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|^SCAN \(subquery|^SCAN CONSTANT ROW/.test(line)) || /USE TEMP B-TREE/.test(line));
}

test("no statement of the serving and publishing paths scans a table or sorts a range", async () => {
  const base = tempDatabase();
  await applySchema(base);
  const story = (title: string, published: string, extra: Record<string, unknown> = {}) => enc(record({ title, published, categories: ["Markets", "Energy"], authors: ["Ann"], ...extra }));
  const records = Array.from({ length: 12 }, (_, i) => {
    const bytes = story(`Story ${i}`, new Date(Date.UTC(2024, 0, 1 + i)).toISOString(), i % 3 ? {} : { language: "fr" });
    return { name: `story-${i}.md`, bytes, sha: recordDigest(bytes) };
  });
  await replaceContents(base, CONTRACT_SITE, { records, tombstones: [], previous: undefined, now: new Date("2024-03-01T00:00:00Z") });
  const { driver, seen } = recording(base);

  // Writes: create, replace, move, draft, delete (tombstone), republish; the API's list pages.
  let clock = Date.parse("2024-03-02T00:00:00Z");
  const publisher = sqlPublisher(driver, CONTRACT_SITE, { now: () => new Date((clock += 1000)), digest: recordDigest });
  await publisher.put("fresh", story("Fresh", "2024-02-01T00:00:00Z"));
  await publisher.put("fresh", story("Fresh again", "2024-02-02T00:00:00Z", { categories: ["Sport"] }));
  await publisher.put("story-1", story("Draft now", "2024-01-02T00:00:00Z", { draft: true }));
  await publisher.remove("story-2");
  await publisher.put("story-2", story("Back", "2024-01-03T00:00:00Z"));
  await publisher.remove("story-3");
  await publisher.read("fresh");
  await publisher.list({ limit: 3 });
  await publisher.list({ after: "story-4", limit: 3 });

  // Reads: every Listings question, on the site and on named scopes, as a request asks them.
  const { version } = await readVersion(driver, undefined, 2);
  await readVersion(driver, version, 2);
  const listings = sqlListings(driver, version, { archivePageSize: 2 });
  const named: Scope = { kind: "category", slug: "markets", label: "Markets", path: scopePath("category", "markets") };
  for (const kind of ["category", "author", "language"] as const) {
    await listings.scopes(kind, false);
    await listings.scopes(kind, true);
    await listings.scope(kind, "markets");
  }
  for (const scope of [SITE_SCOPE, named]) {
    const stats = await listings.stats(scope);
    await listings.newest(scope, 5, "published");
    await listings.newest(scope, 5, "updated");
    await listings.count(scope, 0, 8.64e15);
    await listings.count(scope, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), 3);
    await listings.range(scope, 0, 8.64e15, 0, 2);
    await listings.range(scope, 0, 8.64e15, stats.total - 2, 2);
    await listings.range(scope, Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), 1, 2);
    await listings.withdrawals(scope, 5);
  }
  await listings.site();
  await listings.find("story-4");
  await listings.withdrawn("story-3");
  await listings.load([{ slug: "story-5" } as never]);

  // The check itself sees what it must refuse: a filter on an unindexed column, a sort on one.
  const planOf = async (sql: string) => (await base.all<{ detail: string }>({ sql: `EXPLAIN QUERY PLAN ${sql}` })).map((r) => r.detail);
  expect(badSteps(await planOf("SELECT slug FROM articles WHERE meta = 'x'"))).not.toEqual([]);
  expect(badSteps(await planOf("SELECT s.slug FROM article_scopes s JOIN articles a ON a.slug = s.article_slug WHERE s.kind = 'category' ORDER BY a.meta LIMIT 5"))).not.toEqual([]);

  const distinct = new Map(seen.map((s) => [s.sql, s]));
  expect(distinct.size).toBeGreaterThan(25);
  const problems: string[] = [];
  for (const statement of distinct.values()) {
    if (!/^\s*(SELECT|UPDATE|DELETE|INSERT)/i.test(statement.sql)) continue;
    const plan = (await base.all<{ detail: string }>({ sql: `EXPLAIN QUERY PLAN ${statement.sql}`, params: statement.params ?? [] })).map((r) => r.detail);
    const bad = badSteps(plan);
    if (bad.length) problems.push(`${statement.sql.replace(/\s+/g, " ")}\n  ${bad.join("\n  ")}`);
  }
  expect(problems).toEqual([]);
});
