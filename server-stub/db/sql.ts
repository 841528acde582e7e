// The storage port: the part of a SQL database the stub's stores use. Two engines sit behind it —
// SQLite (the default: embedded, one file; db/sqlite-db.ts) and PostgreSQL (several stub nodes on one
// database; db/postgres/postgres-db.ts). The stores write plain SQL in the dialect both engines share
// (SQLite's, translated for PostgreSQL by db/postgres/dialect.ts) and call it synchronously, so a
// transition reads as straight-line code and nothing else on the node can run between its statements.
//
// Why synchronous on PostgreSQL too: the workflow's transactions (claim row, chain, audit, access and
// events in one unit) were written against this shape and its guarantee that one node runs one
// transaction at a time; the PostgreSQL engine keeps that guarantee by waiting for each statement
// (db/postgres/sync-connection.ts), and adds the cross-node one with a transaction-scoped lock that
// writers take first, as SQLite's BEGIN IMMEDIATE takes its file lock. docs/cluster.md says what this
// costs and where it stops scaling.

/** What a statement that changes rows reports. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/**
 * A statement compiled once and run many times. `Params` are positional (`?` in the SQL); `Row` is a
 * row object keyed by column name, or — after pluck() — the first column's value.
 */
export interface Statement<Params extends unknown[] = unknown[], Row = unknown> {
  get(...params: Params): Row | undefined;
  all(...params: Params): Row[];
  run(...params: Params): RunResult;
  /** From now on rows are the value of their first (only) column. */
  pluck(): this;
}

/**
 * A function that runs inside a transaction. Called as is (or `.deferred`) it only reads a consistent
 * snapshot; `.immediate` takes the write lock first, so writers never interleave, on one node or many.
 * Nested calls become savepoints.
 */
export type Transaction<Args extends unknown[], Result> = ((...args: Args) => Result) & {
  deferred(...args: Args): Result;
  immediate(...args: Args): Result;
};

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly dialect: Dialect;
  /** False once close() ran. */
  readonly open: boolean;
  prepare<Params extends unknown[] = unknown[], Row = unknown>(sql: string): Statement<Params, Row>;
  transaction<Args extends unknown[], Result>(fn: (...args: Args) => Result): Transaction<Args, Result>;
  /** Runs one or more statements without parameters (schema changes). */
  exec(sql: string): void;
  close(): void;
}
