import Database from "libsql";
import { StorageFullError } from "../storage-full-error.js";
import type { SqlDriver, SqlStatement, SqlValue } from "./driver.js";

/** How long a write waits for another process's (the CLI's `db load`, a second server) before it fails. */
const BUSY_TIMEOUT_MS = 10_000;

/** SQLite's result codes for "no room": the disk (SQLITE_FULL) or a size limit. */
const FULL_CODES = new Set(["SQLITE_FULL"]);

export interface LibsqlDriver extends SqlDriver {
  /** The database file. */
  readonly path: string;
  close(): void;
}

/** Rows as the driver interface hands them: BLOBs as Uint8Array (libsql gives ArrayBuffers). */
function plainRow(row: Record<string, unknown>): Record<string, SqlValue> {
  for (const key in row) {
    const value = row[key];
    if (value instanceof ArrayBuffer) row[key] = new Uint8Array(value);
  }
  return row as Record<string, SqlValue>;
}

function isFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && FULL_CODES.has(code);
}

/**
 * The SQL store's database on Node: one SQLite file through libsql (a
 * prebuilt N-API binary from the npm registry, Node 20 and 24). Write-ahead
 * log with synchronous=FULL, so a transaction that returned is on disk (a
 * crash or power cut loses no acknowledged publish); busy_timeout, so the
 * server and the CLI can write one file (each waits its turn). A full disk
 * rejects with StorageFullError, the transaction rolled back. Reads
 * (`all`) are not queued: during a streaming `transaction` they see its
 * uncommitted rows, so it is used only where nothing is served meanwhile
 * (`db load`, the re-derive on open).
 */
export function openLibsql(path: string): LibsqlDriver {
  const db = new Database(path);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  const statements = new Map<string, Database.Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[]>(sql);
      // Bounded: the stores' queries are a fixed set, but SQL built per call must not pile up.
      if (statements.size > 500) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };
  const run = (s: SqlStatement): Record<string, SqlValue>[] => {
    const statement = prepared(s.sql);
    // Parameters as one array: libsql 0.5.29 panics (aborting the process) on a lone BLOB passed as a single argument.
    const params = [...(s.params ?? [])] as unknown[];
    if (statement.reader) return (statement.all(params) as Record<string, unknown>[]).map(plainRow);
    statement.run(params);
    return [];
  };
  const translate = (error: unknown): unknown => (isFull(error) ? new StorageFullError(path, { cause: error }) : error);
  // One transaction at a time: a batch waits for an open streaming transaction (which awaits between its statements).
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const next = turn.then(task, task);
    turn = next.catch(() => {});
    return next;
  };
  const begin = () => {
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw translate(error);
    }
  };
  const rollback = (error: unknown): never => {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw translate(error);
  };
  return {
    path,
    async all<T>(statement: SqlStatement): Promise<T[]> {
      try {
        return run(statement) as T[];
      } catch (error) {
        throw translate(error);
      }
    },
    batch(list) {
      // libsql's calls are synchronous: no other statement of this process runs in between.
      return exclusive(async () => {
        begin();
        try {
          const results = list.map(run);
          db.exec("COMMIT");
          return results;
        } catch (error) {
          return rollback(error);
        }
      });
    },
    transaction(work) {
      return exclusive(async () => {
        begin();
        try {
          const result = await work({
            all: async <T>(statement: SqlStatement) => run(statement) as T[],
            run: async (statements) => {
              for (const statement of statements) run(statement);
            },
          });
          db.exec("COMMIT");
          return result;
        } catch (error) {
          return rollback(error);
        }
      });
    },
    close: () => db.close(),
  };
}
