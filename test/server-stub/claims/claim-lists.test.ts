// The "Done" (scope=decided) and "My claims" (scope=mine) lists of GET /claims against a real stub:
// contents, visibility, ordering with tie-breakers, keyset paging and the 400s for bad queries.
// The stub runs on a hand-moved clock so decision and submission times are exact and ties are real.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ApiClient,
  CLAIM_LIST_DEFAULT_LIMIT,
  type ClaimListPaging,
  ClaimListResponse,
  type ClaimSummary,
  DecidedClaimListResponse,
  ErrorBody,
} from '../../../protocol';
import {
  clientsFor,
  type InProcessStub,
  rawRequest,
  sampleClaim,
  startInProcessStub,
} from '../../support/stub-fixtures';

const USERS = ['alice', 'bob', 'carol', 'dave', 'grace', 'erin', 'frank', 'heidi'] as const;
const START = Date.parse('2026-11-25T09:00:00.000Z');

let now = START;
/** Moves the stub's clock on by `minutes` and returns the new instant as the wire shows it. */
function tick(minutes = 1): string {
  now += minutes * 60_000;
  return new Date(now).toISOString();
}

/** Follows nextCursor to the end, returning every page's ids. */
async function allPages(
  fetchPage: (paging: ClaimListPaging) => Promise<{ claims: ClaimSummary[]; nextCursor: string | null }>,
  limit: number,
): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor === undefined ? { limit } : { limit, cursor });
    expect(page.claims.length).toBeLessThanOrEqual(limit);
    pages.push(page.claims.map((c) => c.id));
    cursor = page.nextCursor ?? undefined;
    expect(pages.length).toBeLessThan(100); // a cursor that never ends is a bug, not a slow test
  } while (cursor !== undefined);
  return pages;
}

describe('claim lists: decided (Done) and mine (My claims)', () => {
  let stub: InProcessStub;
  let as: Record<(typeof USERS)[number], ApiClient>;

  beforeAll(async () => {
    stub = await startInProcessStub({ clock: () => now });
    as = await clientsFor(stub.url, USERS);
  });
  afterAll(() => stub.dispose());

  const ids = (list: { claims: ClaimSummary[] }) => list.claims.map((c) => c.id);

  describe('a chain alice → bob → carol → grace, and two more of alice’s claims', () => {
    let trip: string;
    let lunch: string;
    let taxi: string;
    const at: Record<string, string> = {};

    beforeAll(async () => {
      tick();
      trip = (await as.alice.submitClaim(sampleClaim({ title: 'Shanghai trip' }))).id;
      tick();
      lunch = (await as.alice.submitClaim(sampleClaim({ title: 'Team lunch', category: 'meals' }))).id;
      at.lunchRejected = tick();
      await as.bob.reject(lunch, { version: 1, reason: 'Receipt missing' });
      at.tripApprovedByBob = tick();
      await as.bob.approve(trip, { version: 1, comment: 'OK' });
    });

    it('shows alice where a pending claim stands: step kind, who holds it, since when', async () => {
      const mine = await as.alice.listClaims('mine');
      const pendingTrip = mine.claims.find((c) => c.id === trip);
      expect(pendingTrip).toMatchObject({
        state: 'pending',
        currentStepSince: at.tripApprovedByBob,
        currentStep: { index: 1, kind: 'manager', approvers: [{ id: 'carol', name: 'Carol Wang' }] },
      });
      expect(mine.claims.find((c) => c.id === lunch)).toMatchObject({
        state: 'rejected',
        currentStep: null,
        currentStepSince: null,
      });
    });

    it('follows the chain to the end, where bob’s Done list has his comment and the final state', async () => {
      tick();
      taxi = (await as.alice.submitClaim(sampleClaim({ title: 'Taxi', category: 'transport' }))).id;
      at.taxiApprovedByBob = tick();
      await as.bob.approve(taxi, { version: 1 });
      at.tripApprovedByCarol = tick();
      await as.carol.approve(trip, { version: 2 });
      at.tripApprovedByGrace = tick();
      await as.grace.approve(trip, { version: 3, comment: 'paid next run' });

      const done = await as.bob.listClaims('decided');
      expect(DecidedClaimListResponse.parse(done)).toEqual(done);
      // Newest decision first: not newest submission (taxi, lunch, trip) nor newest update (trip first).
      expect(ids(done)).toEqual([taxi, trip, lunch]);
      expect(done.nextCursor).toBeNull();
      const [taxiItem, tripItem, lunchItem] = done.claims;
      expect(tripItem).toMatchObject({
        id: trip,
        state: 'approved',
        version: 4,
        currentStep: null,
        decision: { action: 'approved', at: at.tripApprovedByBob, comment: 'OK' },
      });
      expect(lunchItem).toMatchObject({
        state: 'rejected',
        decision: { action: 'rejected', at: at.lunchRejected, comment: 'Receipt missing' },
      });
      expect(taxiItem).toMatchObject({
        state: 'pending',
        currentStep: { kind: 'manager', approvers: [{ name: 'Carol Wang' }] },
        decision: { action: 'approved', at: at.taxiApprovedByBob, comment: null },
      });

      // Each approver sees their own decision only, never a co-approver's or the submitter's actions.
      expect((await as.carol.listClaims('decided')).claims).toEqual([
        expect.objectContaining({
          id: trip,
          decision: { action: 'approved', at: at.tripApprovedByCarol, comment: null },
        }),
      ]);
      expect((await as.grace.listClaims('decided')).claims).toEqual([
        expect.objectContaining({
          id: trip,
          decision: { action: 'approved', at: at.tripApprovedByGrace, comment: 'paid next run' },
        }),
      ]);
      expect(ids(await as.dave.listClaims('decided'))).toEqual([]);
      expect(ids(await as.alice.listClaims('decided'))).toEqual([]);
    });

    it('shows alice her claims newest first, in their final state once decided', async () => {
      const mine = await as.alice.listClaims('mine');
      expect(ClaimListResponse.parse(mine)).toEqual(mine);
      expect(ids(mine)).toEqual([taxi, lunch, trip]);
      expect(mine.claims.find((c) => c.id === trip)).toMatchObject({
        state: 'approved',
        currentStep: null,
        currentStepSince: null,
        updatedAt: at.tripApprovedByGrace,
      });
      expect(mine.claims[0]).toMatchObject({
        id: taxi,
        currentStep: { kind: 'manager', approvers: [{ name: 'Carol Wang' }] },
        currentStepSince: at.taxiApprovedByBob,
      });
    });

    it('never lists alice’s claims as anyone else’s', async () => {
      const alices = new Set([trip, lunch, taxi]);
      for (const user of ['bob', 'carol', 'grace', 'erin', 'heidi'] as const) {
        expect(ids(await as[user].listClaims('mine')).filter((id) => alices.has(id))).toEqual([]);
      }
      for (const user of ['erin', 'frank', 'heidi'] as const) {
        expect(ids(await as[user].listClaims('decided')).filter((id) => alices.has(id))).toEqual([]);
        expect(ids(await as[user].listClaims('visible')).filter((id) => alices.has(id))).toEqual([]);
      }
    });

    it('pages both lists: every item exactly once, in the same order as one big page', async () => {
      for (const limit of [1, 2]) {
        const done = await allPages((paging) => as.bob.listClaims('decided', paging), limit);
        expect(done.flat()).toEqual([taxi, trip, lunch]);
        expect(done.at(-1)?.length).toBeGreaterThan(0);
        const mine = await allPages((paging) => as.alice.listClaims('mine', paging), limit);
        expect(mine.flat()).toEqual([taxi, lunch, trip]);
      }
      const first = await as.bob.listClaims('decided', { limit: 3 });
      expect(first.nextCursor).toBeNull();
    });
  });

  it('breaks ties in time by the order of submission or decision, across page boundaries', async () => {
    // Erin's claims go to frank; everything below happens in the same millisecond.
    tick();
    const submitted: string[] = [];
    for (let i = 0; i < 5; i++)
      submitted.push((await as.erin.submitClaim(sampleClaim({ title: `tie ${i}` }))).id);
    const decidedOrder = [submitted[2], submitted[0], submitted[4], submitted[1], submitted[3]] as string[];
    for (const [i, id] of decidedOrder.entries()) {
      if (i % 2 === 0) await as.frank.approve(id, { version: 1, comment: `ok ${i}` });
      else await as.frank.reject(id, { version: 1, reason: `no ${i}` });
    }
    const newestFirst = [...decidedOrder].reverse();
    expect(ids(await as.frank.listClaims('decided'))).toEqual(newestFirst);
    expect((await allPages((p) => as.frank.listClaims('decided', p), 2)).flat()).toEqual(newestFirst);
    expect((await allPages((p) => as.erin.listClaims('mine', p), 2)).flat()).toEqual(
      [...submitted].reverse(),
    );
  });

  it('keeps a paging walk exact while new decisions land at the head', async () => {
    tick();
    const before = ids(await as.frank.listClaims('decided'));
    const page1 = await as.frank.listClaims('decided', { limit: 2 });
    // A new decision, newer than everything: it belongs before page 1, so the walk must not repeat or skip.
    const fresh = await as.erin.submitClaim(sampleClaim({ title: 'during paging' }));
    tick();
    await as.frank.approve(fresh.id, { version: 1 });
    const rest = await allPages(
      (paging) =>
        as.frank.listClaims('decided', { ...paging, cursor: paging.cursor ?? page1.nextCursor ?? '' }),
      2,
    );
    expect([...ids(page1), ...rest.flat()]).toEqual(before);
    expect(ids(await as.frank.listClaims('decided', { limit: 1 }))).toEqual([fresh.id]);
  });

  it(`defaults to ${CLAIM_LIST_DEFAULT_LIMIT} items a page and allows up to 200`, async () => {
    // Heidi's claims go straight to finance; enough of them to overflow the default page.
    for (let i = 0; i <= CLAIM_LIST_DEFAULT_LIMIT; i++)
      await as.heidi.submitClaim(sampleClaim({ title: `bulk ${i}` }));
    const first = await as.heidi.listClaims('mine');
    expect(first.claims).toHaveLength(CLAIM_LIST_DEFAULT_LIMIT);
    expect(first.nextCursor).not.toBeNull();
    const second = await as.heidi.listClaims('mine', { cursor: first.nextCursor ?? '' });
    expect(second.claims).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect((await as.heidi.listClaims('mine', { limit: 200 })).claims).toHaveLength(
      CLAIM_LIST_DEFAULT_LIMIT + 1,
    );
  });

  it('serves the lists from statements compiled once, not per request', async () => {
    const prepare = vi.spyOn(stub.backend.db, 'prepare');
    try {
      const page = await as.bob.listClaims('decided', { limit: 1 });
      await as.bob.listClaims('decided', { limit: 1, cursor: page.nextCursor ?? '' });
      await as.alice.listClaims('mine', { limit: 1 });
      await as.bob.listClaims('waiting');
      expect(prepare).not.toHaveBeenCalled();
    } finally {
      prepare.mockRestore();
    }
  });

  describe('bad queries answer 400 with the contract’s error body', () => {
    const cursorOf = async (scope: 'mine' | 'decided') =>
      scope === 'mine'
        ? (await as.alice.listClaims('mine', { limit: 1 })).nextCursor
        : (await as.bob.listClaims('decided', { limit: 1 })).nextCursor;

    it.each([
      ['unknown scope', 'scope=done', 'scope'],
      ['scope in another case', 'scope=Decided', 'scope'],
      ['limit 0', 'scope=decided&limit=0', 'limit'],
      ['limit over the max', 'scope=mine&limit=201', 'limit'],
      ['limit not a number', 'scope=mine&limit=ten', 'limit'],
      ['limit with a fraction', 'scope=mine&limit=1.5', 'limit'],
      ['limit in exponent form', 'scope=mine&limit=1e2', 'limit'],
      ['empty limit', 'scope=mine&limit=', 'limit'],
      ['repeated limit', 'scope=mine&limit=5&limit=6', 'limit'],
      ['cursor with odd characters', 'scope=mine&cursor=a%2Bb', 'cursor'],
      ['cursor that is not ours', 'scope=mine&cursor=AAAAAAAA', 'cursor'],
      ['unknown parameter', 'scope=decided&before=2026-11-25', '(root)'],
    ])('%s', async (_name, query, path) => {
      const response = await rawRequest(stub.url, 'GET', `/claims?${query}`, { token: as.bob.token });
      expect(response.status).toBe(400);
      const body = ErrorBody.parse(response.json);
      expect(body.code).toBe('bad_request');
      expect(body.issues?.map((issue) => issue.path)).toContain(path);
    });

    it('refuses a cursor from another scope', async () => {
      const mineCursor = await cursorOf('mine');
      expect(mineCursor).toEqual(expect.any(String));
      const response = await rawRequest(stub.url, 'GET', `/claims?scope=decided&cursor=${mineCursor}`, {
        token: as.bob.token,
      });
      expect(response.status).toBe(400);
      expect(ErrorBody.parse(response.json).issues).toEqual([
        { path: 'cursor', message: expect.stringContaining('scope=mine') },
      ]);
      // The same cursor is fine where it came from.
      const ok = await rawRequest(stub.url, 'GET', `/claims?scope=mine&cursor=${mineCursor}`, {
        token: as.alice.token,
      });
      expect(ok.status).toBe(200);
      expect(await cursorOf('decided')).toEqual(expect.any(String));
    });

    it('still asks for a token first', async () => {
      const response = await rawRequest(stub.url, 'GET', '/claims?scope=decided&limit=0');
      expect(response.status).toBe(401);
    });
  });
});
