import { describe, expect, it } from "vitest";
import type { ArticleMeta } from "../../src/core/article.js";
import { compareNewestFirst, sortNewestFirst } from "../../src/core/feed-model.js";

/** Entries with few distinct dates and ids, so ties of both (and equal pairs) are common. */
function entries(n: number, seed: number): ArticleMeta[] {
  let a = seed;
  const next = () => ((a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => {
    const t = Math.floor(next() * 20);
    const published = t === 19 ? new Date(Number.NaN) : new Date(Date.UTC(2024, 0, 1 + t));
    return { slug: `s-${i}`, file: `items/s-${i}.md`, id: `urn:x:${Math.floor(next() * 30)}`, title: `T ${i}`, published, categories: [], authors: [], language: "en", url: `https://example.com/items/s-${i}` };
  });
}

describe("sortNewestFirst", () => {
  it("gives exactly the order of sorting by compareNewestFirst, ties and invalid dates included, without touching its input", () => {
    for (const [n, seed] of [[0, 1], [1, 2], [7, 3], [500, 4], [5000, 5]] as const) {
      const input = entries(n, seed);
      const before = [...input];
      const got = sortNewestFirst(input);
      const want = [...input].sort(compareNewestFirst);
      expect(got.length).toBe(want.length);
      // The same objects in the same places, not merely equal ones.
      expect(got.every((e, i) => e === want[i])).toBe(true);
      expect(input).toEqual(before);
    }
  });
});
