import type { Article } from "../../core/article.js";
import { scopeKey } from "../../core/change-stamps.js";
import type { FeedOrder, Listings, NamedScopeKind, ScopeStats, SiteStats } from "../../core/listings.js";
import { scopePath, SITE_SCOPE, type Scope } from "../../core/scopes.js";
import type { Tombstone } from "../../core/tombstone.js";
import type { SqlDriver, SqlValue } from "./driver.js";
import { articleOfRow, tombstoneOfRow } from "./rows.js";

/** D1 binds at most 100 parameters per statement. */
const MAX_PARAMS = 100;

type Row = Record<string, SqlValue>;

/** The first of some names in JavaScript's code-unit order (SQLite's MIN compares UTF-8 bytes, which differs for astral characters). */
function firstName(names: readonly string[]): string {
  return names.reduce((a, b) => (b < a ? b : a));
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The article columns every listing query selects (the whole article: a listing's answer is what its feed shows). */
const ARTICLE = "a.slug, a.meta, a.body, a.changed_ms, a.listed_ms";

/**
 * Where a scope's articles are listed: the site's in `articles`, a named
 * scope's in `article_scopes` (joined to the articles). `t` is the table
 * whose index orders them; `where` and `params` pick the scope.
 */
function scopeSource(scope: Scope): { from: string; t: string; where: string; params: SqlValue[] } {
  if (scope.kind === "site") return { from: "articles a", t: "a", where: "1", params: [] };
  return { from: "article_scopes s JOIN articles a ON a.slug = s.article_slug", t: "s", where: "s.kind = ? AND s.slug = ?", params: [scope.kind, scope.slug] };
}

/** One column of a SELECT: its alias, expression and the expression's parameters. */
export interface SqlColumn {
  alias: string;
  sql: string;
  params: SqlValue[];
}

/**
 * The stats of a scope as columns of one SELECT (each an index lookup or one
 * step down an index; `pastPage` steps `pastPage` entries down the newest
 * index), for statsOfRow.
 */
export function statsColumns(scope: Scope, pastPage?: number): SqlColumn[] {
  const { from, t, where, params } = scopeSource(scope);
  const one = (select: string, order: string, offset = "") => `(SELECT ${select} FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT 1${offset})`;
  const [kind, slug] = scope.kind === "site" ? ["site", ""] : [scope.kind, scope.slug];
  // Separate subqueries: each is one step down its index (SQLite's min/max shortcut takes one aggregate per query).
  return [
    { alias: "total", sql: "(SELECT total FROM scope_totals WHERE kind = ? AND slug = ?)", params: [kind, slug] },
    { alias: "oldest", sql: one(`${t}.published_ms`, `${t}.published_ms ASC`), params },
    { alias: "newest", sql: one(`${t}.published_ms`, `${t}.published_ms DESC`), params },
    { alias: "listed", sql: one(`${t}.listed_ms`, `${t}.listed_ms DESC`), params },
    { alias: "left_ms", sql: "(SELECT left_ms FROM scopes_left WHERE scope_key = ?)", params: [scopeKey(scope.path)] },
    ...(pastPage === undefined
      ? []
      : [{ alias: "past_page", sql: one(`${t}.published_ms`, `${t}.published_ms DESC, ${t}.id ASC`, " OFFSET ?"), params: [...params, pastPage] }]),
  ];
}

/** Columns as the list of a SELECT and its parameters, in order. */
export function selectList(columns: readonly SqlColumn[]): { sql: string; params: SqlValue[] } {
  return { sql: columns.map((c) => `${c.sql} AS ${c.alias}`).join(",\n  "), params: columns.flatMap((c) => c.params) };
}

/** A scope's stats from the columns of statsColumns (`pastPage`: the size it was asked with). */
export function statsOfRow(row: Readonly<Row>, pastPage?: number): ScopeStats {
  const total = Number(row.total ?? 0);
  const left = row.left_ms === null || row.left_ms === undefined ? undefined : new Date(Number(row.left_ms));
  const past = row.past_page === null || row.past_page === undefined ? {} : { published: Number(row.past_page) };
  return {
    total,
    ...(total > 0 ? { oldest: Number(row.oldest), newest: Number(row.newest) } : {}),
    listingMoved: new Date(Math.max(Number(row.listed ?? 0), left?.getTime() ?? 0)),
    ...(left ? { left } : {}),
    ...(pastPage === undefined ? {} : { pastPage: { size: pastPage, ...past } }),
  };
}

/**
 * Listings answered by SQL queries over the schema of schema.ts, on any
 * SqlDriver (libsql on Node, D1 on Workers). Every question is one or a few
 * indexed queries; nothing proportional to the archive is read (a scope's
 * total and labels are rows of their own, scope_totals and scope_names).
 * `options.siteStats` is the site's stats read with the version (one query
 * for both: what the D1 Worker does), used instead of asking again.
 *
 * One object per content version (`version`, read from meta by the caller):
 * scope lists and stats are remembered for its life. Rows are read live, so
 * an answer may already show a later write than `version`; the caller makes
 * a new object when the version moves, and each entry handed out is the
 * whole article (`load` then needs no second read, so a feed's list and its
 * articles always agree, whatever was written in between).
 */
/**
 * Articles made from rows (articleOfRow), kept across content versions: a
 * write moves the version, and the new Listings reads the same rows again
 * for every article it did not touch. A row whose columns are exactly the
 * ones an entry was made from gives back that entry's object (the same
 * Article, so what renderers keep per article, such as an RSS item's XML,
 * is found again), instead of parsing its JSON anew. Only the feed
 * windows (`newest`) add entries; an article page or an archive page takes
 * an entry that is there but adds none, so a crawler walking the archive
 * does not push the feeds' articles out. Bounded (`limit` slugs, the oldest
 * entry dropped first); one per database.
 */
export class RowArticles {
  private readonly entries = new Map<string, { meta: SqlValue; body: SqlValue; changed: SqlValue; listed: SqlValue; article: Article }>();

  constructor(private readonly limit = 1024) {}

  /** The article of a row of `ARTICLE`'s columns; `keep`: remembered for the next versions. */
  of(row: Row, keep: boolean): Article {
    const slug = row.slug as string;
    const hit = this.entries.get(slug);
    if (hit && hit.meta === row.meta && hit.body === row.body && hit.changed === row.changed_ms && hit.listed === row.listed_ms) return hit.article;
    const article = articleOfRow(row);
    if (!keep) return article;
    this.entries.delete(slug);
    this.entries.set(slug, { meta: row.meta!, body: row.body!, changed: row.changed_ms!, listed: row.listed_ms!, article });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return article;
  }
}

export interface SqlListingsOptions {
  /** The site's stats, read with the version (statsColumns): used instead of asking again. */
  siteStats?: ScopeStats;
  /** The archive page size: each scope's stats then carry pastPage (archive.ts needs no count for a feed). */
  archivePageSize?: number;
  /** When the next held-back article may be shown (readVersion's nextLift): Listings.nextLift. */
  nextLift?: number;
  /** Articles kept from earlier versions' Listings of this database (RowArticles); none: each row parsed anew. */
  rowArticles?: RowArticles;
}

export function sqlListings(driver: SqlDriver, version: string, options: SqlListingsOptions = {}): Listings {
  const all = (sql: string, params: readonly SqlValue[] = []) => driver.all<Row>({ sql, params });
  const kept = options.rowArticles;
  const article = kept ? (row: Row) => kept.of(row, false) : articleOfRow;
  const articles = (rows: Row[]) => rows.map(article);
  const feedWindow = kept ? (rows: Row[]) => rows.map((row) => kept.of(row, true)) : articles;
  const remembered = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    let hit = remembered.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = make();
      remembered.set(key, hit);
      // A failed query is not remembered: the next request asks again.
      hit.catch(() => remembered.delete(key));
    }
    return hit;
  };

  /**
   * A kind's scope names (scope_names: one row per slug and name, with how
   * many live articles and withdrawals carry it), as labels: live names
   * first, the first in code-unit order; a slug only withdrawals carry is
   * labelled by theirs, and listed only `withWithdrawn`.
   */
  const labels = async (kind: NamedScopeKind, withWithdrawn: boolean, slug?: string): Promise<Map<string, string>> => {
    const rows = await all(
      `SELECT slug, name, live FROM scope_names WHERE kind = ?${slug === undefined ? "" : " AND slug = ?"}${withWithdrawn ? "" : " AND live > 0"}`,
      slug === undefined ? [kind] : [kind, slug],
    );
    const live = new Map<string, string[]>();
    const gone = new Map<string, string[]>();
    for (const row of rows) {
      const into = Number(row.live) > 0 ? live : gone;
      const list = into.get(row.slug as string);
      if (list) list.push(row.name as string);
      else into.set(row.slug as string, [row.name as string]);
    }
    const out = new Map([...live].map(([s, list]) => [s, firstName(list)]));
    // Live names label a scope first: a withdrawal never relabels a live scope.
    for (const [s, list] of gone) if (!out.has(s)) out.set(s, firstName(list));
    return out;
  };

  const labelled = (kind: NamedScopeKind, names: Map<string, string>): Scope[] =>
    [...names].sort(([a], [b]) => byCodeUnits(a, b)).map(([slug, label]) => ({ kind, slug, label, path: scopePath(kind, slug) }));

  const scopes = (kind: NamedScopeKind, withWithdrawn: boolean) => once(`scopes|${kind}|${withWithdrawn}`, async () => labelled(kind, await labels(kind, withWithdrawn)));

  const stats = (scope: Scope) =>
    once(`stats|${scope.path}`, async (): Promise<ScopeStats> => {
      if (options.siteStats && scope.kind === "site") return options.siteStats;
      const { sql, params } = selectList(statsColumns(scope, options.archivePageSize));
      const [row] = await all(`SELECT ${sql}`, params);
      return statsOfRow(row!, options.archivePageSize);
    });

  const listings: Listings = {
    version,
    errors: [],
    ...(options.nextLift !== undefined ? { nextLift: options.nextLift } : {}),
    async find(slug) {
      const rows = await all(`SELECT ${ARTICLE} FROM articles a WHERE a.slug = ?`, [slug]);
      return rows.length ? article(rows[0]!) : undefined;
    },
    async load(entries) {
      // Entries this store handed out are whole articles already.
      const missing = entries.filter((e) => !("rendered" in e)).map((e) => e.slug);
      const found = new Map<string, Article>();
      for (let i = 0; i < missing.length; i += MAX_PARAMS) {
        const chunk = missing.slice(i, i + MAX_PARAMS);
        const rows = await all(`SELECT ${ARTICLE} FROM articles a WHERE a.slug IN (${chunk.map(() => "?").join(", ")})`, chunk);
        for (const row of rows) found.set(row.slug as string, article(row));
      }
      return entries.map((e) => {
        if ("rendered" in e) return e as Article;
        const article = found.get(e.slug);
        if (!article) throw new Error(`no article ${e.slug} in this store`);
        return article;
      });
    },
    async scope(kind, slug) {
      const label = (await labels(kind, true, slug)).get(slug);
      return label === undefined ? undefined : { kind, slug, label, path: scopePath(kind, slug) };
    },
    scopes,
    stats,
    site: () =>
      once("site", async (): Promise<SiteStats> => {
        const [row] = await all(`SELECT
          (SELECT change_ms FROM articles ORDER BY change_ms DESC LIMIT 1) AS change,
          (SELECT listed_ms FROM articles ORDER BY listed_ms DESC LIMIT 1) AS listed,
          (SELECT MAX(left_ms) FROM scopes_left) AS left_ms`);
        return {
          newestChange: new Date(Number(row!.change ?? 0)),
          anyListingMoved: new Date(Math.max(Number(row!.listed ?? 0), Number(row!.left_ms ?? 0))),
        };
      }),
    async newest(scope, n, order: FeedOrder) {
      const { from, t, where, params } = scopeSource(scope);
      const orderBy = order === "updated" ? `${t}.change_ms DESC, ${t}.published_ms DESC, ${t}.id ASC` : `${t}.published_ms DESC, ${t}.id ASC`;
      return feedWindow(await all(`SELECT ${ARTICLE} FROM ${from} WHERE ${where} ORDER BY ${orderBy} LIMIT ?`, [...params, n]));
    },
    async count(scope, fromMs, toMs, atMost) {
      const { from, t, where, params } = scopeSource(scope);
      const range = `FROM ${from} WHERE ${where} AND ${t}.published_ms >= ? AND ${t}.published_ms < ?`;
      const [row] =
        atMost === undefined
          ? await all(`SELECT COUNT(*) AS n ${range}`, [...params, fromMs, toMs])
          : await all(`SELECT COUNT(*) AS n FROM (SELECT 1 ${range} LIMIT ?)`, [...params, fromMs, toMs, atMost]);
      return Number(row!.n);
    },
    async range(scope, fromMs, toMs, skip, limit) {
      const { from, t, where, params } = scopeSource(scope);
      const span = `SELECT ${ARTICLE} FROM ${from} WHERE ${where} AND ${t}.published_ms >= ? AND ${t}.published_ms < ?`;
      // A range covering the whole scope holds `total` articles (a row of its own): a page nearer the
      // newest end is read from there (OFFSET steps down the index from the end it starts at).
      const whole = await stats(scope);
      if (whole.total > 0 && fromMs <= whole.oldest! && toMs > whole.newest!) {
        const end = Math.min(skip + limit, whole.total);
        const fromNewest = whole.total - end;
        if (end <= skip) return [];
        if (fromNewest < skip) {
          const sql = `${span} ORDER BY ${t}.published_ms DESC, ${t}.id ASC LIMIT ? OFFSET ?`;
          return articles(await all(sql, [...params, fromMs, toMs, end - skip, fromNewest])).reverse();
        }
      }
      const sql = `${span} ORDER BY ${t}.published_ms ASC, ${t}.id DESC LIMIT ? OFFSET ?`;
      return articles(await all(sql, [...params, fromMs, toMs, limit, skip]));
    },
    async withdrawals(scope, n): Promise<Tombstone[]> {
      // A tombstone of a live id is taken back when it is published again; the check keeps that true of any database.
      const live = "NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.id)";
      const rows = scope.kind === "site"
        ? await all(`SELECT t.tombstone FROM tombstones t WHERE ${live} ORDER BY t.when_ms DESC, t.id ASC LIMIT ?`, [n])
        : await all(
            `SELECT t.tombstone FROM tombstone_scopes s JOIN tombstones t ON t.id = s.tombstone_id
             WHERE s.kind = ? AND s.slug = ? AND ${live} ORDER BY s.when_ms DESC, s.tombstone_id ASC LIMIT ?`,
            [scope.kind, scope.slug, n],
          );
      return rows.map(tombstoneOfRow);
    },
    async withdrawn(slug) {
      const rows = await all(
        `SELECT t.tombstone FROM tombstones t WHERE t.slug = ? AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.slug = ?)
         AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.id) ORDER BY t.when_ms DESC, t.id ASC LIMIT 1`,
        [slug, slug],
      );
      return rows.length ? tombstoneOfRow(rows[0]!) : undefined;
    },
  };
  return listings;
}

/** Databases of an older schema, without the `embargoed` table (readVersion). */
const lacksEmbargoes = new WeakSet<SqlDriver>();

/** readVersion's statement per archive page size, with or without the next lift: built once, the same text on every request. */
const versionQueries = new Map<string, { sql: string; params: SqlValue[] }>();

function versionQuery(archivePageSize: number, embargoes: boolean): { sql: string; params: SqlValue[] } {
  const key = `${archivePageSize} ${embargoes}`;
  let query = versionQueries.get(key);
  if (!query) {
    // ?1 is the known version, bound once however many columns test it; the columns' own `?` number on from 2 (SQLite's rule).
    const stale = statsColumns(SITE_SCOPE, archivePageSize).map((c) => ({ ...c, sql: `CASE WHEN v.value = ?1 THEN NULL ELSE ${c.sql} END` }));
    const { sql, params } = selectList(stale);
    // The next lift (one step down an index) with every read: a version's Listings must not be served past it.
    const nextLift = embargoes ? "(SELECT lift_ms FROM embargoed ORDER BY lift_ms LIMIT 1)" : "NULL";
    query = {
      sql: `SELECT v.value AS version, (SELECT value FROM meta WHERE key = 'derived_for') AS derived_for,\n  ${nextLift} AS next_lift,\n  ${sql}\nFROM meta v WHERE v.key = 'version'`,
      params,
    };
    versionQueries.set(key, query);
  }
  return query;
}

/**
 * The version a database holds now and what its rows were derived for, in
 * one query (by primary key); and, only when the version is not `known` (the
 * one the caller holds Listings for), the site's stats in the same query
 * (a few index steps; CASE runs a subquery only on its branch), which the
 * new Listings is primed with: a cold site feed needs no query for them.
 * The D1 Worker runs it on every request, edge-cached ones included.
 */
export async function readVersion(
  driver: SqlDriver,
  known: string | undefined,
  archivePageSize: number,
): Promise<{ version: string; derivedFor?: string; siteStats?: ScopeStats; nextLift?: number }> {
  const read = (embargoes: boolean) => {
    const { sql, params } = versionQuery(archivePageSize, embargoes);
    return driver.all({ sql, params: [known ?? null, ...params] });
  };
  // A D1 database loaded by an older release has no such table until `d1:load`: it is served as it is meanwhile.
  const [row] = lacksEmbargoes.has(driver)
    ? await read(false)
    : await read(true).catch((error: unknown) => {
        if (!/no such table: embargoed/.test(String((error as Error)?.message ?? error))) throw error;
        lacksEmbargoes.add(driver);
        return read(false);
      });
  // As storedVersion reads it: a database with no version yet is at "0".
  const version = typeof row?.version === "string" ? row.version : "0";
  return {
    version,
    ...(typeof row?.derived_for === "string" ? { derivedFor: row.derived_for } : {}),
    ...(row && row.next_lift !== null && row.next_lift !== undefined ? { nextLift: Number(row.next_lift) } : {}),
    ...(row && version !== known ? { siteStats: statsOfRow(row, archivePageSize) } : {}),
  };
}

/** The content version a database holds now (one indexed read: what a server checks per request). */
export async function storedVersion(driver: SqlDriver): Promise<string> {
  const [row] = await driver.all<{ value: string }>({ sql: "SELECT value FROM meta WHERE key = 'version'" });
  return row?.value ?? "0";
}

