/** The SqlDriver over a real (local) D1 binding, inside workerd: values round-trip, a batch is one transaction. */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { d1Driver } from "../../src/storage/sql/d1-driver.js";

const db = d1Driver(env.DB);

beforeEach(async () => {
  await db.batch([{ sql: "DROP TABLE IF EXISTS probe" }, { sql: "CREATE TABLE probe (k TEXT PRIMARY KEY, n INTEGER, r REAL, b BLOB, t TEXT)" }]);
});

describe("d1Driver", () => {
  it("hands back what it was given: text, integers, reals, null and bytes (as Uint8Array, as libsql does)", async () => {
    const bytes = new Uint8Array([0, 1, 127, 128, 255]);
    await db.all({ sql: "INSERT INTO probe VALUES (?, ?, ?, ?, ?)", params: ["a", 1_700_000_000_000, 0.5, bytes, null] });
    const rows = await db.all<{ k: string; n: number; r: number; b: Uint8Array; t: null }>({ sql: "SELECT k, n, r, b, t FROM probe" });
    expect(rows).toEqual([{ k: "a", n: 1_700_000_000_000, r: 0.5, b: bytes, t: null }]);
    expect(rows[0]!.b).toBeInstanceOf(Uint8Array);
  });

  it("a statement without parameters runs as it is; no rows is an empty list", async () => {
    expect(await db.all({ sql: "SELECT k FROM probe" })).toEqual([]);
    expect(await db.all({ sql: "SELECT 1 + 1 AS two" })).toEqual([{ two: 2 }]);
  });

  it("batch: each statement's rows, in order, the reads seeing the writes before them", async () => {
    const answers = await db.batch([
      { sql: "SELECT count(*) AS n FROM probe" },
      { sql: "INSERT INTO probe (k, n) VALUES (?, ?)", params: ["x", 1] },
      { sql: "INSERT INTO probe (k, n) VALUES (?, ?) RETURNING k", params: ["y", 2] },
      { sql: "SELECT count(*) AS n FROM probe" },
    ]);
    expect(answers).toEqual([[{ n: 0 }], [], [{ k: "y" }], [{ n: 2 }]]);
    expect(await db.batch([])).toEqual([]);
  });

  it("batch is all or nothing: a failing statement rolls back the ones before it", async () => {
    await db.all({ sql: "INSERT INTO probe (k, n) VALUES ('kept', 1)" });
    await expect(
      db.batch([
        { sql: "UPDATE probe SET n = 2 WHERE k = 'kept'" },
        { sql: "INSERT INTO probe (k) VALUES ('new')" },
        { sql: "INSERT INTO probe (k) VALUES ('kept')" }, // primary key taken: fails
      ]),
    ).rejects.toThrow(/UNIQUE/);
    expect(await db.all({ sql: "SELECT k, n FROM probe ORDER BY k" })).toEqual([{ k: "kept", n: 1 }]);
  });

  it("concurrent batches do not interleave: each sees the state its own earlier statements left", async () => {
    await db.all({ sql: "INSERT INTO probe (k, n) VALUES ('counter', 0)" });
    // Each batch bumps the counter, then records the value it sees under a unique key: were two
    // batches interleaved, both would see the same value and the second insert would fail.
    const bump = () =>
      db.batch([
        { sql: "UPDATE probe SET n = n + 1 WHERE k = 'counter'" },
        { sql: "INSERT INTO probe (k, n) SELECT 'seen-' || n, n FROM probe WHERE k = 'counter' RETURNING n" },
      ]);
    const answers = await Promise.all(Array.from({ length: 30 }, bump));
    expect(answers.map((a) => a[1]![0]!.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await db.all({ sql: "SELECT n FROM probe WHERE k = 'counter'" })).toEqual([{ n: 30 }]);
  });
});
