// The WAL is checkpointed on a timer, not inside whichever commit crosses SQLite's threshold: commits
// stay short, and committed pages still reach the database file. The timer runs on a worker thread, so
// a checkpoint never holds up the event loop that answers requests and writes pushes.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqliteDb } from '../../../server-stub/db/sqlite-db';
import { clientFor, type InProcessStub, sampleClaim } from '../../support/stub-fixtures';
import { testStore } from '../../support/test-store';
import { stubsPerTest } from '../../support/use-stub';

const stubs = stubsPerTest();

function sqliteOf(stub: InProcessStub) {
  const { db } = stub.backend;
  if (!(db instanceof SqliteDb)) throw new Error('the WAL belongs to SQLite');
  return db.raw;
}

// SQLite's own machinery: under SIGNOFF_TEST_STORE=postgres there is no WAL file to watch.
describe.skipIf(testStore === 'postgres')('WAL checkpoints', () => {
  it('never checkpoints inside a commit, and copies committed pages into the database file on a timer', async () => {
    const stub = await stubs.inProcess({ checkpointIntervalMs: 50 });
    expect(sqliteOf(stub).pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const sizeBefore = statSync(stub.dbPath).size;

    const alice = await clientFor(stub.url, 'alice');
    const bob = await clientFor(stub.url, 'bob');
    for (let i = 0; i < 20; i++) {
      const claim = await alice.submitClaim(sampleClaim({ title: `Claim ${i} ${'x'.repeat(150)}` }));
      await bob.approve(claim.id, { version: claim.version });
    }
    // The new pages live in the WAL until a checkpoint copies them into the main file.
    await expect.poll(() => statSync(stub.dbPath).size, { timeout: 5_000 }).toBeGreaterThan(sizeBefore);
    // Another checkpoint (the checkpointer's) may be running at this very moment: then this one reports busy.
    const checkpoint = () =>
      (sqliteOf(stub).pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number }>)[0]?.busy;
    await expect.poll(checkpoint, { timeout: 5_000 }).toBe(0);
  });

  it('checkpoints while the main thread is busy, so a checkpoint never blocks requests or pushes', async () => {
    const stub = await stubs.inProcess({ checkpointIntervalMs: 20 });
    const db = sqliteOf(stub);
    // ~100 pages of new data in the WAL, committed synchronously; the file must not have them yet.
    db.prepare("INSERT INTO meta (key, value) VALUES ('padding', hex(randomblob(200000)))").run();
    const sizeBefore = statSync(stub.dbPath).size;
    // Block this thread (no event-loop turn, so no timer here can fire) and watch the database file:
    // only a checkpoint on another thread can grow it meanwhile.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + 5_000;
    let size = sizeBefore;
    while (size <= sizeBefore && Date.now() < deadline) {
      Atomics.wait(pause, 0, 0, 10);
      size = statSync(stub.dbPath).size;
    }
    expect(size).toBeGreaterThan(sizeBefore + 200_000);
  });
});
