/**
 * The contract every Listings implementation answers to (src/core/listings.ts):
 * one function that, given a way to build a Listings from records, withdrawals
 * and change stamps, checks every method on the sample items plus edge cases
 * (same-millisecond articles, archive boundaries, scope slugs several names
 * share, astral characters in labels, withdrawals, a republished slug, a
 * draft). Each store's test calls it with its own builder; listingsQuestions
 * gives the answers to every question, for comparing two stores.
 *
 * Public as `wirefeed/contract`, so a store written outside this repository
 * is held to the same answers: it runs under vitest (an optional peer
 * dependency), on the sample records the package ships
 * (test/fixtures/items/) and the cases below, parsed with CONTRACT_SITE_CONFIG.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { compareNewestFirst, compareLatestChangeFirst } from "../core/feed-model.js";
import type { Listings, NamedScopeKind } from "../core/listings.js";
import { SITE_SCOPE, type Scope } from "../core/scopes.js";
import type { StampState } from "../core/change-stamps.js";
import type { Tombstone } from "../core/tombstone.js";

/** The sample records: the same folder from src/contract/ and from the compiled dist/contract/ (the package ships it). */
const SAMPLE_ITEMS = fileURLToPath(new URL("../../test/fixtures/items/", import.meta.url));

/** The site the contract's records are parsed with (its ids are under news.example): pass it to parseSiteConfig. */
export const CONTRACT_SITE_CONFIG = {
  title: "Test Wire",
  description: "Stories for tests",
  baseUrl: "https://news.example/",
  idDomain: "news.example",
  author: { name: "Test Desk", email: "desk@news.example" },
  language: "en",
  timeZone: "Asia/Tokyo",
  feedSize: 50,
  cacheMinutes: 5,
} as const;

/** A record's text from front-matter fields and a body. */
function record(fields: Record<string, unknown>, body = "Body text."): string {
  const yaml = Object.entries(fields)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join("\n");
  return `---\n${yaml}\n---\n\n${body}\n`;
}

export interface ContractRecord {
  name: string;
  bytes: Uint8Array;
}

export interface ContractInput {
  records: ContractRecord[];
  tombstones: Tombstone[];
  /** Change stamps (keyed by record name) and scopes left. */
  stamps: StampState;
  /**
   * The instant the store answers at: an article held back then (an
   * `embargo` or a `published` later than it: core/embargo.ts) must be in
   * no answer, and Listings.nextLift must name the earliest such instant.
   * Absent: any instant after every record's dates (2023-09-01 for the cases below).
   */
  now?: Date;
}

export type BuildListings = (input: Omit<ContractInput, "stamps" | "now"> & { stamps?: StampState; now?: Date }) => Promise<Listings>;

const encode = (text: string) => new TextEncoder().encode(text);
const KINDS: readonly NamedScopeKind[] = ["category", "author", "language"];

const made = (name: string, fields: Record<string, unknown>): ContractRecord => ({ name: `${name}.md`, bytes: encode(record(fields)) });

/** Records held back at 2023-09-01 (the contract's embargo case): one under embargo, one published later, each in scopes of its own. */
export function heldBackRecords(): ContractRecord[] {
  return [
    made("embargoed", {
      title: "Embargoed scoop",
      published: "2023-08-01T00:00:00Z",
      embargo: "2023-09-02T00:00:00Z",
      categories: ["Embargo Desk", "Boundary"],
      authors: ["Embargo Writer"],
      language: "de",
    }),
    made("scheduled", { title: "Scheduled story", published: "2023-09-03T00:00:00Z", categories: ["Scheduled Desk"] }),
  ];
}

/** The sample items and the edge cases, as records. */
export function contractRecords(): ContractRecord[] {
  const samples = readdirSync(SAMPLE_ITEMS)
    .filter((n) => n.endsWith(".md"))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(SAMPLE_ITEMS, name))) }));
  return [
    ...samples,
    // Same instant: ordered by id (code units).
    made("same-second-b", { title: "Same second B", published: "2023-03-01T00:00:00Z", categories: ["R&D"] }),
    made("same-second-a", { title: "Same second A", published: "2023-03-01T00:00:00Z", categories: ["R D"] }),
    // Archive boundary: exactly the first instant of a month, and the last before it.
    made("month-start", { title: "Month start", published: "2023-04-01T00:00:00Z", categories: ["Boundary"] }),
    made("month-end", { title: "Month end", published: "2023-03-31T23:59:59.999Z", categories: ["Boundary"], updated: "2023-05-01T00:00:00Z" }),
    // One slug ("ff") from a BMP ligature and from astral letters: JavaScript's order puts the astral first, UTF-8's the ligature.
    made("ligature", { title: "Ligature", published: "2023-02-01T00:00:00Z", categories: ["\uFB00"] }),
    made("astral", { title: "Astral", published: "2023-02-02T00:00:00Z", categories: ["\u{1D41F}\u{1D41F}"] }),
    // A slug published again under another id after its withdrawal.
    made("republished", { title: "Republished", published: "2023-06-01T00:00:00Z", id: "tag:news.example,2023:republished-2" }),
    made("a-draft", { title: "Draft", published: "2023-06-02T00:00:00Z", draft: true }),
  ];
}

/** Withdrawals: one whose scope no live article has, one of a republished slug, one older of the same id (latest wins), one of a live id, one with no filing. */
export function contractTombstones(): Tombstone[] {
  return [
    { slug: "gone-only", id: "tag:news.example,2023:gone-only", when: new Date("2023-07-01T00:00:00Z"), title: "Gone", categories: ["Vanished Desk"], authors: ["Ghost Writer"], language: "fr" },
    { slug: "gone-only", id: "tag:news.example,2023:gone-only", when: new Date("2023-06-15T00:00:00Z"), title: "Gone earlier", categories: [], authors: [], language: "fr" },
    { slug: "republished", id: "tag:news.example,2023:republished-1", when: new Date("2023-05-20T00:00:00Z"), title: "Republished", categories: ["R&D"], authors: ["Test Desk"], language: "en" },
    { slug: "old-style", id: "tag:news.example,2020:old-style", when: new Date("2023-05-20T00:00:00Z") },
    // Its id is live again (same-second-a's default id): not withdrawn.
    { slug: "same-second-a", id: "tag:news.example,2023-03-01:same-second-a", when: new Date("2023-08-01T00:00:00Z"), title: "x", categories: ["Ghost"], authors: [], language: "en" },
  ];
}

/** Every question the contract asks, with its answer: two stores over the same records must give equal objects. */
export async function listingsQuestions(listings: Listings): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  const scopes: Scope[] = [SITE_SCOPE];
  for (const kind of KINDS) {
    answers[`scopes ${kind} live`] = await listings.scopes(kind, false);
    const all = await listings.scopes(kind, true);
    answers[`scopes ${kind} all`] = all;
    scopes.push(...all);
    for (const s of all) answers[`scope ${kind} ${s.slug}`] = await listings.scope(kind, s.slug);
    answers[`scope ${kind} none`] = await listings.scope(kind, "no-such-scope");
  }
  const slugs = new Set<string>(["no-such-slug", "gone-only", "old-style"]);
  for (const scope of scopes) {
    const k = scope.path;
    answers[`stats ${k}`] = await listings.stats(scope);
    for (const n of [1, 3, 100]) for (const order of ["published", "updated"] as const) answers[`newest ${k} ${n} ${order}`] = await listings.newest(scope, n, order);
    const windows: [number, number][] = [[0, 8.64e15], [Date.parse("2023-03-01T00:00:00Z"), Date.parse("2023-04-01T00:00:00Z")], [Date.parse("2023-04-01T00:00:00Z"), Date.parse("2023-05-01T00:00:00Z")]];
    for (const [from, to] of windows) {
      answers[`count ${k} ${from}-${to}`] = await listings.count(scope, from, to);
      for (const atMost of [0, 1, 2, 1000]) answers[`count ${k} ${from}-${to} at most ${atMost}`] = await listings.count(scope, from, to, atMost);
      for (const [skip, limit] of [[0, 100], [1, 2], [5, 10]]) answers[`range ${k} ${from}-${to} ${skip} ${limit}`] = await listings.range(scope, from, to, skip!, limit!);
    }
    answers[`withdrawals ${k}`] = await listings.withdrawals(scope, 10);
    answers[`withdrawals ${k} 1`] = await listings.withdrawals(scope, 1);
    for (const e of await listings.newest(scope, 100, "published")) slugs.add(e.slug);
  }
  answers.site = await listings.site();
  for (const slug of [...slugs].sort()) {
    answers[`find ${slug}`] = await listings.find(slug);
    answers[`withdrawn ${slug}`] = await listings.withdrawn(slug);
  }
  answers.load = await listings.load(await listings.newest(SITE_SCOPE, 100, "published"));
  return answers;
}

/** The contract, for a store that `build`s Listings from records. */
export function listingsContract(name: string, build: BuildListings): void {
  describe(`Listings contract: ${name}`, () => {
    const input = () => ({ records: contractRecords(), tombstones: contractTombstones() });

    test("newest is every live article, newest first, ties by id; drafts are not listed", async () => {
      const listings = await build(input());
      const all = await listings.newest(SITE_SCOPE, 1000, "published");
      expect(all.length).toBe(contractRecords().length - 1);
      expect([...all].sort(compareNewestFirst).map((a) => a.slug)).toEqual(all.map((a) => a.slug));
      expect(all.map((a) => a.slug)).not.toContain("a-draft");
      const same = all.filter((a) => a.slug.startsWith("same-second")).map((a) => a.slug);
      expect(same).toEqual(["same-second-a", "same-second-b"]);
      expect((await listings.newest(SITE_SCOPE, 2, "published")).map((a) => a.slug)).toEqual(all.slice(0, 2).map((a) => a.slug));
      const updated = await listings.newest(SITE_SCOPE, 1000, "updated");
      expect(updated.map((a) => a.slug)).toEqual([...all].sort(compareLatestChangeFirst).map((a) => a.slug));
    });

    test("count and range: [from, to), oldest first, skip and limit", async () => {
      const listings = await build(input());
      const march = [Date.parse("2023-03-01T00:00:00Z"), Date.parse("2023-04-01T00:00:00Z")] as const;
      expect(await listings.count(SITE_SCOPE, ...march)).toBe(3);
      expect([await listings.count(SITE_SCOPE, ...march, 2), await listings.count(SITE_SCOPE, ...march, 3), await listings.count(SITE_SCOPE, ...march, 9)]).toEqual([2, 3, 3]);
      const page = await listings.range(SITE_SCOPE, ...march, 0, 10);
      expect(page.map((a) => a.slug)).toEqual(["same-second-b", "same-second-a", "month-end"]);
      expect((await listings.range(SITE_SCOPE, ...march, 1, 1)).map((a) => a.slug)).toEqual(["same-second-a"]);
      expect(await listings.range(SITE_SCOPE, ...march, 3, 10)).toEqual([]);
      expect(await listings.count(SITE_SCOPE, Date.parse("2023-04-01T00:00:00Z"), Date.parse("2023-04-01T00:00:00.001Z"))).toBe(1);
    });

    test("scope labels: one slug for several names, the first in code-unit order, live names first", async () => {
      const listings = await build(input());
      expect((await listings.scope("category", "r-d"))?.label).toBe("R D");
      expect((await listings.scope("category", "ff"))?.label).toBe("\u{1D41F}\u{1D41F}");
      expect(await listings.scope("category", "vanished-desk")).toEqual({ kind: "category", slug: "vanished-desk", label: "Vanished Desk", path: "categories/vanished-desk/" });
      expect(await listings.scope("category", "nothing")).toBeUndefined();
      const live = await listings.scopes("category", false);
      expect(live.map((s) => s.slug)).not.toContain("vanished-desk");
      const all = await listings.scopes("category", true);
      expect(all.map((s) => s.slug)).toContain("vanished-desk");
      expect(all.map((s) => s.slug)).toEqual([...all.map((s) => s.slug)].sort());
      // A withdrawal filed under a live tag of another spelling does not relabel it, nor does a live id's old tombstone add a scope.
      expect(all.map((s) => s.slug)).not.toContain("ghost");
      expect((await listings.scopes("language", true)).map((s) => s.slug)).toContain("fr");
    });

    test("stats: total, oldest and newest of a scope; listingMoved and left from the stamps", async () => {
      const listings = await build(input());
      const boundary = (await listings.scope("category", "boundary"))!;
      const stats = await listings.stats(boundary);
      expect(stats.total).toBe(2);
      expect(stats.oldest).toBe(Date.parse("2023-03-31T23:59:59.999Z"));
      expect(stats.newest).toBe(Date.parse("2023-04-01T00:00:00Z"));
      const vanished = await listings.stats((await listings.scope("category", "vanished-desk"))!);
      expect(vanished).toMatchObject({ total: 0 });
      expect(vanished.oldest).toBeUndefined();
      const site = await listings.site();
      expect(site.newestChange.getTime()).toBe(Math.max(...(await listings.newest(SITE_SCOPE, 1000, "published")).map((a) => (a.updated ?? a.published).getTime())));
    });

    test("withdrawals: newest first, latest per id, live ids and republished slugs not withdrawn", async () => {
      const listings = await build(input());
      const site = await listings.withdrawals(SITE_SCOPE, 10);
      expect(site.map((t) => [t.slug, t.when.toISOString()])).toEqual([
        ["gone-only", "2023-07-01T00:00:00.000Z"],
        ["old-style", "2023-05-20T00:00:00.000Z"],
        ["republished", "2023-05-20T00:00:00.000Z"],
      ]);
      expect((await listings.withdrawals(SITE_SCOPE, 1)).length).toBe(1);
      const rd = await listings.withdrawals((await listings.scope("category", "r-d"))!, 10);
      expect(rd.map((t) => t.id)).toEqual(["tag:news.example,2023:republished-1"]);
      expect((await listings.withdrawn("gone-only"))?.title).toBe("Gone");
      expect(await listings.withdrawn("republished")).toBeUndefined();
      expect(await listings.withdrawn("same-second-a")).toBeUndefined();
      expect((await listings.withdrawn("old-style"))?.id).toBe("tag:news.example,2020:old-style");
    });

    test("find and load: the live article with its rendered body", async () => {
      const listings = await build(input());
      const entry = await listings.find("kuwait-oil-output-steady");
      expect(entry?.title).toContain("Kuwait");
      const [article] = await listings.load([entry!]);
      expect(article!.rendered.html).toContain("<p>");
      expect(await listings.find("a-draft")).toBeUndefined();
      expect(await listings.find("gone-only")).toBeUndefined();
    });

    test("embargoes: an article held back at `now` (an embargo, a later published) is in no answer until then; nextLift names that instant", async () => {
      const base = input();
      const now = new Date("2023-09-01T00:00:00Z");
      const withHeld = { ...base, records: [...base.records, ...heldBackRecords()] };
      const listings = await build({ ...withHeld, now });
      // Every answer is the one the store gives without those records at all.
      expect(await listingsQuestions(listings)).toEqual(await listingsQuestions(await build({ ...base, now })));
      expect(listings.nextLift).toBe(Date.parse("2023-09-02T00:00:00Z"));
      expect(await listings.find("embargoed")).toBeUndefined();
      expect(await listings.scope("category", "embargo-desk")).toBeUndefined();
      expect(await listings.scope("author", "embargo-writer")).toBeUndefined();
      // At the embargo's instant it is in; the scheduled story still waits.
      const lifted = await build({ ...withHeld, now: new Date("2023-09-02T00:00:00Z") });
      expect((await lifted.find("embargoed"))?.title).toBe("Embargoed scoop");
      expect((await lifted.newest(SITE_SCOPE, 1000, "published")).map((a) => a.slug)).toContain("embargoed");
      expect((await lifted.stats((await lifted.scope("category", "embargo-desk"))!)).total).toBe(1);
      expect(await lifted.find("scheduled")).toBeUndefined();
      expect(lifted.nextLift).toBe(Date.parse("2023-09-03T00:00:00Z"));
      const all = await build({ ...withHeld, now: new Date("2023-09-03T00:00:00Z") });
      expect((await all.find("scheduled"))?.title).toBe("Scheduled story");
      expect(all.nextLift).toBeUndefined();
    });

    test("stamps: listed, changed and left as given", async () => {
      const base = input();
      const stamps: StampState = { records: new Map(), left: new Map([["/categories/boundary/", new Date("2024-01-01T00:00:00Z")]]) };
      const listings = await build({ ...base, stamps });
      const boundary = await listings.stats((await listings.scope("category", "boundary"))!);
      expect(boundary.left?.toISOString()).toBe("2024-01-01T00:00:00.000Z");
      expect(boundary.listingMoved.toISOString()).toBe("2024-01-01T00:00:00.000Z");
      expect((await listings.site()).anyListingMoved.toISOString()).toBe("2024-01-01T00:00:00.000Z");
    });
  });
}
