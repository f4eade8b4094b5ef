/**
 * An archive told pastPage (the (page + 1)-th newest article's date, which
 * the SQL stores read with a scope's stats) answers exactly as one that
 * counts every period, without counting the periods around the newest.
 */
import { describe, expect, it } from "vitest";
import type { ArticleMeta } from "../../src/core/article.js";
import { Archive, type PublishedIndex } from "../../src/core/archive.js";

const PAGE = 5;

/** Articles at the given times (ms), as an index over them, with the counts it was asked for recorded. */
function indexOf(times: number[], withPastPage: boolean): { index: PublishedIndex<ArticleMeta>; asked: number[][] } {
  const sorted = [...times].sort((a, b) => a - b);
  const entries = sorted.map((t, i) => ({ slug: `a${i}`, id: `tag:x,2024:a${i}`, published: new Date(t) }) as unknown as ArticleMeta);
  const inSpan = (from: number, to: number) => entries.filter((e) => e.published.getTime() >= from && e.published.getTime() < to);
  const asked: number[][] = [];
  const past = sorted.length > PAGE ? sorted[sorted.length - 1 - PAGE] : undefined;
  return {
    asked,
    index: {
      oldest: sorted[0]!,
      newest: sorted.at(-1)!,
      ...(withPastPage ? { pastPage: { size: PAGE, ...(past !== undefined ? { published: past } : {}) } } : {}),
      async count(from, to, atMost) {
        asked.push([from, to]);
        return Math.min(inSpan(from, to).length, atMost ?? Number.POSITIVE_INFINITY);
      },
      async range(from, to, skip, limit) {
        return inSpan(from, to).slice(skip, skip + limit);
      },
    },
  };
}

/** A seeded sequence of times: clustered so that years, months, days, hours, minutes and seconds split. */
function times(seed: number, n: number): number[] {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const base = Date.UTC(2023, 11, 31, 23, 59, 58);
  const spans = [1000, 60_000, 3_600_000, 86_400_000, 40 * 86_400_000, 400 * 86_400_000];
  return Array.from({ length: n }, () => base + Math.floor(next() * spans[Math.floor(next() * spans.length)]!));
}

describe("Archive with pastPage", () => {
  it("gives the same latest key and documents as counting, and counts none of the newest article's periods for the latest key", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const t = times(seed, 3 + (seed % 4) * 6);
      const counting = indexOf(t, false);
      const told = indexOf(t, true);
      const a = new Archive(counting.index, PAGE);
      const b = new Archive(told.index, PAGE);
      const latest = await b.latestKey();
      expect(latest).toEqual(await a.latestKey());
      // Only a split second's parts are counted (how many there are); no year, month, day, hour or minute.
      expect(told.asked.every(([from, to]) => to! - from! === 1000)).toBe(true);
      const keys = await a.keys();
      expect(await b.keys()).toEqual(keys);
      for (const key of keys) expect(await b.document(key)).toEqual(await a.document(key));
    }
  });
});
