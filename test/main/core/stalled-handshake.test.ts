// Issue 10 item 5, on a manual clock: an attempt that never reaches `welcome` is given up after a
// deadline proportional to the heartbeat, and a wake gives up a stalled one at once.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Backoff } from '../../../main/core/backoff';
import { handshakeTimeoutMs, SignoffStreamClient } from '../../../main/core/signoff-stream-client';
import { FakeSocket, type PolicyRig, policyRig, settle } from '../../support/core-units';
import { EPOCH, welcome } from '../../support/fake-server';

let rig: PolicyRig;
let sockets: FakeSocket[];
let states: string[];
let client: SignoffStreamClient;

beforeEach(() => {
  rig = policyRig();
  sockets = [];
  states = [];
  client = new SignoffStreamClient({
    url: 'ws://127.0.0.1:1/api/v1/stream',
    token: 't'.repeat(32),
    tls: {},
    clock: rig.clock,
    logger: rig.log,
    // Retries wait ~30 s, longer than any step here: only the deadline or a wake starts a new attempt.
    backoff: new Backoff({ baseMs: 30_000, capMs: 30_000, stableMs: 60_000 }, () => 0.999),
    counters: { notJson: 0, invalid: 0, oversized: 0, binary: 0 },
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket.asWebSocket();
    },
    hooks: {
      prepare: async () => ({ epoch: EPOCH, seq: 0 }),
      onFrame: () => {},
      onState: (state) => states.push(state.kind),
      onDisconnected: () => {},
      onSessionEnded: () => {},
    },
  });
});

afterEach(() => {
  client.stop();
  rig.dispose();
});

const welcomeWith = (heartbeatSeconds: number) => welcome(0, { heartbeatSeconds, now: rig.clock.now() });

test('the handshake deadline is min(10 s, one heartbeat), never under 3 s', () => {
  expect(handshakeTimeoutMs(30_000)).toBe(10_000);
  expect(handshakeTimeoutMs(5_000)).toBe(5_000);
  expect(handshakeTimeoutMs(1_000)).toBe(3_000);
});

test('an attempt that never gets its welcome is given up after the deadline', async () => {
  client.start();
  await settle();
  sockets[0]!.accept();
  sockets[0]!.receive(welcomeWith(5));
  expect(states.at(-1)).toBe('online');
  sockets[0]!.terminate();
  expect(states.at(-1)).toBe('reconnecting');

  client.wake();
  await settle();
  expect(sockets).toHaveLength(2);
  // Upgraded but silent: no welcome.
  sockets[1]!.accept();
  rig.clock.advance(4_999);
  expect(sockets[1]!.readyState).toBe(1);
  rig.clock.advance(1);
  expect(sockets[1]!.readyState).toBe(3);
  expect(states.at(-1)).toBe('reconnecting');
});

test('a wake drops a stalled attempt and retries at once; a young one after the grace', async () => {
  client.start();
  await settle();
  expect(states).toEqual(['connecting']);
  rig.clock.advance(600);
  client.wake();
  await settle();
  expect(sockets).toHaveLength(2);
  expect(sockets[0]!.readyState).toBe(3);

  // 100 ms into the new attempt: it gets the rest of the 500 ms grace, then is retried.
  rig.clock.advance(100);
  client.wake();
  await settle();
  expect(sockets).toHaveLength(2);
  rig.clock.advance(400);
  await settle();
  expect(sockets).toHaveLength(3);
  expect(states.every((kind) => kind === 'connecting')).toBe(true);

  // A healthy attempt is left alone.
  sockets[2]!.accept();
  sockets[2]!.receive(welcomeWith(5));
  client.wake();
  rig.clock.advance(1_000);
  await settle();
  expect(sockets).toHaveLength(3);
  expect(states.at(-1)).toBe('online');
});
