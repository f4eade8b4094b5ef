/**
 * The rows an article and a withdrawal are stored as (schema.ts), and the
 * objects read back from them: written here once for every SQL store and
 * driver, so what the publisher, `db load` and a re-derive write is one thing.
 */
import type { Article, ArticleMeta } from "../../core/article.js";
import { lastChange } from "../../core/article.js";
import { visibleFrom } from "../../core/embargo.js";
import { scopeKeysOf } from "../../core/change-stamps.js";
import type { SiteConfig } from "../../core/config.js";
import type { NamedScopeKind } from "../../core/listings.js";
import { filingOf, scopesOf, type Filing } from "../../core/scopes.js";
import { parseTombstones, serialiseTombstones, type Tombstone } from "../../core/tombstone.js";
import type { SqlStatement } from "./driver.js";

export const NAMED_KINDS: readonly NamedScopeKind[] = ["category", "author", "language"];

/**
 * Bump when what parseRecord makes of the same bytes changes (parser,
 * Markdown renderer, sanitizer): stored rows of an older format are then
 * derived again on open, as they are for another site config. 3: the
 * scope_names and scope_totals tables (older databases lack their counts).
 * 4: articles held back (embargo, future `published`) live in `embargoed`, not `articles`.
 */
export const DERIVED_FORMAT = 4;

/**
 * What the derived rows depend on besides the records: the site config
 * fields parseRecord reads (links from baseUrl, default ids from idDomain
 * and timeZone, default author and language) and the derived format. A
 * store opened with another fingerprint derives its rows again.
 */
export function derivedFingerprint(site: SiteConfig): string {
  const { baseUrl, idDomain, timeZone, author, language } = site;
  return JSON.stringify({ format: DERIVED_FORMAT, baseUrl, idDomain, timeZone, author, language });
}

/** Change stamps of a stored article (change-stamps.ts). */
export interface ArticleStamps {
  changed: Date;
  listed: Date;
}

/** Record name of a slug, as records are keyed ("foo" → "foo.md"). */
export const recordName = (slug: string) => `${slug}.md`;

const iso = (d: Date | undefined) => d?.toISOString();

function metaJson(a: ArticleMeta, rev: string): string {
  return JSON.stringify({
    slug: a.slug,
    file: a.file,
    id: a.id,
    title: a.title,
    published: iso(a.published),
    updated: iso(a.updated),
    embargo: iso(a.embargo),
    categories: a.categories,
    authors: a.authors,
    language: a.language,
    url: a.url,
    rev,
  });
}

function bodyJson(a: Article): string {
  return JSON.stringify({
    summary: a.summary,
    correction: a.correction,
    body: a.body,
    rendered: a.rendered,
    dateline: a.dateline,
    source: a.source,
    desk: a.desk,
    image: a.image,
    enclosures: a.enclosures,
    dateOnly: a.dateOnly,
  });
}

/** Fields of the JSON that are undefined come back absent, as the parser leaves them. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined || value[key] === null) delete value[key];
  return value;
}

/** An article row's listing entry, with its stamps. */
export function metaOfRow(row: Readonly<Record<string, unknown>>): ArticleMeta {
  const m = JSON.parse(row.meta as string) as Record<string, unknown>;
  return withoutUndefined({
    ...(m as unknown as ArticleMeta),
    published: new Date(m.published as string),
    updated: m.updated ? new Date(m.updated as string) : undefined,
    embargo: m.embargo ? new Date(m.embargo as string) : undefined,
    changed: new Date(Number(row.changed_ms)),
    listed: new Date(Number(row.listed_ms)),
  }) as ArticleMeta;
}

/** The full article of a row (meta, body and stamps). */
export function articleOfRow(row: Readonly<Record<string, unknown>>): Article {
  return { ...metaOfRow(row), ...withoutUndefined(JSON.parse(row.body as string) as object) } as Article;
}

/** One row per scope slug an article or withdrawal files under, named by the first of its names (code-unit order). */
function scopeRows(filing: Filing): { kind: NamedScopeKind; slug: string; name: string }[] {
  return NAMED_KINDS.flatMap((kind) => scopesOf([filing], kind).map((s) => ({ kind, slug: s.slug, name: s.label })));
}

/** Removes the derived rows of the article at `slug`, if any (held back or shown). */
export function deleteArticle(slug: string): SqlStatement[] {
  return [
    { sql: "DELETE FROM article_scopes WHERE article_slug = ?", params: [slug] },
    { sql: "DELETE FROM articles WHERE slug = ?", params: [slug] },
    { sql: "DELETE FROM embargoed WHERE slug = ?", params: [slug] },
  ];
}

/**
 * Holds an article back until it may be shown (core/embargo.ts): no row but
 * its `embargoed` one, so no listing, count or page has it; any withdrawal
 * of its id stands until then (as if the record were absent).
 */
export function writeHeldBack(a: ArticleMeta): SqlStatement[] {
  return [...deleteArticle(a.slug), { sql: "INSERT INTO embargoed (slug, id, lift_ms) VALUES (?, ?, ?)", params: [a.slug, a.id, visibleFrom(a)] }];
}

/** Writes an article's derived rows (replacing the slug's), its id's withdrawal taken back. */
export function writeArticle(a: Article, rev: string, stamps: ArticleStamps): SqlStatement[] {
  const published = a.published.getTime();
  const change = lastChange(a).getTime();
  const changed = stamps.changed.getTime();
  const listed = stamps.listed.getTime();
  return [
    ...deleteArticle(a.slug),
    ...deleteTombstone(a.id),
    {
      sql: "INSERT INTO articles (slug, id, published_ms, change_ms, changed_ms, listed_ms, scope_keys, meta, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      params: [a.slug, a.id, published, change, changed, listed, JSON.stringify(scopeKeysOf(a)), metaJson(a, rev), bodyJson(a)],
    },
    ...scopeRows(a).map((s) => ({
      sql: "INSERT INTO article_scopes (kind, slug, name, article_slug, id, published_ms, change_ms, listed_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      params: [s.kind, s.slug, s.name, a.slug, a.id, published, change, listed],
    })),
  ];
}

/** Takes back the withdrawal of an id (it is published again). */
export function deleteTombstone(id: string): SqlStatement[] {
  return [
    { sql: "DELETE FROM tombstone_scopes WHERE tombstone_id = ?", params: [id] },
    { sql: "DELETE FROM tombstones WHERE id = ?", params: [id] },
  ];
}

/** One tombstone as stored: the tombstone file's JSON for one entry. */
function tombstoneJson(t: Tombstone): string {
  return JSON.stringify(JSON.parse(serialiseTombstones([t]))[0]);
}

/** A tombstone row back as a Tombstone. */
export function tombstoneOfRow(row: Readonly<Record<string, unknown>>): Tombstone {
  return parseTombstones([JSON.parse(row.tombstone as string)])[0]!;
}

/** Stores a withdrawal, replacing any earlier one of its id (one per id: the latest). */
export function writeTombstone(t: Tombstone): SqlStatement[] {
  const filing = filingOf(t);
  const when = t.when.getTime();
  return [
    ...deleteTombstone(t.id),
    { sql: "INSERT INTO tombstones (id, slug, when_ms, tombstone) VALUES (?, ?, ?, ?)", params: [t.id, t.slug, when, tombstoneJson(t)] },
    ...(filing ? scopeRows(filing) : []).map((s) => ({
      sql: "INSERT INTO tombstone_scopes (kind, slug, name, tombstone_id, when_ms) VALUES (?, ?, ?, ?, ?)",
      params: [s.kind, s.slug, s.name, t.id, when],
    })),
  ];
}

/** Marks scope keys as left at `when` (a record left them). */
export function leaveScopes(keys: readonly string[], when: Date): SqlStatement[] {
  return keys.map((key) => ({
    sql: "INSERT INTO scopes_left (scope_key, left_ms) VALUES (?, ?) ON CONFLICT (scope_key) DO UPDATE SET left_ms = excluded.left_ms",
    params: [key, when.getTime()],
  }));
}

/** Stores a record's bytes (replacing the name's). */
export function writeRecord(name: string, bytes: Uint8Array, sha: string): SqlStatement {
  return { sql: "INSERT INTO records (name, bytes, sha) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET bytes = excluded.bytes, sha = excluded.sha", params: [name, bytes, sha] };
}

/**
 * Moves the content version from `expected` to `next`, failing the whole
 * transaction when another writer moved it first (a NOT NULL violation: the
 * one way to abort a D1 batch from inside). Put it first in a write's batch:
 * what the writer read is then exactly what it commits over.
 */
export function moveVersion(expected: string, next: string): SqlStatement {
  return { sql: "UPDATE meta SET value = CASE WHEN value = ? THEN ? ELSE NULL END WHERE key = 'version'", params: [expected, next] };
}

/** Whether a batch failed because moveVersion found the version moved. */
export function isVersionConflict(error: unknown): boolean {
  return /NOT NULL constraint failed: meta\.value/.test(String((error as Error | undefined)?.message ?? error));
}

/** A new version after `previous`: a counter (readable, ordered) and a random tail (a database made anew never repeats one). */
export function nextVersion(previous: string, random: string): string {
  const n = Number.parseInt(previous, 10);
  return `${Number.isFinite(n) ? n + 1 : 1}-${random}`;
}
