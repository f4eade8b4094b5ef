/**
 * What the D1 driver does with what a binding reports, over a stand-in
 * binding (local D1 cannot be filled up: it refuses the PRAGMAs that would
 * cap it). The real binding is tested in workerd: test/worker/d1-driver.test.ts.
 */
import { describe, expect, it } from "vitest";
import { d1Driver, type D1DatabaseLike, type D1StatementLike } from "../../../src/storage/sql/d1-driver.js";
import { StorageFullError } from "../../../src/storage/storage-full-error.js";

function failingBinding(message: string): D1DatabaseLike {
  const statement: D1StatementLike = {
    bind: () => statement,
    all: () => Promise.reject(new Error(message)),
  };
  return { prepare: () => statement, batch: () => Promise.reject(new Error(message)) };
}

describe("d1Driver errors", () => {
  it.each(["D1_ERROR: database or disk is full: SQLITE_FULL", "D1_ERROR: Exceeded maximum DB size"])("%s is StorageFullError (507), in a query and in a batch", async (message) => {
    const db = d1Driver(failingBinding(message), "DB");
    await expect(db.all({ sql: "INSERT INTO t VALUES (1)" })).rejects.toBeInstanceOf(StorageFullError);
    const failure = await db.batch([{ sql: "INSERT INTO t VALUES (1)" }]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageFullError);
    expect((failure as StorageFullError).cause).toEqual(new Error(message));
  });

  it("any other failure is passed on as it is", async () => {
    const db = d1Driver(failingBinding("D1_ERROR: UNIQUE constraint failed: t.k: SQLITE_CONSTRAINT"));
    await expect(db.batch([{ sql: "INSERT INTO t VALUES (1)" }])).rejects.toThrow(/^D1_ERROR: UNIQUE constraint failed/);
  });
});
