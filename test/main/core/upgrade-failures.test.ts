// How each WebSocket client names a failed upgrade, over real sockets: the real stub behind the
// upgrade-blocking proxy. The fallback (websocket-fallback.ts) trusts these names: an HTTP refusal
// and a reset are a proxy's doing; a closed port is a server that is down; 401 is the token.
import net from 'node:net';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { Backoff } from '../../../main/core/backoff';
import { systemClock } from '../../../main/core/ports';
import { SignoffStreamClient } from '../../../main/core/signoff-stream-client';
import { StompStreamClient } from '../../../main/core/stomp-stream-client';
import type { StreamClient, StreamHooks, UpgradeFailure } from '../../../main/core/stream-client';
import { API_PREFIX, STOMP_DESTINATIONS, STOMP_PATH } from '../../../protocol';
import { captureLogger, waitFor } from '../../support/core-fakes';
import { apiFor } from '../../support/core-harness';
import { UpgradeBlockingProxy, type UpgradeMode } from '../../support/upgrade-blocking-proxy';
import { useInProcessStub } from '../../support/use-stub';

const stub = useInProcessStub();
let token: string;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  token = (await apiFor(stub().url, 'bob')).token!;
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Kind = 'signoff' | 'stomp';

function start(kind: Kind, base: string, bearer = token) {
  const seen = { failures: [] as UpgradeFailure[], states: [] as string[], ended: 0 };
  const hooks: StreamHooks = {
    prepare: async () => null,
    onFrame: () => {},
    onState: (state) => seen.states.push(state.kind),
    onDisconnected: () => {},
    onSessionEnded: () => {
      seen.ended += 1;
    },
    onUpgradeFailed: (failure) => seen.failures.push(failure),
  };
  const common = {
    token: bearer,
    tls: {},
    clock: systemClock,
    logger: captureLogger(),
    // One attempt per test: the retry would come only 30 s later.
    backoff: new Backoff({ baseMs: 30_000, capMs: 30_000, stableMs: 60_000 }, () => 0.999),
    counters: { notJson: 0, invalid: 0, oversized: 0, binary: 0 },
    hooks,
  };
  const ws = base.replace(/^http/, 'ws');
  const client: StreamClient =
    kind === 'signoff'
      ? new SignoffStreamClient({ ...common, url: `${ws}${API_PREFIX}/stream` })
      : new StompStreamClient({
          ...common,
          url: `${ws}${STOMP_PATH}`,
          destinations: { user: STOMP_DESTINATIONS.userEvents, broadcast: STOMP_DESTINATIONS.announcements },
        });
  client.start();
  cleanups.push(() => client.stop());
  return seen;
}

async function behind(mode: UpgradeMode): Promise<{ proxy: UpgradeBlockingProxy; url: string }> {
  const proxy = new UpgradeBlockingProxy(stub().port, mode);
  const url = await proxy.listen();
  cleanups.push(() => proxy.close());
  return { proxy, url };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

for (const kind of ['signoff', 'stomp'] as const) {
  test(`${kind}: a proxy's 403 is "refused", a reset is "reset", a closed port is "unreachable"`, async () => {
    const refusing = await behind({ kind: 'refuse', status: 403 });
    const refused = start(kind, refusing.url);
    await waitFor(() => refused.failures.length > 0, 'refused reported');
    expect(refused.failures).toEqual(['refused']);
    expect(refused.states.at(-1)).toBe('reconnecting');

    const resetting = await behind({ kind: 'reset' });
    const reset = start(kind, resetting.url);
    await waitFor(() => reset.failures.length > 0, 'reset reported');
    expect(reset.failures).toEqual(['reset']);

    const down = start(kind, `http://127.0.0.1:${await closedPort()}`);
    await waitFor(() => down.failures.length > 0, 'unreachable reported');
    expect(down.failures).toEqual(['unreachable']);
  });

  test(`${kind}: through an allowing proxy it goes online and reports nothing; 401 ends the session, not a failure`, async () => {
    const allowing = await behind({ kind: 'allow' });
    const fine = start(kind, allowing.url);
    await waitFor(() => fine.states.includes('online'), 'online');
    expect(fine.failures).toEqual([]);
    expect(allowing.proxy.upgradesAllowed).toBe(1);

    const unauthorized = start(kind, allowing.url, 'x'.repeat(43));
    await waitFor(() => unauthorized.ended === 1, 'session ended');
    expect(unauthorized.failures).toEqual([]);
  });
}
