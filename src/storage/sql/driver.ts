/** A value SQLite stores and hands back (D1 and libsql agree on these). */
export type SqlValue = string | number | null | Uint8Array;

/** One statement with its positional (`?`) parameters. */
export interface SqlStatement {
  sql: string;
  params?: readonly SqlValue[];
}

/**
 * The SQL the stores run, over one database: SQLite on Node (libsql), D1 on
 * Workers. Every query the site makes is written once, in SQLite's dialect,
 * and runs on both through this interface. Rows come back as plain objects
 * keyed by column name.
 */
export interface SqlDriver {
  all<T = Record<string, SqlValue>>(statement: SqlStatement): Promise<T[]>;
  /**
   * Runs the statements as one transaction (SQLite BEGIN IMMEDIATE…COMMIT,
   * D1 `batch`): all of them or none. Resolves with each statement's rows,
   * after the commit is durable.
   */
  batch(statements: readonly SqlStatement[]): Promise<Record<string, SqlValue>[][]>;
}
