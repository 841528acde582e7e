// The push stream through the REAL built stub process (SQLite file, fastify, the real SessionStore and
// event log): what a desktop client will actually see.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  ApiClient,
  CloseCode,
  PROTOCOL_VERSION,
  type ServerFrame,
  type SubmitClaimRequest,
} from '../../../protocol';
import { expectRefusedUpgrade, StreamTestClient } from '../../support/stream-test-client';
import type { StubProcess } from '../../support/stub-process';
import { useStubProcess } from '../../support/use-stub';

const claim: SubmitClaimRequest = {
  title: 'Taxi to the airport',
  category: 'transport',
  expenseDate: '2026-11-20',
  currency: 'CNY',
  items: [{ description: 'Taxi', amountMinor: 8_650 }],
  totalMinor: 8_650,
};

async function signIn(stub: StubProcess, user: string): Promise<ApiClient> {
  const client = new ApiClient({ baseUrl: stub.url });
  await client.signIn(user, 'demo');
  return client;
}

const streamUrl = (stub: StubProcess) => `${stub.url.replace('http', 'ws')}/api/v1/stream`;
const assigned = (frame: ServerFrame) => frame.type === 'event' && frame.event.type === 'claim.assigned';

describe('stream through the real stub process', () => {
  const stub = useStubProcess({ args: ['--heartbeat-seconds', '1'] });

  it('refuses upgrades without a valid token with HTTP 401', async () => {
    expect((await expectRefusedUpgrade(streamUrl(stub()), {})).status).toBe(401);
    const bad = await expectRefusedUpgrade(streamUrl(stub()), {
      authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(bad).toEqual({ status: 401, body: expect.objectContaining({ code: 'unauthorized' }) });
  });

  it('pushes claim.assigned to the next approver live, and replays it after a cursor on reconnect', async () => {
    const alice = await signIn(stub(), 'alice');
    const bob = await signIn(stub(), 'bob');
    const start = await bob.queue();
    const live = await StreamTestClient.connect(streamUrl(stub()), bob.token!, start.cursor);
    const submitted = await alice.submitClaim(claim);
    const frame = await live.waitFor(assigned);
    expect(frame).toMatchObject({
      type: 'event',
      epoch: start.cursor.epoch,
      event: { type: 'claim.assigned', seq: start.cursor.seq + 1, claim: { id: submitted.id } },
    });
    await live.close();

    // Two more events while disconnected, then resume from the first cursor: all three, in order.
    const second = await alice.submitClaim({ ...claim, title: 'Second taxi' });
    await bob.approve(submitted.id, { version: submitted.version });
    const resumed = await StreamTestClient.connect(streamUrl(stub()), bob.token!, start.cursor);
    await resumed.waitUntil(() => resumed.eventSeqs().length === 3);
    expect(resumed.eventSeqs()).toEqual([1, 2, 3].map((n) => start.cursor.seq + n));
    const types = resumed.frames.flatMap((f) => (f.type === 'event' ? [f.event.type] : []));
    expect(types).toEqual(['claim.assigned', 'claim.assigned', 'claim.unassigned']);
    expect(
      resumed.frames.some(
        (f) => f.type === 'event' && f.event.type === 'claim.assigned' && f.event.claim.id === second.id,
      ),
    ).toBe(true);
    await resumed.close();
  });

  it('sends a reset for a cursor from another epoch', async () => {
    const carol = await signIn(stub(), 'carol');
    const client = await StreamTestClient.connect(streamUrl(stub()), carol.token!, {
      epoch: 'not-this-one',
      seq: 4,
    });
    expect(await client.waitFor((f) => f.type === 'reset')).toMatchObject({ reason: 'epoch_changed' });
    await client.close();
  });

  it('closes with 4001 after sign-out (DELETE /session)', async () => {
    const dave = await signIn(stub(), 'dave');
    const client = await StreamTestClient.connect(streamUrl(stub()), dave.token!);
    await dave.signOut();
    expect((await client.closed).code).toBe(CloseCode.sessionEnded);
    expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'session_ended' });
  });

  it('refuses an unsupported protocol version (4002) and garbage (4000)', async () => {
    const erin = await signIn(stub(), 'erin');
    const future = await StreamTestClient.open(streamUrl(stub()), erin.token!);
    future.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1, resume: null });
    expect((await future.closed).code).toBe(CloseCode.unsupportedProtocol);
    const garbage = await StreamTestClient.open(streamUrl(stub()), erin.token!);
    garbage.send('}}}');
    expect((await garbage.closed).code).toBe(CloseCode.badFrame);
    // The stub is still serving.
    expect((await erin.me()).user.id).toBe('erin');
  });

  it('terminates a client that ignores pings within about two heartbeats (1 s)', async () => {
    const frank = await signIn(stub(), 'frank');
    const deaf = await StreamTestClient.open(streamUrl(stub()), frank.token!, { autoPong: false });
    deaf.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null });
    const started = Date.now();
    const closed = await deaf.closed;
    expect(closed.code).toBe(1006);
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(deaf.ws.readyState).toBe(WebSocket.CLOSED);
  });
});

describe('session expiry through the real stub process', () => {
  const stub = useStubProcess({ args: ['--token-ttl-seconds', '2'] });

  it('closes with session_ended / 4001 when the token expires', async () => {
    const grace = await signIn(stub(), 'grace');
    const client = await StreamTestClient.connect(streamUrl(stub()), grace.token!);
    const welcome = client.frames[0];
    const expiresAt = welcome?.type === 'welcome' ? Date.parse(welcome.sessionExpiresAt) : 0;
    const closed = await client.closed;
    expect(closed.code).toBe(CloseCode.sessionEnded);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'session_ended' });
  });
});
