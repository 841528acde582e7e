// Two stub processes writing to one store at the same moment: one SQLite file, or — under
// SIGNOFF_TEST_STORE=postgres (npm run test:postgres) — one PostgreSQL database, where nothing but the
// engine's locks stands between the two nodes' transactions. What must hold (docs/cluster.md): claim
// numbers are unique, every user's event stream stays gapless and without duplicates, and a race for
// one claim version has exactly one winner, whichever node each request reaches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, UserEvent } from '../../../protocol';
import { clientsFor, rawRequest, sampleClaim, type TempDir, tempDir } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';

const PER_NODE = 15;

let dir: TempDir;
let a: StubProcess;
let b: StubProcess;

beforeAll(async () => {
  dir = tempDir('signoff-writers-');
  const dbPath = dir.store('shared');
  // The first node creates and migrates the store; the second starts against it at the same time.
  [a, b] = await Promise.all([startStub({ dbPath }), startStub({ dbPath })]);
}, 30_000);

afterAll(async () => {
  await Promise.all([a?.dispose(), b?.dispose()]);
  dir?.remove();
});

/** Every event of the user's stream from the start, read page by page. */
async function wholeStream(client: ApiClient): Promise<UserEvent[]> {
  const events: UserEvent[] = [];
  let cursor = null;
  for (;;) {
    const page = await client.events(cursor, { limit: 100 });
    if (page.status !== 'ok') throw new Error(`unexpected ${page.status}`);
    if (page.events.length === 0) return events;
    events.push(...page.events);
    cursor = page.cursor;
  }
}

describe('two nodes writing to one store at once', () => {
  it('hands out unique claim numbers and keeps every stream gapless', async () => {
    const onA = await clientsFor(a.url, ['alice', 'bob'] as const);
    const onB = await clientsFor(b.url, ['alice'] as const);
    const before = (await onA.bob.queue()).cursor.seq;

    const submits = [onA.alice, onB.alice].flatMap((alice, node) =>
      Array.from({ length: PER_NODE }, (_, i) =>
        alice.submitClaim(sampleClaim({ title: `node ${node} #${i}` })),
      ),
    );
    const claims = await Promise.all(submits);

    const ids = claims.map((claim) => claim.id);
    expect(new Set(ids).size).toBe(2 * PER_NODE);
    // Bob (alice's supervisor) was told of each, once, in one unbroken run of seqs.
    const bobs = (await wholeStream(onA.bob)).filter((event) => event.seq > before);
    expect(bobs.map((event) => event.seq)).toEqual(bobs.map((_, index) => before + 1 + index));
    const assigned = bobs.flatMap((event) => (event.type === 'claim.assigned' ? [event.claim.id] : []));
    expect(assigned.sort()).toEqual([...ids].sort());
    // Alice's own stream, written by both nodes, has no gap or repeat either (read through B).
    const alices = await wholeStream(onB.alice);
    expect(alices.map((event) => event.seq)).toEqual(alices.map((_, index) => index + 1));
  });

  it('lets exactly one of two approvals of the same version win, one through each node', async () => {
    const onA = await clientsFor(a.url, ['alice', 'bob', 'carol', 'dave'] as const);
    const onB = await clientsFor(b.url, ['grace'] as const);
    for (let round = 0; round < 10; round++) {
      const claim = await onA.alice.submitClaim(sampleClaim({ title: `race ${round}` }));
      await onA.bob.approve(claim.id, { version: 1 });
      await onA.carol.approve(claim.id, { version: 2 });
      // Finance: dave on node A and grace on node B approve version 3 at the same instant.
      const approve = (url: string, client: ApiClient) =>
        rawRequest(url, 'POST', `/claims/${claim.id}/approve`, {
          token: client.token,
          body: JSON.stringify({ version: 3 }),
          headers: { 'content-type': 'application/json' },
        });
      const results = await Promise.all([approve(a.url, onA.dave), approve(b.url, onB.grace)]);
      expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
      const final = await onA.alice.getClaim(claim.id);
      expect(final).toMatchObject({ state: 'approved', version: 4 });
      expect(
        final.audit.filter((entry) => entry.action === 'approved' && entry.stepIndex === 2),
      ).toHaveLength(1);
    }
  });
});
