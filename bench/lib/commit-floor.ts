// The disk's commit floor, measured in the same run as the pushes it is compared with: single-row
// better-sqlite3 inserts committed with the stub's settings (WAL, synchronous=FULL, no automatic
// checkpoint) into a scratch file in the same temp folder as the stub's database, so on the same disk
// and under the same neighbours. An approval cannot be pushed before its commit, so push latency can
// approach this but not beat it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { preciseNow, type Summary, summarize } from './stats';

export class CommitFloor {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-floor-'));
  private readonly db = new Database(path.join(this.dir, 'floor.sqlite'));
  private readonly insert;
  private readonly samples: number[] = [];

  constructor() {
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('wal_autocheckpoint = 0');
    this.db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, at REAL NOT NULL, note TEXT NOT NULL)');
    this.insert = this.db.prepare<[number, string]>('INSERT INTO rows (at, note) VALUES (?, ?)');
  }

  /** Times one autocommitted insert (BEGIN, write, WAL fsync, COMMIT). */
  sample(): void {
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
