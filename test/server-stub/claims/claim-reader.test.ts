// What a ClaimSummary says about its line items (`itemDescriptions`, for searching a queue) wherever
// the stub hands one out: GET /queue, the claim.assigned event, GET /claims lists and the detail; and
// GET /announcements (the latest announcements, for a client that lost events in a reset).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ANNOUNCEMENT_LIST_MAX_LIMIT,
  type ApiClient,
  ErrorBody,
  MAX_FRAME_BYTES,
  MAX_LINE_ITEMS,
  SUMMARY_ITEM_DESCRIPTIONS,
} from '../../../protocol';
import { clientsFor, rawRequest, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const stub = useInProcessStub();
let as: Record<'alice' | 'bob' | 'carol' | 'admin', ApiClient>;

beforeAll(async () => {
  as = await clientsFor(stub().url, ['alice', 'bob', 'carol', 'admin'] as const);
});

describe('itemDescriptions in every summary', () => {
  it('lists the items’ descriptions in item order: queue, event, lists and detail agree', async () => {
    const cursor = (await as.bob.queue()).cursor;
    const expected = ['Hotel Jinjiang', '高铁票'];
    const items = expected.map((description) => ({ description, amountMinor: 32_025 }));
    const submitted = await as.alice.submitClaim(
      sampleClaim({ title: 'Shanghai visit', items, totalMinor: 64_050 }),
    );
    expect(submitted.itemDescriptions).toEqual(expected);
    const queued = (await as.bob.queue()).claims.find((claim) => claim.id === submitted.id);
    expect(queued?.itemDescriptions).toEqual(expected);
    const page = await as.bob.events(cursor);
    if (page.status !== 'ok') throw new Error('expected events');
    const assigned = page.events.find((event) => event.type === 'claim.assigned');
    expect(assigned?.type === 'claim.assigned' && assigned.claim.itemDescriptions).toEqual(expected);
    const mine = await as.alice.listClaims('mine');
    expect(mine.claims.find((claim) => claim.id === submitted.id)?.itemDescriptions).toEqual(expected);
    expect((await as.bob.getClaim(submitted.id)).itemDescriptions).toEqual(expected);
  });

  it(`carries at most ${SUMMARY_ITEM_DESCRIPTIONS}, so the largest claim’s event still fits a frame`, async () => {
    // The most items; those a summary carries as long as allowed and as costly in JSON as text gets
    // (each control character is escaped to six bytes); the rest short, to fit the request body limit.
    const costly = '\u0001'.repeat(200);
    const items = Array.from({ length: MAX_LINE_ITEMS }, (_, index) => ({
      description: index < SUMMARY_ITEM_DESCRIPTIONS ? costly : `Item ${index}`,
      amountMinor: 1,
    }));
    const cursor = (await as.bob.queue()).cursor;
    const submitted = await as.alice.submitClaim(
      sampleClaim({ title: '\u0001'.repeat(200), items, totalMinor: MAX_LINE_ITEMS }),
    );
    expect(submitted.items).toHaveLength(MAX_LINE_ITEMS);
    expect(submitted.itemDescriptions).toHaveLength(SUMMARY_ITEM_DESCRIPTIONS);
    const page = await as.bob.events(cursor);
    if (page.status !== 'ok') throw new Error('expected events');
    const assigned = page.events.find((event) => event.type === 'claim.assigned');
    expect(assigned).toBeDefined();
    const frame = JSON.stringify({ type: 'event', epoch: cursor.epoch, event: assigned });
    expect(Buffer.byteLength(frame)).toBeLessThan(MAX_FRAME_BYTES / 2);
  });
});

describe('GET /announcements', () => {
  it('gives any signed-in user the latest, newest first, as many as asked', async () => {
    const posted = [];
    for (const title of ['First', 'Second', 'Third']) posted.push(await as.admin.announce({ title }));
    const newestFirst = [...posted].reverse();
    expect((await as.carol.announcements()).announcements).toEqual(newestFirst);
    expect((await as.bob.announcements(2)).announcements).toEqual(newestFirst.slice(0, 2));
    expect((await as.admin.announcements(ANNOUNCEMENT_LIST_MAX_LIMIT)).announcements).toEqual(newestFirst);
  });

  it('refuses a bad limit, an unknown parameter and a missing token in the contract’s shape', async () => {
    const token = as.bob.token;
    for (const query of ['limit=0', `limit=${ANNOUNCEMENT_LIST_MAX_LIMIT + 1}`, 'limit=1e1', 'after=3']) {
      const response = await rawRequest(stub().url, 'GET', `/announcements?${query}`, { token });
      expect(response.status, query).toBe(400);
      expect(ErrorBody.parse(response.json).code).toBe('bad_request');
    }
    expect((await rawRequest(stub().url, 'GET', '/announcements', { token: null })).status).toBe(401);
  });
});
