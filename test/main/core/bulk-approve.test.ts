// Bulk approve through real cores and a real stub process: several clean claims approved in one call,
// each with its own version and Idempotency-Key and its own result; a flagged claim refused before
// anything is sent; a claim someone else decided first comes back as a conflict while the others go
// through; a response lost on the way back is retried with the same key and acts once.
import { describe, expect, test } from 'vitest';
import type { FetchLike } from '../../../protocol';
import { undoAfterAll } from '../../support/cleanups';
import { waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore, type TestCore } from '../../support/core-harness';
import { cleanClaim, weekendClaim } from '../../support/policy-fixtures';
import { useStubProcess } from '../../support/use-stub';

const stub = useStubProcess();
// Registered after the stub's hooks, so the cores close before the stub does.
const defer = undoAfterAll();

async function core(username: string, fetch?: FetchLike): Promise<TestCore> {
  const handle = await signedInCore(stub().url, username, fetch ? { fetch } : {});
  defer(() => handle.dispose());
  return handle;
}

const queued = (handle: TestCore, ids: readonly string[]) => {
  const queue = handle.core.snapshot().queue;
  return ids.map((id) => {
    const claim = queue.find((c) => c.id === id);
    if (!claim) throw new Error(`${id} is not in the queue`);
    return { id, version: claim.version };
  });
};

describe('bulk approve in the core', () => {
  test('approves the clean claims, refuses the flagged one unsent, reports a conflict among them', async () => {
    const bob = await core('bob');
    const alice = await apiFor(stub().url, 'alice');
    const clean = await Promise.all(
      ['Lunch A', 'Lunch B', 'Lunch C'].map((title) => alice.submitClaim(cleanClaim(title))),
    );
    const racing = await alice.submitClaim(cleanClaim('Lunch D'));
    const flagged = await alice.submitClaim(weekendClaim('Saturday lunch'));
    expect(flagged.flags.map((flag) => flag.code)).toEqual(['weekend_expense']);
    const all = [...clean, racing, flagged].map((claim) => claim.id);
    await waitFor(() => all.every((id) => bob.core.snapshot().queue.some((c) => c.id === id)), 'queued');
    const items = queued(bob, [clean[0]!.id, racing.id, clean[1]!.id, flagged.id, clean[2]!.id]);

    // Alice takes one back between bob seeing it and his bulk action reaching it.
    await alice.withdraw(racing.id, { version: racing.version });
    const results = await bob.core.bulkApprove(items, 'Batch OK');

    expect(results.map(({ id, outcome }) => ({ id, outcome }))).toEqual([
      { id: clean[0]!.id, outcome: 'approved' },
      { id: racing.id, outcome: 'conflict' },
      { id: clean[1]!.id, outcome: 'approved' },
      { id: flagged.id, outcome: 'refused' },
      { id: clean[2]!.id, outcome: 'approved' },
    ]);
    // Either bob's queue heard of the withdrawal first or the server answered 409: both say why.
    expect(results[1]!.message).toMatch(/Withdrawn by Alice Zhang|no longer waiting on you/);
    expect(results[3]!.message).toMatch(/policy flags/);
    // The server: each clean claim approved once at the first step, with the shared comment; the
    // flagged one untouched (still at version 1, still bob's).
    for (const claim of clean) {
      const detail = await alice.getClaim(claim.id);
      expect(detail.version).toBe(claim.version + 1);
      expect(detail.audit.filter((entry) => entry.action === 'approved')).toMatchObject([
        { actor: { id: 'bob' }, comment: 'Batch OK' },
      ]);
    }
    const untouched = await alice.getClaim(flagged.id);
    expect(untouched.version).toBe(flagged.version);
    expect(untouched.audit.map((entry) => entry.action)).toEqual(['submitted']);
    await waitFor(
      () =>
        bob.core
          .snapshot()
          .queue.map((c) => c.id)
          .join() === flagged.id,
      'only the flagged claim left in bob’s queue',
    );
  });

  test('a lost response is retried with the same Idempotency-Key and approves once', async () => {
    const keys: Array<{ id: string; key: string }> = [];
    let dropped = false;
    // The real request reaches the stub and commits; the first approve's answer is then lost.
    const lossy: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      const approve = /\/claims\/([^/]+)\/approve$/.exec(new URL(input).pathname);
      if (approve && init?.method === 'POST') {
        keys.push({ id: approve[1]!, key: new Headers(init.headers).get('idempotency-key') ?? '' });
        if (!dropped) {
          dropped = true;
          await response.arrayBuffer();
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
      }
      return response;
    };
    const carol = await core('carol', lossy);
    const bob = await apiFor(stub().url, 'bob');
    const alice = await apiFor(stub().url, 'alice');
    const claims = await Promise.all(
      ['Taxi A', 'Taxi B'].map((title) => alice.submitClaim(cleanClaim(title))),
    );
    for (const claim of claims) await bob.approve(claim.id, { version: claim.version });
    await waitFor(
      () => claims.every((claim) => carol.core.snapshot().queue.some((c) => c.id === claim.id)),
      'both at carol',
    );
    const results = await carol.core.bulkApprove(
      queued(
        carol,
        claims.map((claim) => claim.id),
      ),
    );
    expect(results.map((result) => result.outcome)).toEqual(['approved', 'approved']);
    // Three requests: the lost one and its retry under one key, then the second claim under another.
    expect(keys.map((entry) => entry.id)).toEqual([claims[0]!.id, claims[0]!.id, claims[1]!.id]);
    expect(keys[0]!.key).toBe(keys[1]!.key);
    expect(keys[2]!.key).not.toBe(keys[0]!.key);
    const detail = await alice.getClaim(claims[0]!.id);
    expect(detail.audit.filter((entry) => entry.action === 'approved').map((e) => e.actor.id)).toEqual([
      'bob',
      'carol',
    ]);
  });
});
