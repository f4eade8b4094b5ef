import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LiveCatalog } from "../../src/runtime/live-catalog.js";
import { record, testSite } from "../support/fixtures.js";

const site = testSite();
const opened: LiveCatalog[] = [];
afterEach(() => {
  for (const l of opened.splice(0)) l.close();
});

function dir(records: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), "wirefeed-live-"));
  for (const [name, text] of Object.entries(records)) writeFileSync(join(d, name), text);
  return d;
}

async function open(d: string, log: string[] = [], now = () => new Date("2026-11-27T12:00:00Z")): Promise<LiveCatalog> {
  const live = await LiveCatalog.open(d, site, { label: "items", log: (m) => log.push(m), now });
  opened.push(live);
  return live;
}

/** Polls until `check` holds, failing after `ms`. */
async function eventually(check: () => boolean, ms = 1000): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

const titles = (l: LiveCatalog) => l.current().entries.map((e) => e.title);

describe("watching items/", () => {
  it("a new, a changed and a deleted record are live within a second, without a restart", async () => {
    const d = dir({ "a.md": record({ title: "A", published: "2022-01-01T00:00:00Z" }) });
    const live = await open(d);
    live.watch();
    writeFileSync(join(d, "b.md"), record({ title: "B", published: "2022-01-02T00:00:00Z" }));
    await eventually(() => titles(live).join() === "B,A");
    writeFileSync(join(d, "a.md"), record({ title: "A2", published: "2022-01-01T00:00:00Z" }));
    await eventually(() => titles(live).join() === "B,A2");
    rmSync(join(d, "b.md"));
    await eventually(() => titles(live).join() === "A2");
    expect(live.current().tombstones.map((t) => [t.slug, t.when.toISOString()])).toEqual([["b", "2026-11-27T12:00:00.000Z"]]);
  });

  it("a broken edit keeps the last good version served and logs the error", async () => {
    const d = dir({ "a.md": record({ title: "Good", published: "2022-01-01T00:00:00Z" }) });
    const log: string[] = [];
    const live = await open(d, log);
    live.watch();
    writeFileSync(join(d, "a.md"), record({ published: "2022-01-01T00:00:00Z" }));
    await eventually(() => log.some((m) => /items\/a\.md: title: is required/.test(m)));
    expect(titles(live)).toEqual(["Good"]);
    expect(live.current().errors.map((e) => e.field)).toEqual(["title"]);
    writeFileSync(join(d, "a.md"), record({ title: "Fixed", published: "2022-01-01T00:00:00Z" }));
    await eventually(() => titles(live).join() === "Fixed");
    expect(live.current().errors).toEqual([]);
  });

  it("a half-written file is never read as an article", async () => {
    const d = dir();
    const live = await open(d);
    live.watch();
    const full = record({ title: "Complete story", published: "2022-01-01T00:00:00Z" }, "First paragraph.\n\nSecond paragraph, the end.");
    const fd = openSync(join(d, "slow.md"), "w");
    // Written in small pieces with pauses, as a slow writer would; every prefix that ends after the
    // front matter would parse as an article with a truncated body.
    const pieces = full.match(/[\s\S]{1,12}/g)!;
    const seen: string[] = [];
    for (const piece of pieces) {
      writeSync(fd, piece);
      await new Promise((r) => setTimeout(r, 40));
      for (const e of live.current().entries) seen.push((await live.current().load(e)).body);
    }
    closeSync(fd);
    const ms = await eventually(() => live.current().entries.length === 1, 2000);
    const article = await live.current().load(live.current().entries[0]!);
    expect(article.body).toBe("First paragraph.\n\nSecond paragraph, the end.");
    expect(seen).toEqual([]);
    expect(ms).toBeLessThan(1000);
  });

  it("temporary files of atomic writes are never taken for records", async () => {
    const d = dir();
    const live = await open(d);
    live.watch();
    writeFileSync(join(d, ".x.md.123.tmp"), record({ title: "Temp", published: "2022-01-01T00:00:00Z" }));
    renameSync(join(d, ".x.md.123.tmp"), join(d, "x.md"));
    await eventually(() => titles(live).join() === "Temp");
    expect(live.current().entries.map((e) => e.slug)).toEqual(["x"]);
  });
});

describe("publishing through the live catalog", () => {
  it("put creates then replaces, visible at once; remove leaves a persisted tombstone", async () => {
    const d = dir();
    const live = await open(d);
    const enc = (t: string) => new TextEncoder().encode(t);
    expect(await live.put("n", enc(record({ title: "N1", published: "2022-01-01T00:00:00Z" })))).toEqual({ created: true });
    expect(titles(live)).toEqual(["N1"]);
    expect(await live.put("n", enc(record({ title: "N2", published: "2022-01-01T00:00:00Z" })))).toEqual({ created: false });
    expect(titles(live)).toEqual(["N2"]);
    expect(await live.remove("n")).toBe(true);
    expect(await live.remove("n")).toBe(false);
    expect(titles(live)).toEqual([]);
    expect(JSON.parse(readFileSync(join(d, ".tombstones.json"), "utf8"))).toEqual([
      // What it was filed under, so its scopes keep their feeds and announce the withdrawal.
      { slug: "n", id: "tag:news.example,2022-01-01:n", when: "2026-11-27T12:00:00.000Z", title: "N2", categories: [], authors: ["Test Desk"], language: "en" },
    ]);
    // After a restart, readers still learn it was withdrawn.
    const again = await open(d);
    expect(again.current().tombstones.map((t) => t.id)).toEqual(["tag:news.example,2022-01-01:n"]);
  });

  it("a tombstones file that is not JSON is moved aside, not overwritten by the next deletion", async () => {
    const d = dir({ "a.md": record({ title: "A", published: "2022-01-01T00:00:00Z" }) });
    writeFileSync(join(d, ".tombstones.json"), "[{ hand-edited, broken");
    const log: string[] = [];
    const live = await open(d, log);
    expect(log.some((m) => /tombstones file not valid JSON: moved aside to .*\.tombstones\.json\.invalid-\d+/.test(m))).toBe(true);
    expect(await live.remove("a")).toBe(true);
    const aside = readdirSync(d).filter((f) => f.startsWith(".tombstones.json.invalid-"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(d, aside[0]!), "utf8")).toBe("[{ hand-edited, broken");
    expect(JSON.parse(readFileSync(join(d, ".tombstones.json"), "utf8")).map((t: { slug: string }) => t.slug)).toEqual(["a"]);
  });

  it("a tombstone left for an id that is live again (republished) is not served, and is dropped from the file", async () => {
    const d = dir();
    const live = await open(d);
    const enc = (t: string) => new TextEncoder().encode(t);
    const text = record({ title: "N", published: "2022-01-01T00:00:00Z" });
    await live.put("n", enc(text));
    await live.remove("n");
    expect(live.current().tombstones).toHaveLength(1);
    await live.put("n", enc(text));
    expect(live.current().tombstones).toEqual([]);
    await live.idle();
    expect(JSON.parse(readFileSync(join(d, ".tombstones.json"), "utf8"))).toEqual([]);
    // A file that still lists it (written by an older version) changes nothing either.
    writeFileSync(join(d, ".tombstones.json"), JSON.stringify([{ slug: "n", id: "tag:news.example,2022-01-01:n", when: "2026-11-27T12:00:00.000Z" }]));
    expect((await open(d)).current().tombstones).toEqual([]);
  });

  it("concurrent writes to different slugs all land; to one slug the last wins whole", async () => {
    const d = dir();
    const live = await open(d);
    const enc = (t: string) => new TextEncoder().encode(t);
    await Promise.all(Array.from({ length: 20 }, (_, i) => live.put(`s${i}`, enc(record({ title: `S${i}`, published: "2022-01-01T00:00:00Z" })))));
    expect(live.current().entries).toHaveLength(20);
    const bodies = ["a", "b", "c"].map((c) => record({ title: `T${c}`, published: "2022-01-01T00:00:00Z" }, c.repeat(50_000)));
    await Promise.all(bodies.map((b) => live.put("same", enc(b))));
    expect(bodies).toContain(readFileSync(join(d, "same.md"), "utf8"));
    const shown = await live.current().load(live.current().find("same")!);
    expect(bodies.map((b) => b.split("\n\n")[1]!.trim())).toContain(shown.body);
  });
});
