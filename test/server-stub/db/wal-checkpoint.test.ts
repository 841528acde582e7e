// The WAL is checkpointed on a timer, not inside whichever commit crosses SQLite's threshold: commits
// stay short, and committed pages still reach the database file.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientFor, sampleClaim } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

const stubs = stubsPerTest();

describe('WAL checkpoints', () => {
  it('never checkpoints inside a commit, and copies committed pages into the database file on a timer', async () => {
    const stub = await stubs.inProcess({ checkpointIntervalMs: 50 });
    expect(stub.backend.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const sizeBefore = statSync(stub.dbPath).size;

    const alice = await clientFor(stub.url, 'alice');
    const bob = await clientFor(stub.url, 'bob');
    for (let i = 0; i < 20; i++) {
      const claim = await alice.submitClaim(sampleClaim({ title: `Claim ${i} ${'x'.repeat(150)}` }));
      await bob.approve(claim.id, { version: claim.version });
    }
    // The new pages live in the WAL until a checkpoint copies them into the main file.
    await expect.poll(() => statSync(stub.dbPath).size, { timeout: 5_000 }).toBeGreaterThan(sizeBefore);
    const [status] = stub.backend.db.pragma('wal_checkpoint(PASSIVE)') as Array<{
      busy: number;
      log: number;
      checkpointed: number;
    }>;
    expect(status?.busy).toBe(0);
  });
});
