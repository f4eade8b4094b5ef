import type { ArticleMeta } from "./article.js";
import type { SiteConfig } from "./config.js";
import { formatUrls, type FeedHistory } from "./feed-model.js";
import type { Scope } from "./scopes.js";

/**
 * RFC 5005 archives whose boundaries never move: each archive document is a
 * UTC calendar period of `published`, so deleting, correcting or back-dating
 * an article can change only documents whose period contains that article.
 *
 * The periods form a tree: a year holds at most `archivePageSize` articles,
 * or it is split into its 12 months; a month into its days, a day into hours,
 * an hour into minutes, a minute into seconds, and a second (articles sharing
 * one) into numbered parts of `archivePageSize`. A quiet scope so gets one
 * document a year, a busy one small documents per day or hour: every
 * document stays bounded. A split period's document lists no entries and
 * links to its last sub-period; every sub-period of a split period has a
 * document, even an empty one, so a document's prev-archive link depends
 * only on the calendar, never on what other periods hold.
 *
 * A period is closed (served) once an article newer than its end exists.
 * The open period, the one holding the newest article, is the subscription
 * feed's: it holds at most `archivePageSize` ≤ `feedSize` articles.
 *
 * Keys, one path segment each: "2022", "2022-06", "2022-06-28",
 * "2022-06-28T10", "2022-06-28T1005", "2022-06-28T100530",
 * "2022-06-28T100530-p2".
 */

const YEAR = 0;
const SECOND = 5;
const PART = 6;

interface Period {
  level: number;
  /** Year, month (1-12), day, hour, minute, second: as many as the level needs. */
  fields: number[];
  /** 1-based part of a second (level PART only). */
  part?: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Milliseconds since the epoch of a UTC calendar instant (years below 100 kept as written). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, sec = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, sec, 0);
  return t.getTime();
}

/** Length of an hour, minute and second period; years, months and days are calendar steps. */
const UNIT_MS: Record<number, number> = { 3: 3_600_000, 4: 60_000, 5: 1000 };

function startOf(p: Period): number {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0] = p.fields;
  return utc(y, mo, d, h, mi, sec);
}

function endOf(p: Period): number {
  const [y = 0, mo = 1, d = 1] = p.fields;
  if (p.level === YEAR) return utc(y + 1, 1, 1);
  if (p.level === 1) return utc(y, mo + 1, 1);
  if (p.level === 2) return utc(y, mo, d + 1);
  return startOf(p) + UNIT_MS[Math.min(p.level, SECOND)]!;
}

function periodKey(p: Period): string {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = p.fields;
  const parts = [pad(y, 4), `-${pad(mo)}`, `-${pad(d)}`, `T${pad(h)}`, pad(mi), pad(s)];
  return parts.slice(0, Math.min(p.level, SECOND) + 1).join("") + (p.level === PART ? `-p${p.part}` : "");
}

const KEY = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?:(\d{2})(?:(\d{2})(?:-p([1-9]\d{0,8}))?)?)?)?)?)?$/;

/** Whether a path segment has the shape of an archive document's key (not calendar-checked). */
export function looksLikeArchiveKey(segment: string): boolean {
  return KEY.test(segment);
}

/** A key in canonical form, else undefined (calendar-checked: no 2022-02-30). */
function parseKey(key: string): Period | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const fields = m.slice(1, 7).filter((f) => f !== undefined).map(Number);
  const period: Period = m[7] ? { level: PART, fields, part: Number(m[7]) } : { level: fields.length - 1, fields };
  // Round trip through the calendar: rejects month 13, day 31 of June, hour 24…
  const t = new Date(startOf(period));
  const actual = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  return fields.every((f, i) => f === actual[i]) && periodKey(period) === key ? period : undefined;
}

function periodAt(level: number, time: number): Period {
  const t = new Date(time);
  const all = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  return { level, fields: all.slice(0, level + 1) };
}

function parentOf(p: Period): Period {
  return p.level === PART ? { level: SECOND, fields: p.fields } : { level: p.level - 1, fields: p.fields.slice(0, -1) };
}

/** The archive document of one closed period, as the HTTP layer serves it. */
export interface ArchiveDocument<T> {
  key: string;
  /** Newest first; empty for a split period (its sub-periods hold the articles). */
  entries: T[];
  split: boolean;
  /** The document before this one in the archive chain, if any. */
  prevKey?: string;
  /** Start of the period: the date an empty document gives as its last change. */
  start: Date;
}

/** One scope's archive, over its entries (newest first). Cheap to make; every lookup is a binary search. */
export class Archive<T extends ArticleMeta> {
  /** Oldest first, so a period is a contiguous run found by binary search. */
  private readonly ascending: T[];
  private readonly times: number[];
  private readonly newest: number;
  private readonly firstYear: number;

  constructor(
    entries: readonly T[],
    private readonly pageSize: number,
  ) {
    this.ascending = [...entries].reverse();
    this.times = this.ascending.map((e) => e.published.getTime());
    this.newest = this.times.at(-1) ?? Number.NEGATIVE_INFINITY;
    this.firstYear = this.times.length ? new Date(this.times[0]!).getUTCFullYear() : 0;
  }

  private lowerBound(time: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** [from, to) indexes into `ascending` of a period's articles. */
  private range(p: Period): [number, number] {
    const from = this.lowerBound(startOf(p));
    const to = this.lowerBound(endOf(p));
    if (p.level !== PART) return [from, to];
    const at = from + (p.part! - 1) * this.pageSize;
    return [Math.min(at, to), Math.min(at + this.pageSize, to)];
  }

  private count(p: Period): number {
    const [from, to] = this.range(p);
    return to - from;
  }

  private isSplit(p: Period): boolean {
    return p.level < PART && this.count(p) > this.pageSize;
  }

  private partsOf(second: Period): number {
    return Math.ceil(this.count(second) / this.pageSize);
  }

  /** Whether the period is in the tree: a year of the scope's span, or a sub-period of a split period. */
  private exists(p: Period): boolean {
    if (this.times.length === 0) return false;
    if (p.level === YEAR) return p.fields[0]! >= this.firstYear && startOf(p) <= this.newest;
    const parent = parentOf(p);
    if (!this.exists(parent) || !this.isSplit(parent)) return false;
    return p.level !== PART || p.part! <= this.partsOf(parent);
  }

  /** Closed: an article newer than the whole period exists (parts: a later part of the same second does). */
  private isClosed(p: Period): boolean {
    if (p.level === PART && endOf(p) > this.newest) return p.part! < this.partsOf(parentOf(p));
    return endOf(p) <= this.newest;
  }

  /** The sub-periods of a split period, in time order. */
  private childrenOf(p: Period): Period[] {
    if (p.level === SECOND) return Array.from({ length: this.partsOf(p) }, (_, i) => ({ level: PART, fields: p.fields, part: i + 1 }));
    const level = p.level + 1;
    const first = level === 1 || level === 2 ? 1 : 0;
    const last = level === 1 ? 12 : level === 2 ? new Date(endOf(p) - 1).getUTCDate() : level === 3 ? 23 : 59;
    return Array.from({ length: last - first + 1 }, (_, i) => ({ level, fields: [...p.fields, first + i] }));
  }

  /** The document before `p` in the chain: its previous sibling, else its parent's predecessor. */
  private prevOf(p: Period): Period | undefined {
    if (p.level === YEAR) return p.fields[0]! - 1 >= this.firstYear ? { level: YEAR, fields: [p.fields[0]! - 1] } : undefined;
    if (p.level === PART) return p.part! > 1 ? { ...p, part: p.part! - 1 } : this.prevOf(parentOf(p));
    const own = p.fields.at(-1)!;
    const first = p.level === 1 || p.level === 2 ? 1 : 0;
    return own > first ? { level: p.level, fields: [...p.fields.slice(0, -1), own - 1] } : this.prevOf(parentOf(p));
  }

  /** The closed period's document, or undefined when `key` names no closed period of this scope. */
  document(key: string): ArchiveDocument<T> | undefined {
    const p = parseKey(key);
    if (!p || !this.exists(p) || !this.isClosed(p)) return undefined;
    const split = this.isSplit(p);
    const prev = split ? this.childrenOf(p).at(-1) : this.prevOf(p);
    const [from, to] = split ? [0, 0] : this.range(p);
    return {
      key,
      entries: this.ascending.slice(from, to).reverse(),
      split,
      ...(prev ? { prevKey: periodKey(prev) } : {}),
      start: new Date(startOf(p)),
    };
  }

  /** The newest closed document: what the subscription feed's prev-archive names. */
  latestKey(): string | undefined {
    if (this.times.length === 0) return undefined;
    let open = periodAt(YEAR, this.newest);
    // Down the split periods to the one holding the newest article (in a split second: its last part).
    while (this.isSplit(open)) {
      open = open.level === SECOND ? { level: PART, fields: open.fields, part: this.partsOf(open) } : periodAt(open.level + 1, this.newest);
    }
    const prev = this.prevOf(open);
    return prev ? periodKey(prev) : undefined;
  }

  /** Every closed document's key, oldest period first (static export, link checks). */
  keys(): string[] {
    const out: string[] = [];
    const walk = (p: Period) => {
      if (!this.isClosed(p) && !this.isSplit(p)) return;
      if (this.isClosed(p)) out.push(periodKey(p));
      if (this.isSplit(p)) for (const c of this.childrenOf(p)) if (startOf(c) <= this.newest) walk(c);
    };
    if (this.times.length) {
      for (let y = this.firstYear; y <= new Date(this.newest).getUTCFullYear(); y++) walk({ level: YEAR, fields: [y] });
    }
    return out;
  }
}

const archives = new WeakMap<readonly ArticleMeta[], Map<number, Archive<ArticleMeta>>>();

/** The archive of a scope's entries, made once per entries array (a catalog keeps its arrays). */
export function archiveOf<T extends ArticleMeta>(entries: readonly T[], pageSize: number): Archive<T> {
  let bySize = archives.get(entries);
  if (!bySize) archives.set(entries, (bySize = new Map()));
  let hit = bySize.get(pageSize);
  if (!hit) bySize.set(pageSize, (hit = new Archive(entries, pageSize)));
  return hit as Archive<T>;
}

export function archivePath(key: string): string {
  return `archive/${key}/`;
}

/** History links of the subscription feed that shows `shown` of `total` articles. */
export function subscriptionHistory(site: SiteConfig, scope: Scope, archive: Archive<ArticleMeta>, total: number, shown: number): FeedHistory {
  if (shown >= total) return { complete: true };
  const latest = archive.latestKey();
  return latest ? { prevArchive: formatUrls(site, scope.path + archivePath(latest)) } : {};
}

/**
 * History links of a closed archive document. No next-archive link (RFC
 * 5005 makes it optional): a document would have to gain one when the next
 * period closes.
 */
export function archiveHistory(site: SiteConfig, scope: Scope, prevKey: string | undefined): FeedHistory {
  return {
    archive: true,
    current: formatUrls(site, scope.path),
    ...(prevKey ? { prevArchive: formatUrls(site, scope.path + archivePath(prevKey)) } : {}),
  };
}
