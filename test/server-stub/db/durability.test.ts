// The real stub process with a real SQLite file, killed with SIGKILL: whatever a client was told
// succeeded (a 2xx) is still there after the restart, and event streams continue where they were.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiClient, type UserEvent } from '../../../protocol';
import { clientFor, sampleClaim } from '../../support/stub-fixtures';
import { testStore } from '../../support/test-store';
import { stubsPerTest } from '../../support/use-stub';

describe('durability across kill -9', () => {
  const stubs = stubsPerTest();

  it('keeps every acknowledged transition and continues each stream without a gap', async () => {
    const stub = await stubs.process();
    const alice = await clientFor(stub.url, 'alice');
    const bob = await clientFor(stub.url, 'bob');
    const carol = await clientFor(stub.url, 'carol');
    const epoch = (await alice.queue()).cursor.epoch;

    const claim = await alice.submitClaim(sampleClaim());
    await stub.kill9();
    await stub.restart();
    expect(await alice.getClaim(claim.id)).toMatchObject({ version: 1, state: 'pending' });

    await bob.approve(claim.id, { version: 1, comment: 'before the crash' });
    await stub.kill9();
    await stub.restart();
    const afterApprove = await alice.getClaim(claim.id);
    expect(afterApprove).toMatchObject({ version: 2, currentStep: { kind: 'manager' } });
    expect(afterApprove.audit.at(-1)).toMatchObject({ actor: { id: 'bob' }, comment: 'before the crash' });

    await carol.reject(claim.id, { version: 2, reason: 'over budget' });
    await stub.kill9();
    await stub.restart();

    // Same epoch: cursors from before the crash stay valid, and the seqs are gapless across restarts.
    const page = await alice.events({ epoch, seq: 0 });
    if (page.status !== 'ok') throw new Error(`unexpected ${page.status}`);
    expect(page.events.map((e: UserEvent) => [e.seq, e.type])).toEqual([
      [1, 'claim.submitted'],
      [2, 'claim.advanced'],
      [3, 'claim.rejected'],
    ]);
    const next = await alice.submitClaim(sampleClaim({ title: 'after restarts' }));
    const tail = await alice.events({ epoch, seq: 3 });
    expect(tail.status === 'ok' && tail.events.map((e) => [e.seq, e.type])).toEqual([[4, 'claim.submitted']]);
    expect(next.id).not.toBe(claim.id);
  });

  it('loses no acknowledged submission when killed in the middle of a burst', async () => {
    const stub = await stubs.process();
    const alice = await clientFor(stub.url, 'alice');
    const acknowledged: string[] = [];
    let killed: Promise<void> | null = null;
    const attempts = Array.from({ length: 40 }, async (_, i) => {
      try {
        const claim = await alice.submitClaim(sampleClaim({ title: `burst ${i}` }));
        acknowledged.push(claim.id);
        // Kill at once after the tenth acknowledgement, with the rest still in flight.
        if (acknowledged.length === 10) killed = stub.kill9();
      } catch {
        // Requests cut off by the kill fail; they were never acknowledged.
      }
    });
    await Promise.all(attempts);
    await killed;
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);

    await stub.restart();
    const after = new ApiClient({ baseUrl: stub.url, token: alice.token });
    const stored = new Set((await after.listClaims('mine')).claims.map((c) => c.id));
    for (const id of acknowledged) expect(stored.has(id), id).toBe(true);
    // Nothing half-written: every stored claim is whole.
    for (const id of stored) {
      const detail = await after.getClaim(id);
      expect(detail.items.length).toBe(2);
      expect(detail.chain.length).toBe(3);
    }
  });

  it('shuts down cleanly on SIGTERM with exit code 0', async () => {
    const stub = await stubs.process();
    await clientFor(stub.url, 'alice');
    expect(await stub.stop()).toBe(0);
    // SQLite: every connection (the WAL checkpointer's included) was closed: the last one removed the WAL.
    if (testStore === 'sqlite') expect(existsSync(`${stub.dbPath}-wal`)).toBe(false);
  });
});
