// Nudge (催办) on the reference backend, with the stub's injectable clock moved instead of waiting a day.
import { describe, expect, it } from 'vitest';
import {
  type ApiClient,
  type Cursor,
  NUDGE_AFTER_MS,
  NUDGE_INTERVAL_MS,
  type UserEvent,
} from '../../../protocol';
import { createStubServer } from '../../../server-stub/server';
import { apiFailure, clientsFor, rawRequest, sampleClaim, tempDir } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

const USERS = ['alice', 'bob', 'carol', 'dave', 'grace', 'erin'] as const;
const T0 = Date.parse('2026-11-02T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

async function eventsOf(client: ApiClient, cursor: Cursor): Promise<UserEvent[]> {
  const page = await client.events(cursor, { limit: 1000 });
  if (page.status !== 'ok') throw new Error(`unexpected reset ${page.reason}`);
  return page.events;
}

describe('nudge', () => {
  const stubs = stubsPerTest();
  async function setup(nudgeAfterMs?: number) {
    let now = T0;
    const stub = await stubs.inProcess({
      clock: () => now,
      // The clock moves days; sessions must outlive that.
      tokenTtlSeconds: 30 * 86_400,
      ...(nudgeAfterMs === undefined ? {} : { nudgeAfterMs }),
    });
    const as = await clientsFor(stub.url, USERS);
    const setNow = (ms: number) => {
      now = ms;
    };
    const cursor = (_user: string): Cursor => ({ epoch: stub.eventLog.epoch, seq: 0 });
    return { stub, as, setNow, cursor };
  }

  it('is refused one millisecond before the threshold and accepted at it', async () => {
    const { stub, as, setNow } = await setup();
    const claim = await as.alice.submitClaim(sampleClaim());
    expect(claim).toMatchObject({ lastNudgedAt: null, nudgeAllowedFrom: iso(T0 + NUDGE_AFTER_MS) });

    setNow(T0 + NUDGE_AFTER_MS - 1);
    const early = await rawRequest(stub.url, 'POST', `/claims/${claim.id}/nudge`, {
      token: as.alice.token,
    });
    expect(early.status).toBe(429);
    expect(early.json).toMatchObject({
      code: 'nudge_too_soon',
      nextAllowedAt: iso(T0 + NUDGE_AFTER_MS),
      retryAfterSeconds: 1,
    });
    expect(early.headers.get('retry-after')).toBe('1');

    setNow(T0 + NUDGE_AFTER_MS);
    const nudged = await as.alice.nudge(claim.id);
    expect(nudged).toMatchObject({
      version: claim.version,
      lastNudgedAt: iso(T0 + NUDGE_AFTER_MS),
      nudgeAllowedFrom: iso(T0 + NUDGE_AFTER_MS + NUDGE_INTERVAL_MS),
    });
    expect(nudged.audit.at(-1)).toMatchObject({ action: 'nudged', actor: { id: 'alice' }, stepIndex: 0 });
  });

  it('allows one nudge per claim per 24 h, across steps, via the clock', async () => {
    const { as, setNow } = await setup(0);
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.alice.nudge(claim.id);

    // Bob approves; the claim now waits on carol, but the last nudge is still under 24 h old.
    setNow(T0 + 60_000);
    await as.bob.approve(claim.id, { version: 1 });
    setNow(T0 + NUDGE_INTERVAL_MS - 1);
    const again = await apiFailure(as.alice.nudge(claim.id));
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ code: 'nudge_too_soon', nextAllowedAt: iso(T0 + NUDGE_INTERVAL_MS) });
    const summary = (await as.alice.listClaims('mine')).claims[0];
    expect(summary).toMatchObject({ lastNudgedAt: iso(T0), nudgeAllowedFrom: iso(T0 + NUDGE_INTERVAL_MS) });

    setNow(T0 + NUDGE_INTERVAL_MS);
    const second = await as.alice.nudge(claim.id);
    expect(second.audit.filter((entry) => entry.action === 'nudged').map((e) => e.stepIndex)).toEqual([0, 1]);
  });

  it('refuses non-submitters by the visibility rules (403 if they see it, else 404)', async () => {
    const { as } = await setup(0);
    const claim = await as.alice.submitClaim(sampleClaim());
    const byApprover = await apiFailure(as.bob.nudge(claim.id));
    expect([byApprover.status, byApprover.code]).toEqual([403, 'forbidden']);
    for (const outsider of [as.carol, as.erin]) {
      const refused = await apiFailure(outsider.nudge(claim.id));
      expect([refused.status, refused.code]).toEqual([404, 'not_found']);
    }
    const ghost = await apiFailure(as.alice.nudge('EXP-999999'));
    expect(ghost.status).toBe(404);
    expect((await as.alice.getClaim(claim.id)).audit).toHaveLength(1);
  });

  it('refuses a decided or withdrawn claim with 409 invalid_state', async () => {
    const { as } = await setup(0);
    const rejected = await as.alice.submitClaim(sampleClaim());
    await as.bob.reject(rejected.id, { version: 1, reason: 'no receipt' });
    const withdrawn = await as.alice.submitClaim(sampleClaim());
    await as.alice.withdraw(withdrawn.id, { version: 1 });
    for (const claim of [rejected, withdrawn]) {
      const refused = await apiFailure(as.alice.nudge(claim.id));
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'invalid_state',
        claim: { id: claim.id, nudgeAllowedFrom: null },
      });
    }
  });

  it('sends claim.nudged to every current approver and to the submitter, nobody else', async () => {
    const { as, cursor } = await setup(0);
    const claim = await as.alice.submitClaim(sampleClaim());
    await as.bob.approve(claim.id, { version: 1 });
    await as.carol.approve(claim.id, { version: 2 });
    await as.alice.nudge(claim.id);
    for (const user of ['dave', 'grace', 'alice'] as const) {
      const nudges = (await eventsOf(as[user], cursor(user))).filter((e) => e.type === 'claim.nudged');
      expect(nudges).toHaveLength(1);
      expect(nudges[0]).toMatchObject({
        at: iso(T0),
        by: { id: 'alice' },
        claim: { id: claim.id, version: 3, lastNudgedAt: iso(T0) },
      });
    }
    for (const user of ['bob', 'carol', 'erin'] as const) {
      expect((await eventsOf(as[user], cursor(user))).some((e) => e.type === 'claim.nudged')).toBe(false);
    }
  });

  it('replays an Idempotency-Key retry without nudging twice', async () => {
    const { stub, as, cursor } = await setup(0);
    const claim = await as.alice.submitClaim(sampleClaim());
    const send = () =>
      rawRequest(stub.url, 'POST', `/claims/${claim.id}/nudge`, {
        token: as.alice.token,
        body: '{}',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'nudge-1' },
      });
    const first = await send();
    const retry = await send();
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    const audit = (await as.alice.getClaim(claim.id)).audit;
    expect(audit.filter((entry) => entry.action === 'nudged')).toHaveLength(1);
    const toBob = (await eventsOf(as.bob, cursor('bob'))).filter((e) => e.type === 'claim.nudged');
    expect(toBob).toHaveLength(1);
  });

  it('keeps the nudge across a restart of the store', async () => {
    const dir = tempDir();
    try {
      const options = { dbPath: dir.store('stub.sqlite'), port: 0, clock: () => T0, nudgeAfterMs: 0 };
      const first = await createStubServer(options);
      const { alice } = await clientsFor(first.url, ['alice'] as const);
      const claim = await alice.submitClaim(sampleClaim());
      await alice.nudge(claim.id);
      await first.close();
      const second = await createStubServer(options);
      try {
        const { alice: again } = await clientsFor(second.url, ['alice'] as const);
        expect(await again.getClaim(claim.id)).toMatchObject({ lastNudgedAt: iso(T0) });
        expect((await apiFailure(again.nudge(claim.id))).code).toBe('nudge_too_soon');
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });
});
