// The PostgreSQL engine's connection is replaced when the server drops it (a restart, a failover, an
// administrator's terminate): the request that was running fails, the next one works, and nothing
// acknowledged is lost. Runs in the PostgreSQL pass of the suite (npm run test:postgres).
import { describe, expect, it } from 'vitest';
import { clientFor, sampleClaim } from '../../../support/stub-fixtures';
import { terminatePostgresSessions, testStore } from '../../../support/test-store';
import { stubsPerTest } from '../../../support/use-stub';

const stubs = stubsPerTest();

describe.skipIf(testStore !== 'postgres')('PostgreSQL connection', () => {
  it('reconnects after the server ends its session, and keeps what was committed', async () => {
    const stub = await stubs.inProcess();
    const alice = await clientFor(stub.url, 'alice');
    const before = await alice.submitClaim(sampleClaim({ title: 'before the drop' }));

    expect(terminatePostgresSessions(stub.dbPath)).toBeGreaterThan(0);
    // Give the worker a moment to see its connection end (it does while idle, as here).
    await new Promise((resolve) => setTimeout(resolve, 200));

    const after = await alice.submitClaim(sampleClaim({ title: 'after the drop' }));
    expect(after.id).not.toBe(before.id);
    const mine = await alice.listClaims('mine');
    expect(mine.claims.map((claim) => claim.title)).toEqual(['after the drop', 'before the drop']);
  });
});
