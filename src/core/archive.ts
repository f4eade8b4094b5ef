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

/**
 * What an archive needs of its scope: the span of `published` and two
 * indexed questions (see Listings.count and Listings.range).
 */
export interface PublishedIndex<T> {
  /** `published` of the oldest and newest article (ms); undefined when the scope has none. */
  oldest?: number;
  newest?: number;
  /** ScopeStats.pastPage, when the store gave it. */
  pastPage?: { size: number; published?: number };
  /** How many in [from, to), at most `atMost` when given (counting stops there). */
  count(from: number, to: number, atMost?: number): Promise<number>;
  /** Oldest first, skipping `skip`, at most `limit`. */
  range(from: number, to: number, skip: number, limit: number): Promise<T[]>;
}

/**
 * One scope's archive, over an index of its articles. Each question is a few
 * counts (one per level of the period tree), remembered for the life of the
 * object: one object per content version and scope.
 */
export class Archive<T extends ArticleMeta> {
  private readonly newest: number;
  private readonly firstYear: number;
  private readonly empty: boolean;
  private readonly counts = new Map<string, Promise<number>>();

  constructor(
    private readonly index: PublishedIndex<T>,
    private readonly pageSize: number,
  ) {
    this.empty = index.oldest === undefined || index.newest === undefined;
    this.newest = index.newest ?? Number.NEGATIVE_INFINITY;
    this.firstYear = index.oldest === undefined ? 0 : new Date(index.oldest).getUTCFullYear();
  }

  /** Articles of a period that is not a part (parts are slices of their second), at most `atMost`. */
  private count(p: Period, atMost?: number): Promise<number> {
    const key = `${periodKey(p)}|${atMost ?? ""}`;
    let hit = this.counts.get(key);
    if (!hit) this.counts.set(key, (hit = this.index.count(startOf(p), endOf(p), atMost)));
    return hit;
  }

  /** Split when it holds more than a page: counted only up to one past a page, so a year of a big archive costs a page. */
  private async isSplit(p: Period): Promise<boolean> {
    if (p.level >= PART) return false;
    // A period holding the newest article holds every article from its start on: it is split exactly
    // when the (page + 1)-th newest is in it, which the store may have said already (no count then).
    const past = this.index.pastPage;
    if (past && past.size === this.pageSize && startOf(p) <= this.newest && endOf(p) > this.newest) {
      return past.published !== undefined && past.published >= startOf(p);
    }
    return (await this.count(p, this.pageSize + 1)) > this.pageSize;
  }

  private async partsOf(second: Period): Promise<number> {
    return Math.ceil((await this.count(second)) / this.pageSize);
  }

  /** Whether the period is in the tree: a year of the scope's span, or a sub-period of a split period. */
  private async exists(p: Period): Promise<boolean> {
    if (this.empty) return false;
    if (p.level === YEAR) return p.fields[0]! >= this.firstYear && startOf(p) <= this.newest;
    const parent = parentOf(p);
    if (!(await this.exists(parent)) || !(await this.isSplit(parent))) return false;
    return p.level !== PART || p.part! <= (await this.partsOf(parent));
  }

  /** Closed: an article newer than the whole period exists (parts: a later part of the same second does). */
  private async isClosed(p: Period): Promise<boolean> {
    if (p.level === PART && endOf(p) > this.newest) return p.part! < (await this.partsOf(parentOf(p)));
    return endOf(p) <= this.newest;
  }

  /** The sub-periods of a split period, in time order. */
  private async childrenOf(p: Period): Promise<Period[]> {
    if (p.level === SECOND) return Array.from({ length: await this.partsOf(p) }, (_, i) => ({ level: PART, fields: p.fields, part: i + 1 }));
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

  /** A period's articles, newest first. */
  private async entriesOf(p: Period): Promise<T[]> {
    const ascending =
      p.level === PART
        ? await this.index.range(startOf(p), endOf(p), (p.part! - 1) * this.pageSize, this.pageSize)
        : await this.index.range(startOf(p), endOf(p), 0, Number.MAX_SAFE_INTEGER);
    return ascending.reverse();
  }

  /** The closed period's document, or undefined when `key` names no closed period of this scope. */
  async document(key: string): Promise<ArchiveDocument<T> | undefined> {
    const p = parseKey(key);
    if (!p || !(await this.exists(p)) || !(await this.isClosed(p))) return undefined;
    const split = await this.isSplit(p);
    const prev = split ? (await this.childrenOf(p)).at(-1) : this.prevOf(p);
    return {
      key,
      entries: split ? [] : await this.entriesOf(p),
      split,
      ...(prev ? { prevKey: periodKey(prev) } : {}),
      start: new Date(startOf(p)),
    };
  }

  /** The newest closed document: what the subscription feed's prev-archive names. */
  async latestKey(): Promise<string | undefined> {
    if (this.empty) return undefined;
    let open = periodAt(YEAR, this.newest);
    // Down the split periods to the one holding the newest article (in a split second: its last part).
    while (await this.isSplit(open)) {
      open = open.level === SECOND ? { level: PART, fields: open.fields, part: await this.partsOf(open) } : periodAt(open.level + 1, this.newest);
    }
    const prev = this.prevOf(open);
    return prev ? periodKey(prev) : undefined;
  }

  /** Every closed document's key, oldest period first (static export, link checks). */
  async keys(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (p: Period) => {
      const closed = await this.isClosed(p);
      const split = await this.isSplit(p);
      if (!closed && !split) return;
      if (closed) out.push(periodKey(p));
      if (split) for (const c of await this.childrenOf(p)) if (startOf(c) <= this.newest) await walk(c);
    };
    if (!this.empty) {
      for (let y = this.firstYear; y <= new Date(this.newest).getUTCFullYear(); y++) await walk({ level: YEAR, fields: [y] });
    }
    return out;
  }
}

export function archivePath(key: string): string {
  return `archive/${key}/`;
}

/** History links of the subscription feed that shows `shown` of `total` articles; `latest` is the newest closed document's key. */
export function subscriptionHistory(site: SiteConfig, scope: Scope, latest: string | undefined, total: number, shown: number): FeedHistory {
  if (shown >= total) return { complete: true };
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
