/**
 * Embargoes and scheduled publishing: an article is shown from the later of
 * its `published` and its `embargo`, never before. Until then it is absent
 * everywhere (feeds, pages, sitemaps, archives, the static build); each
 * store keeps it aside and lets it in at that instant (its "lift").
 * Pure: the instant is always passed in (core reads no clock).
 */
import type { ArticleMeta } from "./article.js";

/** When an article may first be shown, ms since the epoch: the later of `published` and `embargo`. */
export function visibleFrom(article: Pick<ArticleMeta, "published" | "embargo">): number {
  const published = article.published.getTime();
  return article.embargo && article.embargo.getTime() > published ? article.embargo.getTime() : published;
}

/** Whether an article is still held back at `nowMs`. */
export function isHeldBack(article: Pick<ArticleMeta, "published" | "embargo">, nowMs: number): boolean {
  return visibleFrom(article) > nowMs;
}

/** The articles that may be shown at `nowMs` (in the order given), and the next instant one held back may be. */
export function splitHeldBack<T extends ArticleMeta>(articles: readonly T[], nowMs: number): { shown: T[]; held: T[]; nextLift?: number } {
  const shown: T[] = [];
  const held: T[] = [];
  let nextLift = Number.POSITIVE_INFINITY;
  for (const a of articles) {
    const from = visibleFrom(a);
    if (from > nowMs) {
      held.push(a);
      if (from < nextLift) nextLift = from;
    } else shown.push(a);
  }
  return { shown, held, ...(held.length ? { nextLift } : {}) };
}

/**
 * A Cache-Control value whose max-age (and s-maxage) ends no later than
 * `nextLift`: what is cached before a lift must not be served after it.
 * Unchanged when there is no lift ahead, or it is further away than the value's own.
 */
export function clampedCacheControl(cacheControl: string, nextLift: number | undefined, nowMs: number): string {
  if (nextLift === undefined) return cacheControl;
  const left = Math.max(0, Math.ceil((nextLift - nowMs) / 1000));
  return cacheControl.replace(/\b(max-age|s-maxage)=(\d+)/g, (whole, name: string, value: string) => (Number(value) > left ? `${name}=${left}` : whole));
}

/** The instant an article's content last changed for a reader: its newest date, or its lift when later (it appeared then). */
export function changedForReaders(article: ArticleMeta): number {
  const own = (article.updated ?? article.published).getTime();
  return Math.max(own, article.embargo?.getTime() ?? 0);
}
