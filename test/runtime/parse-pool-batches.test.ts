/**
 * The start-up side of the parse pool: records handed to a worker several
 * to a message, read, stamped and digested there (ParsePool.load), and the
 * per-record time limit still refusing exactly the record that overran,
 * whichever place it had in its batch.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_RECORD_BYTES, parseRecord } from "../../src/core/record.js";
import { LiveCatalog } from "../../src/runtime/live-catalog.js";
import { ParsePool } from "../../src/runtime/parse-pool.js";
import { parseFingerprint } from "../../src/runtime/parser-fingerprint.js";
import { stampOf } from "../../src/storage/file-stamp.js";
import { PARSE_INDEX_FILE, ParseIndex } from "../../src/storage/parse-index.js";
import { encodeRecord } from "../../src/storage/parsed-record-codec.js";
import { recordDigest } from "../../src/storage/stamps-file.js";
import { record, testSite } from "../support/fixtures.js";

const site = testSite();
const pools: ParsePool[] = [];
const opened: LiveCatalog[] = [];
afterEach(async () => {
  for (const l of opened.splice(0)) l.close();
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(...args: ConstructorParameters<typeof ParsePool>): ParsePool {
  const p = new ParsePool(...args);
  pools.push(p);
  return p;
}

const story = (i: number) => record({ title: `Story ${i}`, published: "2022-06-29T09:00:00Z" }, `Text ${i}. `.repeat(50));
/** A body of about 1 MiB of code-span openers: it renders, but takes seconds (far more than the 1 s limit given below). */
const slow = record({ title: "Slow", published: "2022-06-29T09:00:00Z" }, "`a".repeat(Math.floor((MAX_RECORD_BYTES - 1024) / 2)));

describe("ParsePool in batches", () => {
  it("a record over the time limit is refused, and the others of its batch (before and after it) come back parsed", async () => {
    const p = pool(1_000, 1, 6, 6);
    const inputs = [story(0), story(1), slow, story(3), story(4), story(5)];
    const results = await Promise.all(inputs.map((input, i) => p.parse(`items/s-${i}.md`, input, site)));
    expect(results[2]).toEqual({ ok: false, errors: [expect.objectContaining({ file: "items/s-2.md", problem: "took longer than 1 s to render" })] });
    results.forEach((result, i) => {
      if (i === 2) return;
      const inline = parseRecord(`items/s-${i}.md`, inputs[i]!, site);
      expect(result).toEqual(inline);
    });
    // The worker that overran was replaced; what it had done but not yet sent back was done again by the next.
    expect(p.started).toBe(2);
  }, 60_000);

  it("load() stamps, reads and digests the file on the worker, and parses it unless its digest is the known one", async () => {
    const d = mkdtempSync(join(tmpdir(), "wirefeed-load-"));
    writeFileSync(join(d, "a.md"), story(1));
    writeFileSync(join(d, "b.md"), story(2));
    writeFileSync(join(d, "bad.md"), record({ title: "No date" }));
    const p = pool(10_000, 2, 4, 2);
    const known = recordDigest(readFileSync(join(d, "b.md")));
    symlinkSync(join(d, "a.md"), join(d, "link.md"));
    const [a, b, bad, gone, link] = await Promise.all([
      p.load(join(d, "a.md"), "items/a.md", undefined, 0, site),
      p.load(join(d, "b.md"), "items/b.md", known, 0, site),
      p.load(join(d, "bad.md"), "items/bad.md", undefined, 0, site),
      p.load(join(d, "none.md"), "items/none.md", undefined, 0, site),
      p.load(join(d, "link.md"), "items/link.md", undefined, 0, site),
    ]);
    const inline = parseRecord("items/a.md", readFileSync(join(d, "a.md")), site);
    expect(a).toEqual({
      stamp: stampOf(join(d, "a.md"), Date.now()),
      digest: recordDigest(readFileSync(join(d, "a.md"))),
      result: { ok: true, encoded: encodeRecord(inline.ok && "article" in inline ? { article: inline.article } : { draft: true, slug: "" }) },
    });
    // The known bytes: stamped and digested, not parsed.
    expect(b).toEqual({ stamp: stampOf(join(d, "b.md"), Date.now()), digest: known });
    expect(bad).toMatchObject({ result: { ok: false, errors: [expect.objectContaining({ file: "items/bad.md", field: "published" })] } });
    expect(gone).toEqual({ gone: true });
    // A symlink named like a record is not one (opened without following links), as the directory store reads it.
    expect(link).toEqual({ gone: true });
  }, 60_000);

  it("a stamp the worker takes is judged settled by the clock it is given (the index's), not its own", async () => {
    const d = mkdtempSync(join(tmpdir(), "wirefeed-load-"));
    writeFileSync(join(d, "a.md"), story(1));
    const p = pool();
    const fresh = await p.load(join(d, "a.md"), "items/a.md", undefined, 0, site);
    const later = await p.load(join(d, "a.md"), "items/a.md", undefined, 60_000, site);
    expect("stamp" in fresh && fresh.stamp?.settled).toBe(false);
    expect("stamp" in later && later.stamp?.settled).toBe(true);
  }, 60_000);
});

function unsettledRows(d: string): number {
  const db = new Database(join(d, PARSE_INDEX_FILE), { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM entries WHERE settled = 0").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("a first start whose records are read on the parse workers", () => {
  /** Enough records that the live catalog hands them to the bulk pool (BULK_PARSE_MIN). */
  const COUNT = 600;
  const later = () => Date.now() + 60_000;

  async function open(d: string, nowMs: () => number = later) {
    const bulk = pool(10_000, 2, 16, 8);
    const index = ParseIndex.open(join(d, PARSE_INDEX_FILE), parseFingerprint(site), () => {}, { nowMs })!;
    const live = await LiveCatalog.open(d, site, {
      label: "items",
      log: () => {},
      bulkLoad: (path, file, known, offset, s) => bulk.load(path, file, known, offset, s),
      index,
      now: () => new Date("2026-11-27T12:00:00Z"),
    });
    opened.push(live);
    return live;
  }

  it("gives the catalog an in-line start gives, and a restart takes every record from the index", async () => {
    const d = mkdtempSync(join(tmpdir(), "wirefeed-bulk-"));
    for (let i = 0; i < COUNT; i++) writeFileSync(join(d, `s-${String(i).padStart(4, "0")}.md`), i % 50 === 7 ? record({ title: `Bad ${i}` }) : story(i));
    const first = await open(d);
    expect(first.startStats).toEqual({ reused: 0, parsed: COUNT });
    const inlineDir = mkdtempSync(join(tmpdir(), "wirefeed-bulk-inline-"));
    for (let i = 0; i < COUNT; i++) writeFileSync(join(inlineDir, `s-${String(i).padStart(4, "0")}.md`), readFileSync(join(d, `s-${String(i).padStart(4, "0")}.md`)));
    const inline = await LiveCatalog.open(inlineDir, site, { label: "items", log: () => {}, now: () => new Date("2026-11-27T12:00:00Z") });
    opened.push(inline);
    // Errors in name order: records parsed on two workers are refused in the order they come back.
    const shape = (l: LiveCatalog) => ({ entries: l.current().entries, errors: l.current().errors.map((e) => e.message).sort() });
    expect(shape(first)).toEqual(shape(inline));
    expect(first.current().errors).toHaveLength(COUNT / 50);
    first.close();
    const again = await open(d);
    expect(again.startStats).toEqual({ reused: COUNT - COUNT / 50, parsed: COUNT / 50 });
    expect(shape(again)).toEqual(shape(inline));
    rmSync(inlineDir, { recursive: true, force: true });
  }, 120_000);

  it("a record rewritten after the worker stamped it: the next start sees its stamp moved and parses the new bytes", async () => {
    const d = mkdtempSync(join(tmpdir(), "wirefeed-bulk-"));
    for (let i = 0; i < COUNT; i++) writeFileSync(join(d, `s-${String(i).padStart(4, "0")}.md`), story(i));
    const first = await open(d);
    first.close();
    // Same size, mtime put back: only ctime (and so the stamp the worker takes) moves.
    const path = join(d, "s-0003.md");
    const before = statSync(path);
    const edited = story(3).replace("Story 3", "Story X");
    writeFileSync(path, edited);
    utimesSync(path, before.atime, before.mtime);
    const again = await open(d);
    expect(again.startStats).toEqual({ reused: COUNT - 1, parsed: 1 });
    expect(again.current().find("s-0003")?.title).toBe("Story X");
  }, 120_000);

  it("stamps the worker took too fresh to prove anything are checked by digest at the next start, not trusted", async () => {
    const d = mkdtempSync(join(tmpdir(), "wirefeed-bulk-"));
    for (let i = 0; i < COUNT; i++) writeFileSync(join(d, `s-${String(i).padStart(4, "0")}.md`), story(i));
    // A clock a minute behind the files' times: every stamp taken is too fresh to prove anything.
    const first = await open(d, () => Date.now() - 60_000);
    first.close();
    expect(unsettledRows(d)).toBe(COUNT);
    const again = await open(d);
    // Not taken on their stamps (fromIndex), but read and found the same bytes: reused, none parsed, and now settled.
    expect(again.startStats).toEqual({ reused: COUNT, parsed: 0 });
    again.close();
    expect(unsettledRows(d)).toBe(0);
  }, 120_000);
});
