/**
 * Records in Cloudflare Workers KV, with an index (kv-index.ts).
 *
 * Keys: "items/<name>" holds a record's exact bytes (the same .md file as in
 * items/); "wirefeed:index" holds the index (every record's meta, the site
 * fingerprint and the content version); "wirefeed:version" holds the version
 * alone, so a request that finds the content unchanged reads a few bytes
 * instead of the whole index.
 *
 * KV has no transactions: a write puts the record, then the index, then the
 * version. Writes through one store object are serialised; two processes
 * writing at once can lose an index entry, which the next `npm run kv:load`
 * (it rebuilds the index from scratch) repairs.
 */
import type { Catalog } from "../core/catalog.js";
import { buildCatalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { tombstoneOf, type Tombstone } from "../core/tombstone.js";
import { indexCatalog, indexEntry, indexStamps, indexTombstones, parseIndex, restampIndex, sealIndex, siteFingerprint, type IndexEntry, type RecordIndex } from "./kv-index.js";
import { withStamps } from "../core/change-stamps.js";
import { readAllRecords } from "./load.js";
import { isRecordName, type RecordStore, type WritableRecordStore } from "./store.js";

/** The part of a Workers KV namespace binding used here (structural, so tests and Node tools can pass their own). */
export interface KvNamespaceLike {
  get(key: string, type: "text"): Promise<string | null>;
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  put(key: string, value: string | ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<void>;
  delete(key: string): Promise<void>;
}

export const INDEX_KEY = "wirefeed:index";
export const VERSION_KEY = "wirefeed:version";
export const recordKey = (name: string) => `items/${name}`;

async function readIndex(kv: KvNamespaceLike): Promise<RecordIndex | undefined> {
  const text = await kv.get(INDEX_KEY, "text");
  return text === null ? undefined : parseIndex(text, `KV ${INDEX_KEY}`);
}

function readRecord(kv: KvNamespaceLike, name: string): Promise<Uint8Array | undefined> {
  if (!isRecordName(name)) return Promise.resolve(undefined);
  return kv.get(recordKey(name), "arrayBuffer").then((b) => (b === null ? undefined : new Uint8Array(b)));
}

/**
 * Records in KV; writes keep the index current. `site` is needed to derive
 * each record's meta; `now` dates the tombstone a removal leaves (RFC 6721).
 */
export function kvStore(kv: KvNamespaceLike, site: SiteConfig, now: () => Date = () => new Date()): WritableRecordStore {
  const fingerprint = siteFingerprint(site);
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };
  const describe = (name: string) => recordKey(name);

  const commit = async (records: Record<string, IndexEntry>, tombstones: readonly Tombstone[], previous: RecordIndex | undefined) => {
    // Change stamps (Last-Modified): what this write changed is stamped now.
    const index = await sealIndex(await fingerprint, records, tombstones, restampIndex(previous, records, now()));
    await kv.put(INDEX_KEY, JSON.stringify(index));
    await kv.put(VERSION_KEY, index.version);
  };

  return {
    async list() {
      return Object.keys((await readIndex(kv))?.records ?? {});
    },
    read: (name) => readRecord(kv, name),
    describe,
    write(name, bytes) {
      if (!isRecordName(name)) return Promise.reject(new Error(`not a record name: ${JSON.stringify(name)}`));
      const copy = bytes.slice();
      return serial(async () => {
        const entry = await indexEntry(describe(name), copy, site);
        // Record first: the index never names bytes that are not there yet.
        await kv.put(recordKey(name), copy);
        const index = await readIndex(kv);
        const records = { ...index?.records, [name]: entry };
        // An article published again under a withdrawn id is no longer withdrawn.
        const revived = "meta" in entry ? entry.meta.id : undefined;
        await commit(records, indexTombstones(index).filter((t) => t.id !== revived), index);
      });
    },
    remove(name) {
      return serial(async () => {
        if (!isRecordName(name)) return false;
        const index = await readIndex(kv);
        const records = { ...index?.records };
        const indexed = name in records;
        const stored = (await kv.get(recordKey(name), "arrayBuffer")) !== null;
        if (indexed) {
          const entry = records[name]!;
          let tombstones = indexTombstones(index);
          // One tombstone per id: a later withdrawal of the same id replaces the earlier one.
          if ("meta" in entry) tombstones = [...tombstones.filter((t) => t.id !== entry.meta.id), tombstoneOf(entry.meta, now())];
          // Index first: readers stop listing it before its bytes go.
          delete records[name];
          await commit(records, tombstones, index);
        }
        if (stored) await kv.delete(recordKey(name));
        return indexed || stored;
      });
    },
  };
}

export interface VersionedCatalog {
  catalog: Catalog;
  /** Changes whenever anything the responses show changes. */
  version: string;
}

/**
 * The current catalog in KV, re-checked on every call with one small read
 * (the version key); the index is read again only when the version key
 * differs from the version of the catalog in hand (so a version key that
 * runs ahead of a lagging index is re-checked until the two agree).
 * An index built for another site config (say another SITE_URL) cannot be
 * trusted for URLs and ids: then every record is read and parsed here, which
 * is correct but slow, and logged so the operator reloads the index.
 */
export function kvCatalogSource(kv: KvNamespaceLike, site: SiteConfig, log: (message: string) => void): () => Promise<VersionedCatalog> {
  const fingerprint = siteFingerprint(site);
  let settled: VersionedCatalog | undefined;
  let inflight: { key: string | null; promise: Promise<VersionedCatalog> } | undefined;

  const build = async (): Promise<VersionedCatalog> => {
    const index = await readIndex(kv);
    if (!index) {
      const version = `empty-${await fingerprint}`;
      if (settled?.version !== version) log(`KV has no ${INDEX_KEY}: serving no articles (load them with npm run kv:load)`);
      return { catalog: buildCatalog([], site), version };
    }
    if (settled?.version === index.version) return settled;
    let catalog: Catalog;
    if (index.site !== (await fingerprint)) {
      log(`KV index ${index.version} was built for another site config: parsing every record (run npm run kv:load with this SITE_URL)`);
      const store: RecordStore = { list: async () => Object.keys(index.records), read: (n) => readRecord(kv, n), describe: recordKey };
      catalog = buildCatalog(await readAllRecords(store), site);
    } else {
      catalog = indexCatalog(index, site, (name) => readRecord(kv, name));
    }
    const stamps = indexStamps(index);
    if (stamps) catalog = withStamps(catalog, stamps);
    for (const error of catalog.errors) log(`skipped record: ${error.message}`);
    return { catalog, version: index.version };
  };

  return async () => {
    const key = await kv.get(VERSION_KEY, "text");
    if (settled && settled.version === key) return settled;
    // Concurrent requests that see the same version key share one index read.
    if (!inflight || inflight.key !== key) {
      const promise = build().then((next) => (settled = next));
      const mine = { key, promise };
      inflight = mine;
      // Settled or failed, the next change starts afresh; a failed read is not kept.
      promise.then(
        () => void (inflight === mine && (inflight = undefined)),
        () => void (inflight === mine && (inflight = undefined)),
      );
    }
    return inflight.promise;
  };
}
