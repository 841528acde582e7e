// SQLite behind the storage port (db/sql.ts): better-sqlite3 as it is. prepare() and transaction()
// hand back better-sqlite3's own statement and transaction functions, so the hot paths call the
// native driver directly and pay nothing for the port.
import type Database from 'better-sqlite3';
import type { Db, Statement, Transaction } from './sql';

export class SqliteDb implements Db {
  readonly dialect = 'sqlite';

  /** `raw` is for what only SQLite has (pragmas, the WAL checkpointer), never for the stores. */
  constructor(readonly raw: Database.Database) {}

  get open(): boolean {
    return this.raw.open;
  }

  prepare<Params extends unknown[] = unknown[], Row = unknown>(sql: string): Statement<Params, Row> {
    return this.raw.prepare(sql) as unknown as Statement<Params, Row>;
  }

  transaction<Args extends unknown[], Result>(fn: (...args: Args) => Result): Transaction<Args, Result> {
    return this.raw.transaction(fn) as unknown as Transaction<Args, Result>;
  }

  exec(sql: string): void {
    this.raw.exec(sql);
  }

  close(): void {
    this.raw.close();
  }
}
