// Versioned schema. Each step runs once, in its own transaction, and is recorded in schema_migrations;
// append new steps, never edit shipped ones.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          department TEXT,
          roles TEXT NOT NULL,              -- JSON array of protocol Role values
          supervisor_id TEXT REFERENCES users(id),
          password_hash TEXT NOT NULL
        ) STRICT;

        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          token_hash TEXT NOT NULL UNIQUE,  -- sha256 of the bearer token; the token itself is never stored
          user_id TEXT NOT NULL REFERENCES users(id),
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          revoked_at INTEGER
        ) STRICT;

        CREATE TABLE sign_in_failures (
          id INTEGER PRIMARY KEY,
          scope TEXT NOT NULL,              -- 'user:<name>' or 'ip:<address>'
          at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX sign_in_failures_scope_at ON sign_in_failures(scope, at);

        CREATE TABLE claims (
          number INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          submitter_id TEXT NOT NULL REFERENCES users(id),
          title TEXT NOT NULL,
          category TEXT NOT NULL,
          expense_date TEXT NOT NULL,
          currency TEXT NOT NULL,
          total_minor INTEGER NOT NULL,
          state TEXT NOT NULL,
          version INTEGER NOT NULL,
          current_step_index INTEGER,
          current_step_since INTEGER,
          submitted_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX claims_submitter ON claims(submitter_id);

        CREATE TABLE claim_items (
          claim_id TEXT NOT NULL REFERENCES claims(id),
          position INTEGER NOT NULL,
          description TEXT NOT NULL,
          amount_minor INTEGER NOT NULL,
          PRIMARY KEY (claim_id, position)
        ) STRICT;

        CREATE TABLE chain_steps (
          claim_id TEXT NOT NULL REFERENCES claims(id),
          step_index INTEGER NOT NULL,
          kind TEXT NOT NULL,
          status TEXT NOT NULL,
          decided_by TEXT REFERENCES users(id),
          decided_at INTEGER,
          PRIMARY KEY (claim_id, step_index)
        ) STRICT;

        CREATE TABLE step_approvers (
          claim_id TEXT NOT NULL,
          step_index INTEGER NOT NULL,
          position INTEGER NOT NULL,
          user_id TEXT NOT NULL REFERENCES users(id),
          PRIMARY KEY (claim_id, step_index, user_id),
          FOREIGN KEY (claim_id, step_index) REFERENCES chain_steps(claim_id, step_index)
        ) STRICT;
        CREATE INDEX step_approvers_user ON step_approvers(user_id);

        -- Who may see a claim: its submitter and everyone it is or was assigned to.
        CREATE TABLE claim_access (
          claim_id TEXT NOT NULL REFERENCES claims(id),
          user_id TEXT NOT NULL REFERENCES users(id),
          PRIMARY KEY (claim_id, user_id)
        ) STRICT;
        CREATE INDEX claim_access_user ON claim_access(user_id);

        CREATE TABLE audit (
          id INTEGER PRIMARY KEY,
          claim_id TEXT NOT NULL REFERENCES claims(id),
          at INTEGER NOT NULL,
          actor_id TEXT NOT NULL REFERENCES users(id),
          action TEXT NOT NULL,
          step_index INTEGER,
          comment TEXT
        ) STRICT;
        CREATE INDEX audit_claim ON audit(claim_id);

        CREATE TABLE announcements (
          number INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          title TEXT NOT NULL,
          body TEXT NOT NULL,
          author_id TEXT NOT NULL REFERENCES users(id),
          at INTEGER NOT NULL
        ) STRICT;

        -- One gapless stream per user: head_seq is the last seq written, floor_seq the last one pruned.
        CREATE TABLE event_streams (
          user_id TEXT PRIMARY KEY REFERENCES users(id),
          head_seq INTEGER NOT NULL,
          floor_seq INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE events (
          user_id TEXT NOT NULL REFERENCES users(id),
          seq INTEGER NOT NULL,
          payload TEXT NOT NULL,            -- the protocol UserEvent as JSON
          PRIMARY KEY (user_id, seq)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE idempotency_records (
          user_id TEXT NOT NULL REFERENCES users(id),
          key TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          status INTEGER NOT NULL,
          body TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (user_id, key)
        ) STRICT;
      `);
      // The epoch names this store's lifetime: a recreated database gets a new one, so clients holding
      // cursors from the old store know to re-sync instead of trusting seqs that now mean something else.
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
        'epoch',
        randomBytes(12).toString('base64url'),
      );
    },
  },
  {
    version: 2,
    name: 'indexes for the paged mine and decided claim lists',
    up(db) {
      // "My claims" and "Done" read newest first in keyset pages; with these an index range read
      // serves each page in order, without a sort. The claims index ends in the rowid (`number`), the
      // audit one in `id`, which are the lists' tie-breakers. Only decisions are worth indexing for
      // the "Done" list, so that index is partial.
      db.exec(`
        CREATE INDEX claims_submitter_submitted ON claims(submitter_id, submitted_at);
        CREATE INDEX audit_decisions ON audit(actor_id, at) WHERE action IN ('approved', 'rejected');
      `);
    },
  },
  {
    version: 6,
    name: 'transfer, added approvers and return for revision',
    up(db) {
      // Issue 14 items 5 and 6. An added step (加签) has kind 'added' and names who added it; a step
      // handed over (转交) names who handed it over last. The audit row of a transfer or an added
      // approver names the other person. All nullable: rows from before mean "not added / not
      // transferred / nobody else". A resubmission replaces the chain rows; the audit keeps the history.
      db.exec(`
        ALTER TABLE chain_steps ADD COLUMN added_by TEXT REFERENCES users(id);
        ALTER TABLE chain_steps ADD COLUMN transferred_from TEXT REFERENCES users(id);
        ALTER TABLE audit ADD COLUMN subject_id TEXT REFERENCES users(id);
      `);
    },
  },
];

// The highest version, not the last entry: helpers append their own fixed numbers in any order.
export const LATEST_SCHEMA_VERSION = Math.max(0, ...migrations.map((migration) => migration.version));

export function applyMigrations(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((v) => Number(v)),
  );
  const newest = Math.max(0, ...applied);
  if (newest > LATEST_SCHEMA_VERSION) {
    throw new Error(
      `database schema v${newest} is newer than this stub understands (v${LATEST_SCHEMA_VERSION})`,
    );
  }
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    // IMMEDIATE takes the write lock up front, so two processes opening a fresh file cannot both migrate.
    db.transaction(() => {
      const already = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (already) return;
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}
