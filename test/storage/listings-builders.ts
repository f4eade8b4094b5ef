/** Builders of the stores the Listings contract runs on, from the same input: in memory (as the Node file server holds a folder) and SQL (libsql in a temp file). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Article } from "../../src/core/article.js";
import { lazyCatalog, oneOfEachId } from "../../src/core/catalog.js";
import { splitHeldBack } from "../../src/core/embargo.js";
import { reconcileStamps, withStamps, type StampState } from "../../src/core/change-stamps.js";
import type { RecordError } from "../../src/core/errors.js";
import type { Listings } from "../../src/core/listings.js";
import { memoryListings } from "../../src/core/memory-listings.js";
import { parseRecord } from "../../src/core/record.js";
import type { Tombstone } from "../../src/core/tombstone.js";
import { recordDigest } from "../../src/storage/stamps-file.js";
import { replaceContents, applySchema } from "../../src/storage/sql/derive.js";
import { openLibsql, type LibsqlDriver } from "../../src/storage/sql/libsql-driver.js";
import { readVersion, sqlListings } from "../../src/storage/sql/sql-listings.js";
import { testSite } from "../support/fixtures.js";
import type { ContractRecord } from "./listings-contract.js";

export const CONTRACT_SITE = testSite();
const NOW = new Date("2023-09-01T00:00:00Z");

interface Input {
  records: ContractRecord[];
  tombstones: Tombstone[];
  stamps?: StampState;
  now?: Date;
}

/** Parsed articles (with their digests), one per id, as every store keeps them. */
function parsed(records: readonly ContractRecord[]): Article[] {
  const errors: RecordError[] = [];
  const articles: Article[] = [];
  for (const r of records) {
    const result = parseRecord(r.name, r.bytes, CONTRACT_SITE);
    if (result.ok && "article" in result) articles.push({ ...result.article, rev: recordDigest(r.bytes) });
  }
  return oneOfEachId(articles, errors, CONTRACT_SITE);
}

/** The stamps both stores are given: each record shown at `now` dated by itself (a first start), plus what the input says. */
function fullStamps(input: Input): StampState {
  const current = splitHeldBack(parsed(input.records), (input.now ?? NOW).getTime()).shown.map((article) => ({ name: article.file, sha: article.rev!, article }));
  const { records, left } = reconcileStamps(undefined, current, NOW);
  for (const [name, stamp] of input.stamps?.records ?? []) records.set(name, stamp);
  for (const [key, when] of input.stamps?.left ?? []) left.set(key, when);
  return { records, left };
}

export async function buildMemoryListings(input: Input): Promise<Listings> {
  // As buildCatalog and the live catalog hold them back: left out, the next lift kept.
  const { shown, nextLift } = splitHeldBack(parsed(input.records), (input.now ?? NOW).getTime());
  return memoryListings(withStamps(lazyCatalog(shown, async (e) => e as Article, [], input.tombstones, nextLift), fullStamps(input)));
}

const opened: LibsqlDriver[] = [];

/** A fresh database file in a temp folder. */
export function tempDatabase(): LibsqlDriver {
  const driver = openLibsql(join(mkdtempSync(join(tmpdir(), "wirefeed-sql-")), "test.db"));
  opened.push(driver);
  return driver;
}

export async function buildSqlListings(input: Input): Promise<Listings> {
  const driver = tempDatabase();
  await applySchema(driver);
  const records = input.records.map((r) => ({ ...r, sha: recordDigest(r.bytes) }));
  await replaceContents(driver, CONTRACT_SITE, { records, tombstones: input.tombstones, previous: fullStamps(input), now: input.now ?? NOW });
  const { version, nextLift } = await readVersion(driver, undefined, CONTRACT_SITE.archivePageSize);
  return sqlListings(driver, version, nextLift === undefined ? {} : { nextLift });
}

export function closeDatabases(): void {
  for (const d of opened.splice(0)) d.close();
}
