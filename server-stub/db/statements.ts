// Statements are compiled once per database handle, when the module that owns them is built, and then
// reused: better-sqlite3's prepare() parses and plans the SQL every time (tens of µs), which on the hot
// paths (token check per request and per WebSocket upgrade, claim reads, event append) cost more than
// running the statement itself.
import type { Db } from './database';
import type { Statement } from './sql';

/** A prepared statement whose rows are the value of their first (only) column. */
export function preparePluck<Params extends unknown[], Value>(db: Db, sql: string): Statement<Params, Value> {
  return db.prepare<Params, Value>(sql).pluck();
}
