// PostgreSQL behind the storage port (db/sql.ts), for several stub nodes on one database.
//
// The guarantees the stores rely on, and how each holds here:
// - One writer at a time, across nodes. `.immediate` transactions begin by taking one
//   transaction-scoped advisory lock, as SQLite's BEGIN IMMEDIATE takes the file's write lock; it is
//   released by COMMIT or ROLLBACK, also when a node dies mid-transaction (the server ends its
//   session). So a claim number (MAX + 1), a user's next seq (head + 1), an optimistic version check
//   and the idempotency record all see every earlier write and none that is half done — gapless
//   per-user sequences and exactly-once actions with any number of nodes. Writers run at READ
//   COMMITTED: each statement sees everything committed before it, and nobody else writes meanwhile.
// - Consistent reads. Plain (deferred) transactions are REPEATABLE READ: every statement of a read
//   sees one snapshot, as in a SQLite read transaction.
// - Durability. PostgreSQL's defaults (fsync on, synchronous_commit on): COMMIT returns after the WAL
//   is flushed, the promise SQLite's synchronous=FULL makes.

import type { Db, RunResult, Statement, Transaction } from '../sql';
import { toPostgresQuery, toPostgresSchema } from './dialect';
import { type QueryResult, SyncConnection } from './sync-connection';

/** The advisory lock every writer takes first ('Sgnf'); one number, so one lock for the database. */
const WRITE_LOCK = 0x5367_6e66;

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export function openPostgres(url: string): PostgresDb {
  return new PostgresDb(new SyncConnection(url));
}

class PostgresStatement<Params extends unknown[], Row> implements Statement<Params, Row> {
  private plucked = false;

  constructor(
    private readonly connection: SyncConnection,
    private readonly text: string,
    /** Server-side prepared: parsed and planned once per connection. */
    private readonly name: string,
  ) {}

  pluck(): this {
    this.plucked = true;
    return this;
  }

  get(...params: Params): Row | undefined {
    const result = this.execute(params);
    return result.rows.length === 0 ? undefined : this.row(result, 0);
  }

  all(...params: Params): Row[] {
    const result = this.execute(params);
    return result.rows.map((_, index) => this.row(result, index));
  }

  run(...params: Params): RunResult {
    return { changes: this.execute(params).rowCount };
  }

  private execute(params: Params): QueryResult {
    return this.connection.query(this.text, params, this.name);
  }

  private row(result: QueryResult, index: number): Row {
    const values = result.rows[index] as unknown[];
    if (this.plucked) return values[0] as Row;
    const row: Record<string, unknown> = {};
    result.fields.forEach((field, column) => {
      row[field] = values[column];
    });
    return row as Row;
  }
}

export class PostgresDb implements Db {
  readonly dialect = 'postgres';
  private closed = false;
  private depth = 0;
  private statements = 0;

  constructor(private readonly connection: SyncConnection) {
    // Fails here, at start-up, when the server cannot be reached or the credentials are wrong.
    connection.query('SELECT 1', []);
  }

  get open(): boolean {
    return !this.closed;
  }

  prepare<Params extends unknown[] = unknown[], Row = unknown>(sql: string): Statement<Params, Row> {
    this.statements += 1;
    return new PostgresStatement<Params, Row>(this.connection, toPostgresQuery(sql), `s${this.statements}`);
  }

  transaction<Args extends unknown[], Result>(fn: (...args: Args) => Result): Transaction<Args, Result> {
    const run =
      (begin: string) =>
      (...args: Args): Result =>
        this.inTransaction(begin, () => fn(...args));
    const deferred = run('BEGIN ISOLATION LEVEL REPEATABLE READ');
    return Object.assign(deferred, {
      deferred,
      // One round trip: BEGIN and the lock go as one script.
      immediate: run(`BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`),
    });
  }

  exec(sql: string): void {
    this.connection.script(toPostgresSchema(sql));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
  }

  private inTransaction<Result>(begin: string, work: () => Result): Result {
    // Nested: a savepoint inside the outer transaction, which already holds whatever lock it took.
    const nested = this.depth > 0;
    const savepoint = `nested_${this.depth}`;
    this.connection.script(nested ? `SAVEPOINT ${savepoint}` : begin);
    this.depth += 1;
    let result: Result;
    try {
      result = work();
    } catch (error) {
      this.depth -= 1;
      this.rollback(
        nested ? `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}` : 'ROLLBACK',
      );
      throw error;
    }
    this.depth -= 1;
    this.connection.script(nested ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
    return result;
  }

  private rollback(script: string): void {
    try {
      this.connection.script(script);
    } catch {
      // The connection is gone, and the server rolled the transaction back with it.
    }
  }
}
