// Transfer (转交), add approver (加签), return for revision (退回) and resubmit against a real stub:
// each transition, each refusal, and the events that reach those who gain, lose or watch the claim.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimDetail, Cursor, UserEvent } from '../../../protocol';
import { apiFailure, clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub, useStubProcess } from '../../support/use-stub';

const USERS = ['alice', 'bob', 'carol', 'dave', 'grace', 'erin', 'frank', 'admin'] as const;
type User = (typeof USERS)[number];

/** What each user's stream received since `mark`, and their queues, read as `as()` (the users' clients). */
function streamProbe(as: () => Record<User, ApiClient>) {
  const marks = new Map<User, Cursor>();

  /** Remembers where each user's stream is, so `eventsSince` returns only what the next step caused. */
  async function mark(...users: User[]): Promise<void> {
    for (const user of users) marks.set(user, (await as()[user].queue()).cursor);
  }

  async function eventsSince(user: User): Promise<UserEvent[]> {
    const page = await as()[user].events(marks.get(user) ?? null, { limit: 100 });
    if (page.status !== 'ok') throw new Error(`stream reset for ${user}`);
    return page.events;
  }

  const about = (claim: { id: string }) => (event: UserEvent) =>
    ('claimId' in event && event.claimId === claim.id) || ('claim' in event && event.claim.id === claim.id);

  async function typesSince(user: User, claim: { id: string }): Promise<string[]> {
    return (await eventsSince(user)).filter(about(claim)).map((event) => {
      if (event.type === 'claim.unassigned') return `unassigned:${event.reason}`;
      if (event.type === 'claim.changed') return `changed:${event.change}`;
      return event.type;
    });
  }

  const queueIds = async (user: User) => (await as()[user].queue()).claims.map((claim) => claim.id);
  return { mark, eventsSince, about, typesSince, queueIds };
}

describe('transfer, add approver, return and resubmit', () => {
  const stub = useInProcessStub();
  let as: Record<User, ApiClient>;
  const { mark, eventsSince, about, typesSince, queueIds } = streamProbe(() => as);

  beforeAll(async () => {
    as = await clientsFor(stub().url, USERS);
  });

  const chainOf = (claim: ClaimDetail) =>
    claim.chain.map((step) => [step.kind, step.status, step.approvers.map((a) => a.id).join('+')]);

  async function atFinance(): Promise<ClaimDetail> {
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(claim.id, { version: 1 });
    return as.carol.approve(claim.id, { version: 2 });
  }

  it('transfers a step: the target gains it, the giver loses it, everyone with access hears of it', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    await mark('alice', 'bob', 'erin');
    const moved = await as.bob.transfer(claim.id, { version: 1, to: 'erin', comment: 'Erin ran this trip' });

    expect(moved).toMatchObject({ version: 2, state: 'pending', currentStep: { index: 0 } });
    expect(moved.currentStep?.approvers.map((a) => a.id)).toEqual(['erin']);
    expect(moved.chain[0]).toMatchObject({ transferredFrom: { id: 'bob' }, addedBy: null });
    expect(moved.audit.at(-1)).toMatchObject({
      action: 'transferred',
      actor: { id: 'bob' },
      subject: { id: 'erin' },
      stepIndex: 0,
      comment: 'Erin ran this trip',
    });
    expect(await typesSince('bob', claim)).toEqual(['unassigned:transferred', 'changed:transferred']);
    expect(await typesSince('erin', claim)).toEqual(['claim.assigned', 'changed:transferred']);
    expect(await typesSince('alice', claim)).toEqual(['changed:transferred']);
    expect(await queueIds('bob')).not.toContain(claim.id);
    expect(await queueIds('erin')).toContain(claim.id);
    // The new approver decides like any other; the claim moves on to the manager.
    const next = await as.erin.approve(claim.id, { version: 2 });
    expect(next.currentStep?.approvers.map((a) => a.id)).toEqual(['carol']);
    // Bob handed it over but may still read it (he was assigned once).
    expect((await as.bob.getClaim(claim.id)).version).toBe(3);
  });

  it('refuses a transfer with a stale version, by a non-approver, or to someone ineligible', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(claim.id, { version: 1 });
    const stale = await apiFailure(as.carol.transfer(claim.id, { version: 1, to: 'erin' }));
    expect(stale).toMatchObject({ status: 409, code: 'stale_version' });
    expect((await apiFailure(as.bob.transfer(claim.id, { version: 2, to: 'erin' }))).code).toBe('forbidden');
    expect((await apiFailure(as.erin.transfer(claim.id, { version: 2, to: 'frank' }))).status).toBe(404);
    for (const to of ['alice', 'carol', 'bob', 'dave', 'admin', 'nobody']) {
      const refused = await apiFailure(as.carol.transfer(claim.id, { version: 2, to }));
      expect([to, refused.status, refused.code]).toEqual([to, 422, 'ineligible_user']);
    }
    const unchanged = await as.alice.getClaim(claim.id);
    expect(unchanged.version).toBe(2);
    expect(unchanged.audit).toHaveLength(2);
  });

  it('transfers a finance step only within finance, leaving it to the co-approver named', async () => {
    const claim = await atFinance();
    const outside = await apiFailure(as.dave.transfer(claim.id, { version: 3, to: 'erin' }));
    expect(outside).toMatchObject({ status: 422, code: 'ineligible_user' });
    expect(outside.message).toMatch(/finance/);
    await mark('dave', 'grace');
    const moved = await as.dave.transfer(claim.id, { version: 3, to: 'grace' });
    expect(moved.currentStep).toMatchObject({ kind: 'finance', approvers: [{ id: 'grace' }] });
    expect(await typesSince('dave', claim)).toEqual(['unassigned:transferred', 'changed:transferred']);
    // Grace had it already: she only hears that it changed.
    expect(await typesSince('grace', claim)).toEqual(['changed:transferred']);
    expect(await queueIds('dave')).not.toContain(claim.id);
  });

  it('adds an approver before the current step: they decide first, then it comes back', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    await mark('alice', 'bob', 'erin');
    const added = await as.bob.addApprover(claim.id, { version: 1, user: 'erin', position: 'before' });
    expect(chainOf(added)).toEqual([
      ['added', 'current', 'erin'],
      ['supervisor', 'waiting', 'bob'],
      ['manager', 'waiting', 'carol'],
      ['finance', 'waiting', 'dave+grace'],
    ]);
    expect(added.chain[0]).toMatchObject({ addedBy: { id: 'bob' } });
    expect(added).toMatchObject({ version: 2, stepCount: 4, currentStep: { index: 0, kind: 'added' } });
    expect(added.audit.at(-1)).toMatchObject({ action: 'approver_added', subject: { id: 'erin' } });
    expect(await typesSince('bob', claim)).toEqual(['unassigned:approver_added', 'changed:approver_added']);
    expect(await typesSince('erin', claim)).toEqual(['claim.assigned', 'changed:approver_added']);
    expect(await typesSince('alice', claim)).toEqual(['changed:approver_added']);

    await mark('bob');
    const back = await as.erin.approve(claim.id, { version: 2, comment: 'looks right' });
    expect(back.currentStep).toMatchObject({ index: 1, kind: 'supervisor', approvers: [{ id: 'bob' }] });
    expect(await typesSince('bob', claim)).toEqual(['claim.assigned']);
    const manager = await as.bob.approve(claim.id, { version: 3 });
    expect(manager.currentStep?.approvers.map((a) => a.id)).toEqual(['carol']);
  });

  it('adds an approver after the current step: the inserter decides first, the wait is not reset', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    await mark('bob', 'erin');
    const added = await as.bob.addApprover(claim.id, { version: 1, user: 'erin', position: 'after' });
    expect(chainOf(added)).toEqual([
      ['supervisor', 'current', 'bob'],
      ['added', 'waiting', 'erin'],
      ['manager', 'waiting', 'carol'],
      ['finance', 'waiting', 'dave+grace'],
    ]);
    expect(added.currentStepSince).toBe(claim.currentStepSince);
    expect(await typesSince('bob', claim)).toEqual(['changed:approver_added']);
    // Erin sees it only once it reaches her, like any later step.
    expect(await typesSince('erin', claim)).toEqual([]);
    expect((await apiFailure(as.erin.getClaim(claim.id))).status).toBe(404);
    const next = await as.bob.approve(claim.id, { version: 2 });
    expect(next.currentStep).toMatchObject({ kind: 'added', approvers: [{ id: 'erin' }] });
    expect(await queueIds('erin')).toContain(claim.id);
  });

  it('refuses to add someone already in the chain, the submitter, or by a non-approver', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    for (const user of ['carol', 'alice', 'bob', 'grace']) {
      const refused = await apiFailure(as.bob.addApprover(claim.id, { version: 1, user, position: 'after' }));
      expect([user, refused.code]).toEqual([user, 'ineligible_user']);
    }
    const outsider = await apiFailure(
      as.alice.addApprover(claim.id, { version: 1, user: 'erin', position: 'before' }),
    );
    expect(outsider.code).toBe('forbidden');
    expect((await as.alice.getClaim(claim.id)).version).toBe(1);
  });

  it('lists eligible users with the same rules as the actions', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    const ids = async (user: User, action: 'transfer' | 'add_approver', id = claim.id) =>
      (await as[user].eligibleUsers(id, action)).users.map((u) => u.id).sort();
    expect(await ids('bob', 'transfer')).toEqual(['erin', 'frank', 'heidi']);
    expect(await ids('bob', 'add_approver')).toEqual(['erin', 'frank', 'heidi']);
    expect((await apiFailure(as.carol.eligibleUsers(claim.id, 'transfer'))).status).toBe(404);
    expect((await apiFailure(as.alice.eligibleUsers(claim.id, 'transfer'))).status).toBe(403);
    const finance = await atFinance();
    expect(await ids('dave', 'transfer', finance.id)).toEqual(['grace']);
    expect(await ids('dave', 'add_approver', finance.id)).toEqual(['erin', 'frank', 'heidi']);
  });

  it('returns a claim to the submitter with a reason; it is not final and waits on nobody', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(claim.id, { version: 1 });
    expect((await apiFailure(as.carol.returnClaim(claim.id, { version: 2, reason: ' ' }))).status).toBe(400);
    await mark('alice', 'bob', 'carol');
    const returned = await as.carol.returnClaim(claim.id, { version: 2, reason: 'Split the hotel bill' });
    expect(returned).toMatchObject({
      state: 'returned',
      version: 3,
      currentStep: null,
      currentStepSince: null,
    });
    expect(chainOf(returned)).toEqual([
      ['supervisor', 'approved', 'bob'],
      ['manager', 'returned', 'carol'],
      ['finance', 'cancelled', 'dave+grace'],
    ]);
    expect(returned.audit.at(-1)).toMatchObject({ action: 'returned', comment: 'Split the hotel bill' });
    expect(await typesSince('carol', claim)).toEqual(['unassigned:returned', 'changed:returned']);
    const toAlice = (await eventsSince('alice')).filter(about(claim));
    expect(toAlice.map((e) => e.type)).toEqual(['claim.returned', 'claim.changed']);
    expect(toAlice[0]).toMatchObject({ by: { id: 'carol' }, reason: 'Split the hotel bill' });
    expect(await typesSince('bob', claim)).toEqual(['changed:returned']);
    // Nobody can decide it now, and only the submitter can resubmit it.
    expect((await apiFailure(as.carol.approve(claim.id, { version: 3 }))).code).toBe('invalid_state');
    expect((await apiFailure(as.carol.returnClaim(claim.id, { version: 3, reason: 'x' }))).code).toBe(
      'invalid_state',
    );
    expect((await apiFailure(as.carol.resubmit(claim.id, { version: 3 }))).code).toBe('forbidden');
    expect((await apiFailure(as.alice.resubmit(claim.id, { version: 2 }))).code).toBe('stale_version');
  });

  it('resubmits an edited claim: a fresh chain from the first step, approvals discarded, history kept', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(claim.id, { version: 1 });
    await as.carol.returnClaim(claim.id, { version: 2, reason: 'Split the hotel bill' });
    const badTotal = await apiFailure(
      as.alice.resubmit(claim.id, {
        version: 3,
        items: [{ description: 'Hotel', amountMinor: 100 }],
        totalMinor: 99,
      }),
    );
    expect(badTotal.status).toBe(400);
    await mark('alice', 'bob', 'carol');
    const again = await as.alice.resubmit(claim.id, {
      version: 3,
      title: 'Client visit (hotel split)',
      items: [
        { description: 'Hotel, night 1', amountMinor: 30_000 },
        { description: 'Hotel, night 2', amountMinor: 30_000 },
      ],
      totalMinor: 60_000,
      comment: 'Split as asked',
    });
    expect(again).toMatchObject({
      state: 'pending',
      version: 4,
      title: 'Client visit (hotel split)',
      totalMinor: 60_000,
      submittedAt: claim.submittedAt,
      currentStep: { index: 0, kind: 'supervisor', approvers: [{ id: 'bob' }] },
    });
    expect(again.items.map((item) => item.description)).toEqual(['Hotel, night 1', 'Hotel, night 2']);
    expect(chainOf(again)).toEqual([
      ['supervisor', 'current', 'bob'],
      ['manager', 'waiting', 'carol'],
      ['finance', 'waiting', 'dave+grace'],
    ]);
    expect(again.chain.every((step) => step.decidedBy === null)).toBe(true);
    expect(again.audit.map((entry) => [entry.actor.id, entry.action])).toEqual([
      ['alice', 'submitted'],
      ['bob', 'approved'],
      ['carol', 'returned'],
      ['alice', 'resubmitted'],
    ]);
    expect(await typesSince('bob', claim)).toEqual(['claim.assigned', 'changed:resubmitted']);
    expect(await typesSince('carol', claim)).toEqual(['changed:resubmitted']);
    expect(await typesSince('alice', claim)).toEqual(['changed:resubmitted']);
    expect((await apiFailure(as.alice.resubmit(claim.id, { version: 4 }))).code).toBe('invalid_state');
  });

  it('lets the submitter withdraw a returned claim; a rejected claim stays final', async () => {
    const returned = await as.alice.submitClaim(sampleClaim());
    await as.bob.returnClaim(returned.id, { version: 1, reason: 'Wrong project code' });
    await mark('bob');
    const withdrawn = await as.alice.withdraw(returned.id, { version: 2 });
    expect(withdrawn).toMatchObject({ state: 'withdrawn', version: 3 });
    // Nobody held it, so nobody loses it.
    expect(await typesSince('bob', returned)).toEqual([]);

    const rejected = await as.alice.submitClaim(sampleClaim());
    await as.bob.reject(rejected.id, { version: 1, reason: 'Not ours' });
    expect((await apiFailure(as.alice.resubmit(rejected.id, { version: 2 }))).code).toBe('invalid_state');
    expect((await apiFailure(as.alice.withdraw(rejected.id, { version: 2 }))).code).toBe('invalid_state');
  });

  it('replays a transfer sent twice with one Idempotency-Key instead of acting twice', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    const once = { idempotencyKey: `transfer-${claim.id}` };
    const first = await as.bob.transfer(claim.id, { version: 1, to: 'frank' }, once);
    const second = await as.bob.transfer(claim.id, { version: 1, to: 'frank' }, once);
    expect(second).toEqual(first);
    expect((await as.alice.getClaim(claim.id)).audit).toHaveLength(2);
  });
});

// The rule (docs/protocol.md, "Delegation"): a transfer hands on the actor's place — a delegator out of
// office hands on the place their stand-in holds for them — and the target, if out of office, hands it
// to their own delegate. Against the built stub in its own process.
describe('transfer while a delegation is in force', () => {
  const stub = useStubProcess();
  let as: Record<User, ApiClient>;
  const { mark, typesSince, queueIds } = streamProbe(() => as);
  const approversOf = (claim: ClaimDetail) =>
    claim.currentStep?.approvers.map((a) => (a.onBehalfOf ? `${a.id} for ${a.onBehalfOf.id}` : a.id));
  const until = () => new Date(Date.now() + 86_400_000).toISOString();

  beforeAll(async () => {
    as = await clientsFor(stub().url, USERS);
  });

  // Each test starts with nobody out of office, whatever the previous one left.
  afterEach(async () => {
    for (const user of ['bob', 'erin', 'grace'] as const)
      await as[user].endDelegation().catch(() => undefined);
  });

  it('a delegator who transfers hands on the place their delegate held: the target takes it, the delegate loses it', async () => {
    await as.bob.delegate({ delegateId: 'frank', endsAt: until() });
    const claim = await as.alice.submitClaim(sampleClaim());
    expect(approversOf(claim)).toEqual(['frank for bob']);
    await mark('bob', 'frank', 'erin');
    const moved = await as.bob.transfer(claim.id, { version: claim.version, to: 'erin' });

    // Not beside the delegate: in the delegator's place, in her own right.
    expect(approversOf(moved)).toEqual(['erin']);
    expect(moved.chain[0]).toMatchObject({ transferredFrom: { id: 'bob' } });
    expect(await typesSince('frank', claim)).toEqual(['unassigned:transferred', 'changed:transferred']);
    expect(await typesSince('erin', claim)).toEqual(['claim.assigned', 'changed:transferred']);
    // Bob no longer held it in his queue: he only hears it changed.
    expect(await typesSince('bob', claim)).toEqual(['changed:transferred']);
    expect(await queueIds('frank')).not.toContain(claim.id);
    expect(await queueIds('erin')).toContain(claim.id);

    // Handed on for good: bob can no longer act on it, and his delegation's end gives nothing back.
    expect((await apiFailure(as.bob.approve(claim.id, { version: moved.version }))).code).toBe('forbidden');
    await mark('bob', 'frank', 'erin');
    await as.bob.endDelegation();
    expect(approversOf(await as.alice.getClaim(claim.id))).toEqual(['erin']);
    expect(await typesSince('bob', claim)).toEqual([]);
    expect(await typesSince('erin', claim)).toEqual([]);
    expect(await queueIds('bob')).not.toContain(claim.id);
  });

  it('a stand-in who transfers hands on the place for good: the delegator can no longer act on it', async () => {
    await as.bob.delegate({ delegateId: 'frank', endsAt: until() });
    const claim = await as.alice.submitClaim(sampleClaim());
    const moved = await as.frank.transfer(claim.id, { version: claim.version, to: 'erin' });
    expect(approversOf(moved)).toEqual(['erin']);
    expect((await apiFailure(as.bob.approve(claim.id, { version: moved.version }))).code).toBe('forbidden');
    await as.bob.endDelegation();
    expect(approversOf(await as.alice.getClaim(claim.id))).toEqual(['erin']);
  });

  it('a target out of office hands the claim to their delegate; it comes back to them when they are back', async () => {
    await as.erin.delegate({ delegateId: 'frank', endsAt: until() });
    const claim = await as.alice.submitClaim(sampleClaim());
    await mark('bob', 'frank', 'erin');
    const moved = await as.bob.transfer(claim.id, { version: claim.version, to: 'erin' });
    expect(approversOf(moved)).toEqual(['frank for erin']);
    expect(await typesSince('bob', claim)).toEqual(['unassigned:transferred', 'changed:transferred']);
    expect(await typesSince('frank', claim)).toEqual(['claim.assigned', 'changed:transferred']);
    expect(await typesSince('erin', claim)).toEqual(['changed:transferred']);
    expect(await queueIds('erin')).not.toContain(claim.id);

    await mark('frank', 'erin');
    await as.erin.endDelegation();
    expect(approversOf(await as.alice.getClaim(claim.id))).toEqual(['erin']);
    expect(await typesSince('erin', claim)).toEqual(['claim.assigned']);
    expect(await typesSince('frank', claim)).toEqual(['unassigned:delegation_ended']);
  });

  it('an approver added before a delegated step: the stand-in keeps holding it for the delegator, who cannot act on the added step', async () => {
    await as.bob.delegate({ delegateId: 'frank', endsAt: until() });
    const claim = await as.alice.submitClaim(sampleClaim());
    const added = await as.frank.addApprover(claim.id, {
      version: claim.version,
      user: 'erin',
      position: 'before',
    });
    expect(approversOf(added)).toEqual(['erin']);
    // The added step is not bob's: his hand-over moved down with his step.
    expect((await apiFailure(as.bob.approve(claim.id, { version: added.version }))).code).toBe('forbidden');
    const back = await as.erin.approve(claim.id, { version: added.version });
    expect(approversOf(back)).toEqual(['frank for bob']);
    // And it still goes back to bob when he is back.
    await as.bob.endDelegation();
    expect(approversOf(await as.alice.getClaim(claim.id))).toEqual(['bob']);
  });

  it('refuses a target out of office who hands their approvals to the caller: it would come straight back', async () => {
    await as.erin.delegate({ delegateId: 'bob', endsAt: until() });
    const claim = await as.alice.submitClaim(sampleClaim());
    const refused = await apiFailure(as.bob.transfer(claim.id, { version: claim.version, to: 'erin' }));
    expect(refused).toMatchObject({ status: 422, code: 'ineligible_user' });
    expect((await as.bob.eligibleUsers(claim.id, 'transfer')).users.map((u) => u.id)).not.toContain('erin');
    await as.erin.endDelegation();
    expect((await as.bob.eligibleUsers(claim.id, 'transfer')).users.map((u) => u.id)).toContain('erin');
  });

  it('a finance delegator whose place was merged into a co-approver hands it to that co-approver for good', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(claim.id, { version: 1 });
    await as.carol.approve(claim.id, { version: 2 });
    // Dave is on grace's finance step already: her place is folded into his while she is away.
    await as.grace.delegate({ delegateId: 'dave', endsAt: until() });
    const atFinance = await as.alice.getClaim(claim.id);
    expect(approversOf(atFinance)).toEqual(['dave']);
    const moved = await as.grace.transfer(claim.id, { version: atFinance.version, to: 'dave' });
    expect(approversOf(moved)).toEqual(['dave']);
    // Her delegation's end does not put her back on the step she handed on.
    await as.grace.endDelegation();
    expect(approversOf(await as.alice.getClaim(claim.id))).toEqual(['dave']);
    expect(await queueIds('grace')).not.toContain(claim.id);
  });
});
