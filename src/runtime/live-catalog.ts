import { createHash } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Article, ArticleMeta } from "../core/article.js";
import { firstOfEachId, memoryCatalog, type Catalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { RecordError } from "../core/errors.js";
import { parseRecord, type ParseResult } from "../core/record.js";
import { parseTombstones, serialiseTombstones, type Tombstone } from "../core/tombstone.js";
import type { Logger } from "../http/app.js";
import type { Publisher } from "../http/publish-api.js";
import { writeFileAtomic } from "../storage/atomic-file.js";
import { directoryStore } from "../storage/fs-dir.js";
import { isRecordName } from "../storage/store.js";

/** What changed, for listeners (WebSub): the article before and after (undefined when absent). */
export interface CatalogChange {
  slug: string;
  before?: ArticleMeta;
  after?: ArticleMeta;
}

const TOMBSTONES_FILE = ".tombstones.json";
/**
 * A file must look the same (size and mtime) twice this far apart before it
 * is read: a writer may still be writing it. Writers that save atomically
 * (the publish API, the CLI, most editors) are never seen half-way anyway; a
 * writer that stalls longer than this mid-file is the one case this cannot see.
 */
const SETTLE_MS = 200;
/** Events for one file closer together than this are handled once. */
const DEBOUNCE_MS = 40;

/**
 * The items directory as a live catalog on Node: loaded once, then kept in
 * step with the files (fs.watch) and with the publish API, one record at a
 * time. A record that turns invalid keeps its last good version served; a
 * deleted one leaves a tombstone. Each change yields a new Catalog object,
 * which is what tells the HTTP layer's caches that content changed.
 */
export class LiveCatalog implements Publisher {
  private readonly store;
  /** Last good article per record name. */
  private readonly articles = new Map<string, Article>();
  private readonly problems = new Map<string, RecordError[]>();
  /** Digest of the bytes last applied per record: a re-read of unchanged bytes (the watcher after an API write) is no change. */
  private readonly digests = new Map<string, string>();
  private readonly tombstones = new Map<string, Tombstone>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners: ((change: CatalogChange) => void)[] = [];
  private watcher: FSWatcher | undefined;
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
    private readonly parseOff: (file: string, input: string | Uint8Array, site: SiteConfig) => Promise<ParseResult> = async (f, i, s) => parseRecord(f, i, s),
  ) {
    this.store = directoryStore(dir, label);
    this.snapshot = memoryCatalog([]);
  }

  static async open(
    dir: string,
    site: SiteConfig,
    options: { label?: string; log: Logger; now?: () => Date; parse?: (file: string, input: string | Uint8Array, site: SiteConfig) => Promise<ParseResult> },
  ): Promise<LiveCatalog> {
    const live = new LiveCatalog(dir, options.label ?? dir, site, options.log, options.now ?? (() => new Date()), options.parse);
    // One record at a time: each file's bytes are garbage as soon as it is parsed, so a large
    // store never holds all its raw bytes at once (100k records: ~160 MB less at the peak).
    for (const name of (await live.store.list()).sort()) {
      const bytes = await live.store.read(name);
      if (bytes) await live.apply(name, bytes);
    }
    const stored = await readFile(join(dir, TOMBSTONES_FILE), "utf8").catch(() => "[]");
    try {
      for (const t of parseTombstones(JSON.parse(stored))) live.tombstones.set(t.id, t);
    } catch {
      options.log(`${live.label}/${TOMBSTONES_FILE}: not valid JSON; starting without tombstones`);
    }
    live.rebuild();
    for (const errors of live.problems.values()) for (const e of errors) options.log(`skipped record: ${e.message}`);
    return live;
  }

  current(): Catalog {
    return this.snapshot;
  }

  onChange(listener: (change: CatalogChange) => void): void {
    this.listeners.push(listener);
  }

  /** Parses `bytes` as record `name`; a failure keeps the last good version. Returns the change, if any. */
  private async apply(name: string, bytes: Uint8Array): Promise<CatalogChange | undefined> {
    const digest = createHash("sha256").update(bytes).digest("base64");
    if (this.digests.get(name) === digest) return undefined;
    this.digests.set(name, digest);
    const result = await this.parseOff(this.store.describe(name), bytes, this.site);
    const before = this.articles.get(name);
    if (!result.ok) {
      this.problems.set(name, result.errors);
      return undefined;
    }
    this.problems.delete(name);
    if ("draft" in result) {
      this.articles.delete(name);
      return before ? { slug: before.slug, before } : undefined;
    }
    this.articles.set(name, { ...result.article, rev: digest });
    this.tombstones.delete(result.article.id);
    return { slug: result.article.slug, before, after: result.article };
  }

  private rebuild(): void {
    const errors = [...this.problems.values()].flat();
    const inNameOrder = [...this.articles.keys()].sort().map((name) => this.articles.get(name)!);
    const articles = firstOfEachId(inNameOrder, errors);
    this.snapshot = memoryCatalog(articles, errors, [...this.tombstones.values()]);
  }

  private emit(change: CatalogChange | undefined): void {
    if (!change) return;
    this.rebuild();
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.log("catalog listener failed", error);
      }
    }
  }

  private async withdraw(name: string): Promise<boolean> {
    const before = this.articles.get(name);
    this.problems.delete(name);
    this.digests.delete(name);
    if (!before) {
      this.rebuild();
      return false;
    }
    this.articles.delete(name);
    this.tombstones.set(before.id, { slug: before.slug, id: before.id, when: this.now() });
    await writeFileAtomic(join(this.dir, TOMBSTONES_FILE), new TextEncoder().encode(serialiseTombstones([...this.tombstones.values()])));
    this.emit({ slug: before.slug, before });
    return true;
  }

  /** Re-reads one record from disk: the single-file path for watch events and API writes. */
  private refresh(name: string): Promise<void> {
    const run = async () => {
      const bytes = await this.store.read(name);
      if (!bytes) {
        await this.withdraw(name);
        return;
      }
      const change = await this.apply(name, bytes);
      const errors = this.problems.get(name);
      if (errors) {
        for (const e of errors) this.log(`record not updated (keeping the last good version): ${e.message}`);
        this.rebuild();
      }
      this.emit(change);
    };
    const next = (this.queues.get(name) ?? Promise.resolve()).then(run, run).catch((error) => this.log(`reload of ${name} failed`, error));
    this.queues.set(name, next);
    return next;
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
    this.watcher?.close();
    this.watcher = undefined;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Resolves when queued reloads are done (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  /** Parses a record as this catalog would (off the serving thread where the entry set that up), without storing it. */
  check(file: string, text: string): Promise<ParseResult> {
    return this.parseOff(file, text, this.site);
  }

  async put(slug: string, bytes: Uint8Array): Promise<{ created: boolean }> {
    const name = `${slug}.md`;
    const existed = (await this.store.read(name)) !== undefined;
    await this.store.write(name, bytes);
    await this.refresh(name);
    return { created: !existed };
  }

  async remove(slug: string): Promise<boolean> {
    const name = `${slug}.md`;
    if (!(await this.store.remove(name))) return false;
    const run = async () => void (await this.withdraw(name));
    const next = (this.queues.get(name) ?? Promise.resolve()).then(run, run);
    this.queues.set(name, next.catch(() => {}));
    await next;
    // It existed on disk (even if it never parsed, and so leaves no tombstone).
    return true;
  }
}
