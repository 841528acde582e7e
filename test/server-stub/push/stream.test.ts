// The push module on a plain http.Server with in-memory sessions and event log: protocol, ordering,
// backpressure, heartbeat and session-end behaviour, through real WebSockets on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, MAX_FRAME_BYTES, PROTOCOL_VERSION, type ServerFrame } from '../../../protocol';
import { attachStream, type StreamHandle, type StreamOptions } from '../../../server-stub/push/stream';
import { undoAfterEach } from '../../support/cleanups';
import { FakeEventLog, FakeSessions } from '../../support/push-fakes';
import { expectRefusedUpgrade, StreamTestClient } from '../../support/stream-test-client';

interface Harness {
  url: string;
  sessions: FakeSessions;
  log: FakeEventLog;
  stream: StreamHandle;
  messages: string[];
  server: Server;
  /** A client that has only upgraded; terminated after the test. */
  open(
    token: string | null,
    options?: Parameters<typeof StreamTestClient.open>[2],
  ): Promise<StreamTestClient>;
  /** A client that has said hello and got its welcome; terminated after the test. */
  connect(token: string, resume?: Parameters<typeof StreamTestClient.connect>[2]): Promise<StreamTestClient>;
}

const defer = undoAfterEach();

async function startHarness(options: Partial<StreamOptions> = {}): Promise<Harness> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const sessions = new FakeSessions();
  const log = new FakeEventLog();
  const messages: string[] = [];
  const stream = attachStream({
    server,
    sessions,
    events: log,
    heartbeatSeconds: 30,
    log: (message) => messages.push(message),
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  defer(async () => {
    await stream.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const url = `ws://127.0.0.1:${port}/api/v1/stream`;
  return {
    url,
    sessions,
    log,
    stream,
    messages,
    server,
    open: async (token, clientOptions) => track(await StreamTestClient.open(url, token, clientOptions)),
    connect: async (token, resume) => track(await StreamTestClient.connect(url, token, resume)),
  };
}

function track(client: StreamTestClient): StreamTestClient {
  defer(() => client.ws.terminate());
  return client;
}

const isEvent = (frame: ServerFrame) => frame.type === 'event';

describe('upgrade authentication', () => {
  it('answers 401 with a JSON body before upgrading when the token is missing or wrong', async () => {
    const h = await startHarness();
    const missing = await expectRefusedUpgrade(h.url, {});
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 'unauthorized' });
    const bad = await expectRefusedUpgrade(h.url, { authorization: 'Bearer not-a-real-token-at-all' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 'unauthorized' });
    const expiredToken = h.sessions.signIn('alice', -1);
    expect((await expectRefusedUpgrade(h.url, { authorization: `Bearer ${expiredToken}` })).status).toBe(401);
    expect(h.stream.connectionCount()).toBe(0);
  });

  it('refuses other paths with 404 and a foreign subprotocol with 400', async () => {
    const h = await startHarness();
    const token = h.sessions.signIn('alice');
    const other = await expectRefusedUpgrade(h.url.replace('/stream', '/elsewhere'), {
      authorization: `Bearer ${token}`,
    });
    expect(other.status).toBe(404);
    const foreign = await expectRefusedUpgrade(h.url, { authorization: `Bearer ${token}` }, ['chat.v2']);
    expect(foreign.status).toBe(400);
  });

  it('accepts a client offering no subprotocol, and picks signoff.v1 when offered', async () => {
    const h = await startHarness();
    const token = h.sessions.signIn('alice');
    const bare = await h.open(token, { protocols: [] });
    expect(bare.ws.protocol).toBe('');
    const offered = await h.open(token);
    expect(offered.ws.protocol).toBe('signoff.v1');
    expect(h.stream.connectionCount()).toBe(2);
  });
});

describe('hello and welcome', () => {
  it('welcomes with head, heartbeat and session expiry, then answers app pings', async () => {
    const h = await startHarness();
    h.log.commit('alice', 3);
    const token = h.sessions.signIn('alice');
    const client = await h.connect(token);
    const welcome = client.frames[0];
    expect(welcome).toMatchObject({
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      head: { epoch: 'ep-test', seq: 3 },
      heartbeatSeconds: 30,
    });
    expect(welcome?.type === 'welcome' && Date.parse(welcome.sessionExpiresAt)).toBe(
      h.sessions.verify(token)!.expiresAt,
    );
    client.send({ type: 'ping', id: 'p1' });
    expect(await client.waitFor((f) => f.type === 'pong')).toEqual({ type: 'pong', id: 'p1' });
    // resume null = from the head: nothing is replayed, the next commit is live.
    h.log.commit('alice', 1);
    await client.waitFor(isEvent);
    expect(client.eventSeqs()).toEqual([4]);
  });

  it('closes with 4003 when no hello arrives in time', async () => {
    const h = await startHarness({ helloTimeoutMs: 200 });
    const client = await h.open(h.sessions.signIn('alice'));
    const closed = await client.closed;
    expect(closed.code).toBe(CloseCode.helloTimeout);
    expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'hello_timeout' });
  });

  it('refuses an unsupported protocol version with an error frame and 4002', async () => {
    const h = await startHarness();
    const client = await h.open(h.sessions.signIn('alice'));
    client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1, resume: null, future: true });
    expect((await client.closed).code).toBe(CloseCode.unsupportedProtocol);
    expect(client.frames).toEqual([expect.objectContaining({ type: 'error', code: 'unsupported_protocol' })]);
  });

  it('closes garbage with 4000 and keeps serving the other clients', async () => {
    const h = await startHarness();
    const token = h.sessions.signIn('alice');
    const good = await h.connect(token);
    for (const garbage of ['{not json', '{"type":"subscribe"}', '[1,2,3]', 'null']) {
      const bad = await h.connect(token);
      bad.send(garbage);
      expect((await bad.closed).code).toBe(CloseCode.badFrame);
      expect(bad.frames.at(-1)).toMatchObject({ type: 'error', code: 'bad_frame' });
    }
    const binary = await h.open(token);
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect((await binary.closed).code).toBe(CloseCode.badFrame);
    const early = await h.open(token);
    early.send({ type: 'ping' });
    expect((await early.closed).code).toBe(CloseCode.badFrame);

    h.log.commit('alice', 2);
    await good.waitUntil(() => good.eventSeqs().length === 2);
    expect(good.eventSeqs()).toEqual([1, 2]);
    expect(h.stream.connectionCount()).toBe(1);
  });

  it('closes a client that sends a frame over MAX_FRAME_BYTES with 1009', async () => {
    const h = await startHarness();
    const client = await h.connect(h.sessions.signIn('alice'));
    client.send({ type: 'ping', id: 'x'.repeat(MAX_FRAME_BYTES) });
    expect((await client.closed).code).toBe(CloseCode.tooBig);
  });
});

describe('replay and live delivery', () => {
  it('replays after the cursor across several pages, then goes live, with no gap or duplicate while events keep arriving', async () => {
    const h = await startHarness();
    h.log.commit('alice', 1_000);
    const client = await h.open(h.sessions.signIn('alice'));
    // Commit more events while the replay is being received: every 30th frame, commit 3 more.
    let extra = 0;
    client.ws.on('message', () => {
      if (client.frames.length % 30 === 0 && extra < 60) {
        extra += 3;
        h.log.commit('alice', 3);
      }
    });
    client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: { epoch: 'ep-test', seq: 250 } });
    const total = 1_000 + 60;
    await client.waitUntil(() => client.eventSeqs().at(-1) === total && extra === 60, 10_000);
    const seqs = client.eventSeqs();
    expect(seqs).toEqual(Array.from({ length: total - 250 }, (_, i) => 251 + i));
    // Live again: the next commit arrives straight from memory.
    h.log.commit('alice', 1);
    await client.waitUntil(() => client.eventSeqs().at(-1) === total + 1);
    expect(client.eventSeqs().length).toBe(total + 1 - 250);
  });

  it("replays a backlog far larger than maxBufferedBytes at the reader's pace, without closing it as slow", async () => {
    const h = await startHarness({ maxBufferedBytes: 64 * 1024 });
    h.log.commit('alice', 3_000, 4_000); // ~12 MB of backlog against a 64 KiB send buffer limit
    const client = await h.open(h.sessions.signIn('alice'));
    const socket = (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: { epoch: 'ep-test', seq: 0 } });
    await client.waitUntil(() => client.eventSeqs().length >= 100);
    // The client stalls for a moment mid-replay; a replay that buffered ahead would pass the limit now.
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.resume();
    h.log.commit('alice', 5, 4_000); // and the stream keeps growing meanwhile
    await client.waitUntil(() => client.eventSeqs().length === 3_005, 15_000);
    expect(client.eventSeqs()).toEqual(Array.from({ length: 3_005 }, (_, i) => i + 1));
    expect(h.messages).not.toContain('closing slow consumer');
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('shares one log subscription per user across connections and delivers to every one of them', async () => {
    const h = await startHarness();
    const clients = await Promise.all(Array.from({ length: 5 }, () => h.connect(h.sessions.signIn('bob'))));
    expect(h.log.listenerCount('bob')).toBe(1);
    h.log.commit('bob', 4);
    h.log.commit('carol', 2); // another user's events never reach bob
    for (const client of clients) {
      await client.waitUntil(() => client.eventSeqs().length === 4);
      expect(client.frames.filter(isEvent).map((f) => f.type === 'event' && f.epoch)).toEqual(
        Array(4).fill('ep-test'),
      );
    }
    await Promise.all(clients.map((c) => c.close()));
    await expect.poll(() => h.log.listenerCount('bob')).toBe(0);
  });

  it.each([
    ['epoch_changed', { epoch: 'ep-old', seq: 3 }],
    ['ahead', { epoch: 'ep-test', seq: 99 }],
    ['expired', { epoch: 'ep-test', seq: 1 }],
  ] as const)(
    'sends a reset frame (%s) with the head cursor and continues live after it',
    async (reason, resume) => {
      const h = await startHarness();
      h.log.commit('alice', 5);
      h.log.oldestRetained.set('alice', 3);
      const client = await h.connect(h.sessions.signIn('alice'), resume);
      const reset = await client.waitFor((f) => f.type === 'reset');
      expect(reset).toEqual({ type: 'reset', reason, cursor: { epoch: 'ep-test', seq: 5 } });
      h.log.commit('alice', 1);
      await client.waitFor(isEvent);
      expect(client.eventSeqs()).toEqual([6]);
    },
  );
});

describe('backpressure and liveness', () => {
  it('closes a client that stops reading with 4008 once its buffer passes maxBufferedBytes', async () => {
    const h = await startHarness({ maxBufferedBytes: 64 * 1024 });
    const token = h.sessions.signIn('alice');
    const slow = await h.connect(token);
    const healthy = await h.connect(h.sessions.signIn('alice'));
    // Stop reading: the kernel buffers fill, then the server-side buffer grows.
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    // Small batches, each read by the healthy client before the next, so only the paused one falls behind.
    for (let i = 0; i < 2_000 && !h.messages.includes('closing slow consumer'); i++) {
      h.log.commit('alice', 10, 4_000);
      const head = h.log.head('alice');
      await healthy.waitUntil(() => healthy.eventSeqs().length === head);
    }
    expect(h.messages).toContain('closing slow consumer');
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(CloseCode.slowConsumer);
    // The reader that kept up got every event in order.
    const head = h.log.head('alice');
    await healthy.waitUntil(() => healthy.eventSeqs().length === head, 15_000);
    expect(healthy.eventSeqs()).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    await expect.poll(() => h.stream.connectionCount()).toBe(1);
  });

  it('terminates a client that stops answering pings within about two heartbeats', async () => {
    const h = await startHarness({ heartbeatSeconds: 1 });
    const token = h.sessions.signIn('alice');
    const deaf = await h.open(token, { autoPong: false });
    deaf.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null });
    const live = await h.connect(token);
    const started = Date.now();
    const closed = await deaf.closed;
    const elapsed = Date.now() - started;
    expect(closed.code).toBe(1006); // terminated, no close frame
    expect(elapsed).toBeLessThan(3_000);
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    await expect.poll(() => h.stream.connectionCount()).toBe(1);
  });

  it('pings connections a few at a time, reaching every one of them each heartbeat', async () => {
    // Five connections over 1 s, each in its own slot of the wheel; the deaf client is the last one.
    const h = await startHarness({ heartbeatSeconds: 1 });
    const token = h.sessions.signIn('alice');
    const pinged: number[] = [];
    const live: StreamTestClient[] = [];
    for (let i = 0; i < 4; i++) {
      const client = await h.connect(token);
      pinged.push(0);
      client.ws.on('ping', () => {
        pinged[i] = (pinged[i] ?? 0) + 1;
      });
      live.push(client);
    }
    const deaf = await h.open(token, { autoPong: false });
    deaf.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null });

    expect((await deaf.closed).code).toBe(1006);
    expect(pinged.every((count) => count >= 1)).toBe(true);
    for (const client of live) expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(h.messages).toContain('terminating unresponsive stream client');
  });

  it('spreads pings over the heartbeat instead of one burst, pinging each connection one heartbeat apart', async () => {
    // A burst of pings (and the burst of pongs it brings back) holds up every request and push behind
    // it: in bench:fanout the approvals that overlapped one were the p99. The wheel gives each
    // connection its own slot (heartbeat-wheel.ts): 1 s over 50 slots, 20 ms apart.
    const h = await startHarness({ heartbeatSeconds: 1 });
    const token = h.sessions.signIn('alice');
    const pings: number[][] = [];
    for (let i = 0; i < 6; i++) {
      const client = track(await StreamTestClient.connect(h.url, token));
      const times: number[] = [];
      pings.push(times);
      client.ws.on('ping', () => times.push(performance.now()));
    }
    await expect.poll(() => pings.every((times) => times.length >= 2), { timeout: 10_000 }).toBe(true);
    const first = pings.map((times) => times[0]!);
    // Six slots, 20 ms apart at the least; a burst would be well under 10 ms.
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(60);
    for (const [a, b] of pings) expect(b! - a!).toBeGreaterThan(800);
  });
});

describe('session end and shutdown', () => {
  it('closes every connection of a revoked session with session_ended and 4001, and only those', async () => {
    const h = await startHarness();
    const token = h.sessions.signIn('alice');
    const other = await h.connect(h.sessions.signIn('alice'));
    const first = await h.connect(token);
    const second = await h.connect(token);
    h.sessions.revoke(token);
    for (const client of [first, second]) {
      expect((await client.closed).code).toBe(CloseCode.sessionEnded);
      expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'session_ended' });
    }
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes with 4001 when the session expires', async () => {
    const h = await startHarness();
    const token = h.sessions.signIn('alice', 400);
    const client = await h.connect(token);
    const closed = await client.closed;
    expect(closed.code).toBe(CloseCode.sessionEnded);
    expect(Date.now()).toBeGreaterThanOrEqual(h.sessions.verify(token)?.expiresAt ?? 0);
  });

  it('close() says going away (1001) to everyone and then refuses upgrades', async () => {
    const h = await startHarness();
    const clients = await Promise.all(
      [1, 2, 3].map(() => StreamTestClient.connect(h.url, h.sessions.signIn('dan'))),
    );
    await h.stream.close();
    for (const client of clients) expect((await client.closed).code).toBe(CloseCode.goingAway);
    expect(h.stream.connectionCount()).toBe(0);
  });
});
