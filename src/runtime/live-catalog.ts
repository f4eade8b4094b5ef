import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Article, ArticleMeta } from "../core/article.js";
import { lazyCatalog, oneOfEachId, type Catalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { RecordError } from "../core/errors.js";
import { parseRecord, slugOfFile, type ParseResult } from "../core/record.js";
import { tombstoneOf, type Tombstone } from "../core/tombstone.js";
import { isHeldBack, splitHeldBack, visibleFrom } from "../core/embargo.js";
import type { Logger } from "../http/app.js";
import { IdTakenError, pageOf, type ListPage, type Publisher } from "../http/publish-api.js";
import { removeStaleTempFiles } from "../storage/atomic-file.js";
import { changeLine, heldBackLine, liftedLine, refusedLine } from "./change-log.js";
import { emptyStamps, reconcileStamps, recordNameOf, withStamps, type RecordStamp, type StampState } from "../core/change-stamps.js";
import { readStamps, recordDigest, stampsWriter } from "../storage/stamps-file.js";
import { FLUSH_ROWS, type FileStamp, type IndexedRecord, type ParseIndex } from "../storage/parse-index.js";
import { decodeEntry, encodeRecord, entryOf, type EncodedRecord } from "../storage/parsed-record-codec.js";
import { directoryStore } from "../storage/fs-dir.js";
import { TombstoneFile } from "../storage/tombstone-file.js";
import { isRecordName } from "../storage/store.js";

/** What changed, for listeners (WebSub): the article before and after (undefined when absent). */
export interface CatalogChange {
  slug: string;
  before?: ArticleMeta;
  after?: ArticleMeta;
}

/**
 * A file must look the same (size and mtime) twice this far apart before it
 * is read: a writer may still be writing it. Writers that save atomically
 * (the publish API, the CLI, most editors) are never seen half-way anyway; a
 * writer that stalls longer than this mid-file is the one case this cannot see.
 */
const SETTLE_MS = 200;
/** Events for one file closer together than this are handled once. */
const DEBOUNCE_MS = 40;
/** Start-up parses under way at once: enough to keep every parse worker busy, few enough that their bytes stay small. */
const PARSES_IN_FLIGHT = 64;

/** Fewer records to parse at start-up than this are parsed as while serving (bulkParse is for whole folders). */
const BULK_PARSE_MIN = 500;

export type ParseFunction = (file: string, input: string | Uint8Array, site: SiteConfig) => Promise<ParseResult>;

/** A parse result as the parse index stores it (a worker encodes it: strings cross threads far cheaper than an article's objects). */
export type EncodedParseResult = { ok: false; errors: RecordError[] } | { ok: true; encoded: EncodedRecord };
export type EncodedParseFunction = (file: string, input: string | Uint8Array, site: SiteConfig) => Promise<EncodedParseResult>;

/** An encoding parse made of a plain one. */
export function encodingParse(parse: ParseFunction): EncodedParseFunction {
  return async (file, input, site) => {
    const result = await parse(file, input, site);
    if (!result.ok) return result;
    return { ok: true, encoded: encodeRecord("draft" in result ? { draft: true, slug: result.slug } : { article: result.article }) };
  };
}

/**
 * A fresh entry (decoded from the index, not yet shared) given its record's
 * stored change stamp in place, when that stamp is of these bytes: what
 * stampArticle would copy it into, keys in the same places (after `rev`),
 * so a restart makes no second object per entry (100k copies, each also
 * tracked in a WeakMap, were a tenth of a 100k restart).
 */
function withOwnStamp(entry: ArticleMeta, stamp: RecordStamp | undefined, digest: string): ArticleMeta {
  if (stamp && stamp.sha === digest) Object.assign(entry, { changed: stamp.changed, listed: stamp.listed });
  return entry;
}

/**
 * The items directory as a live catalog on Node: loaded once, then kept in
 * step with the files (fs.watch) and with the publish API, one record at a
 * time. A record that turns invalid keeps its last good version served; a
 * deleted one leaves a tombstone. Each change yields a new Catalog object,
 * which is what tells the HTTP layer's caches that content changed.
 */
export class LiveCatalog implements Publisher {
  private readonly store;
  /**
   * Last good article per record name, as its listing entry (entryOf, with
   * `rev`): with a parse index, the article's text stays there and is read
   * when a response shows it, so a large folder is not held in memory.
   */
  private readonly articles = new Map<string, ArticleMeta>();
  /** Without a parse index: the whole last good article per record name. */
  private readonly full = new Map<string, Article>();
  /** The article of an entry whose record has changed since (older snapshots may still be rendering it). */
  private readonly pinned = new WeakMap<ArticleMeta, Article>();
  private readonly problems = new Map<string, RecordError[]>();
  /** Digest of the bytes last applied per record: a re-read of unchanged bytes (the watcher after an API write) is no change. */
  private readonly digests = new Map<string, string>();
  /** Set by open(): the durable tombstones, `<dir>/.tombstones.json`. */
  private tombstones!: TombstoneFile;
  /** The article holding each id in the current snapshot: it keeps the id against any newcomer (see oneOfEachId). */
  private holders = new Map<string, ArticleMeta>();
  /** Messages of the records refused for another's id, so each refusal is logged once. */
  private refused = new Set<string>();
  /** API writes, one at a time: "is this id free?" and the write it allows are one step. */
  private writes: Promise<unknown> = Promise.resolve();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners: ((change: CatalogChange) => void)[] = [];
  private watcher: FSWatcher | undefined;
  private opened = false;
  private closed = false;
  private snapshot: Catalog;
  /** Serialises work per record name, so a burst of events is applied in order. */
  private readonly queues = new Map<string, Promise<void>>();

  private constructor(
    private readonly dir: string,
    private readonly label: string,
    private readonly site: SiteConfig,
    private readonly log: Logger,
    private readonly now: () => Date,
    /** Where records are parsed: in line by default; the Node entry passes a worker thread (ParsePool). */
    private readonly parseOff: ParseFunction = async (f, i, s) => parseRecord(f, i, s),
    private readonly index?: ParseIndex,
  ) {
    this.store = directoryStore(dir, label);
    this.snapshot = lazyCatalog([], (entry) => this.articleOf(entry));
  }

  static async open(
    dir: string,
    site: SiteConfig,
    options: {
      label?: string;
      log: Logger;
      now?: () => Date;
      parse?: ParseFunction;
      /** Parses the records the index does not know at start-up (default: `parse`); the Node entry passes several worker threads. */
      bulkParse?: ParseFunction;
      /** bulkParse for a catalog with an index: the result encoded for it (default: bulkParse's, encoded here). */
      bulkParseEncoded?: EncodedParseFunction;
      /** What earlier starts parsed (parse-index.ts): unchanged records are taken from it, not parsed again. */
      index?: ParseIndex;
    },
  ): Promise<LiveCatalog> {
    const live = new LiveCatalog(dir, options.label ?? dir, site, options.log, options.now ?? (() => new Date()), options.parse, options.index);
    // Leftovers of writers killed mid-write (no process of ours writes yet).
    for (const name of await removeStaleTempFiles(dir)) options.log(`removed ${live.label.replace(/\/+$/, "")}/${name}, the temporary file of an unfinished write`);
    const bulk = options.bulkParse ?? live.parseOff;
    // The stamps first: entries taken from the index are made with theirs (fromIndex).
    live.stamps = await readStamps(dir, options.log);
    await live.loadAll(bulk, options.bulkParseEncoded ?? encodingParse(bulk));
    live.tombstones = await TombstoneFile.open(dir, {
      now: live.now,
      onInvalid: (aside) => options.log(`tombstones file not valid JSON: moved aside to ${aside}; starting without tombstones`),
    });
    // An empty folder with no stamps yet has nothing to date: whatever is published next is stamped when it comes.
    if (!live.stamps && live.articles.size === 0) live.stamps = emptyStamps();
    live.stampsRead = true;
    live.rebuild();
    // Every record left out, those refused for a duplicate id included (they name the record holding it).
    for (const e of live.snapshot.errors) options.log(`skipped record: ${e.message}`);
    live.opened = true;
    return live;
  }

  /** How the last start-up got its articles: taken from the parse index, or parsed. */
  startStats = { reused: 0, parsed: 0 };

  /**
   * Every record at start-up: from the index when its file is unchanged,
   * else parsed, at most PARSES_IN_FLIGHT at a time (each file's bytes are
   * garbage once parsed, so a large store never holds all its raw bytes),
   * and written to the index every FLUSH_ROWS records (nor are its rows all
   * held at once).
   */
  private async loadAll(parse: ParseFunction, parseEncoded: EncodedParseFunction): Promise<void> {
    const known = this.index?.load() ?? new Map<string, IndexedRecord>();
    const names = (await this.store.list()).sort();
    // Unchanged files first, in line: a stat each, nothing read, nothing awaited.
    const rest: string[] = [];
    for (const name of names) {
      if (this.fromIndex(name, known.get(name))) this.startStats.reused++;
      else rest.push(name);
    }
    // Worker threads take a moment to start: worth it for a folder's worth of records, not for a few.
    if (rest.length < BULK_PARSE_MIN) {
      parse = this.parseOff;
      parseEncoded = encodingParse(this.parseOff);
    }
    // The others PARSES_IN_FLIGHT at a time, each read, digested and (unless the bytes are the indexed ones) parsed.
    let next = 0;
    const lane = async () => {
      while (next < rest.length) {
        const name = rest[next++]!;
        const reused = await this.loadOne(name, known.get(name), parse, parseEncoded);
        this.startStats[reused ? "reused" : "parsed"]++;
        if (this.index && this.index.waiting >= FLUSH_ROWS) this.index.flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARSES_IN_FLIGHT, rest.length) }, lane));
    // Rows of records deleted while the server was down.
    if (known.size > 0) {
      const present = new Set(names);
      for (const name of known.keys()) if (!present.has(name)) this.index?.forget(name);
    }
    this.index?.flush();
  }

  /** Takes record `name` from the index when its file's stamp is the settled one the index has; true if so. */
  private fromIndex(name: string, hit: IndexedRecord | undefined): boolean {
    if (!hit || !hit.settled) return false;
    const stamp = this.index!.stamp(join(this.dir, name));
    if (!stamp || stamp.key !== hit.stamp || hit.file !== this.store.describe(name)) return false;
    this.digests.set(name, hit.digest);
    this.settleEntry(name, "draft" in hit.entry ? hit.entry : withOwnStamp(hit.entry, this.stamps?.records.get(name), hit.digest));
    return true;
  }

  /** One record at start-up that fromIndex() could not take; resolves true when the index had its bytes. */
  private async loadOne(name: string, hit: IndexedRecord | undefined, parse: ParseFunction, parseEncoded: EncodedParseFunction): Promise<boolean> {
    // Stamped before the bytes are read: a write in between makes the stamp older than the bytes, never newer.
    const stamp = this.index?.stamp(join(this.dir, name));
    const file = this.store.describe(name);
    const usable = hit && hit.file === file ? hit : undefined;
    const bytes = await this.store.read(name);
    if (!bytes) return false;
    const digest = recordDigest(bytes);
    this.digests.set(name, digest);
    if (usable && usable.digest === digest) {
      // Same bytes under a new stamp (copied, checked out, touched) or a stamp too fresh to prove anything: re-stamped, not re-parsed.
      if (stamp && (stamp.key !== usable.stamp || stamp.settled !== usable.settled)) this.index!.restamp(name, stamp);
      this.settleEntry(name, usable.entry);
      return true;
    }
    if (!this.index) {
      this.settle(name, digest, await parse(file, bytes, this.site));
      return false;
    }
    const result = await parseEncoded(file, bytes, this.site);
    if (!result.ok) {
      this.index.forget(name);
      this.problems.set(name, result.errors);
      return false;
    }
    const entry = decodeEntry(result.encoded.entry, result.encoded.meta, digest);
    if (!entry) throw new Error(`${file}: the parse index's encoding of this record does not decode`);
    if (stamp) this.index.rememberEncoded(name, stamp, digest, file, result.encoded);
    else this.index.forget(name);
    this.settleEntry(name, entry);
    return false;
  }

  /** Keeps a parse result in the index (a record that failed has no row: it is parsed again next time). */
  private indexResult(name: string, stamp: FileStamp | undefined, digest: string, file: string, result: ParseResult): void {
    if (!this.index) return;
    if (stamp && result.ok) this.index.remember(name, stamp, digest, file, "draft" in result ? { draft: true, slug: result.slug } : { article: result.article });
    else this.index.forget(name);
  }

  current(): Catalog {
    // A request that comes when a lift is due (before its timer has fired) already sees it.
    this.liftDue();
    return this.snapshot;
  }

  /** The articles held back now, with when each may be shown (Publisher.heldBack). */
  async heldBack(): Promise<ReadonlyMap<string, number>> {
    this.liftDue();
    return new Map([...this.held].map((a) => [a.slug, visibleFrom(a)]));
  }

  onChange(listener: (change: CatalogChange) => void): void {
    this.listeners.push(listener);
  }

  /** Parses `bytes` as record `name` (whose file had `stamp` before it was read); a failure keeps the last good version. Returns the change, if any. */
  private async apply(name: string, bytes: Uint8Array, stamp?: FileStamp): Promise<CatalogChange | undefined> {
    const digest = recordDigest(bytes);
    if (this.digests.get(name) === digest) return undefined;
    this.digests.set(name, digest);
    const file = this.store.describe(name);
    const result = await this.parseOff(file, bytes, this.site);
    // Also when it failed: the last good version stays served, and its row goes.
    this.pin(name);
    this.indexResult(name, stamp, digest, file, result);
    this.index?.flush();
    return this.settle(name, digest, result);
  }

  /** Takes in what record `name` (bytes of `digest`) parsed to. */
  private settle(name: string, digest: string, result: ParseResult): CatalogChange | undefined {
    if (!result.ok) {
      this.problems.set(name, result.errors);
      return undefined;
    }
    if ("draft" in result) return this.settleEntry(name, { draft: result.slug });
    if (!this.index) this.full.set(name, { ...result.article, rev: digest });
    return this.settleEntry(name, entryOf(result.article, digest));
  }

  /** Takes in a record that parsed, as its listing entry with `rev` (its article is in the index, or in `full`). */
  private settleEntry(name: string, entry: ArticleMeta | { draft: string }): CatalogChange | undefined {
    const before = this.articles.get(name);
    this.problems.delete(name);
    if ("draft" in entry) {
      this.articles.delete(name);
      this.full.delete(name);
      return before ? { slug: before.slug, before } : undefined;
    }
    const after = entry;
    this.articles.set(name, after);
    // Held back (embargo.ts): as if absent until its lift, so a withdrawal of its id stands until then.
    if (!isHeldBack(after, this.now().getTime())) this.forgetTombstone(after.id);
    return { slug: after.slug, before, after };
  }

  /** The whole article of an entry of this catalog (or of an earlier snapshot of it). */
  private async articleOf(entry: ArticleMeta): Promise<Article> {
    const pinned = this.pinned.get(entry);
    if (pinned) return pinned;
    const name = recordNameOf(entry);
    if (!this.index) {
      const article = this.full.get(name);
      if (article && article.rev === entry.rev) return article;
    } else {
      const record = this.index.article(name, entry.rev!);
      if (record && "article" in record) return { ...record.article, rev: entry.rev! };
    }
    // The index could not give it (unreadable since start-up): the file, if it still has these bytes.
    const bytes = await this.store.read(name);
    if (bytes && recordDigest(bytes) === entry.rev) {
      const result = await this.parseOff(this.store.describe(name), bytes, this.site);
      if (result.ok && "article" in result) return { ...result.article, rev: entry.rev };
    }
    throw new Error(`${entry.file}: this version of the article is no longer available`);
  }

  /** Keeps the article record `name` has now for the snapshots that show it, before it changes. */
  private pin(name: string): void {
    const before = this.articles.get(name);
    if (!before || this.pinned.has(before)) return;
    const record = this.index ? this.index.article(name, before.rev!) : undefined;
    const article = this.index ? (record && "article" in record ? { ...record.article, rev: before.rev! } : undefined) : this.full.get(name);
    if (article) this.pinned.set(before, article);
  }

  private rebuild(): void {
    const errors = [...this.problems.values()].flat();
    const inNameOrder = [...this.articles.keys()].sort().map((name) => this.articles.get(name)!);
    const before = errors.length;
    const held = new Map([...this.holders].map(([id, a]) => [id, a.file]));
    const articles = oneOfEachId(inNameOrder, errors, this.site, held);
    this.holders = new Map(articles.map((a) => [a.id, a]));
    const refused = new Set(errors.slice(before).map((e) => e.message));
    // At start-up open() logs every problem; after that, each new refusal is logged when it happens.
    if (this.opened) for (const message of refused) if (!this.refused.has(message)) this.log(`record refused: ${message}`);
    this.refused = refused;
    // Held back (embargo.ts): kept out of the snapshot until their lift, which a timer (and current()) brings about.
    const now = this.now().getTime();
    const { shown, held: heldBack, nextLift } = splitHeldBack(articles, now);
    this.held = new Set(heldBack);
    // An id that is live again is not withdrawn (its tombstone may still be on disk: see forgetTombstone).
    const live = new Set(shown.map((a) => a.id));
    this.snapshot = this.stamped(lazyCatalog(shown, (entry) => this.articleOf(entry), errors, this.tombstones.list().filter((t) => !live.has(t.id)), nextLift));
    this.scheduleLift(nextLift);
  }

  // ---- Embargoes (src/core/embargo.ts): articles held back until their lift ----
  /** The articles of the last rebuild held back then. */
  private held = new Set<ArticleMeta>();
  private liftTimer: ReturnType<typeof setTimeout> | undefined;
  private liftAt: number | undefined;

  /** A timer for the next lift (unref'd: it never keeps the process alive); it fires again if the clock is not there yet. */
  private scheduleLift(at: number | undefined): void {
    if (at === this.liftAt && (at === undefined || this.liftTimer)) return;
    clearTimeout(this.liftTimer);
    this.liftTimer = undefined;
    this.liftAt = at;
    if (at === undefined || this.closed) return;
    // setTimeout takes at most 2^31 - 1 ms (about 24 days); a later lift is waited for in steps.
    const delay = Math.min(Math.max(0, at - this.now().getTime()), 2 ** 31 - 1);
    this.liftTimer = setTimeout(() => {
      this.liftTimer = undefined;
      // Early (a clock that differs from the timer's): wait again for the same instant.
      if (!this.liftDue()) this.scheduleLift(this.liftAt);
    }, delay);
    this.liftTimer.unref?.();
  }

  /**
   * Lets in every held-back article whose instant has come: a new snapshot,
   * and a change per article for the listeners (WebSub pings them now, not
   * when the record was written). True when it ran (its instant had come:
   * the rebuild has set the timer for the next one); false when it is not due.
   */
  private liftDue(): boolean {
    if (this.liftAt === undefined || this.now().getTime() < this.liftAt || !this.opened) return false;
    const now = this.now().getTime();
    const lifted = [...this.held].filter((a) => !isHeldBack(a, now));
    for (const a of lifted) this.forgetTombstone(a.id);
    this.rebuild();
    for (const after of lifted) {
      this.log(liftedLine(after));
      this.tell({ slug: after.slug, after });
    }
    return true;
  }
  // ---- end of embargoes ----

  /** A republished id loses its tombstone: on disk when the next write lands (a failure there only logs: rebuild() hides it anyway). */
  private forgetTombstone(id: string): void {
    if (!this.tombstones?.has(id)) return;
    this.tombstones.commit((set) => void set.delete(id)).catch((error) => this.log(`could not drop the tombstone of ${id}`, error));
  }

  // ---- Change stamps (Last-Modified; src/core/change-stamps.ts), kept in items/.changes.json ----
  private stamps: StampState | undefined;
  private stampsRead = false;
  private stampsFile: ReturnType<typeof stampsWriter> | undefined;

  /** The catalog with each record's change stamp, stamping (now) what is new since the last rebuild, and saving them. */
  private stamped(catalog: Catalog): Catalog {
    if (!this.stampsRead) return catalog;
    const current = catalog.entries.map((article) => ({ name: article.file.slice(article.file.lastIndexOf("/") + 1), sha: article.rev!, article }));
    const { moved, ...state } = reconcileStamps(this.stamps, current, this.now());
    if (moved || this.stamps === undefined) (this.stampsFile ??= stampsWriter(this.dir, this.log)).save(state);
    this.stamps = state;
    // Before open() returns no entry has been handed out: the ones stamped just now (a first start's, all of them)
    // take their stamps in place, as a restart's do (withOwnStamp), rather than as a copy each tracked in a WeakMap.
    if (!this.opened && moved) for (const { name, sha, article } of current) withOwnStamp(article, state.records.get(name), sha);
    return withStamps(catalog, state);
  }
  // ---- end of change stamps ----

  private emit(change: CatalogChange | undefined): void {
    if (!change) return;
    this.rebuild();
    // What readers see of it: a side held back is absent to them (its lift is a change of its own, liftDue).
    const now = this.now().getTime();
    const { before: was, after: is } = change;
    const seen: CatalogChange = { slug: change.slug, ...(was && !isHeldBack(was, now) ? { before: was } : {}), ...(is && !isHeldBack(is, now) ? { after: is } : {}) };
    if (is && isHeldBack(is, now)) this.log(heldBackLine(is, visibleFrom(is)));
    if (!seen.before && !seen.after) return;
    this.log(changeLine(seen, !!seen.before && !seen.after && this.tombstones.has(seen.before.id)));
    this.tell(seen);
  }

  private tell(change: CatalogChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.log("catalog listener failed", error);
      }
    }
  }

  /** The tombstone a withdrawal of `name` leaves: none for a record that never parsed. */
  private tombstoneFor(name: string, reason?: string): Tombstone | undefined {
    const before = this.articles.get(name);
    // Only the holder of an id leaves its tombstone: a refused duplicate was never shown, nor was an article held back.
    return before && this.holders.get(before.id) === before && !this.held.has(before) ? tombstoneOf(before, this.now(), reason) : undefined;
  }

  /** Forgets record `name`, whose file is gone (its tombstone, if any, already committed). */
  private forget(name: string): void {
    const before = this.articles.get(name);
    this.problems.delete(name);
    this.digests.delete(name);
    this.pin(name);
    this.index?.forget(name);
    this.index?.flush();
    if (!before) return this.rebuild();
    this.articles.delete(name);
    this.full.delete(name);
    this.emit({ slug: before.slug, before });
  }

  /**
   * A record file removed by someone else (watch event): it is gone already,
   * so the tombstone can only follow. If it cannot be saved it is not served
   * either (what is served is what a restart serves), and the log says so.
   */
  private async withdraw(name: string): Promise<void> {
    const tombstone = this.tombstoneFor(name);
    if (tombstone) {
      try {
        await this.tombstones.commit((set) => void set.set(tombstone.id, tombstone));
      } catch (error) {
        this.log(`${this.store.describe(name)} was deleted but its tombstone could not be saved; readers will not be told`, error);
      }
    }
    this.forget(name);
  }

  /** Runs `task` after every earlier task for record `name` has settled: one change to a record at a time. */
  private serially<T>(name: string, task: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(name) ?? Promise.resolve()).then(task);
    const settled = result.then(
      () => {},
      () => {},
    );
    this.queues.set(name, settled);
    void settled.then(() => {
      if (this.queues.get(name) === settled) this.queues.delete(name);
    });
    return result;
  }

  /** Re-reads one record from disk and applies it (call within serially()). */
  private async reload(name: string): Promise<void> {
    const stamp = this.index?.stamp(join(this.dir, name));
    const bytes = await this.store.read(name);
    if (!bytes) return this.withdraw(name);
    const known = this.digests.get(name);
    const change = await this.apply(name, bytes, stamp);
    const errors = this.problems.get(name);
    if (errors) {
      // Once per version of the file: the same broken bytes seen again (another watch event) say nothing new.
      if (this.digests.get(name) !== known) for (const e of errors) this.log(refusedLine(e.message, this.articles.has(name)));
      this.rebuild();
    }
    this.emit(change);
  }

  /** Re-reads one record from disk: the single-file path for watch events. */
  private refresh(name: string): Promise<void> {
    return this.serially(name, () => this.reload(name)).catch((error) => this.log(`reload of ${name} failed`, error));
  }

  /** Waits until a file has stopped changing (same size and mtime twice), then refreshes it. */
  private async settleThenRefresh(name: string): Promise<void> {
    const path = join(this.dir, name);
    for (let tries = 0; tries < 50; tries++) {
      const first = await stat(path).catch(() => undefined);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const second = await stat(path).catch(() => undefined);
      if (!first || !second || (first.size === second.size && first.mtimeMs === second.mtimeMs)) break;
    }
    await this.refresh(name);
  }

  /** Follows the directory: new, changed and deleted records are live within a fraction of a second. */
  watch(): void {
    if (this.watcher) return;
    this.watcher = watch(this.dir, (_event, filename) => {
      const name = filename?.toString();
      // Temporary files of atomic writes start with "." and are never records.
      if (!name || !isRecordName(name)) return;
      clearTimeout(this.timers.get(name));
      this.timers.set(
        name,
        setTimeout(() => {
          this.timers.delete(name);
          void this.settleThenRefresh(name);
        }, DEBOUNCE_MS),
      );
    });
    this.watcher.on("error", (error) => this.log("watching the items directory failed", error));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.liftTimer);
    this.liftTimer = undefined;
    this.index?.close();
    this.watcher?.close();
    this.watcher = undefined;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Resolves when queued reloads are done (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all(this.queues.values());
    await this.tombstones.idle();
    await this.stampsFile?.idle();
  }

  /** Parses a record as this catalog would (off the serving thread where the entry set that up), without storing it. */
  check(file: string, input: string | Uint8Array): Promise<ParseResult> {
    return this.parseOff(file, input, this.site);
  }

  read(slug: string): Promise<Uint8Array | undefined> {
    return this.store.read(`${slug}.md`);
  }

  /** A page of slugs (Publisher.list): the folder is listed whole (it is in memory anyway), then cut. */
  async list(page: ListPage): Promise<string[]> {
    return pageOf((await this.store.list()).map(slugOfFile), page);
  }

  /**
   * Writes the record durably, then serves it. Within the record's queue, so
   * of concurrent PUTs of a new slug exactly one finds it absent (created).
   * Rejects (StorageFullError: no space) when the write failed: nothing changed.
   * Refuses (IdTakenError, nothing written) a record whose id another live
   * article holds; API writes run one at a time, so the check and the write
   * it allows are one step.
   */
  put(slug: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    const name = `${slug}.md`;
    const run = () => this.serially(name, async () => {
      const parsed = await this.parseOff(this.store.describe(name), bytes, this.site);
      const holder = parsed.ok && "article" in parsed ? this.holders.get(parsed.article.id) : undefined;
      if (holder && holder.slug !== slug) throw new IdTakenError(holder.id, holder.slug, holder.file);
      const existed = (await this.store.read(name)) !== undefined;
      await this.store.write(name, bytes).catch((error) => this.failed(`publish of ${this.store.describe(name)}`, error));
      await this.reload(name);
      // An acknowledged write's change stamp is on disk too (Last-Modified survives a restart).
      await this.stampsFile?.idle();
      return { created: !existed };
    });
    const next = this.writes.then(run, run);
    this.writes = next.catch(() => {});
    return next;
  }

  /** Logs a change that failed (the client gets the error too), then rethrows it. */
  private failed(what: string, error: unknown): never {
    this.log(`${what} failed: ${(error as Error).message}`);
    throw error;
  }

  /**
   * Tombstone first, durably, then the record file: a failure at either step
   * rejects with the record still there and still served (a tombstone saved
   * for a record that stayed is taken back; one left over is ignored, since
   * a live id is never served as withdrawn), so a retry can succeed.
   * Resolves false when there was no such record.
   */
  remove(slug: string, reason?: string): Promise<boolean> {
    const name = `${slug}.md`;
    return this.serially(name, async () => {
      if ((await this.store.read(name)) === undefined) {
        this.forget(name);
        return false;
      }
      const tombstone = this.tombstoneFor(name, reason);
      const what = `deletion of ${this.store.describe(name)}`;
      if (tombstone) await this.tombstones.commit((set) => void set.set(tombstone.id, tombstone)).catch((error) => this.failed(what, error));
      try {
        await this.store.remove(name);
      } catch (error) {
        // Only the directory sync may have failed: the file is then gone, and its tombstone must stay.
        if ((await this.store.read(name)) === undefined) this.forget(name);
        else if (tombstone) await this.tombstones.commit((set) => void set.delete(tombstone.id)).catch(() => {});
        this.log(`${what} failed: ${(error as Error).message}`);
        throw error;
      }
      this.forget(name);
      await this.stampsFile?.idle();
      // It existed on disk (even if it never parsed, and so leaves no tombstone).
      return true;
    });
  }
}
