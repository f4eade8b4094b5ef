/**
 * The one SQL schema of the SQL stores, in SQLite's dialect: it runs as it
 * is on SQLite (Node, libsql) and on Cloudflare D1, so nothing here may need
 * a PRAGMA or an extension (the Node driver sets its own pragmas).
 *
 * `records` is the truth: every stored record's bytes, drafts included, so
 * `db dump` gives back the files byte for byte and the publish API can hand
 * a record back. Everything else is derived from the records (and the
 * withdrawals and change stamps the store saw) at write time, so a request
 * reads only indexed rows and never parses or renders:
 * - `articles`: one row per live article, its listing fields as JSON
 *   (`meta`) and the rest with the body already rendered to HTML (`body`);
 * - `article_scopes`: one row per article and category/author/language it is
 *   filed under (several names of one slug in one article: one row, the
 *   first name), so each scope's listing is a range of one index;
 * - `tombstones` and `tombstone_scopes`: withdrawals and what they were filed under;
 * - `scope_names` and `scope_totals`: per scope, each name it is filed
 *   under with how many live articles and withdrawals carry it, and its
 *   live total (the site's as kind 'site', slug ''): kept by the triggers
 *   below inside every write's own transaction, so a scope list, a label
 *   or a total is an index lookup, never a count or GROUP BY over the archive;
 * - `scopes_left`: per scope key (change-stamps.ts), when a record last left it;
 * - `embargoed`: the articles held back (an embargo, a future `published`:
 *   core/embargo.ts) with the instant each may be shown; they have no other
 *   derived rows until then, when promote.ts moves them into `articles`;
 * - `meta`: the content `version` (every write moves it: readers compare it
 *   to know their answers are current) and the `derived_for` fingerprint
 *   (see derivedFingerprint) of the site config the derived rows were made with.
 *
 * Times are integers, ms since the epoch. Ids are canonical URIs (ASCII), so
 * SQLite's byte order on them is JavaScript's code-unit order; names and
 * scope slugs may not be ASCII, and are ordered in JavaScript (sql-listings.ts).
 */
export const SCHEMA_VERSION = "1";

/** Adds `delta` to the count `column` of a scope name (a row made at 0 when absent; dropped when nothing counts it). */
function nameCount(row: "new" | "old", column: "live" | "withdrawn", delta: 1 | -1): string {
  const key = `kind = ${row}.kind AND slug = ${row}.slug AND name = ${row}.name`;
  return [
    ...(delta > 0 ? [`INSERT OR IGNORE INTO scope_names (kind, slug, name, live, withdrawn) VALUES (${row}.kind, ${row}.slug, ${row}.name, 0, 0);`] : []),
    `UPDATE scope_names SET ${column} = ${column} ${delta > 0 ? "+" : "-"} 1 WHERE ${key};`,
    ...(delta < 0 ? [`DELETE FROM scope_names WHERE ${key} AND live = 0 AND withdrawn = 0;`] : []),
  ].join("\n    ");
}

/** Adds `delta` to a scope's live total (`kind`, `slug` as SQL expressions). */
function totalCount(kind: string, slug: string, delta: 1 | -1): string {
  const key = `kind = ${kind} AND slug = ${slug}`;
  return [
    ...(delta > 0 ? [`INSERT OR IGNORE INTO scope_totals (kind, slug, total) VALUES (${kind}, ${slug}, 0);`] : []),
    `UPDATE scope_totals SET total = total ${delta > 0 ? "+" : "-"} 1 WHERE ${key};`,
    ...(delta < 0 ? [`DELETE FROM scope_totals WHERE ${key} AND total = 0;`] : []),
  ].join("\n    ");
}

const trigger = (name: string, event: string, body: string[]) => `CREATE TRIGGER IF NOT EXISTS ${name} AFTER ${event} FOR EACH ROW BEGIN\n    ${body.join("\n    ")}\nEND`;

/**
 * The counts of scope_names and scope_totals, kept by SQLite itself on
 * every row written or removed (whatever the writer: the publisher, a load,
 * a re-derive, a bench filling rows): always what the rows hold, in the
 * writing transaction. Rows are never updated in place by this code; the
 * UPDATE triggers keep an UPDATE by hand honest too.
 */
const COUNTING_TRIGGERS: readonly string[] = [
  trigger("article_scopes_in", "INSERT ON article_scopes", [nameCount("new", "live", 1), totalCount("new.kind", "new.slug", 1)]),
  trigger("article_scopes_out", "DELETE ON article_scopes", [nameCount("old", "live", -1), totalCount("old.kind", "old.slug", -1)]),
  trigger("article_scopes_moved", "UPDATE OF kind, slug, name ON article_scopes", [
    nameCount("old", "live", -1),
    totalCount("old.kind", "old.slug", -1),
    nameCount("new", "live", 1),
    totalCount("new.kind", "new.slug", 1),
  ]),
  trigger("tombstone_scopes_in", "INSERT ON tombstone_scopes", [nameCount("new", "withdrawn", 1)]),
  trigger("tombstone_scopes_out", "DELETE ON tombstone_scopes", [nameCount("old", "withdrawn", -1)]),
  trigger("tombstone_scopes_moved", "UPDATE OF kind, slug, name ON tombstone_scopes", [nameCount("old", "withdrawn", -1), nameCount("new", "withdrawn", 1)]),
  trigger("articles_in", "INSERT ON articles", [totalCount("'site'", "''", 1)]),
  trigger("articles_out", "DELETE ON articles", [totalCount("'site'", "''", -1)]),
];

export const SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS records (
    name TEXT PRIMARY KEY NOT NULL,
    bytes BLOB NOT NULL,
    sha TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS articles (
    slug TEXT PRIMARY KEY NOT NULL,
    id TEXT NOT NULL UNIQUE,
    published_ms INTEGER NOT NULL,
    change_ms INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL,
    listed_ms INTEGER NOT NULL,
    scope_keys TEXT NOT NULL,
    meta TEXT NOT NULL,
    body TEXT NOT NULL
  )`,
  // Site feed (published desc, id), "updated" order, and the newest `listed` for Last-Modified.
  `CREATE INDEX IF NOT EXISTS articles_newest ON articles (published_ms DESC, id)`,
  `CREATE INDEX IF NOT EXISTS articles_latest_change ON articles (change_ms DESC, published_ms DESC, id)`,
  `CREATE INDEX IF NOT EXISTS articles_listed ON articles (listed_ms)`,
  `CREATE TABLE IF NOT EXISTS article_scopes (
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    article_slug TEXT NOT NULL,
    id TEXT NOT NULL,
    published_ms INTEGER NOT NULL,
    change_ms INTEGER NOT NULL,
    listed_ms INTEGER NOT NULL,
    PRIMARY KEY (kind, slug, article_slug)
  )`,
  `CREATE INDEX IF NOT EXISTS article_scopes_newest ON article_scopes (kind, slug, published_ms DESC, id)`,
  `CREATE INDEX IF NOT EXISTS article_scopes_latest_change ON article_scopes (kind, slug, change_ms DESC, published_ms DESC, id)`,
  `CREATE INDEX IF NOT EXISTS article_scopes_listed ON article_scopes (kind, slug, listed_ms)`,
  `CREATE INDEX IF NOT EXISTS article_scopes_names ON article_scopes (kind, slug, name)`,
  `CREATE INDEX IF NOT EXISTS article_scopes_article ON article_scopes (article_slug)`,
  `CREATE TABLE IF NOT EXISTS tombstones (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL,
    when_ms INTEGER NOT NULL,
    tombstone TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS tombstones_newest ON tombstones (when_ms DESC, id)`,
  `CREATE INDEX IF NOT EXISTS tombstones_slug ON tombstones (slug, when_ms DESC, id)`,
  `CREATE TABLE IF NOT EXISTS tombstone_scopes (
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    tombstone_id TEXT NOT NULL,
    when_ms INTEGER NOT NULL,
    PRIMARY KEY (kind, slug, tombstone_id)
  )`,
  `CREATE INDEX IF NOT EXISTS tombstone_scopes_newest ON tombstone_scopes (kind, slug, when_ms DESC, tombstone_id)`,
  `CREATE INDEX IF NOT EXISTS tombstone_scopes_names ON tombstone_scopes (kind, slug, name)`,
  `CREATE INDEX IF NOT EXISTS tombstone_scopes_tombstone ON tombstone_scopes (tombstone_id)`,
  `CREATE TABLE IF NOT EXISTS scope_names (
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    live INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL,
    PRIMARY KEY (kind, slug, name)
  )`,
  `CREATE TABLE IF NOT EXISTS scope_totals (
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (kind, slug)
  )`,
  ...COUNTING_TRIGGERS,
  `CREATE TABLE IF NOT EXISTS embargoed (
    slug TEXT PRIMARY KEY NOT NULL,
    id TEXT NOT NULL,
    lift_ms INTEGER NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS embargoed_lift ON embargoed (lift_ms)`,
  `CREATE INDEX IF NOT EXISTS embargoed_id ON embargoed (id)`,
  `CREATE TABLE IF NOT EXISTS scopes_left (
    scope_key TEXT PRIMARY KEY NOT NULL,
    left_ms INTEGER NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
  )`,
  // A new database starts at version "0" with no fingerprint (nothing derived yet).
  `INSERT OR IGNORE INTO meta (key, value) VALUES ('version', '0')`,
  `INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '${SCHEMA_VERSION}')`,
];

/** Every table derived from `records` (and the stamps and withdrawals kept with them): what a re-derive empties. */
export const DERIVED_TABLES = ["articles", "article_scopes", "scope_names", "scope_totals", "embargoed"] as const;
