import { StorageFullError } from "../storage-full-error.js";
import type { SqlDriver, SqlStatement, SqlValue } from "./driver.js";

/** The part of a D1 prepared statement used here (structural: no dependency on Cloudflare's type package). */
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
}

/** The part of a D1 binding (`env.DB`) used here. */
export interface D1DatabaseLike {
  prepare(sql: string): D1StatementLike;
  batch<T = Record<string, unknown>>(statements: D1StatementLike[]): Promise<{ results: T[] }[]>;
}

/** D1 hands BLOBs back as arrays of byte values; the driver contract says Uint8Array, as libsql gives. */
function rowOf(row: Record<string, unknown>): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  for (const [name, value] of Object.entries(row)) {
    out[name] = Array.isArray(value) ? Uint8Array.from(value as number[]) : (value as SqlValue);
  }
  return out;
}

/**
 * D1 reports errors by message only ("D1_ERROR: …"): SQLite's own words for
 * a full database, or D1's for a database at its size limit.
 */
const FULL = /SQLITE_FULL|database or disk is full|maximum (DB|database) size/i;

function translated(error: unknown, database: string): unknown {
  const text = `${(error as Error | null)?.message ?? ""} ${String((error as { cause?: unknown } | null)?.cause ?? "")}`;
  return FULL.test(text) ? new StorageFullError(`D1 database ${database}`, { cause: error }) : error;
}

/**
 * The SqlDriver over a D1 binding. `batch` is D1's own batch, which runs
 * its statements in one transaction (rolled back whole when one fails) and
 * resolves once it is committed: exactly the contract's transaction. A full
 * database rejects with StorageFullError (the publish API's 507), nothing
 * written. `name` only labels errors.
 */
export function d1Driver(db: D1DatabaseLike, name = "DB"): SqlDriver {
  const prepared = ({ sql, params }: SqlStatement) => {
    const statement = db.prepare(sql);
    return params && params.length > 0 ? statement.bind(...params) : statement;
  };
  return {
    async all<T>(statement: SqlStatement): Promise<T[]> {
      try {
        const { results } = await prepared(statement).all();
        return results.map(rowOf) as T[];
      } catch (error) {
        throw translated(error, name);
      }
    },
    async batch(statements) {
      if (statements.length === 0) return [];
      try {
        const answers = await db.batch(statements.map(prepared));
        return answers.map(({ results }) => (results ?? []).map(rowOf));
      } catch (error) {
        throw translated(error, name);
      }
    },
  };
}
