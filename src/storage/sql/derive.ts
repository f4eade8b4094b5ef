/**
 * A whole database's contents made at once from records: what `db load`
 * writes, and what a database derives again when the site config (or the
 * derived format) its rows were made for has changed. One transaction: the
 * old contents stand until the new ones are complete.
 */
import type { Article } from "../../core/article.js";
import { oneOfEachId } from "../../core/catalog.js";
import { positionOf, reconcileStamps, type StampState } from "../../core/change-stamps.js";
import type { SiteConfig } from "../../core/config.js";
import type { RecordError } from "../../core/errors.js";
import { parseRecord } from "../../core/record.js";
import { latestPerId, type Tombstone } from "../../core/tombstone.js";
import type { SqlDriver, SqlStatement } from "./driver.js";
import { derivedFingerprint, leaveScopes, metaOfRow, moveVersion, nextVersion, tombstoneOfRow, writeArticle, writeRecord, writeTombstone } from "./rows.js";
import { SCHEMA } from "./schema.js";

/** One record to store: its name ("foo.md"), bytes and digest (recordDigest). */
export interface StoredRecord {
  name: string;
  bytes: Uint8Array;
  sha: string;
}

export interface DeriveInput {
  records: readonly StoredRecord[];
  tombstones: readonly Tombstone[];
  /** The change stamps known before (a folder's .changes.json, or the database's own); undefined: none (each record is dated by itself). */
  previous: StampState | undefined;
  now: Date;
  /** How a record is named in messages (default: its name). */
  label?: (name: string) => string;
  /** Keep a record that does not parse (as bytes only) instead of leaving it out: a re-derive never drops a stored record. */
  keepInvalid?: boolean;
}

export interface DeriveResult {
  articles: number;
  drafts: number;
  /** Every problem of every record left out (or, with keepInvalid, kept as bytes only). */
  errors: RecordError[];
  version: string;
}

/** Creates the tables a database lacks (schema.ts); safe to run on every open. */
export async function applySchema(driver: SqlDriver): Promise<void> {
  await driver.batch(SCHEMA.map((sql) => ({ sql })));
}

async function readVersion(driver: SqlDriver): Promise<string> {
  const [row] = await driver.all<{ value: string }>({ sql: "SELECT value FROM meta WHERE key = 'version'" });
  return row?.value ?? "0";
}

function randomTail(): string {
  return [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Replaces the database's contents with `input`: the records that parse (and
 * drafts), one article per id (oneOfEachId), their derived rows, the
 * withdrawals of ids not live, change stamps reconciled with `previous`.
 */
export async function replaceContents(driver: SqlDriver, site: SiteConfig, input: DeriveInput): Promise<DeriveResult> {
  const label = input.label ?? ((name: string) => name);
  const errors: RecordError[] = [];
  const parsed: { record: StoredRecord; article: Article }[] = [];
  const kept: StoredRecord[] = [];
  let drafts = 0;
  for (const record of input.records) {
    const result = parseRecord(label(record.name), record.bytes, site);
    if (!result.ok) {
      errors.push(...result.errors);
      if (input.keepInvalid) kept.push(record);
      continue;
    }
    if ("draft" in result) {
      drafts++;
      kept.push(record);
      continue;
    }
    parsed.push({ record, article: result.article });
  }
  const byArticle = new Map(parsed.map((p) => [p.article, p.record]));
  const winners = oneOfEachId(parsed.map((p) => p.article), errors, site);
  const live = new Set(winners.map((a) => a.id));
  const current = winners.map((article) => {
    const record = byArticle.get(article)!;
    return { name: record.name, sha: record.sha, article: { ...article, file: record.name } };
  });
  const stamps = reconcileStamps(input.previous, current, input.now);
  const before = await readVersion(driver);
  const version = nextVersion(before, randomTail());
  const statements: SqlStatement[] = [
    // First: a write that landed since `before` was read fails this whole replacement (retry), never lost under it.
    moveVersion(before, version),
    ...["records", "articles", "article_scopes", "tombstones", "tombstone_scopes", "scopes_left"].map((t) => ({ sql: `DELETE FROM ${t}` })),
    ...[...kept, ...winners.map((a) => byArticle.get(a)!)].map((r) => writeRecord(r.name, r.bytes, r.sha)),
  ];
  for (const { name, sha, article } of current) {
    const stamp = stamps.records.get(name)!;
    statements.push(...writeArticle(article, sha, stamp));
  }
  for (const t of latestPerId(input.tombstones)) if (!live.has(t.id)) statements.push(...writeTombstone(t));
  for (const [key, when] of stamps.left) statements.push(...leaveScopes([key], when));
  statements.push(
    { sql: "INSERT INTO meta (key, value) VALUES ('derived_for', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params: [derivedFingerprint(site)] },
  );
  await driver.batch(statements);
  return { articles: current.length, drafts, errors, version };
}

/** The database's own change stamps, as reconcileStamps takes them (keyed by record name). */
export async function storedStamps(driver: SqlDriver): Promise<StampState> {
  const rows = await driver.all({ sql: "SELECT a.meta, a.changed_ms, a.listed_ms, a.scope_keys, r.sha, r.name FROM articles a JOIN records r ON r.name = a.slug || '.md'" });
  const records = new Map(
    rows.map((row) => {
      const meta = metaOfRow(row);
      const stamp = { sha: row.sha as string, changed: meta.changed!, listed: meta.listed!, scopes: JSON.parse(row.scope_keys as string) as string[], position: positionOf(meta) };
      return [row.name as string, stamp];
    }),
  );
  const left = new Map((await driver.all({ sql: "SELECT scope_key, left_ms FROM scopes_left" })).map((r) => [r.scope_key as string, new Date(Number(r.left_ms))]));
  return { records, left };
}

/**
 * Opens a database for `site`: creates what is missing, and derives the
 * rows again when they were made for another site config or derived
 * format (change stamps and withdrawals kept). Node does this in process;
 * a D1 database is re-derived offline the same way (`d1:load`), since a
 * Worker request cannot parse a whole archive.
 */
export async function openSqlStore(driver: SqlDriver, site: SiteConfig, options: { now: () => Date; log: (message: string) => void }): Promise<void> {
  await applySchema(driver);
  const [row] = await driver.all<{ value: string }>({ sql: "SELECT value FROM meta WHERE key = 'derived_for'" });
  const fingerprint = derivedFingerprint(site);
  if (row?.value === fingerprint) return;
  const [count] = await driver.all<{ n: number }>({ sql: "SELECT COUNT(*) AS n FROM records" });
  if (Number(count?.n ?? 0) === 0) {
    await driver.batch([{ sql: "INSERT INTO meta (key, value) VALUES ('derived_for', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params: [fingerprint] }]);
    return;
  }
  if (row) options.log("the database's articles were derived for another site config: deriving them again from its records");
  const records = (await driver.all({ sql: "SELECT name, bytes, sha FROM records ORDER BY name" })).map((r) => ({ name: r.name as string, bytes: r.bytes as Uint8Array, sha: r.sha as string }));
  const tombstones = await driver.all({ sql: "SELECT tombstone FROM tombstones" });
  const previous = await storedStamps(driver);
  const result = await replaceContents(driver, site, { records, tombstones: tombstones.map(tombstoneOfRow), previous, now: options.now(), keepInvalid: true });
  for (const e of result.errors) options.log(`record not served: ${e.message}`);
}
