import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { openLibsql } from "../../src/storage/sql/libsql-driver.js";
import { sqlListings, storedVersion } from "../../src/storage/sql/sql-listings.js";
import { SITE_SCOPE } from "../../src/core/scopes.js";
import { record } from "../support/fixtures.js";
import { copySamples, SAMPLE_RECORDS } from "../support/sample-items.js";
import { project, wirefeed } from "./support.js";

const filesOf = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n))]));

test("db load then db dump gives back every sample record byte for byte, with withdrawals and change stamps", async () => {
  const cwd = project();
  const items = copySamples(join(cwd, "items"));
  writeFileSync(join(items, "a-draft.md"), record({ title: "Draft", published: "2024-01-01T00:00:00Z", draft: true }));
  const tombstones = `${JSON.stringify([{ slug: "gone", id: "tag:news.example,2020:gone", when: "2024-02-01T00:00:00.000Z", title: "Gone" }], null, 2)}\n`;
  writeFileSync(join(items, ".tombstones.json"), tombstones);
  const load = await wirefeed(["db", "load", "items", "--db", "site.db"], { cwd });
  expect(load.stderr.at(-1)).toBe(`db load: ${SAMPLE_RECORDS.length} articles and 1 draft loaded into ${join(cwd, "site.db")}; 0 records skipped`);
  expect(load.code).toBe(0);
  const out = mkdtempSync(join(tmpdir(), "wirefeed-dump-"));
  const dump = await wirefeed(["db", "dump", out, "--db", "site.db"], { cwd });
  expect(dump.code).toBe(0);
  const before = filesOf(items);
  const after = filesOf(out);
  for (const name of [...SAMPLE_RECORDS, "a-draft.md", ".tombstones.json"]) expect(after[name]?.equals(before[name]!), name).toBe(true);
  // The stamps dumped are the ones loaded (the samples' own .changes.json, or each record dated by itself).
  const again = project();
  copySamples(join(again, "items"));
  for (const [name, bytes] of Object.entries(after)) writeFileSync(join(again, "items", name), bytes);
  expect((await wirefeed(["db", "load", "items", "--db", "b.db"], { cwd: again })).code).toBe(0);
  const out2 = mkdtempSync(join(tmpdir(), "wirefeed-dump-"));
  await wirefeed(["db", "dump", out2, "--db", "b.db"], { cwd: again });
  expect(filesOf(out2)[".changes.json"]!.toString()).toBe(after[".changes.json"]!.toString());
});

test("db load skips invalid records and duplicate ids with validate's messages, loads the rest, and exits 1", async () => {
  const cwd = project({
    "good.md": record({ title: "Good", published: "2024-01-01T00:00:00Z", id: "tag:news.example,2024:x" }),
    "copy.md": record({ title: "Copy", published: "2024-01-02T00:00:00Z", id: "tag:news.example,2024:x" }),
    "broken.md": record({ title: "Broken", published: "not a date" }),
  });
  const validate = await wirefeed(["validate", "items"], { cwd });
  const load = await wirefeed(["db", "load", "items"], { cwd, env: { WIREFEED_DB: "env.db" } });
  expect(load.code).toBe(1);
  expect(load.stdout.sort()).toEqual(validate.stdout.sort());
  expect(load.stdout.length).toBe(2);
  expect(load.stderr.at(-1)).toContain("1 article and 0 drafts loaded");
  expect(load.stderr.at(-1)).toContain("2 records skipped");
  const driver = openLibsql(join(cwd, "env.db"));
  const listings = sqlListings(driver, await storedVersion(driver));
  expect((await listings.newest(SITE_SCOPE, 10, "published")).map((a) => a.slug)).toEqual(["good"]);
  driver.close();
});

test("db without load or dump, or without a folder, is a usage error", async () => {
  const cwd = project();
  expect((await wirefeed(["db"], { cwd })).code).toBe(2);
  expect((await wirefeed(["db", "load"], { cwd })).code).toBe(2);
  expect((await wirefeed(["db", "load", "nowhere"], { cwd })).code).toBe(2);
});

test("db load says how many records it holds back for their embargo, and when the first lifts", async () => {
  const cwd = project();
  const items = join(cwd, "items");
  copySamples(items);
  writeFileSync(join(items, "later.md"), record({ title: "Later", published: "2026-11-20T00:00:00Z", embargo: "2026-12-01T06:00:00Z" }));
  writeFileSync(join(items, "scheduled.md"), record({ title: "Scheduled", published: "2026-11-29T09:00:00Z" }));
  const load = await wirefeed(["db", "load", "items", "--db", "site.db"], { cwd, now: new Date("2026-11-27T03:00:00Z") });
  expect(load.stderr.at(-1)).toMatch(/; 0 records skipped; 2 held back until their embargo lifts \(the first at 2026-11-29T09:00:00\.000Z\)$/);
});
