import { describe, expect, it } from "vitest";
import { inlineStatement, SqlLiteralError, sqlLiteral, sqlScript } from "../../../src/storage/sql/sql-script.js";

describe("sqlLiteral", () => {
  it("writes each kind of value as SQLite reads it back", () => {
    expect(sqlLiteral(null)).toBe("NULL");
    expect(sqlLiteral(1_700_000_000_000)).toBe("1700000000000");
    expect(sqlLiteral(-0.1)).toBe("-0.1");
    expect(sqlLiteral(new Uint8Array([0, 15, 255]))).toBe("X'000fff'");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral("a\u0000b")).toBe("CAST(X'610062' AS TEXT)");
  });

  it("never leaves the phrase wrangler strips from files in the SQL text", () => {
    const text = "Rollback drill: BEGIN TRANSACTION; then COMMIT; twice BEGIN TRANSACTION";
    const literal = sqlLiteral(text);
    expect(literal).not.toContain("BEGIN TRANSACTION");
    expect(literal).toBe("'Rollback drill: BEGIN T' || 'RANSACTION; then COMMIT; twice BEGIN T' || 'RANSACTION'");
  });

  it("refuses numbers with no literal", () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(SqlLiteralError);
    expect(() => sqlLiteral(Infinity)).toThrow(SqlLiteralError);
  });
});

describe("inlineStatement / sqlScript", () => {
  it("fills each ? in order, leaving a ? inside quotes alone", () => {
    expect(inlineStatement({ sql: "INSERT INTO t (a, \"b?\", c) VALUES (?, '?', ?)", params: ["x", 2] })).toBe("INSERT INTO t (a, \"b?\", c) VALUES ('x', '?', 2)");
  });

  it("refuses a count of parameters that does not match", () => {
    expect(() => inlineStatement({ sql: "SELECT ?, ?", params: [1] })).toThrow(SqlLiteralError);
    expect(() => inlineStatement({ sql: "SELECT ?", params: [1, 2] })).toThrow(SqlLiteralError);
  });

  it("one statement per line, each ended by exactly one ;", () => {
    expect(sqlScript([{ sql: "DELETE FROM t;" }, { sql: " INSERT INTO t VALUES (?) ", params: ["a;b"] }])).toBe("DELETE FROM t;\nINSERT INTO t VALUES ('a;b');\n");
  });
});
