// Two finance members approve the same claim version at the same instant: exactly one wins, every time.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../protocol';
import { clientsFor, rawRequest, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const ITERATIONS = 60;

describe('finance race', () => {
  // A real file and synchronous=FULL: the race must hold under the shipped durability settings.
  const stub = useInProcessStub({ sync: 'full' });
  let as: Record<'alice' | 'bob' | 'carol' | 'dave' | 'grace', ApiClient>;
  beforeAll(async () => {
    as = await clientsFor(stub().url, ['alice', 'bob', 'carol', 'dave', 'grace'] as const);
  });

  it(`lets exactly one of dave and grace approve, ${ITERATIONS} times in a row`, async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const claim = await as.alice.submitClaim(sampleClaim({ title: `race ${i}` }));
      await as.bob.approve(claim.id, { version: 1 });
      await as.carol.approve(claim.id, { version: 2 });
      const approve = (client: ApiClient) =>
        rawRequest(stub().url, 'POST', `/claims/${claim.id}/approve`, {
          token: client.token,
          body: JSON.stringify({ version: 3 }),
          headers: { 'content-type': 'application/json' },
        });
      const results = await Promise.all([approve(as.dave), approve(as.grace)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409);
      expect(loser?.json).toMatchObject({ code: 'stale_version', claim: { version: 4, state: 'approved' } });

      const final = await as.alice.getClaim(claim.id);
      const financeApprovals = final.audit.filter((a) => a.action === 'approved' && a.stepIndex === 2);
      expect(financeApprovals).toHaveLength(1);
      expect(final).toMatchObject({ state: 'approved', version: 4 });
      outcomes.push(financeApprovals[0]?.actor.id ?? '?');
    }
    expect(outcomes).toHaveLength(ITERATIONS);
  });
});
