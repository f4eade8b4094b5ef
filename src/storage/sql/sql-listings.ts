import type { Article } from "../../core/article.js";
import { scopeKey } from "../../core/change-stamps.js";
import type { FeedOrder, Listings, NamedScopeKind, ScopeStats, SiteStats } from "../../core/listings.js";
import { scopePath, type Scope } from "../../core/scopes.js";
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
const ARTICLE = "a.meta, a.body, a.changed_ms, a.listed_ms";

/**
 * Where a scope's articles are listed: the site's in `articles`, a named
 * scope's in `article_scopes` (joined to the articles). `t` is the table
 * whose index orders them; `where` and `params` pick the scope.
 */
function scopeSource(scope: Scope): { from: string; t: string; where: string; params: SqlValue[] } {
  if (scope.kind === "site") return { from: "articles a", t: "a", where: "1", params: [] };
  return { from: "article_scopes s JOIN articles a ON a.slug = s.article_slug", t: "s", where: "s.kind = ? AND s.slug = ?", params: [scope.kind, scope.slug] };
}

/**
 * Listings answered by SQL queries over the schema of schema.ts, on any
 * SqlDriver (libsql on Node, D1 on Workers). Every question is one or a few
 * indexed queries; nothing proportional to the archive is read, except
 * that a scope's `total` is counted (COUNT over the scope's index range).
 *
 * One object per content version (`version`, read from meta by the caller):
 * scope lists and stats are remembered for its life. Rows are read live, so
 * an answer may already show a later write than `version`; the caller makes
 * a new object when the version moves, and each entry handed out is the
 * whole article (`load` then needs no second read, so a feed's list and its
 * articles always agree, whatever was written in between).
 */
export function sqlListings(driver: SqlDriver, version: string): Listings {
  const all = (sql: string, params: readonly SqlValue[] = []) => driver.all<Row>({ sql, params });
  const articles = (rows: Row[]) => rows.map(articleOfRow);
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

  /** Distinct (slug, name) pairs of a kind's live articles, or its withdrawals. */
  const names = async (table: "article_scopes" | "tombstone_scopes", kind: NamedScopeKind, slug?: string): Promise<Map<string, string>> => {
    const rows = slug === undefined
      ? await all(`SELECT slug, name FROM ${table} WHERE kind = ? GROUP BY slug, name`, [kind])
      : await all(`SELECT slug, name FROM ${table} WHERE kind = ? AND slug = ? GROUP BY name`, [kind, slug]);
    const bySlug = new Map<string, string[]>();
    for (const row of rows) {
      const list = bySlug.get(row.slug as string);
      if (list) list.push(row.name as string);
      else bySlug.set(row.slug as string, [row.name as string]);
    }
    return new Map([...bySlug].map(([s, list]) => [s, firstName(list)]));
  };

  const labelled = (kind: NamedScopeKind, labels: Map<string, string>): Scope[] =>
    [...labels].sort(([a], [b]) => byCodeUnits(a, b)).map(([slug, label]) => ({ kind, slug, label, path: scopePath(kind, slug) }));

  const scopes = (kind: NamedScopeKind, withWithdrawn: boolean) =>
    once(`scopes|${kind}|${withWithdrawn}`, async () => {
      const labels = await names("article_scopes", kind);
      // Live names label a scope first: a withdrawal never relabels a live scope.
      if (withWithdrawn) for (const [slug, name] of await names("tombstone_scopes", kind)) if (!labels.has(slug)) labels.set(slug, name);
      return labelled(kind, labels);
    });

  const stats = (scope: Scope) =>
    once(`stats|${scope.path}`, async (): Promise<ScopeStats> => {
      const { from, t, where, params } = scopeSource(scope);
      const one = (select: string, order: string) => `(SELECT ${select} FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT 1)`;
      // Separate subqueries: each is one step down its index (SQLite's min/max shortcut takes one aggregate per query).
      const sql = `SELECT (SELECT COUNT(*) FROM ${from} WHERE ${where}) AS total,
        ${one(`${t}.published_ms`, `${t}.published_ms ASC`)} AS oldest,
        ${one(`${t}.published_ms`, `${t}.published_ms DESC`)} AS newest,
        ${one(`${t}.listed_ms`, `${t}.listed_ms DESC`)} AS listed,
        (SELECT left_ms FROM scopes_left WHERE scope_key = ?) AS left_ms`;
      const [row] = await all(sql, [...params, ...params, ...params, ...params, scopeKey(scope.path)]);
      const total = Number(row!.total);
      const left = row!.left_ms === null ? undefined : new Date(Number(row!.left_ms));
      return {
        total,
        ...(total > 0 ? { oldest: Number(row!.oldest), newest: Number(row!.newest) } : {}),
        listingMoved: new Date(Math.max(Number(row!.listed ?? 0), left?.getTime() ?? 0)),
        ...(left ? { left } : {}),
      };
    });

  const listings: Listings = {
    version,
    errors: [],
    async find(slug) {
      const rows = await all(`SELECT ${ARTICLE} FROM articles a WHERE a.slug = ?`, [slug]);
      return rows.length ? articleOfRow(rows[0]!) : undefined;
    },
    async load(entries) {
      // Entries this store handed out are whole articles already.
      const missing = entries.filter((e) => !("rendered" in e)).map((e) => e.slug);
      const found = new Map<string, Article>();
      for (let i = 0; i < missing.length; i += MAX_PARAMS) {
        const chunk = missing.slice(i, i + MAX_PARAMS);
        const rows = await all(`SELECT a.slug, ${ARTICLE} FROM articles a WHERE a.slug IN (${chunk.map(() => "?").join(", ")})`, chunk);
        for (const row of rows) found.set(row.slug as string, articleOfRow(row));
      }
      return entries.map((e) => {
        if ("rendered" in e) return e as Article;
        const article = found.get(e.slug);
        if (!article) throw new Error(`no article ${e.slug} in this store`);
        return article;
      });
    },
    async scope(kind, slug) {
      const [live] = [...(await names("article_scopes", kind, slug))];
      const [gone] = live ? [] : [...(await names("tombstone_scopes", kind, slug))];
      const hit = live ?? gone;
      return hit ? { kind, slug, label: hit[1], path: scopePath(kind, slug) } : undefined;
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
      return articles(await all(`SELECT ${ARTICLE} FROM ${from} WHERE ${where} ORDER BY ${orderBy} LIMIT ?`, [...params, n]));
    },
    async count(scope, fromMs, toMs) {
      const { from, t, where, params } = scopeSource(scope);
      const [row] = await all(`SELECT COUNT(*) AS n FROM ${from} WHERE ${where} AND ${t}.published_ms >= ? AND ${t}.published_ms < ?`, [...params, fromMs, toMs]);
      return Number(row!.n);
    },
    async range(scope, fromMs, toMs, skip, limit) {
      const { from, t, where, params } = scopeSource(scope);
      const sql = `SELECT ${ARTICLE} FROM ${from} WHERE ${where} AND ${t}.published_ms >= ? AND ${t}.published_ms < ?
        ORDER BY ${t}.published_ms ASC, ${t}.id DESC LIMIT ? OFFSET ?`;
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

/** The content version a database holds now (one indexed read: what a server checks per request). */
export async function storedVersion(driver: SqlDriver): Promise<string> {
  const [row] = await driver.all<{ value: string }>({ sql: "SELECT value FROM meta WHERE key = 'version'" });
  return row?.value ?? "0";
}

