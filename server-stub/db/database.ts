// Opens the stub's store: a SQLite file (the default) or a PostgreSQL database, each with the settings
// its durability promise depends on, and migrated to the latest schema.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from './migrations';
import { isPostgresUrl, openPostgres } from './postgres/postgres-db';
import type { Db } from './sql';
import { SqliteDb } from './sqlite-db';

export type { Db } from './sql';
export type SyncMode = 'normal' | 'full';

export interface OpenDatabaseOptions {
  /** A SQLite file path, `:memory:`, or a `postgres://` URL. */
  path: string;
  /**
   * SQLite only. `full` (default) fsyncs on every commit, so a `kill -9` or power cut right after a
   * 2xx cannot lose the acknowledged action. `normal` in WAL mode is only safe against process
   * crashes. PostgreSQL keeps its own defaults (fsync on, synchronous_commit on), which promise the
   * same as `full`.
   */
  sync?: SyncMode;
}

export function openDatabase(options: OpenDatabaseOptions): Db {
  const db = isPostgresUrl(options.path) ? openPostgres(options.path) : openSqlite(options);
  try {
    applyMigrations(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function openSqlite(options: OpenDatabaseOptions): SqliteDb {
  if (options.path !== ':memory:') mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  const raw = new Database(options.path);
  try {
    // WAL lets readers (operator CLI, tests) look at the file while the stub writes.
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.sync === 'normal' ? 'NORMAL' : 'FULL'}`);
    raw.pragma('foreign_keys = ON');
    // Another process (a second node) may hold the write lock briefly; wait instead of failing at once.
    raw.pragma('busy_timeout = 5000');
    return new SqliteDb(raw);
  } catch (error) {
    raw.close();
    throw error;
  }
}
