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
  /**
   * Only where the database can hold a transaction open while the caller
   * works (libsql; D1 cannot): runs `work` inside one transaction (BEGIN
   * IMMEDIATE…COMMIT, rolled back when it rejects), its statements sent one
   * at a time, so a write too large to hold as one batch (`db load` of a
   * million records) streams through without being held in memory, and can
   * read what it wrote so far. This driver's other batches wait for it.
   */
  transaction?<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
}

/** Statements inside an open transaction (SqlDriver.transaction). */
export interface SqlTransaction {
  all<T = Record<string, SqlValue>>(statement: SqlStatement): Promise<T[]>;
  run(statements: readonly SqlStatement[]): Promise<void>;
}
