// Opens the stub's SQLite store with the settings its durability promise depends on.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from './migrations';

export type SyncMode = 'normal' | 'full';
export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** File path, or `:memory:`. */
  path: string;
  /**
   * `full` (default) fsyncs on every commit, so a `kill -9` or power cut right after a 2xx cannot lose
   * the acknowledged action. `normal` in WAL mode is only safe against process crashes.
   */
  sync?: SyncMode;
}

export function openDatabase(options: OpenDatabaseOptions): Db {
  if (options.path !== ':memory:') mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  const db = new Database(options.path);
  try {
    // WAL lets readers (operator CLI, tests) look at the file while the stub writes.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.sync === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    // Another process (operator CLI) may hold the write lock briefly; wait instead of failing at once.
    db.pragma('busy_timeout = 5000');
    applyMigrations(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
