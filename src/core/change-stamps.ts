/**
 * Change stamps: when each record's content last changed, as its store saw it
 * (an API write, the watcher, a start-up or a build that found new bytes),
 * so a representation's Last-Modified can say when *it* last changed rather
 * than the newest date it shows (a back-dated article, a removal, an edit
 * without `updated:` change a feed but none of its dates).
 *
 * Per record: `changed` moves on any change of its bytes; `listed` only when
 * it joins a scope or moves in the listings (new record, other scopes, other
 * `published`/`updated`). Per scope: `left`, the last instant a record left
 * it (removed, made a draft, edited out). Pure: the instant is passed in
 * (core reads no clock); the runtimes persist the state (items/.changes.json
 * on a file-based site).
 */
import type { ArticleMeta } from "./article.js";
import type { Catalog } from "./catalog.js";
import { changedForReaders } from "./embargo.js";
import { scopesOf, SITE_SCOPE } from "./scopes.js";

export const STAMPS_FORMAT = 1;

export interface RecordStamp {
  /** Digest of the record's bytes when stamped. */
  sha: string;
  changed: Date;
  listed: Date;
  /** Where it was listed when stamped: its scope keys, and its dates (to tell a move from an edit). */
  scopes: string[];
  position: string;
}

export interface StampState {
  /** Record name → its stamp. */
  records: Map<string, RecordStamp>;
  /** Scope key → the last instant a record left it. */
  left: Map<string, Date>;
}

/** A record a store serves now: its name, digest, and what it parsed to. */
export interface StampedInput {
  name: string;
  sha: string;
  article: ArticleMeta;
}

/** A scope's key in the state: its path, "/" for the site. */
export function scopeKey(path: string): string {
  return `/${path}`;
}

/** Every scope an article is listed in (the site, its categories, authors and language). */
export function scopeKeysOf(article: ArticleMeta): string[] {
  const keys = [scopeKey(SITE_SCOPE.path)];
  for (const kind of ["category", "author", "language"] as const) for (const s of scopesOf([article], kind)) keys.push(scopeKey(s.path));
  return keys;
}

/** Where an article sits in the listings (its dates): a change of it is a move, not only an edit. */
export function positionOf(article: ArticleMeta): string {
  return `${article.published.toISOString()}|${article.updated?.toISOString() ?? ""}`;
}

export function emptyStamps(): StampState {
  return { records: new Map(), left: new Map() };
}

/**
 * The state after the store was seen to serve `current` at `now`: records
 * whose bytes are unchanged keep their stamps; new or changed ones are
 * stamped `now`; records no longer served, and scopes a changed record left,
 * mark `left`. With no earlier state at all (`previous` undefined: a site's
 * first start), each record is stamped with its own newest date, the best
 * there is to know, so adopting stamps moves no Last-Modified.
 */
export function reconcileStamps(previous: StampState | undefined, current: readonly StampedInput[], now: Date): StampState & { moved: boolean } {
  // Nothing new (a restart over an unchanged folder): the state as it was, not a copy of it.
  if (previous && previous.records.size === current.length && current.every(({ name, sha }) => previous.records.get(name)?.sha === sha)) {
    return { records: previous.records, left: previous.left, moved: false };
  }
  let moved = false;
  const records = new Map<string, RecordStamp>();
  const left = new Map(previous?.left ?? []);
  const leave = (keys: readonly string[], except: readonly string[] = []) => {
    for (const k of keys) if (!except.includes(k)) left.set(k, now);
  };
  for (const { name, sha, article } of current) {
    const before = previous?.records.get(name);
    if (before && before.sha === sha) {
      records.set(name, before);
      continue;
    }
    moved = true;
    const scopes = scopeKeysOf(article);
    const position = positionOf(article);
    // An embargoed article appeared at its lift, not at its (earlier) `published`.
    const at = previous ? now : new Date(changedForReaders(article));
    const relisted = !before || before.position !== position || before.scopes.join("\n") !== scopes.join("\n");
    records.set(name, { sha, changed: at, listed: relisted ? at : before.listed, scopes, position });
    if (before) leave(before.scopes, scopes);
  }
  for (const [name, before] of previous?.records ?? []) {
    if (records.has(name)) continue;
    moved = true;
    leave(before.scopes);
  }
  return { records, left, moved };
}

/** Each stamp's JSON, made once: a large store's file is written after every change, mostly of unchanged stamps. */
const stampLines = new WeakMap<RecordStamp, string>();
function stampLine(s: RecordStamp): string {
  let line = stampLines.get(s);
  if (line === undefined) {
    line = JSON.stringify({ sha: s.sha, changed: s.changed.toISOString(), listed: s.listed.toISOString(), scopes: s.scopes, position: s.position });
    stampLines.set(s, line);
  }
  return line;
}

/** The state as stored: JSON, sorted, ISO dates, one line per record (diffs stay readable). */
export function serialiseStamps(state: StampState): string {
  const records = [...state.records].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const left = [...state.left].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = records.map(([name, s]) => `    ${JSON.stringify(name)}: ${stampLine(s)}`);
  const leftLines = left.map(([k, d]) => `    ${JSON.stringify(k)}: ${JSON.stringify(d.toISOString())}`);
  return `{\n  "format": ${STAMPS_FORMAT},\n  "records": {\n${lines.join(",\n")}${lines.length ? "\n" : ""}  },\n  "left": {\n${leftLines.join(",\n")}${leftLines.length ? "\n" : ""}  }\n}\n`;
}

export class StampsError extends Error {}

function date(value: unknown, where: string): Date {
  const d = typeof value === "string" ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new StampsError(`${where}: not an ISO date`);
  return d;
}

/** Parses a stored state; throws StampsError naming the entry when it is not one. */
export function parseStamps(json: unknown, source: string): StampState {
  const raw = json as { format?: unknown; records?: unknown; left?: unknown };
  if (typeof raw !== "object" || raw === null || raw.format !== STAMPS_FORMAT || typeof raw.records !== "object" || raw.records === null) {
    throw new StampsError(`${source}: not a change-stamp file of format ${STAMPS_FORMAT}`);
  }
  const state = emptyStamps();
  const records = raw.records as Record<string, unknown>;
  // for…in, not Object.entries: a large site's file has a record per article, and this runs at every start.
  for (const name in records) {
    if (!Object.hasOwn(records, name)) continue;
    const s = records[name] as Record<string, unknown>;
    if (typeof s?.sha !== "string" || !Array.isArray(s.scopes) || !s.scopes.every((k) => typeof k === "string") || typeof s.position !== "string") {
      throw new StampsError(`${source}: records.${name}: needs sha, changed, listed, scopes and position`);
    }
    const changed = date(s.changed, `${source}: records.${name}.changed`);
    // Most records were listed when they changed: one Date for both (stamps are never mutated).
    const listed = s.listed === s.changed ? changed : date(s.listed, `${source}: records.${name}.listed`);
    state.records.set(name, { sha: s.sha, changed, listed, scopes: s.scopes as string[], position: s.position });
  }
  for (const [key, value] of Object.entries((raw.left ?? {}) as Record<string, unknown>)) state.left.set(key, date(value, `${source}: left.${key}`));
  return state;
}

/** Stamped copies already made, per article object: a catalog rebuilt after one change copies only that record. */
const stampedCopies = new WeakMap<ArticleMeta, { stamp: RecordStamp; copy: ArticleMeta }>();

/** The article with its stamp, as ArticleMeta carries it (`changed`, `listed`). */
export function stampArticle<T extends ArticleMeta>(article: T, stamp: RecordStamp | undefined): T {
  if (!stamp) return article;
  // Already carrying this stamp's own dates (an entry made with them, as a restart makes its entries): a copy would be the same keys and values.
  if (article.changed === stamp.changed && article.listed === stamp.listed) return article;
  const made = stampedCopies.get(article);
  if (made && made.stamp === stamp) return made.copy as T;
  const copy = { ...article, changed: stamp.changed, listed: stamp.listed };
  stampedCopies.set(article, { stamp, copy });
  return copy;
}

function newest(dates: Iterable<Date | undefined>): number {
  let t = 0;
  for (const d of dates) if (d && d.getTime() > t) t = d.getTime();
  return t;
}

/**
 * When a scope's listing last moved: a record joined it or moved in it
 * (`listed`), or one left it. `entries` are the scope's entries (or, for an
 * archive page, the ones on that page and older: newer arrivals do not shift it).
 */
export function listingMovedAt(entries: readonly ArticleMeta[], left: Date | undefined): Date {
  return new Date(Math.max(newest(entries.map((e) => e.listed)), left?.getTime() ?? 0));
}

/**
 * A representation's Last-Modified: the newest of the dates it shows, the
 * change stamps of the records it shows, the withdrawals it announces, and
 * when its listing last moved. Never earlier than a date it shows.
 */
export function lastModifiedOf(shown: readonly ArticleMeta[], also: readonly (Date | undefined)[] = []): Date {
  let t = newest(also);
  for (const e of shown) t = Math.max(t, changedForReaders(e), e.changed?.getTime() ?? 0);
  return new Date(t);
}

/** The record name an entry came from ("items/foo.md" → "foo.md"): how stamps are keyed. */
export function recordNameOf(entry: ArticleMeta): string {
  return entry.file.slice(entry.file.lastIndexOf("/") + 1);
}

/** A catalog whose entries and articles carry `state`'s stamps, and whose scopes carry `left`. */
export function withStamps(catalog: Catalog, state: StampState): Catalog {
  const stamp = <T extends ArticleMeta>(e: T) => stampArticle(e, state.records.get(recordNameOf(e)));
  const entries = catalog.entries.map(stamp);
  // Only the copies need mapping back: an entry that already carried its stamp is its own (a restart's 100k entries, mostly).
  const original = new Map<ArticleMeta, ArticleMeta>();
  for (let i = 0; i < entries.length; i++) if (entries[i] !== catalog.entries[i]) original.set(entries[i]!, catalog.entries[i]!);
  return {
    entries,
    errors: catalog.errors,
    tombstones: catalog.tombstones,
    left: state.left,
    ...(catalog.nextLift !== undefined ? { nextLift: catalog.nextLift } : {}),
    // The same object as in `entries`: stampArticle hands out one copy per article and stamp.
    find: (slug) => {
      const found = catalog.find(slug);
      return found && stamp(found);
    },
    load: async (entry) => {
      const from = original.get(entry) ?? (catalog.find(entry.slug) === entry && stamp(entry) === entry ? entry : undefined);
      if (!from) throw new Error(`no article ${entry.slug} in this catalog`);
      return stamp(await catalog.load(from));
    },
  };
}
