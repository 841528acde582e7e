import { describe, expect, it, vi } from 'vitest';
import { type ApiClient, BroadcastEvent, type Cursor, UserEvent } from '../../../protocol';
import type { StubServerOptions } from '../../../server-stub/server';
import { clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

const USERS = ['alice', 'erin', 'bob', 'carol', 'frank', 'dave', 'grace', 'heidi', 'admin'] as const;
type User = (typeof USERS)[number];

async function allEvents(client: ApiClient, cursor: Cursor): Promise<UserEvent[]> {
  const events: UserEvent[] = [];
  let from = cursor;
  for (;;) {
    const page = await client.events(from, { limit: 50 });
    if (page.status !== 'ok') throw new Error(`unexpected reset ${page.reason}`);
    events.push(...page.events);
    from = page.cursor;
    if (!page.hasMore) return events;
  }
}

describe('event streams', () => {
  const stubs = stubsPerTest();
  async function setup(options: Partial<StubServerOptions> = {}) {
    const stub = await stubs.inProcess(options);
    const as = await clientsFor(stub.url, USERS);
    const start = (_user: User): Cursor => ({ epoch: stub.eventLog.epoch, seq: 0 });
    return { stub, as, start };
  }

  it('emits the right events to submitter and approvers through a whole claim', async () => {
    const { as, start } = await setup();
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(claim.id, { version: 1, comment: 'ok' });
    await as.carol.approve(claim.id, { version: 2 });
    await as.dave.approve(claim.id, { version: 3 });
    const types = async (user: User) =>
      (await allEvents(as[user], start(user))).map((e) =>
        e.type === 'claim.unassigned' ? `${e.type}:${e.reason}:${e.by.id}:v${e.claimVersion}` : e.type,
      );
    expect(await types('alice')).toEqual([
      'claim.submitted',
      'claim.advanced',
      'claim.advanced',
      'claim.approved',
    ]);
    expect(await types('bob')).toEqual(['claim.assigned', 'claim.unassigned:approved:bob:v2']);
    expect(await types('carol')).toEqual(['claim.assigned', 'claim.unassigned:approved:carol:v3']);
    // Both finance members were assigned; both hear dave decided it — dave too, for his other devices.
    expect(await types('dave')).toEqual(['claim.assigned', 'claim.unassigned:approved:dave:v4']);
    expect(await types('grace')).toEqual(['claim.assigned', 'claim.unassigned:approved:dave:v4']);
    expect(await types('erin')).toEqual([]);
  });

  it('tells approvers about rejections and withdrawals, and the submitter with the reason', async () => {
    const { as, start } = await setup();
    const rejected = await as.erin.submitClaim(sampleClaim());
    await as.frank.reject(rejected.id, { version: 1, reason: 'no receipt' });
    const withdrawn = await as.erin.submitClaim(sampleClaim());
    await as.erin.withdraw(withdrawn.id, { version: 1 });
    const erin = await allEvents(as.erin, start('erin'));
    expect(erin.map((e) => e.type)).toEqual([
      'claim.submitted',
      'claim.rejected',
      'claim.submitted',
      'claim.withdrawn',
    ]);
    expect(erin[1]).toMatchObject({
      reason: 'no receipt',
      by: { id: 'frank' },
      claim: { state: 'rejected' },
    });
    const frank = await allEvents(as.frank, start('frank'));
    expect(frank.map((e) => (e.type === 'claim.unassigned' ? `${e.reason}:${e.by.id}` : e.type))).toEqual([
      'claim.assigned',
      'rejected:frank',
      'claim.assigned',
      'withdrawn:erin',
    ]);
  });

  it('builds every kind of event exactly as the protocol schema has it, without re-validating it', async () => {
    // Production stubs store events built from their typed drafts (checkEvents off). TypeScript lets
    // a draft carry more fields than the type names, so this checks what was stored: each payload parses
    // with UserEvent and parsing changes nothing (no extra field stripped, none missing).
    const { stub, as } = await setup({ checkEvents: false, nudgeAfterMs: 0 });
    const approved = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(approved.id, { version: 1, comment: 'ok' });
    await as.carol.approve(approved.id, { version: 2 });
    await as.dave.approve(approved.id, { version: 3 });
    const rejected = await as.erin.submitClaim(sampleClaim());
    await as.frank.reject(rejected.id, { version: 1, reason: 'no receipt' });
    const withdrawn = await as.erin.submitClaim(sampleClaim());
    await as.erin.withdraw(withdrawn.id, { version: 1 });
    // Issue 14's kinds: a nudge, a transfer (claim.changed), a return, and delegations scheduled,
    // started and ended.
    const moved = await as.alice.submitClaim(sampleClaim());
    await as.alice.nudge(moved.id);
    const handed = await as.bob.transfer(moved.id, { version: moved.version, to: 'erin' });
    await as.erin.returnClaim(moved.id, { version: handed.version, reason: 'split the bill' });
    const day = 86_400_000;
    await as.carol.delegate({
      delegateId: 'frank',
      startsAt: new Date(Date.now() + day).toISOString(),
      endsAt: new Date(Date.now() + 2 * day).toISOString(),
    });
    await as.grace.delegate({ delegateId: 'dave', endsAt: new Date(Date.now() + day).toISOString() });
    await as.grace.endDelegation();
    await as.admin.announce({ title: 'Office closed Friday', body: 'Back Monday' });
    const payloads = (table: string) =>
      stub.backend.db
        .prepare<[], string>(`SELECT payload FROM ${table}`)
        .pluck()
        .all()
        .map((payload) => JSON.parse(payload) as unknown);
    const stored = payloads('events');
    // An announcement is one row of the broadcast stream, not a copy in each user's stream.
    expect(new Set(stored.map((event) => (event as UserEvent).type))).toEqual(
      new Set(
        UserEvent.options.map((option) => option.shape.type.value).filter((type) => type !== 'announcement'),
      ),
    );
    for (const event of stored) expect(UserEvent.parse(event)).toStrictEqual(event);
    const broadcasts = payloads('broadcast_events');
    expect(broadcasts).toHaveLength(1);
    for (const event of broadcasts) expect(BroadcastEvent.parse(event)).toStrictEqual(event);
  });

  it('fans an announcement out to every user; only admin may post', async () => {
    const { as, start } = await setup();
    await expect(as.alice.announce({ title: 'hi' })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    const announcement = await as.admin.announce({ title: 'Office closed Friday' });
    for (const user of USERS) {
      const events = await allEvents(as[user], start(user));
      expect(events).toEqual([expect.objectContaining({ type: 'announcement', announcement })]);
    }
  });

  it('keeps every stream gapless and strictly increasing under a burst of concurrent actions', async () => {
    const { as, start, stub } = await setup();
    const live = new Map<string, number[]>();
    for (const user of USERS)
      stub.eventLog.subscribe(user, (events) => {
        live.set(user, [...(live.get(user) ?? []), ...events.map((e) => e.seq)]);
      });
    const submitters: User[] = ['alice', 'erin', 'bob', 'carol', 'frank', 'heidi'];
    const claims = await Promise.all(
      submitters.flatMap((user) => Array.from({ length: 5 }, () => as[user].submitClaim(sampleClaim()))),
    );
    // Everyone who can act on anything does so concurrently, announcements interleaved.
    await Promise.all([
      ...claims.map(async (claim) => {
        const approverId = claim.currentStep?.approvers[0]?.id as User;
        await as[approverId].approve(claim.id, { version: claim.version });
      }),
      ...Array.from({ length: 5 }, (_, i) => as.admin.announce({ title: `burst ${i}` })),
    ]);
    for (const user of USERS) {
      const seqs = (await allEvents(as[user], start(user))).map((e) => e.seq);
      expect(seqs.length).toBeGreaterThan(0);
      expect(seqs, user).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(stub.eventLog.head(user)).toBe(seqs.length);
      // Live subscribers saw the same gapless sequence, in commit order.
      expect(live.get(user)).toEqual(seqs);
    }
  });

  it('answers reset for another epoch, a cursor ahead of the head, and one older than retention', async () => {
    const { as, stub } = await setup({ eventRetention: 3 });
    const epoch = stub.eventLog.epoch;
    // Five events in alice's own stream (announcements are in the broadcast stream now).
    for (let i = 0; i < 5; i++) await as.alice.submitClaim(sampleClaim());
    const head = { epoch, seq: 5 };

    expect(await as.alice.events({ epoch: 'other-epoch', seq: 2 })).toEqual({
      status: 'reset',
      reason: 'epoch_changed',
      cursor: head,
    });
    expect(await as.alice.events({ epoch, seq: 6 })).toMatchObject({
      status: 'reset',
      reason: 'ahead',
      cursor: head,
    });
    // Events 1–2 were pruned: resuming after 0 or 1 would silently skip some.
    expect(await as.alice.events({ epoch, seq: 1 })).toMatchObject({ status: 'reset', reason: 'expired' });
    const fromFloor = await as.alice.events({ epoch, seq: 2 });
    expect(fromFloor.status === 'ok' && fromFloor.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(stub.backend.db.prepare("SELECT COUNT(*) FROM events WHERE user_id = 'alice'").pluck().get()).toBe(
      3,
    );

    // The WebSocket side uses the same rules.
    expect(stub.eventLog.checkResume('alice', { epoch, seq: 1 })).toMatchObject({
      status: 'reset',
      reason: 'expired',
    });
    expect(stub.eventLog.checkResume('alice', { epoch, seq: 2 })).toEqual({ status: 'ok', afterSeq: 2 });
    expect(stub.eventLog.checkResume('alice', null)).toEqual({ status: 'ok', afterSeq: 5 });
  });

  it('pages with limit and hasMore', async () => {
    const { as, stub } = await setup();
    for (let i = 0; i < 5; i++) await as.admin.announce({ title: `n${i}` });
    const first = await as.bob.events({ epoch: stub.eventLog.epoch, seq: 0 }, { limit: 2 });
    expect(first).toMatchObject({ status: 'ok', hasMore: true, cursor: { seq: 2 } });
    const last = await as.bob.events({ epoch: stub.eventLog.epoch, seq: 4 }, { limit: 2 });
    expect(last).toMatchObject({ status: 'ok', hasMore: false, cursor: { seq: 5 } });
  });

  it('holds a long-poll until an event arrives', async () => {
    const { as, stub } = await setup();
    const cursor = { epoch: stub.eventLog.epoch, seq: stub.eventLog.head('bob') };
    const started = Date.now();
    const poll = as.bob.events(cursor, { waitSeconds: 20 });
    // Submit once the poll is held: its subscription is what must wake it.
    await vi.waitFor(() => expect(stub.eventLog.subscriberCount('bob')).toBe(1), { timeout: 5_000 });
    const claim = await as.alice.submitClaim(sampleClaim());
    const page = await poll;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(page).toMatchObject({
      status: 'ok',
      events: [{ type: 'claim.assigned', claim: { id: claim.id } }],
    });
  });

  it('ends an empty long-poll after its wait with no events', async () => {
    const { as, stub } = await setup();
    const cursor = { epoch: stub.eventLog.epoch, seq: 0 };
    const started = Date.now();
    const page = await as.erin.events(cursor, { waitSeconds: 1 });
    const elapsed = Date.now() - started;
    expect(page).toEqual({ status: 'ok', events: [], cursor, hasMore: false });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    // The held request let go of its subscription.
    expect(stub.eventLog.subscriberCount('erin')).toBe(0);
  });

  it('releases held long-polls at shutdown instead of waiting them out', async () => {
    const { as, stub } = await setup();
    const poll = as.erin.events({ epoch: stub.eventLog.epoch, seq: 0 }, { waitSeconds: 25 });
    await vi.waitFor(() => expect(stub.eventLog.subscriberCount('erin')).toBe(1), { timeout: 5_000 });
    const started = Date.now();
    await stub.close();
    await expect(poll).resolves.toMatchObject({ status: 'ok', events: [] });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
