import { afterAll, expect, test } from "vitest";
import { closeDatabases, tempDatabase } from "./listings-builders.js";

afterAll(closeDatabases);

test("the libsql driver binds and returns BLOBs, a lone one included (libsql aborts the process on a lone BLOB argument)", async () => {
  const driver = tempDatabase();
  await driver.batch([{ sql: "CREATE TABLE t (a BLOB, b)" }, { sql: "INSERT INTO t (a) VALUES (?)", params: [new Uint8Array([1, 2])] }, { sql: "INSERT INTO t VALUES (?, ?)", params: [new Uint8Array([3]), 4] }]);
  const rows = await driver.all({ sql: "SELECT a FROM t WHERE a = ? OR b = ?", params: [new Uint8Array([1, 2]), 4] });
  expect(rows).toEqual([{ a: new Uint8Array([1, 2]) }, { a: new Uint8Array([3]) }]);
  expect(rows[0]!.a).toBeInstanceOf(Uint8Array);
});

test("a failed statement rolls the whole batch back", async () => {
  const driver = tempDatabase();
  await driver.batch([{ sql: "CREATE TABLE t (a NOT NULL)" }]);
  await expect(driver.batch([{ sql: "INSERT INTO t VALUES (1)" }, { sql: "INSERT INTO t VALUES (NULL)" }])).rejects.toThrow(/NOT NULL/);
  expect(await driver.all({ sql: "SELECT COUNT(*) AS n FROM t" })).toEqual([{ n: 0 }]);
  // And the connection is usable afterwards (no transaction left open).
  await driver.batch([{ sql: "INSERT INTO t VALUES (2)" }]);
  expect(await driver.all({ sql: "SELECT a FROM t" })).toEqual([{ a: 2 }]);
});
