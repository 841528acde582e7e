// The STOMP stream client against a tiny scripted STOMP peer: a refused token ends the session once
// (no retry), MESSAGE bodies that fail the protocol are counted and dropped while valid ones reach
// the sync engine as events, a broadcast asks for a REST catch-up, and the token never reaches a log.
import { afterEach, expect, test } from 'vitest';
import { Backoff } from '../../../main/core/backoff';
import { systemClock } from '../../../main/core/ports';
import { StompStreamClient } from '../../../main/core/stomp-stream-client';
import type { FrameCounters, StreamHooks } from '../../../main/core/stream-client';
import { type ServerFrame, STOMP_EVENT_HEADERS, type UserEvent } from '../../../protocol';
import { captureLogger, waitFor } from '../../support/core-fakes';
import { TEST_BACKOFF } from '../../support/core-harness';
import { claimSummary, EPOCH } from '../../support/fake-server';
import { StompPeer, serialize } from '../../support/stomp-peer';

const TOKEN = 'tok_SECRET_never_logged_0123456789';
const USER = '/user/queue/events';
const BROADCAST = '/topic/announcements';

let peer: StompPeer | null = null;
let client: StompStreamClient | null = null;
afterEach(async () => {
  client?.stop();
  await peer?.close();
  client = null;
  peer = null;
});

function start(url: string, token = TOKEN) {
  const log = captureLogger();
  const counters: FrameCounters = { notJson: 0, invalid: 0, oversized: 0, binary: 0 };
  const seen = { frames: [] as ServerFrame[], states: [] as string[], ended: 0, catchUps: 0, disconnects: 0 };
  const hooks: StreamHooks = {
    prepare: async () => ({ epoch: EPOCH, seq: 0 }),
    onFrame: (frame) => seen.frames.push(frame),
    onState: (state) => seen.states.push(state.kind),
    onDisconnected: () => {
      seen.disconnects += 1;
    },
    onSessionEnded: () => {
      seen.ended += 1;
    },
    catchUp: () => {
      seen.catchUps += 1;
    },
  };
  client = new StompStreamClient({
    url,
    token,
    destinations: { user: USER, broadcast: BROADCAST },
    tls: {},
    clock: systemClock,
    logger: log,
    backoff: new Backoff(TEST_BACKOFF),
    hooks,
    counters,
  });
  client.start();
  return { log, counters, seen };
}

const assigned = (seq: number): UserEvent => ({
  type: 'claim.assigned',
  seq,
  at: '2025-01-01T00:00:00.000Z',
  claim: claimSummary(`EXP-${String(seq).padStart(6, '0')}`),
});

test('an ERROR frame refusing the token ends the session once; no reconnect follows', async () => {
  peer = await StompPeer.start({
    onConnect: (frame, socket) => {
      const ok = frame.headers.Authorization === `Bearer ${TOKEN}`;
      if (ok) return socket.send(serialize('CONNECTED', { version: '1.2' }));
      // Echoes the CONNECT frame, token and all, as some servers do in the body.
      socket.send(
        serialize(
          'ERROR',
          { message: '401 Unauthorized: token expired' },
          serialize('CONNECT', frame.headers),
        ),
      );
      socket.close();
    },
  });
  const { seen, log } = start(peer.url, 'tok_EXPIRED_not_valid_0123456789');
  await waitFor(() => seen.ended === 1, 'session ended');
  await new Promise((resolve) => setTimeout(resolve, 4 * TEST_BACKOFF.capMs));
  expect(seen.ended).toBe(1);
  expect(peer.connections).toBe(1);
  expect(seen.states).not.toContain('reconnecting');
  expect(seen.states).not.toContain('online');
  expect(log.text()).not.toContain('tok_EXPIRED');
});

test('the token travels on the upgrade and in CONNECT; another ERROR is retried, not a session end', async () => {
  let refusals = 0;
  peer = await StompPeer.start({
    onConnect: (_frame, socket) => {
      if (refusals++ === 0) {
        socket.send(serialize('ERROR', { message: 'broker busy' }, `echo Authorization:Bearer ${TOKEN}`));
        socket.close();
      } else socket.send(serialize('CONNECTED', { version: '1.2' }));
    },
  });
  const { seen, log } = start(peer.url);
  await waitFor(() => seen.states.at(-1) === 'online', 'online after a retry');
  expect(seen.states).toContain('reconnecting');
  expect(seen.ended).toBe(0);
  expect(peer.connections).toBe(2);
  expect(peer.frames.find((f) => f.command === 'CONNECT')?.headers.Authorization).toBe(`Bearer ${TOKEN}`);
  expect(log.text()).toContain('broker busy');
  expect(log.text()).not.toContain(TOKEN);
});

test('online only after both receipts, then a REST catch-up; bad MESSAGEs are counted and dropped', async () => {
  peer = await StompPeer.start();
  const { seen, counters, log } = start(peer.url);
  await waitFor(() => seen.states.at(-1) === 'online', 'online');
  const server = peer;
  expect(server.subscribed(USER) && server.subscribed(BROADCAST)).toBe(true);
  expect(seen.catchUps).toBe(1);

  const headers = (seq: number) => ({
    [STOMP_EVENT_HEADERS.epoch]: EPOCH,
    [STOMP_EVENT_HEADERS.seq]: String(seq),
  });
  server.message(USER, headers(1), 'not json');
  server.message(USER, headers(1), JSON.stringify({ type: 'claim.assigned', seq: 1 })); // no claim
  server.message(USER, { [STOMP_EVENT_HEADERS.seq]: '1' }, JSON.stringify(assigned(1))); // no epoch
  server.message(USER, headers(7), JSON.stringify(assigned(1))); // seq header disagrees
  server.message(BROADCAST, {}, JSON.stringify({ type: 'announcement', seq: 'x' }));
  server.message(USER, headers(1), JSON.stringify(assigned(1)));
  server.message(
    BROADCAST,
    {},
    JSON.stringify({
      type: 'announcement',
      seq: 9,
      at: '2025-01-01T00:00:00.000Z',
      announcement: {
        id: 'ann-1',
        title: 'Hello',
        body: 'All hands',
        author: { id: 'admin', name: 'Admin' },
        at: '2025-01-01T00:00:00.000Z',
      },
    }),
  );
  await waitFor(
    () => seen.frames.length === 1 && seen.catchUps === 2,
    'the valid event and the broadcast cue',
  );
  expect(seen.frames[0]).toMatchObject({
    type: 'event',
    epoch: EPOCH,
    event: { type: 'claim.assigned', seq: 1, claim: { id: 'EXP-000001' } },
  });
  expect(counters).toEqual({ notJson: 1, invalid: 4, oversized: 0, binary: 0 });
  expect(log.lines.filter((l) => l.message.includes('does not match the protocol'))).toHaveLength(4);
  expect(log.text()).not.toContain(TOKEN);
});
