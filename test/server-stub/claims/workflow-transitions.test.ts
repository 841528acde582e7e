import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimDetail } from '../../../protocol';
import { apiFailure, clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

describe('claim workflow', () => {
  const stub = useInProcessStub();
  let as: Record<'alice' | 'bob' | 'carol' | 'dave' | 'grace' | 'erin' | 'frank', ApiClient>;

  beforeAll(async () => {
    as = await clientsFor(stub().url, ['alice', 'bob', 'carol', 'dave', 'grace', 'erin', 'frank'] as const);
  });

  it('walks a claim through every step to approved, with versions, chain and audit', async () => {
    const submitted = await as.alice.submitClaim(sampleClaim());
    expect(submitted.id).toMatch(/^EXP-\d{6}$/);
    expect(submitted).toMatchObject({
      version: 1,
      state: 'pending',
      totalMinor: 64_050,
      currency: 'CNY',
      stepCount: 3,
    });
    expect(submitted.currentStep).toMatchObject({ index: 0, kind: 'supervisor', approvers: [{ id: 'bob' }] });

    const atManager = await as.bob.approve(submitted.id, { version: 1, comment: 'fine' });
    expect(atManager).toMatchObject({
      version: 2,
      currentStep: { kind: 'manager', approvers: [{ id: 'carol' }] },
    });
    const atFinance = await as.carol.approve(submitted.id, { version: 2 });
    expect(atFinance.currentStep?.approvers.map((a) => a.id)).toEqual(['dave', 'grace']);
    const approved = await as.grace.approve(submitted.id, { version: 3, comment: 'paid next run' });

    expect(approved).toMatchObject({
      state: 'approved',
      version: 4,
      currentStep: null,
      currentStepSince: null,
    });
    expect(approved.chain.map((s) => [s.kind, s.status, s.decidedBy?.id])).toEqual([
      ['supervisor', 'approved', 'bob'],
      ['manager', 'approved', 'carol'],
      ['finance', 'approved', 'grace'],
    ]);
    expect(approved.audit.map((a) => [a.actor.id, a.action, a.stepIndex, a.comment])).toEqual([
      ['alice', 'submitted', null, null],
      ['bob', 'approved', 0, 'fine'],
      ['carol', 'approved', 1, null],
      ['grace', 'approved', 2, 'paid next run'],
    ]);
  });

  it('ends a claim on rejection with the reason in the audit and later steps cancelled', async () => {
    const claim = await as.erin.submitClaim(sampleClaim());
    expect(claim.chain.map((s) => s.kind)).toEqual(['supervisor', 'finance']);
    const rejected = await as.frank.reject(claim.id, { version: 1, reason: 'duplicate of last week' });
    expect(rejected.state).toBe('rejected');
    expect(rejected.chain.map((s) => s.status)).toEqual(['rejected', 'cancelled']);
    expect(rejected.audit.at(-1)).toMatchObject({ action: 'rejected', comment: 'duplicate of last week' });
    // Finance never saw it.
    expect((await apiFailure(as.dave.getClaim(claim.id))).status).toBe(404);
  });

  it('lets the submitter withdraw while pending, and not after', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    const withdrawn = await as.alice.withdraw(claim.id, { version: 1, comment: 'wrong trip' });
    expect(withdrawn).toMatchObject({ state: 'withdrawn', version: 2 });
    expect(withdrawn.chain.every((s) => s.status === 'cancelled')).toBe(true);
    const again = await apiFailure(as.alice.withdraw(claim.id, { version: 2 }));
    expect(again.status).toBe(409);
    expect(again.code).toBe('invalid_state');
  });

  it('answers a stale version with 409 and the current claim, before checking permission', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(claim.id, { version: 1 });
    const stale = await apiFailure(as.carol.approve(claim.id, { version: 1 }));
    expect(stale.status).toBe(409);
    expect(stale.code).toBe('stale_version');
    expect(stale.body.claim).toMatchObject({ id: claim.id, version: 2 });
    // Bob is no longer an approver, but he can see the claim: version is checked before permission.
    expect((await apiFailure(as.bob.approve(claim.id, { version: 1 }))).code).toBe('stale_version');
    expect((await apiFailure(as.bob.approve(claim.id, { version: 2 }))).code).toBe('forbidden');
    // Erin cannot see it at all: visibility comes first, whatever the version.
    expect((await apiFailure(as.erin.approve(claim.id, { version: 1 }))).status).toBe(404);
  });

  it('lists claims by scope without revealing others’ claims', async () => {
    const claim = await as.alice.submitClaim(sampleClaim({ title: 'Scope check' }));
    const ids = async (client: ApiClient, scope: 'mine' | 'waiting' | 'visible') =>
      (await client.listClaims(scope)).claims.map((c) => c.id);
    expect(await ids(as.alice, 'mine')).toContain(claim.id);
    expect(await ids(as.bob, 'waiting')).toContain(claim.id);
    expect(await ids(as.bob, 'visible')).toContain(claim.id);
    expect(await ids(as.carol, 'visible')).not.toContain(claim.id);
    expect(await ids(as.erin, 'visible')).not.toContain(claim.id);
    expect(await ids(as.bob, 'mine')).not.toContain(claim.id);
  });

  it('serves the queue oldest first with a cursor at the stream head', async () => {
    const first = await as.erin.submitClaim(sampleClaim({ title: 'first' }));
    const second = await as.erin.submitClaim(sampleClaim({ title: 'second' }));
    const queue = await as.frank.queue();
    const ids = queue.claims.map((c) => c.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const page = await as.frank.events({ epoch: queue.cursor.epoch, seq: 0 });
    expect(page.status === 'ok' && page.events.at(-1)?.seq).toBe(queue.cursor.seq);
  });

  it('keeps money exact in integer minor units, in any currency', async () => {
    const claim = await as.alice.submitClaim(
      sampleClaim({
        currency: 'JPY',
        items: [
          { description: 'a', amountMinor: 9_007_199_254_740_000 },
          { description: 'b', amountMinor: 991 },
        ],
        totalMinor: 9_007_199_254_740_991,
      }),
    );
    const read = await as.alice.getClaim(claim.id);
    expect(read.totalMinor).toBe(Number.MAX_SAFE_INTEGER);
    expect(read.currency).toBe('JPY');
    expect(read.items.map((i) => i.amountMinor)).toEqual([9_007_199_254_740_000, 991]);
  });

  it('stores the chain at submission, so org changes later do not rewrite it', async () => {
    const claim: ClaimDetail = await as.alice.submitClaim(sampleClaim());
    stub().backend.db.prepare("UPDATE users SET supervisor_id = 'carol' WHERE id = 'alice'").run();
    try {
      expect((await as.alice.getClaim(claim.id)).currentStep?.approvers.map((a) => a.id)).toEqual(['bob']);
      const next = await as.alice.submitClaim(sampleClaim());
      expect(next.chain.map((s) => s.approvers.map((a) => a.id).join('+'))).toEqual(['carol', 'dave+grace']);
    } finally {
      stub().backend.db.prepare("UPDATE users SET supervisor_id = 'bob' WHERE id = 'alice'").run();
    }
  });
});
