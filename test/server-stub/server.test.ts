import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../protocol';
import { clientFor, sampleClaim } from '../support/stub-fixtures';
import { stubsPerTest } from '../support/use-stub';

describe('the real stub process', () => {
  const stubs = stubsPerTest();

  it('prints its ready line, serves sign-in, and exits 0 on SIGTERM', async () => {
    const stub = await stubs.process();
    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await new ApiClient({ baseUrl: stub.url }).info();
    expect(info.protocolVersion).toBe(1);
    const alice = await clientFor(stub.url, 'alice');
    expect((await alice.me()).user.id).toBe('alice');
    expect(await stub.stop()).toBe(0);
  });

  it('passes CLI flags through to the server', async () => {
    const stub = await stubs.process({ args: ['--heartbeat-seconds', '7'] });
    expect((await new ApiClient({ baseUrl: stub.url }).info()).heartbeatSeconds).toBe(7);
  });

  it('restarts on the same port and database file', async () => {
    const stub = await stubs.process();
    const alice = await clientFor(stub.url, 'alice');
    const claim = await alice.submitClaim(sampleClaim());
    await stub.restart();
    // The same token and URL keep working: sessions live in the database.
    expect((await alice.getClaim(claim.id)).version).toBe(1);
  });
});
