// Versioned schema. Each step runs once, in its own transaction, and is recorded in schema_migrations;
// append new steps, never edit shipped ones.
import { randomBytes } from 'node:crypto';
import type { Db } from './sql';

interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
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
    version: 3,
    name: 'receipts attached to claims',
    up(db) {
      // The bytes live in the database next to the claim: one file to back up, and the claim and its
      // receipts commit in one transaction (a claim is never visible with only some of them).
      // media_type is what the content was sniffed as at upload, never what the client said.
      db.exec(`
        CREATE TABLE receipts (
          number INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          claim_id TEXT NOT NULL REFERENCES claims(id),
          position INTEGER NOT NULL,
          name TEXT NOT NULL,
          media_type TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          width INTEGER,
          height INTEGER,
          sha256 TEXT NOT NULL,
          content BLOB NOT NULL,
          UNIQUE (claim_id, position)
        ) STRICT;
      `);
    },
  },
  {
    version: 4,
    name: 'policy flags of claims',
    up(db) {
      // One row per flag a claim was (re)submitted with (server-stub/claims/policy-flags.ts); `flag` is
      // the protocol PolicyFlag as JSON, `code` repeated for queries and the one-per-code rule.
      db.exec(`
        CREATE TABLE claim_flags (
          claim_id TEXT NOT NULL REFERENCES claims(id),
          position INTEGER NOT NULL,
          code TEXT NOT NULL,
          flag TEXT NOT NULL,
          PRIMARY KEY (claim_id, code)
        ) STRICT;
      `);
    },
  },
  {
    version: 5,
    name: 'delegation (out of office)',
    up(db) {
      // A delegation hands a user's approvals to another user for [starts_at, ends_at). `ended_at` is an
      // early end by the delegator; `started`/`finished` record that the hand-over (and the hand-back)
      // of waiting claims was carried out, so a restart neither repeats nor skips one.
      // Each claim step handed over is a row in delegation_handovers, so the end can give back exactly
      // what was handed over. `merged`: the delegate already approved that step (a shared finance
      // step), so the delegator's place was removed rather than renamed; `position` restores it.
      // step_approvers.on_behalf_of / audit.on_behalf_of name the person a stand-in acts for.
      db.exec(`
        CREATE TABLE delegations (
          id TEXT PRIMARY KEY,
          delegator_id TEXT NOT NULL REFERENCES users(id),
          delegate_id TEXT NOT NULL REFERENCES users(id),
          starts_at INTEGER NOT NULL,
          ends_at INTEGER NOT NULL,
          ended_at INTEGER,
          created_at INTEGER NOT NULL,
          started INTEGER NOT NULL DEFAULT 0,
          finished INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX delegations_delegator ON delegations(delegator_id, finished);
        CREATE INDEX delegations_delegate ON delegations(delegate_id, finished);

        CREATE TABLE delegation_handovers (
          delegation_id TEXT NOT NULL REFERENCES delegations(id),
          claim_id TEXT NOT NULL REFERENCES claims(id),
          step_index INTEGER NOT NULL,
          position INTEGER NOT NULL,
          merged INTEGER NOT NULL,
          PRIMARY KEY (delegation_id, claim_id, step_index)
        ) STRICT;
        CREATE INDEX delegation_handovers_claim ON delegation_handovers(claim_id, step_index);

        ALTER TABLE step_approvers ADD COLUMN on_behalf_of TEXT REFERENCES users(id);
        ALTER TABLE audit ADD COLUMN on_behalf_of TEXT REFERENCES users(id);
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
  {
    version: 7,
    name: 'nudges: when a claim was last nudged',
    up(db) {
      // The once-per-24-h rule and every ClaimSummary read it; the history is the `nudged` audit rows.
      db.exec('ALTER TABLE claims ADD COLUMN last_nudged_at INTEGER');
    },
  },
  {
    version: 9,
    name: 'the shared broadcast stream',
    up(db) {
      // One row per announcement in one shared, gapless stream, instead of one copy per user. Its own
      // epoch (starting as the store's) and floor, so it resets and is pruned on its own terms.
      // event_streams.broadcast_seq is how far a user's own stream has absorbed the broadcast stream
      // for clients that do not read it themselves (docs/protocol.md, "The broadcast stream"); a user
      // added later starts at the broadcast head, as a user added before did not get older copies.
      db.exec(`
        CREATE TABLE broadcast_stream (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          epoch TEXT NOT NULL,
          head_seq INTEGER NOT NULL,
          floor_seq INTEGER NOT NULL
        ) STRICT;
        INSERT INTO broadcast_stream (id, epoch, head_seq, floor_seq)
          SELECT 1, value, 0, 0 FROM meta WHERE key = 'epoch';

        CREATE TABLE broadcast_events (
          seq INTEGER PRIMARY KEY,
          payload TEXT NOT NULL             -- the protocol BroadcastEvent as JSON
        ) STRICT;

        ALTER TABLE event_streams ADD COLUMN broadcast_seq INTEGER NOT NULL DEFAULT 0;
      `);
      // The one statement the two engines spell differently: a trigger's body.
      if (db.dialect === 'sqlite') {
        db.exec(`
          CREATE TRIGGER event_streams_start_at_broadcast_head AFTER INSERT ON event_streams
          BEGIN
            UPDATE event_streams SET broadcast_seq = (SELECT head_seq FROM broadcast_stream WHERE id = 1)
              WHERE user_id = NEW.user_id;
          END;
        `);
      } else {
        db.exec(`
          CREATE FUNCTION event_streams_start_at_broadcast_head() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            NEW.broadcast_seq := (SELECT head_seq FROM broadcast_stream WHERE id = 1);
            RETURN NEW;
          END $$;
          CREATE TRIGGER event_streams_start_at_broadcast_head BEFORE INSERT ON event_streams
            FOR EACH ROW EXECUTE FUNCTION event_streams_start_at_broadcast_head();
        `);
      }
    },
  },
  {
    version: 10,
    name: 'PostgreSQL: insertion order of approvers',
    up(db) {
      // Approvers of one step are read in position order, ties (a stand-in beside the delegator) in
      // insertion order: SQLite's rowid. PostgreSQL has no rowid, so it gets a column of that name
      // filled in insertion order, and the same query reads the same order on both engines.
      if (db.dialect === 'postgres') {
        db.exec('ALTER TABLE step_approvers ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY');
      }
    },
  },
];

// The highest version, not the last entry: helpers append their own fixed numbers in any order.
export const LATEST_SCHEMA_VERSION = Math.max(0, ...migrations.map((migration) => migration.version));

export function applyMigrations(db: Db): void {
  // Under the write lock: nodes starting together against one new database must not both create it.
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
  }).immediate();
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
    // IMMEDIATE takes the write lock up front, so two processes opening a fresh store cannot both migrate.
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
