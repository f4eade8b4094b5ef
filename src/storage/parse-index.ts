/**
 * The parse index: what parsing each record file gave, kept in SQLite beside
 * the records (`<items>/.wirefeed-index.db`, git-ignored, never served), so a
 * restart over an unchanged folder stats its files instead of parsing them
 * (parsing renders every body: ~1 ms per article, 100k articles ~80 s).
 *
 * It is a cache and only a cache: every doubt means parsing again.
 * - Whole index: keyed by a fingerprint of the parser (its code and the
 *   libraries it renders with) and the site config; another fingerprint
 *   empties it.
 * - Per record: its name, `describe()` label and file stamp (size, mtime and
 *   ctime, inode). ctime cannot be set from user space, so an edit that
 *   restores size and mtime (touch -d, cp -p, rsync -t) still moves it. A
 *   stamp taken less than RACY_MS after the file last changed may be shared
 *   by a later write in the same clock tick: such a row is trusted only once
 *   the bytes' SHA-256 matches again (git's "racily clean" rule). When the
 *   stamp differs, the digest is checked too: a copied or checked-out folder
 *   (new inodes, same bytes) costs a read, not a parse.
 * - A file that cannot be opened, read or written as a database (corrupt,
 *   locked by another writer, a read-only folder) is logged once; the site
 *   then starts from a full parse, and without an index if it cannot make one.
 */
import { lstatSync, rmSync } from "node:fs";
import Database from "libsql";
import type { ArticleMeta } from "../core/article.js";
import { decodeEntry, decodeRecord, encodeRecord, type EncodedRecord, type ParsedRecord } from "./parsed-record-codec.js";

export const PARSE_INDEX_FILE = ".wirefeed-index.db";
/** Bumped when the tables or the codec change shape. */
const SCHEMA = 3;
/** A file changed this recently may change again within the same timestamp: its stamp alone proves nothing yet. */
const RACY_MS = 2000;

/** What stat says of a record file; two equal stamps mean (short of a racy write: see above) the same bytes. */
export interface FileStamp {
  key: string;
  /** Taken long enough after the file's last change that a later write must move the stamp. */
  settled: boolean;
}

/**
 * The stamp of a regular file, or undefined (absent, a symlink, not a file); `nowMs` is the wall clock (file times are).
 * Times in ms as doubles (sub-microsecond here), not bigint ns: a start-up stats every record, and bigint stats cost
 * twice as much; any write later than RACY_MS after the stamped one moves them by far more than their precision.
 */
export function stampOf(path: string, nowMs: number): FileStamp | undefined {
  let s;
  try {
    s = lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!s || !s.isFile()) return undefined;
  const changed = s.mtimeMs > s.ctimeMs ? s.mtimeMs : s.ctimeMs;
  return { key: `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`, settled: nowMs - changed >= RACY_MS };
}

export interface IndexedRecord {
  stamp: string;
  settled: boolean;
  digest: string;
  /** The record's describe() label when it was parsed (the article's `file`). */
  file: string;
  /** Its listing entry (parsed-record-codec.ts: entryOf, `rev` the digest), or a draft's slug; the article itself is read on demand (article()). */
  entry: ArticleMeta | { draft: string };
}

interface Row {
  name: string;
  stamp: string;
  settled: number;
  digest: string;
  file: string;
  entry: string | null;
  meta: string;
  body: string | null;
  html: string | null;
  first_paragraph: string | null;
  first_text: string | null;
}

/** A change waiting for the next flush: a whole row, a new stamp for the same bytes, or (undefined) the row's removal. */
type Pending = { row: Row } | { restamp: string; settled: number } | undefined;

type Log = (message: string, error?: unknown) => void;

/** Rows written per transaction at start-up: a first start over a large folder writes as it parses, holding few rows at a time. */
export const FLUSH_ROWS = 1000;

export class ParseIndex {
  private pending = new Map<string, Pending>();
  /** Set once a write failed: no more writes this run (rows not written are parsed again next time). */
  private broken = false;
  /** Rows that could not be written (broken): still what their records parsed to, so article() keeps answering from them. */
  private readonly unwritten = new Map<string, Row>();
  private closed = false;
  private readOne: Database.Statement | undefined;

  private constructor(
    private db: Database.Database,
    private readonly path: string,
    private readonly fingerprint: string,
    private readonly log: Log,
    private readonly nowMs: () => number,
  ) {}

  /** The stamp of record file `path` now (see stampOf). */
  stamp(path: string): FileStamp | undefined {
    return stampOf(path, this.nowMs());
  }

  /** The fingerprint row this index's rows are valid under. */
  private get want(): string {
    return `${SCHEMA}:${this.fingerprint}`;
  }

  /**
   * Opens (creating it when absent) the index at `path` for `fingerprint`.
   * Undefined when it cannot be used at all (logged): the caller parses everything.
   */
  static open(path: string, fingerprint: string, log: Log, options: { nowMs?: () => number } = {}): ParseIndex | undefined {
    const nowMs = options.nowMs ?? Date.now;
    try {
      return new ParseIndex(ParseIndex.connect(path, fingerprint, log), path, fingerprint, log, nowMs);
    } catch (error) {
      // Corrupt, or not a database: it holds nothing that cannot be made again.
      log(`parse index ${path} unusable (${(error as Error).message}): removed; every record is parsed`);
      try {
        removeDatabase(path);
        return new ParseIndex(ParseIndex.connect(path, fingerprint, log), path, fingerprint, log, nowMs);
      } catch (again) {
        log(`parse index ${path} cannot be created (${(again as Error).message}): running without one, so every start parses every record`);
        return undefined;
      }
    }
  }

  private static connect(path: string, fingerprint: string, log: Log): Database.Database {
    const db = new Database(path);
    try {
      // Another server on the same folder may hold the write lock for a moment; longer, and this one goes without.
      db.exec("PRAGMA busy_timeout = 2000");
      // WAL + NORMAL: a crash can lose the last rows written (parsed again), never corrupt older ones.
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
      db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      const want = `${SCHEMA}:${fingerprint}`;
      const have = (db.prepare("SELECT value FROM meta WHERE key = 'fingerprint'").get() as { value: string } | undefined)?.value;
      if (have !== want) {
        if (have !== undefined) log(`parse index ${path}: parser or site config changed since it was written (or the index's format); every record is parsed again`);
        db.transaction(() => {
          // Dropped, not emptied: an older format's tables have other columns.
          for (const table of ["records", "entries", "texts"]) db.exec(`DROP TABLE IF EXISTS ${table}`);
          // Two tables: a restart scans only the small rows of "entries" (~0.5 KB); "texts" (~10 KB a row) is read one row at a time, when an article is shown.
          db.exec(`CREATE TABLE entries (
            name TEXT PRIMARY KEY, stamp TEXT NOT NULL, settled INTEGER NOT NULL, digest TEXT NOT NULL, file TEXT NOT NULL, entry TEXT, meta TEXT)`);
          db.exec(`CREATE TABLE texts (
            name TEXT PRIMARY KEY, digest TEXT NOT NULL, meta TEXT NOT NULL, body TEXT, html TEXT, first_paragraph TEXT, first_text TEXT)`);
          db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('fingerprint', ?)").run(want);
        })();
      }
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Every stored record by name, as listing entries (the articles' text stays
   * in the file until article() asks); rows that do not decode are left out
   * (parsed again). Empty when the file turns out unreadable.
   */
  load(): Map<string, IndexedRecord> {
    const out = new Map<string, IndexedRecord>();
    try {
      // Only while the index is still this site's (one statement, one snapshot): another server on the folder with another config may have taken it over.
      const rows = this.db
        .prepare("SELECT e.name, e.stamp, e.settled, e.digest, e.file, e.entry, e.meta FROM entries e, meta m WHERE m.key = 'fingerprint' AND m.value = ?")
        .raw()
        .iterate(this.want) as IterableIterator<unknown[]>;
      for (const [name, stamp, settled, digest, file, entry, meta] of rows) {
        const decoded = decodeEntry(entry as string | null, meta as string, digest as string);
        if (decoded) out.set(name as string, { stamp: stamp as string, settled: settled === 1, digest: digest as string, file: file as string, entry: decoded });
      }
    } catch (error) {
      this.replaceUnreadable(error);
      return new Map();
    }
    return out;
  }

  /**
   * What record `name` parsed to when its bytes had `digest`: from a change
   * not yet flushed, a row that could not be written, or the file. Undefined
   * when the index holds no such version (replaced, removed, unreadable).
   */
  article(name: string, digest: string): ParsedRecord | undefined {
    const waiting = this.pending.get(name);
    const row = waiting && "row" in waiting ? waiting.row : this.unwritten.get(name) ?? this.stored(name);
    if (!row || row.digest !== digest) return undefined;
    return decodeRecord({ meta: row.meta, body: row.body, html: row.html, firstParagraph: row.first_paragraph, firstText: row.first_text });
  }

  private stored(name: string): Row | undefined {
    if (this.closed) return undefined;
    try {
      this.readOne ??= this.db.prepare("SELECT t.* FROM texts t, meta m WHERE t.name = ? AND m.key = 'fingerprint' AND m.value = ?");
      return this.readOne.get(name, this.want) as Row | undefined;
    } catch {
      // Unreadable now: the caller parses the file instead.
      return undefined;
    }
  }

  /** Keeps what `name` parsed to (written at the next flush). `stamp` must be taken before its bytes were read. */
  remember(name: string, stamp: FileStamp, digest: string, file: string, record: ParsedRecord): void {
    this.rememberEncoded(name, stamp, digest, file, encodeRecord(record));
  }

  /** remember(), for a record already encoded (by a parse worker: strings cross threads far cheaper than objects). */
  rememberEncoded(name: string, stamp: FileStamp, digest: string, file: string, e: EncodedRecord): void {
    const row: Row = {
      name,
      stamp: stamp.key,
      settled: stamp.settled ? 1 : 0,
      digest,
      file,
      entry: e.entry,
      meta: e.meta,
      body: e.body,
      html: e.html,
      first_paragraph: e.firstParagraph,
      first_text: e.firstText,
    };
    if (this.broken) this.unwritten.set(name, row);
    else this.pending.set(name, { row });
  }

  /** The same bytes as the row holds, under a new stamp (touched, copied, or a racy stamp now settled). */
  restamp(name: string, stamp: FileStamp): void {
    if (this.broken) return;
    const waiting = this.pending.get(name);
    if (waiting && "row" in waiting) waiting.row = { ...waiting.row, stamp: stamp.key, settled: stamp.settled ? 1 : 0 };
    else this.pending.set(name, { restamp: stamp.key, settled: stamp.settled ? 1 : 0 });
  }

  forget(name: string): void {
    this.unwritten.delete(name);
    if (!this.broken) this.pending.set(name, undefined);
  }

  /** Changes waiting for a flush. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Writes what was remembered or forgotten since the last flush, in one transaction. A failure is logged and turns writing off. */
  flush(): void {
    if (this.broken || this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      const putEntry = this.db.prepare("INSERT OR REPLACE INTO entries (name, stamp, settled, digest, file, entry, meta) VALUES (?, ?, ?, ?, ?, ?, ?)");
      const putText = this.db.prepare("INSERT OR REPLACE INTO texts (name, digest, meta, body, html, first_paragraph, first_text) VALUES (?, ?, ?, ?, ?, ?, ?)");
      const restamp = this.db.prepare("UPDATE entries SET stamp = ?, settled = ? WHERE name = ?");
      const dropEntry = this.db.prepare("DELETE FROM entries WHERE name = ?");
      const dropText = this.db.prepare("DELETE FROM texts WHERE name = ?");
      this.db.transaction(() => {
        const have = (this.db.prepare("SELECT value FROM meta WHERE key = 'fingerprint'").get() as { value: string } | undefined)?.value;
        if (have !== this.want) throw new Error("another server with another parser or site config has taken it over");
        for (const [name, p] of batch) {
          if (!p) {
            dropEntry.run(name);
            dropText.run(name);
          } else if ("row" in p) {
            const r = p.row;
            // A draft's entry column is empty: its meta (the slug) is all there is, and it has no text row.
            putEntry.run(r.name, r.stamp, r.settled, r.digest, r.file, r.entry, r.entry === null ? r.meta : null);
            if (r.entry === null) dropText.run(name);
            else putText.run(r.name, r.digest, r.meta, r.body, r.html, r.first_paragraph, r.first_text);
          } else restamp.run(p.restamp, p.settled, name);
        }
      })();
    } catch (error) {
      for (const [name, p] of batch) if (p && "row" in p) this.unwritten.set(name, p.row);
      this.fail("could not be written", error);
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    if (!this.broken) {
      try {
        // Everything into the database file, the log emptied: a restart reads one file, not a long log beside it.
        this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch {
        // Another connection is reading: the next one to close checkpoints.
      }
    }
    this.closed = true;
    this.broken = true;
    try {
      this.db.close();
    } catch {
      // Already unusable.
    }
  }

  /**
   * No more writes for the rest of this run: rows it could not write are
   * stale, and their stamps no longer match (they are parsed next time).
   * The connection stays open for reading what it holds (article()).
   */
  private fail(what: string, error: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.log(`parse index ${this.path} ${what} (${(error as Error).message}): continuing without it`);
  }

  /** An index that opened but cannot be read through (a corrupt page): a fresh empty one takes its place, if one can be made. */
  private replaceUnreadable(error: unknown): void {
    this.log(`parse index ${this.path} unreadable (${(error as Error).message}): removed; every record is parsed`);
    try {
      this.db.close();
    } catch {
      // Already unusable.
    }
    this.readOne = undefined;
    try {
      removeDatabase(this.path);
      this.db = ParseIndex.connect(this.path, this.fingerprint, this.log);
    } catch (again) {
      this.broken = true;
      this.closed = true;
      this.log(`parse index ${this.path} cannot be created (${(again as Error).message}): running without one`);
    }
  }
}

function removeDatabase(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true });
}
