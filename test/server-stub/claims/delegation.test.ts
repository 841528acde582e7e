// Delegation (out of office) against a real in-process stub: every rule the server enforces, claims
// moving at the start and back at the end (the injected clock is moved, then the stub's timer is run
// at once instead of waited for), decisions by a stand-in recorded "on behalf of", and the events both
// people receive.
import { describe, expect, it } from 'vitest';
import type { ApiClient, Delegation, UserEvent } from '../../../protocol';
import type { InProcessStub } from '../../support/stub-fixtures';
import { apiFailure, clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-12-01T09:00:00.000Z');
const USERS = ['alice', 'bob', 'carol', 'dave', 'grace', 'erin', 'frank', 'heidi'] as const;
type User = (typeof USERS)[number];

const iso = (ms: number) => new Date(ms).toISOString();

describe('delegation', () => {
  const stubs = stubsPerTest();

  /** A fresh stub whose clock the test moves; sessions outlive every move. */
  async function world() {
    let now = START;
    const stub: InProcessStub = await stubs.inProcess({ clock: () => now, tokenTtlSeconds: 400 * 86_400 });
    const as: Record<User, ApiClient> = await clientsFor(stub.url, USERS);
    return {
      stub,
      as,
      /** Moves the clock and lets the stub's delegation timer do what is now due. */
      advance(ms: number) {
        now += ms;
        return stub.delegationTimer.runNow();
      },
      now: () => now,
    };
  }

  async function queueIds(client: ApiClient): Promise<string[]> {
    return (await client.queue()).claims.map((claim) => claim.id);
  }

  async function eventsOf(client: ApiClient): Promise<UserEvent[]> {
    const page = await client.events(null, { limit: 1000 });
    if (page.status !== 'ok') throw new Error('expected events');
    return page.events;
  }

  describe('rules', () => {
    it('refuses delegating to yourself, to nobody, and ranges that are backwards, too long or past', async () => {
      const { as, now } = await world();
      const until = iso(now() + DAY);
      const self = await apiFailure(as.bob.delegate({ delegateId: 'bob', endsAt: until }));
      expect([self.status, self.code, self.body.issues?.[0]?.path]).toEqual([
        400,
        'bad_request',
        'delegateId',
      ]);
      const ghost = await apiFailure(as.bob.delegate({ delegateId: 'nobody', endsAt: until }));
      expect([ghost.status, ghost.body.issues?.[0]?.path]).toEqual([400, 'delegateId']);
      const backwards = await apiFailure(
        as.bob.delegate({ delegateId: 'frank', startsAt: iso(now() + 2 * DAY), endsAt: iso(now() + DAY) }),
      );
      expect([backwards.status, backwards.body.issues?.[0]?.path]).toEqual([400, 'endsAt']);
      const tooLong = await apiFailure(
        as.bob.delegate({ delegateId: 'frank', endsAt: iso(now() + 91 * DAY) }),
      );
      expect([tooLong.status, tooLong.body.issues?.[0]?.path]).toEqual([400, 'endsAt']);
      const past = await apiFailure(
        as.bob.delegate({ delegateId: 'frank', startsAt: iso(now() - DAY), endsAt: until }),
      );
      expect([past.status, past.body.issues?.[0]?.path]).toEqual([400, 'startsAt']);
      const unknownField = await apiFailure(
        as.bob.delegate({ delegateId: 'frank', endsAt: until, extra: 1 } as never),
      );
      expect(unknownField.status).toBe(400);
      expect((await as.bob.myDelegations()).outgoing).toBeNull();
    });

    it('lets finance delegate only to finance, whatever else the delegate is', async () => {
      const { as, now } = await world();
      const refused = await apiFailure(as.grace.delegate({ delegateId: 'carol', endsAt: iso(now() + DAY) }));
      expect([refused.status, refused.code]).toEqual([409, 'delegation_refused']);
      expect(refused.message).toMatch(/finance/);
      expect(refused.body.delegationRule).toBe('finance_only');
      expect((await as.grace.delegationCandidates()).users.map((u) => u.id)).toEqual(['dave']);
      // Non-finance may pick anyone but themselves, finance included.
      const forCarol = (await as.carol.delegationCandidates()).users.map((u) => u.id);
      expect(forCarol).toContain('dave');
      expect(forCarol).not.toContain('carol');
      await expect(
        as.grace.delegate({ delegateId: 'dave', endsAt: iso(now() + DAY) }),
      ).resolves.toMatchObject({
        status: 'active',
      });
    });

    it('refuses chains and loops in overlapping ranges, and allows them when the ranges do not overlap', async () => {
      const { as, now } = await world();
      await as.carol.delegate({
        delegateId: 'frank',
        startsAt: iso(now() + DAY),
        endsAt: iso(now() + 3 * DAY),
      });
      // Loop: frank → carol while carol → frank.
      const loop = await apiFailure(
        as.frank.delegate({
          delegateId: 'carol',
          startsAt: iso(now() + 2 * DAY),
          endsAt: iso(now() + 4 * DAY),
        }),
      );
      expect([loop.status, loop.code]).toEqual([409, 'delegation_refused']);
      expect(loop.message).toMatch(/loop/);
      expect(loop.body.delegationRule).toBe('no_loop');
      // Chain through the delegate: heidi → carol while carol → frank.
      const onward = await apiFailure(
        as.heidi.delegate({
          delegateId: 'carol',
          startsAt: iso(now() + 2 * DAY),
          endsAt: iso(now() + 5 * DAY),
        }),
      );
      expect(onward.message).toMatch(/chained/);
      expect(onward.body.delegationRule).toBe('no_chain');
      // Chain through the delegator: frank (covering for carol) → erin.
      const covering = await apiFailure(
        as.frank.delegate({ delegateId: 'erin', startsAt: iso(now()), endsAt: iso(now() + 2 * DAY) }),
      );
      expect(covering.message).toMatch(/covering/);
      expect(covering.body.delegationRule).toBe('no_chain');
      // One delegation at a time.
      const second = await apiFailure(as.carol.delegate({ delegateId: 'bob', endsAt: iso(now() + DAY) }));
      expect(second.message).toMatch(/already/);
      expect(second.body.delegationRule).toBe('one_at_a_time');
      // The same people outside carol's range are fine.
      await expect(
        as.frank.delegate({
          delegateId: 'carol',
          startsAt: iso(now() + 3 * DAY),
          endsAt: iso(now() + 4 * DAY),
        }),
      ).resolves.toMatchObject({ status: 'scheduled' });
    });

    it('ending needs a delegation to end', async () => {
      const { as } = await world();
      const none = await apiFailure(as.bob.endDelegation());
      expect([none.status, none.code]).toEqual([404, 'not_found']);
    });
  });

  describe('claims moving', () => {
    it('hands waiting claims to the delegate at once, and the stand-in approves on behalf of the delegator', async () => {
      const { as, now } = await world();
      const claim = await as.alice.submitClaim(sampleClaim());
      const delegation = await as.bob.delegate({ delegateId: 'frank', endsAt: iso(now() + DAY) });
      expect(delegation).toMatchObject({
        delegator: { id: 'bob', name: 'Bob Li' },
        delegate: { id: 'frank', name: 'Frank Sun' },
        status: 'active',
        endedAt: null,
      });
      expect(await queueIds(as.bob)).toEqual([]);
      const [waiting] = (await as.frank.queue()).claims;
      expect(waiting).toMatchObject({
        id: claim.id,
        version: 2,
        currentStep: { approvers: [{ id: 'frank', onBehalfOf: { id: 'bob', name: 'Bob Li' } }] },
      });

      const bobEvents = await eventsOf(as.bob);
      expect(bobEvents.map((e) => e.type)).toEqual([
        'claim.assigned',
        'claim.unassigned',
        'delegation.started',
      ]);
      expect(bobEvents[1]).toMatchObject({ claimId: claim.id, claimVersion: 2, reason: 'delegated' });
      const frankEvents = await eventsOf(as.frank);
      expect(frankEvents.map((e) => e.type)).toEqual(['claim.assigned', 'delegation.started']);

      const approved = await as.frank.approve(claim.id, { version: 2, comment: 'covering' });
      expect(approved.audit.at(-1)).toMatchObject({
        actor: { id: 'frank' },
        action: 'approved',
        onBehalfOf: { id: 'bob', name: 'Bob Li' },
      });
      expect(approved.chain[0]).toMatchObject({
        decidedBy: { id: 'frank' },
        decidedOnBehalfOf: { id: 'bob' },
      });
      // Entries nobody stood in for carry no onBehalfOf at all.
      expect(approved.audit[0]).not.toHaveProperty('onBehalfOf');
      expect(approved.currentStep?.approvers).toEqual([{ id: 'carol', name: 'Carol Wang' }]);
      expect(await queueIds(as.carol)).toEqual([claim.id]);
    });

    it('assigns new claims to the delegate while it lasts, and gives back what still waits when it runs out', async () => {
      const { as, now, advance } = await world();
      await as.bob.delegate({ delegateId: 'frank', endsAt: iso(now() + 2 * HOUR) });
      const during = await as.alice.submitClaim(sampleClaim());
      expect(during.currentStep?.approvers).toEqual([
        { id: 'frank', name: 'Frank Sun', onBehalfOf: { id: 'bob', name: 'Bob Li' } },
      ]);
      expect(await queueIds(as.frank)).toEqual([during.id]);
      expect(await queueIds(as.bob)).toEqual([]);

      expect(advance(HOUR)).toBe(0);
      expect(advance(HOUR)).toBe(1);
      expect(await queueIds(as.frank)).toEqual([]);
      const [back] = (await as.bob.queue()).claims;
      expect(back).toMatchObject({ id: during.id, version: 2, currentStep: { approvers: [{ id: 'bob' }] } });
      expect(back?.currentStep?.approvers[0]).not.toHaveProperty('onBehalfOf');
      expect((await eventsOf(as.frank)).slice(-2)).toMatchObject([
        { type: 'claim.unassigned', claimId: during.id, reason: 'delegation_ended' },
        { type: 'delegation.ended', delegation: { status: 'ended', endedAt: null } },
      ]);
      expect((await as.bob.myDelegations()).outgoing).toBeNull();
      // Frank may still see it (he held it), but no longer decide it.
      const refused = await apiFailure(as.frank.approve(during.id, { version: 2 }));
      expect(refused.status).toBe(403);
    });

    it('starts a scheduled delegation at its start without any request, and ends it early on request', async () => {
      const { as, now, advance } = await world();
      const claim = await as.alice.submitClaim(sampleClaim());
      const scheduled = await as.bob.delegate({
        delegateId: 'frank',
        startsAt: iso(now() + 3 * HOUR),
        endsAt: iso(now() + 2 * DAY),
      });
      expect(scheduled.status).toBe('scheduled');
      expect((await eventsOf(as.frank)).map((e) => e.type)).toEqual(['delegation.scheduled']);
      expect(await queueIds(as.bob)).toEqual([claim.id]);

      expect(advance(3 * HOUR - 1)).toBe(0);
      expect(await queueIds(as.frank)).toEqual([]);
      expect(advance(1)).toBe(1);
      expect(await queueIds(as.frank)).toEqual([claim.id]);
      expect((await as.frank.myDelegations()).incoming).toMatchObject([
        { id: scheduled.id, status: 'active' },
      ]);

      const ended = await as.bob.endDelegation();
      expect(ended).toMatchObject({ status: 'ended', endedAt: iso(now()) });
      expect(await queueIds(as.frank)).toEqual([]);
      expect(await queueIds(as.bob)).toEqual([claim.id]);
      expect((await as.frank.myDelegations()).incoming).toEqual([]);
      // Its natural end later does nothing more.
      expect(advance(3 * DAY)).toBe(0);
    });

    it('cancels a scheduled delegation that never started', async () => {
      const { as, now, advance } = await world();
      const claim = await as.alice.submitClaim(sampleClaim());
      await as.bob.delegate({ delegateId: 'frank', startsAt: iso(now() + HOUR), endsAt: iso(now() + DAY) });
      await expect(as.bob.endDelegation()).resolves.toMatchObject({ status: 'ended' });
      expect(advance(2 * HOUR)).toBe(0);
      expect(await queueIds(as.bob)).toEqual([claim.id]);
    });

    it('never hands a claim to its own submitter: it stays with the delegator', async () => {
      const { as, now } = await world();
      // Both wait on heidi (their supervisor); frank covers for heidi.
      const franks = await as.frank.submitClaim(sampleClaim({ title: 'Frank travels' }));
      const carols = await as.carol.submitClaim(sampleClaim({ title: 'Carol travels' }));
      await as.heidi.delegate({ delegateId: 'frank', endsAt: iso(now() + DAY) });
      expect(await queueIds(as.heidi)).toEqual([franks.id]);
      expect(await queueIds(as.frank)).toEqual([carols.id]);
      // The same for a claim frank submits while it lasts.
      const later = await as.frank.submitClaim(sampleClaim({ title: 'Frank again' }));
      expect(later.currentStep?.approvers).toEqual([{ id: 'heidi', name: 'Heidi Xu' }]);
    });

    it('on a step the delegate already shares (finance), only removes the delegator, and puts them back at the end', async () => {
      const { as, now } = await world();
      let claim = await as.alice.submitClaim(sampleClaim());
      claim = await as.bob.approve(claim.id, { version: claim.version });
      claim = await as.carol.approve(claim.id, { version: claim.version });
      expect(claim.currentStep?.approvers.map((a) => a.id)).toEqual(['dave', 'grace']);
      await as.grace.delegate({ delegateId: 'dave', endsAt: iso(now() + DAY) });
      expect(await queueIds(as.grace)).toEqual([]);
      const [shared] = (await as.dave.queue()).claims;
      expect(shared?.currentStep?.approvers).toEqual([{ id: 'dave', name: 'Dave Liu' }]);
      await as.grace.endDelegation();
      expect((await as.dave.queue()).claims[0]?.currentStep?.approvers.map((a) => a.id)).toEqual([
        'dave',
        'grace',
      ]);
      expect(await queueIds(as.grace)).toEqual([claim.id]);
    });

    it('lets the delegator still decide a claim handed over from them, in their own name', async () => {
      const { as, now } = await world();
      const claim = await as.alice.submitClaim(sampleClaim());
      await as.bob.delegate({ delegateId: 'frank', endsAt: iso(now() + DAY) });
      const current = await as.bob.getClaim(claim.id);
      const approved = await as.bob.approve(claim.id, { version: current.version });
      expect(approved.audit.at(-1)).toMatchObject({ actor: { id: 'bob' }, action: 'approved' });
      expect(approved.audit.at(-1)).not.toHaveProperty('onBehalfOf');
      // It left frank's queue the usual way.
      expect(await queueIds(as.frank)).toEqual([]);
      expect((await eventsOf(as.frank)).at(-1)).toMatchObject({
        type: 'claim.unassigned',
        reason: 'approved',
      });
    });

    it('keeps delegations and their hand-overs across a restart', async () => {
      const { stub, as, now } = await world();
      const claim = await as.alice.submitClaim(sampleClaim());
      const delegation: Delegation = await as.bob.delegate({ delegateId: 'frank', endsAt: iso(now() + DAY) });
      const dbPath = stub.dbPath;
      await stub.close();
      const again = await stubs.inProcess({ dbPath, clock: () => now(), tokenTtlSeconds: 400 * 86_400 });
      const clients = await clientsFor(again.url, ['bob', 'frank'] as const);
      expect((await clients.bob.myDelegations()).outgoing).toEqual(delegation);
      expect(await queueIds(clients.frank)).toEqual([claim.id]);
    });
  });
});
