/**
 * The index an indexed store (KV) keeps beside its records: one entry per
 * record with the compact ArticleMeta every listing needs, so a feed costs
 * one index read plus one read per article it shows, never one read per
 * article stored. Pure: no KV here, only the format and what it derives.
 */
import type { Article, ArticleMeta } from "../core/article.js";
import { oneOfEachId, type Catalog } from "../core/catalog.js";
import type { SiteConfig } from "../core/config.js";
import { RecordError } from "../core/errors.js";
import { compareNewestFirst } from "../core/feed-model.js";
import { parseRecord } from "../core/record.js";
import { compareTombstones, latestPerId, parseTombstones, serialiseTombstones, type Tombstone } from "../core/tombstone.js";
import { emptyStamps, parseStamps, reconcileStamps, serialiseStamps, type StampState } from "../core/change-stamps.js";

export const INDEX_FORMAT = 1;

/** ArticleMeta as JSON: dates as ISO 8601 strings. */
export type IndexedMeta = Omit<ArticleMeta, "published" | "updated"> & { published: string; updated?: string };

export interface IndexedError {
  file: string;
  field: string;
  problem: string;
  line?: number;
}

/** What the index knows of one record; `sha` is the SHA-256 of its bytes. */
export type IndexEntry = { sha: string } & ({ meta: IndexedMeta } | { draft: true } | { errors: IndexedError[] });

export interface RecordIndex {
  format: typeof INDEX_FORMAT;
  /** Content version: changes whenever any record's bytes, the set of records or the site config change. */
  version: string;
  /** Fingerprint of the site config the metas were derived with (base URL, time zone, defaults). */
  site: string;
  records: Record<string, IndexEntry>;
  /** Withdrawn articles (RFC 6721), as stored by serialiseTombstones (ISO dates). */
  tombstones?: unknown[];
  /** Change stamps (Last-Modified; src/core/change-stamps.ts), as in items/.changes.json. */
  stamps?: unknown;
}

const encoder = new TextEncoder();

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Metas depend on the whole site config (URLs, ids, defaults, time zone), so all of it is fingerprinted. */
export function siteFingerprint(site: SiteConfig): Promise<string> {
  return sha256Hex(JSON.stringify(site));
}

function toIndexedMeta(a: ArticleMeta): IndexedMeta {
  // Only the meta fields: the body and the rest stay in the record.
  return {
    slug: a.slug,
    file: a.file,
    id: a.id,
    title: a.title,
    published: a.published.toISOString(),
    ...(a.updated ? { updated: a.updated.toISOString() } : {}),
    categories: a.categories,
    authors: a.authors,
    language: a.language,
    url: a.url,
  };
}

function fromIndexedMeta(m: IndexedMeta): ArticleMeta {
  const { published, updated, ...rest } = m;
  return { ...rest, published: new Date(published), ...(updated ? { updated: new Date(updated) } : {}) };
}

/** Parses one record the same way every other store does and keeps what the index needs. */
export async function indexEntry(file: string, bytes: Uint8Array, site: SiteConfig): Promise<IndexEntry> {
  const sha = await sha256Hex(bytes);
  const result = parseRecord(file, bytes, site);
  if (!result.ok) {
    return {
      sha,
      errors: result.errors.map((e) => ({ file: e.file, field: e.field, problem: e.problem, ...(e.line ? { line: e.line } : {}) })),
    };
  }
  return "article" in result ? { sha, meta: toIndexedMeta(result.article) } : { sha, draft: true };
}

/** Completes an index: the version is a hash of everything a response can depend on in the data. */
export async function sealIndex(siteFp: string, records: Record<string, IndexEntry>, tombstones: readonly Tombstone[] = [], stamps?: StampState): Promise<RecordIndex> {
  const names = Object.keys(records).sort();
  const lines = names.map((n) => `${n} ${records[n]!.sha}\n`).join("");
  const withdrawn = serialiseTombstones(tombstones);
  const stamped = stamps ? serialiseStamps(stamps) : "";
  const version = (await sha256Hex(`wirefeed-index ${INDEX_FORMAT}\n${siteFp}\n${lines}${tombstones.length ? withdrawn : ""}${stamped}`)).slice(0, 32);
  const sorted: Record<string, IndexEntry> = {};
  for (const n of names) sorted[n] = records[n]!;
  return {
    format: INDEX_FORMAT,
    version,
    site: siteFp,
    records: sorted,
    ...(tombstones.length ? { tombstones: JSON.parse(withdrawn) } : {}),
    ...(stamps ? { stamps: JSON.parse(stamped) } : {}),
  };
}

/** The change stamps an index holds; undefined when it holds none (an index from before stamps). */
export function indexStamps(index: RecordIndex | undefined): StampState | undefined {
  return index?.stamps === undefined ? undefined : parseStamps(index.stamps, "KV index: stamps");
}

/** A record's digest as change stamps key it (base64, as the Node server's), from the index's hex. */
function stampDigest(hex: string): string {
  let binary = "";
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}

/**
 * The stamps after a write to `records`, at `now`: what changed is stamped,
 * the rest keep theirs. An index without stamps that already lists records
 * (loaded before stamps existed) is stamped as a first start would be.
 */
export function restampIndex(index: RecordIndex | undefined, records: Record<string, IndexEntry>, now: Date): StampState {
  const previous = indexStamps(index) ?? (index && Object.keys(index.records).length > 0 ? undefined : emptyStamps());
  const current = Object.entries(records).flatMap(([name, e]) => ("meta" in e ? [{ name, sha: stampDigest(e.sha), article: fromIndexedMeta(e.meta) }] : []));
  const { moved: _moved, ...state } = reconcileStamps(previous, current, now);
  return state;
}

/** The tombstones an index holds. */
export function indexTombstones(index: RecordIndex | undefined): Tombstone[] {
  return parseTombstones(index?.tombstones ?? []);
}

export function parseIndex(text: string, source: string): RecordIndex {
  const raw = JSON.parse(text) as Partial<RecordIndex>;
  if (raw.format !== INDEX_FORMAT || typeof raw.version !== "string" || typeof raw.site !== "string" || typeof raw.records !== "object" || !raw.records) {
    throw new Error(`${source}: not a wirefeed index of format ${INDEX_FORMAT}`);
  }
  return raw as RecordIndex;
}

/**
 * A catalog over an index: entries come from the index alone; `load` reads
 * and parses one record, once per catalog. Duplicate ids are resolved by
 * the same rule as parseRecords uses for stores read whole (oneOfEachId).
 */
export function indexCatalog(
  index: RecordIndex,
  site: SiteConfig,
  readRecord: (name: string) => Promise<Uint8Array | undefined>,
): Catalog {
  const metas: (ArticleMeta & { name: string })[] = [];
  const errors: RecordError[] = [];
  for (const name of Object.keys(index.records).sort()) {
    const entry = index.records[name]!;
    if ("errors" in entry) {
      errors.push(...entry.errors.map((e) => new RecordError(e.file, e.field, e.problem, e.line)));
      continue;
    }
    if (!("meta" in entry)) continue; // a draft
    // The record's digest: a representation that shows only unchanged articles outlives a publish.
    metas.push({ ...fromIndexedMeta(entry.meta), rev: entry.sha, name });
  }
  const nameOf = new Map<string, string>();
  const entries: ArticleMeta[] = oneOfEachId(metas, errors, site).map(({ name, ...meta }) => {
    nameOf.set(meta.slug, name);
    return meta;
  });
  entries.sort(compareNewestFirst);
  const bySlug = new Map(entries.map((e) => [e.slug, e]));
  // Every response of one catalog shares a load: the feeds and the index page read each record once.
  const loaded = new Map<string, Promise<Article>>();

  const load = async (entry: ArticleMeta): Promise<Article> => {
    const name = nameOf.get(entry.slug);
    if (!name || bySlug.get(entry.slug) !== entry) throw new Error(`no article ${entry.slug} in this catalog`);
    const bytes = await readRecord(name);
    const result = bytes && parseRecord(entry.file, bytes, site);
    if (!result || !result.ok || !("article" in result)) {
      // Only a write racing this read gets here; the next request sees the new index.
      throw new Error(`${entry.file}: changed or removed since index ${index.version} was read`);
    }
    return result.article;
  };

  const live = new Set(entries.map((e) => e.id));
  return {
    entries,
    errors,
    tombstones: latestPerId(indexTombstones(index))
      .filter((t) => !live.has(t.id))
      .sort(compareTombstones),
    find: (slug) => bySlug.get(slug),
    load(entry) {
      let hit = loaded.get(entry.slug);
      if (!hit) {
        hit = load(entry);
        hit.catch(() => loaded.delete(entry.slug));
        loaded.set(entry.slug, hit);
      }
      return hit;
    },
  };
}
