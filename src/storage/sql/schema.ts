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
 * - `scopes_left`: per scope key (change-stamps.ts), when a record last left it;
 * - `meta`: the content `version` (every write moves it: readers compare it
 *   to know their answers are current) and the `derived_for` fingerprint
 *   (see derivedFingerprint) of the site config the derived rows were made with.
 *
 * Times are integers, ms since the epoch. Ids are canonical URIs (ASCII), so
 * SQLite's byte order on them is JavaScript's code-unit order; names and
 * scope slugs may not be ASCII, and are ordered in JavaScript (sql-listings.ts).
 */
export const SCHEMA_VERSION = "1";

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
export const DERIVED_TABLES = ["articles", "article_scopes"] as const;
