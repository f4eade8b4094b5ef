/**
 * A whole database's contents made at once from records: what `db load`
 * writes, and what a database derives again when the site config (or the
 * derived format) its rows were made for has changed. One transaction: the
 * old contents stand until the new ones are complete.
 */
import type { ArticleMeta } from "../../core/article.js";
import { changedForReaders, isHeldBack, visibleFrom } from "../../core/embargo.js";
import { duplicateIdError, idPrecedence } from "../../core/catalog.js";
import { positionOf, scopeKeysOf, type RecordStamp, type StampState } from "../../core/change-stamps.js";
import type { SiteConfig } from "../../core/config.js";
import type { RecordError } from "../../core/errors.js";
import { parseRecord } from "../../core/record.js";
import { latestPerId, type Tombstone } from "../../core/tombstone.js";
import type { SqlDriver, SqlStatement, SqlTransaction, SqlValue } from "./driver.js";
import { deleteArticle, derivedFingerprint, leaveScopes, metaOfRow, moveVersion, nextVersion, tombstoneOfRow, writeArticle, writeHeldBack, writeRecord, writeTombstone } from "./rows.js";
import { SCHEMA } from "./schema.js";

/** One record to store: its name ("foo.md"), bytes and digest (recordDigest). */
export interface StoredRecord {
  name: string;
  bytes: Uint8Array;
  sha: string;
}

export interface DeriveInput {
  /** In name order; an async iterable is read one record at a time (nothing held but the record at hand, on a driver with `transaction`). */
  records: Iterable<StoredRecord> | AsyncIterable<StoredRecord>;
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
  /** Articles held back until their embargo lifts (core/embargo.ts), and the first lift among them. */
  heldBack: number;
  nextLift?: number;
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

/** The live article holding an id so far in a derive: its record and what idPrecedence compares. */
interface Holder {
  name: string;
  slug: string;
  published: number;
}

/**
 * Where a derive keeps what it has decided so far: in the open transaction
 * itself (streaming: a temp table of the earlier stamps, the articles
 * written so far), or in memory beside a batch it commits at the end (D1,
 * which cannot hold a transaction open).
 */
interface DeriveState {
  write(statements: readonly SqlStatement[]): Promise<void>;
  previous(name: string): Promise<RecordStamp | undefined>;
  /** Whether `name`'s article is served (its earlier stamp is then not "left"). */
  served(name: string, yes: boolean): Promise<void>;
  holder(id: string): Promise<Holder | undefined>;
  setHolder(id: string, holder: Holder | undefined): void;
  /** Statements marking every scope of an earlier record not served now as left at `when`. */
  leaveUnserved(when: Date): Promise<SqlStatement[]>;
}

const stampRow = (row: Record<string, SqlValue>): RecordStamp => ({
  sha: row.sha as string,
  changed: new Date(Number(row.changed_ms)),
  listed: new Date(Number(row.listed_ms)),
  scopes: JSON.parse(row.scopes as string) as string[],
  position: row.position as string,
});

/** State in the open transaction: earlier stamps in temp.prev_stamps, holders read from `articles` as written. */
function transactionState(tx: SqlTransaction): DeriveState {
  return {
    write: (statements) => tx.run(statements),
    async previous(name) {
      const [row] = await tx.all({ sql: "SELECT sha, changed_ms, listed_ms, scopes, position FROM temp.prev_stamps WHERE name = ?", params: [name] });
      return row ? stampRow(row) : undefined;
    },
    served: (name, yes) => tx.run([{ sql: "UPDATE temp.prev_stamps SET served = ? WHERE name = ?", params: [yes ? 1 : 0, name] }]),
    async holder(id) {
      const [row] = await tx.all({ sql: "SELECT slug, published_ms, json_extract(meta, '$.file') AS name FROM articles WHERE id = ?", params: [id] });
      return row ? { name: row.name as string, slug: row.slug as string, published: Number(row.published_ms) } : undefined;
    },
    // The articles table is the truth here: written and deleted with the record.
    setHolder: () => {},
    leaveUnserved: async (when) => [
      {
        sql: `INSERT INTO scopes_left (scope_key, left_ms) SELECT j.value, ? FROM temp.prev_stamps p, json_each(p.scopes) j WHERE p.served = 0 AND true
          ON CONFLICT (scope_key) DO UPDATE SET left_ms = excluded.left_ms`,
        params: [when.getTime()],
      },
    ],
  };
}

/** State in memory, the statements gathered for one batch. */
function memoryState(previous: StampState | undefined, statements: SqlStatement[]): DeriveState {
  const served = new Set<string>();
  const holders = new Map<string, Holder>();
  return {
    write: async (list) => void statements.push(...list),
    previous: async (name) => previous?.records.get(name),
    served: async (name, yes) => void (yes ? served.add(name) : served.delete(name)),
    holder: async (id) => holders.get(id),
    setHolder: (id, holder) => void (holder ? holders.set(id, holder) : holders.delete(id)),
    leaveUnserved: async (when) => [...(previous?.records ?? [])].filter(([name]) => !served.has(name)).flatMap(([, stamp]) => leaveScopes(stamp.scopes, when)),
  };
}

/** The earlier stamps as rows of temp.prev_stamps, a few hundred a statement. */
function previousRows(previous: StampState): SqlStatement[] {
  const rows = [...previous.records].map(([name, s]) => [name, s.sha, s.changed.getTime(), s.listed.getTime(), JSON.stringify(s.scopes), s.position] as SqlValue[]);
  const out: SqlStatement[] = [];
  for (let i = 0; i < rows.length; i += 15) {
    const chunk = rows.slice(i, i + 15);
    out.push({ sql: `INSERT INTO temp.prev_stamps (name, sha, changed_ms, listed_ms, scopes, position) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`, params: chunk.flat() });
  }
  return out;
}

const PREV_STAMPS = `CREATE TEMP TABLE IF NOT EXISTS prev_stamps (
  name TEXT PRIMARY KEY NOT NULL, sha TEXT NOT NULL, changed_ms INTEGER NOT NULL, listed_ms INTEGER NOT NULL,
  scopes TEXT NOT NULL, position TEXT NOT NULL, served INTEGER NOT NULL DEFAULT 0
)`;

/** What a derive starts from, besides its records. */
interface DeriveSetup {
  /** The records are already stored (a re-derive): only the derived rows are written. */
  recordsInPlace: boolean;
  /** Whether there were earlier stamps at all (a first load dates each record by itself). */
  hasPrevious: boolean;
}

/**
 * The one derive: each record parsed, one article per id (idPrecedence, as
 * oneOfEachId), stamps reconciled with the earlier ones (as reconcileStamps),
 * the withdrawals of ids not live, written through `state`.
 */
async function derive(site: SiteConfig, input: DeriveInput, state: DeriveState, setup: DeriveSetup): Promise<Omit<DeriveResult, "version">> {
  const label = input.label ?? ((name: string) => name);
  const precedence = idPrecedence(site);
  const now = input.now;
  const errors: RecordError[] = [];
  /** Records that lost their id, in record order: reported at the end, naming the final holder. */
  const losers: { file: string; id: string }[] = [];
  let articles = 0;
  let drafts = 0;
  let heldBack = 0;
  let nextLift: number | undefined;
  const keepBytes = async (record: StoredRecord) => {
    if (!setup.recordsInPlace) await state.write([writeRecord(record.name, record.bytes, record.sha)]);
  };
  const dropBytes = async (name: string) => {
    if (setup.recordsInPlace && input.keepInvalid) return;
    await state.write([{ sql: "DELETE FROM records WHERE name = ?", params: [name] }]);
  };
  const asMeta = (h: Holder, id: string) => ({ id, slug: h.slug, published: new Date(h.published), file: label(h.name) }) as ArticleMeta;
  for await (const record of input.records) {
    const result = parseRecord(label(record.name), record.bytes, site);
    if (!result.ok) {
      errors.push(...result.errors);
      if (input.keepInvalid) await keepBytes(record);
      continue;
    }
    if ("draft" in result) {
      drafts++;
      await keepBytes(record);
      continue;
    }
    const parsed = result.article;
    if (isHeldBack(parsed, now.getTime())) {
      // Held back (core/embargo.ts): stored, and let in by promoteDue at its instant (which also settles its id then);
      // an earlier stamp of it is "left".
      await keepBytes(record);
      await state.write(writeHeldBack({ ...parsed, file: record.name }));
      await state.served(record.name, false);
      heldBack++;
      nextLift = Math.min(nextLift ?? Infinity, visibleFrom(parsed));
      continue;
    }
    const held = await state.holder(parsed.id);
    if (held) {
      if (!(precedence(parsed, asMeta(held, parsed.id)) < 0)) {
        losers.push({ file: parsed.file, id: parsed.id });
        if (input.keepInvalid) await keepBytes(record);
        else if (setup.recordsInPlace) await dropBytes(record.name);
        continue;
      }
      // The newcomer takes the id: the holder so far is left out, as oneOfEachId leaves it.
      losers.push({ file: label(held.name), id: parsed.id });
      await state.write(deleteArticle(held.slug));
      await dropBytes(held.name);
      await state.served(held.name, false);
      articles--;
    }
    const article = { ...parsed, file: record.name };
    const before = await state.previous(record.name);
    let stamp: { changed: Date; listed: Date };
    if (before && before.sha === record.sha) stamp = before;
    else {
      const scopes = scopeKeysOf(article);
      const at = setup.hasPrevious ? now : new Date(changedForReaders(article));
      const relisted = !before || before.position !== positionOf(article) || before.scopes.join("\n") !== scopes.join("\n");
      stamp = { changed: at, listed: relisted ? at : before.listed };
      if (before) await state.write(leaveScopes(before.scopes.filter((k) => !scopes.includes(k)), now));
    }
    await keepBytes(record);
    await state.write(writeArticle(article, record.sha, stamp));
    await state.served(record.name, true);
    state.setHolder(article.id, { name: record.name, slug: article.slug, published: article.published.getTime() });
    articles++;
  }
  // In record order (the order oneOfEachId reports them in, records being read in name order).
  losers.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const loser of losers) {
    const holder = await state.holder(loser.id);
    errors.push(duplicateIdError(loser.file, loser.id, holder ? label(holder.name) : "another record"));
  }
  await state.write(await state.leaveUnserved(now));
  for (const t of latestPerId(input.tombstones)) if (!(await state.holder(t.id))) await state.write(writeTombstone(t));
  await state.write([
    { sql: "INSERT INTO meta (key, value) VALUES ('derived_for', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", params: [derivedFingerprint(site)] },
  ]);
  return { articles, drafts, heldBack, ...(nextLift !== undefined ? { nextLift } : {}), errors };
}

/** Tables a derive empties and fills again (records too, unless they stay where they are). */
const DERIVED = ["articles", "article_scopes", "tombstones", "tombstone_scopes", "scope_names", "scope_totals", "embargoed"];

/** Runs a derive: streamed through one open transaction where the driver has one, else as one batch. */
async function runDerive(driver: SqlDriver, site: SiteConfig, input: DeriveInput, options: { recordsInPlace: boolean; keepLeft: boolean; previousInPlace: boolean }): Promise<DeriveResult> {
  const before = await readVersion(driver);
  const version = nextVersion(before, randomTail());
  const empties = [...DERIVED, ...(options.recordsInPlace ? [] : ["records"]), ...(options.keepLeft ? [] : ["scopes_left"])].map((t) => ({ sql: `DELETE FROM ${t}` }));
  const left = options.keepLeft ? [] : [...(input.previous?.left ?? [])].flatMap(([key, when]) => leaveScopes([key], when));
  const hasPrevious = options.previousInPlace || input.previous !== undefined;
  if (driver.transaction) {
    return driver.transaction(async (tx) => {
      // First: a write that landed since `before` was read fails this whole replacement (retry), never lost under it.
      await tx.run([moveVersion(before, version), { sql: PREV_STAMPS }, { sql: "DELETE FROM temp.prev_stamps" }]);
      if (options.previousInPlace) {
        // The database's own stamps, copied before its articles are emptied (positionOf, from the stored ISO dates).
        await tx.run([
          {
            sql: `INSERT INTO temp.prev_stamps (name, sha, changed_ms, listed_ms, scopes, position)
              SELECT r.name, r.sha, a.changed_ms, a.listed_ms, a.scope_keys, json_extract(a.meta, '$.published') || '|' || COALESCE(json_extract(a.meta, '$.updated'), '')
              FROM articles a JOIN records r ON r.name = json_extract(a.meta, '$.file')`,
          },
        ]);
      } else if (input.previous) await tx.run(previousRows(input.previous));
      await tx.run([...empties, ...left]);
      const result = await derive(site, input, transactionState(tx), { recordsInPlace: options.recordsInPlace, hasPrevious });
      await tx.run([{ sql: "DELETE FROM temp.prev_stamps" }]);
      return { ...result, version };
    });
  }
  const previous = options.previousInPlace ? await storedStamps(driver) : input.previous;
  const statements: SqlStatement[] = [moveVersion(before, version), ...empties, ...left];
  const result = await derive(site, { ...input, records: await gather(input.records) }, memoryState(previous, statements), { recordsInPlace: options.recordsInPlace, hasPrevious });
  await driver.batch(statements);
  return { ...result, version };
}

async function gather<T>(items: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * Replaces the database's contents with `input`: the records that parse (and
 * drafts), one article per id (as oneOfEachId), their derived rows, the
 * withdrawals of ids not live, change stamps reconciled with `previous` (as
 * reconcileStamps). One transaction: on libsql streamed record by record
 * (nothing proportional to the archive held), on D1 one batch.
 */
export async function replaceContents(driver: SqlDriver, site: SiteConfig, input: DeriveInput): Promise<DeriveResult> {
  return runDerive(driver, site, input, { recordsInPlace: false, keepLeft: false, previousInPlace: false });
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
  if (row) options.log("the database's articles were derived for another site config or format: deriving them again from its records");
  // Withdrawals are few beside the records: held while the derive runs. The records are read a page at a time.
  const tombstones = (await driver.all({ sql: "SELECT tombstone FROM tombstones" })).map(tombstoneOfRow);
  const result = await runDerive(
    driver,
    site,
    { records: storedRecords(driver), tombstones, previous: undefined, now: options.now(), keepInvalid: true },
    { recordsInPlace: true, keepLeft: true, previousInPlace: true },
  );
  for (const e of result.errors) options.log(`record not served: ${e.message}`);
}

/** The stored records in name order, a page at a time. */
async function* storedRecords(driver: SqlDriver, page = 200): AsyncIterable<StoredRecord> {
  let after = "";
  for (;;) {
    const rows = await driver.all({ sql: "SELECT name, bytes, sha FROM records WHERE name > ? ORDER BY name LIMIT ?", params: [after, page] });
    for (const r of rows) yield { name: r.name as string, bytes: r.bytes as Uint8Array, sha: r.sha as string };
    if (rows.length < page) return;
    after = rows.at(-1)!.name as string;
  }
}
