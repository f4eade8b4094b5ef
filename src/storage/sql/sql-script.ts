import type { SqlStatement, SqlValue } from "./driver.js";

/** A value that cannot be written as an SQL literal (a number that is not finite). */
export class SqlLiteralError extends Error {
  override readonly name = "SqlLiteralError";
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * A value as an SQLite literal. Text is quoted with '' doubled; text that
 * holds NUL (which no quoted literal can) goes as the hex of its UTF-8.
 * "BEGIN TRANSACTION" is split into two joined literals: `wrangler d1
 * execute --file` strips that phrase (and then "COMMIT;") wherever it
 * appears in a file, inside strings too, which would change the text.
 */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new SqlLiteralError(`${value} has no SQL literal`);
    // Shortest form that reads back as the same double; integers stay integers.
    return String(value);
  }
  if (value instanceof Uint8Array) {
    let hex = "";
    for (const byte of value) hex += HEX[byte];
    return `X'${hex}'`;
  }
  if (value.includes("\u0000")) return `CAST(${sqlLiteral(new TextEncoder().encode(value))} AS TEXT)`;
  return `'${value.replaceAll("'", "''").replaceAll("BEGIN TRANSACTION", "BEGIN T' || 'RANSACTION")}'`;
}

/** One statement with its `?` parameters written in as literals (a `?` inside a quoted string or identifier is left alone). */
export function inlineStatement({ sql, params = [] }: SqlStatement): string {
  let out = "";
  let next = 0;
  let quote: string | undefined;
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = undefined;
      out += char;
    } else if (char === "'" || char === '"' || char === "`") {
      quote = char;
      out += char;
    } else if (char === "?") {
      if (next >= params.length) throw new SqlLiteralError(`more ? than parameters in: ${sql}`);
      out += sqlLiteral(params[next++]!);
    } else out += char;
  }
  if (next !== params.length) throw new SqlLiteralError(`${params.length} parameters for ${next} ? in: ${sql}`);
  return out;
}

/** Statements as an SQL file, one per line-terminated `;`, for `wrangler d1 execute --file` (which runs a file as one batch). */
export function sqlScript(statements: readonly SqlStatement[]): string {
  return statements.map((s) => `${inlineStatement(s).trim().replace(/;$/, "")};\n`).join("");
}
