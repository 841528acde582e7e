// The disk's commit floor, measured in the same run as the pushes it is compared with: single-row
// better-sqlite3 inserts committed with the stub's settings (WAL, synchronous=FULL, no automatic
// checkpoint) into a scratch file in the same temp folder as the stub's database, so on the same disk
// and under the same neighbours. An approval cannot be pushed before its commit, so push latency can
// approach this but not beat it.
//
// The log is checkpointed at the stub's pace (db/wal-checkpointer.ts), outside the timed insert and
// between rounds, so every checkpoint completes and the next commit starts the log over: the disk's
// best case for a commit. Never checkpointed, every commit was appended to a growing file (an fsync
// that extends a file also journals its new size): in five runs on this machine (load 1.2–6), each
// alternating inserts into both kinds of log in one process, the growing log was slower every time —
// p50 1.23/1.80/3.59/2.10/1.30 ms against 0.68/1.66/2.65/2.04/1.11 ms, p99 8.5/8.2/14.6/25.1/7.6
// against 6.8/8.0/10.4/16.8/6.5. The stub's own log starts over only when a checkpoint on its worker
// thread finishes between two commits, which the benchmark's back-to-back rounds rarely allow (an
// strace of one run: one restart, the log grown to 60 MB); that difference is the stub's to close,
// not the floor's to hide.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from '../../server-stub/db/wal-checkpointer';
import { preciseNow, type Summary, summarize } from './stats';

export class CommitFloor {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-floor-'));
  private readonly db = new Database(path.join(this.dir, 'floor.sqlite'));
  private readonly insert;
  private readonly samples: number[] = [];
  private lastCheckpoint = performance.now();

  constructor() {
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('wal_autocheckpoint = 0');
    this.db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, at REAL NOT NULL, note TEXT NOT NULL)');
    this.insert = this.db.prepare<[number, string]>('INSERT INTO rows (at, note) VALUES (?, ?)');
  }

  /** Times one autocommitted insert (BEGIN, write, WAL fsync, COMMIT). */
  sample(): void {
    if (performance.now() - this.lastCheckpoint >= DEFAULT_CHECKPOINT_INTERVAL_MS) {
      // Untimed, like the stub's checkpoints on their own thread; the next commits reuse the log.
      this.db.pragma('wal_checkpoint(PASSIVE)');
      this.lastCheckpoint = performance.now();
    }
    const started = preciseNow();
    this.insert.run(started, 'commit floor');
    this.samples.push(preciseNow() - started);
  }

  summary(): Summary {
    return summarize(this.samples);
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
