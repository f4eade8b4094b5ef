/**
 * The D1 Worker's one query per request (readVersion), on a real local D1
 * inside workerd: the version, and the site's stats in the same statement
 * only when the version is not the one the isolate knows — the very stats a
 * Listings reads for itself when it is not handed them. Its statement names
 * the known version once (?1) however many columns test it, and is the same
 * text on every request.
 */
import { describe, expect, it } from "vitest";
import { SITE_SCOPE } from "../../src/core/scopes.js";
import type { SqlDriver, SqlStatement } from "../../src/storage/sql/driver.js";
import { readVersion, sqlListings } from "../../src/storage/sql/sql-listings.js";
import { sqlPublisher } from "../../src/storage/sql/sql-publisher.js";
import { digest, driver, enc, loadD1, site } from "./d1-support.js";

/** The driver, with every statement it is sent kept. */
function recording(inner: SqlDriver): { driver: SqlDriver; seen: SqlStatement[] } {
  const seen: SqlStatement[] = [];
  return { seen, driver: { all: (s) => (seen.push(s), inner.all(s)), batch: (list) => (seen.push(...list), inner.batch(list)) } };
}

/** The site's stats as a Listings not primed with them reads them. */
const ownStats = (version: string) => sqlListings(driver, version, { archivePageSize: site.archivePageSize }).stats(SITE_SCOPE);

const story = (title: string, published: string) => enc(`---\ntitle: ${title}\npublished: ${published}\ncategories: [Markets]\n---\n\nBody of ${title}.\n`);

describe("readVersion on D1", () => {
  it("reads the site's stats with the version only when the version is new to the caller, and they are the Listings' own", async () => {
    await loadD1();
    const { driver: counted, seen } = recording(driver);
    const first = await readVersion(counted, undefined, site.archivePageSize);
    expect(first.version).not.toBe("0");
    expect(first.siteStats).toEqual(await ownStats(first.version));
    expect(first.siteStats!.total).toBeGreaterThan(0);
    // Known: the version (and what the rows were derived for) alone.
    const known = await readVersion(counted, first.version, site.archivePageSize);
    expect(known).toEqual({ version: first.version, ...(first.derivedFor === undefined ? {} : { derivedFor: first.derivedFor }) });
    // Another version known (an isolate behind a publish): the stats again.
    const behind = await readVersion(counted, "an-older-version", site.archivePageSize);
    expect(behind.siteStats).toEqual(first.siteStats);
    // One statement each time, the same text; the known version is its first parameter, bound once.
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.sql)).size).toBe(1);
    expect(seen.map((s) => s.params![0])).toEqual([null, first.version, "an-older-version"]);
    expect(seen[0]!.params!.filter((p) => p === null)).toHaveLength(1);
    expect(seen[0]!.sql.match(/\?1\b/g)!.length).toBeGreaterThan(1);
  });

  it("after a publish, a caller at the old version gets the new version and stats that count the new article", async () => {
    await loadD1();
    const before = await readVersion(driver, undefined, site.archivePageSize);
    // The clock past the story's date: a story dated ahead of it would be held back until then (embargo.ts).
    const publisher = sqlPublisher(driver, site, { now: () => new Date("2031-06-01T00:00:00Z"), digest });
    await publisher.put("fresh-wire", story("Fresh wire", "2031-01-01T00:00:00Z"));
    const after = await readVersion(driver, before.version, site.archivePageSize);
    expect(after.version).not.toBe(before.version);
    expect(after.siteStats).toEqual(await ownStats(after.version));
    expect(after.siteStats!.total).toBe(before.siteStats!.total + 1);
    expect(after.siteStats!.newest).toBe(Date.parse("2031-01-01T00:00:00Z"));
    expect(await readVersion(driver, after.version, site.archivePageSize)).not.toHaveProperty("siteStats");
  });
});
