// The STOMP endpoint over real sockets against an in-process stub, driven byte by byte by a raw client:
// CONNECT negotiation, authentication, destinations, receipts, refusals, framing and limits.
import { describe, expect, it } from 'vitest';
import {
  ApiClient,
  CloseCode,
  ServerInfo,
  STOMP_DESTINATIONS,
  STOMP_MAX_FRAME_BYTES,
  STOMP_MAX_SUBSCRIPTIONS,
  type UserEvent,
} from '../../../protocol';
import { StompTestClient, stompUrl } from '../../support/stomp-test-client';
import { expectRefusedUpgrade, upgradeStatus } from '../../support/stream-test-client';
import { clientFor, clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const { userEvents, announcements } = STOMP_DESTINATIONS;

describe('STOMP endpoint', () => {
  const stub = useInProcessStub();

  async function connected(username: string, headers: Record<string, string> = {}) {
    const api = await clientFor(stub().url, username);
    const client = await StompTestClient.connect(stub().url, api.token!, headers);
    return { api, client };
  }

  async function expectError(client: StompTestClient, message: RegExp) {
    const error = await client.waitFor((frame) => frame.command === 'ERROR');
    expect(error.headers.message).toMatch(message);
    return { error, close: await client.closed };
  }

  it('advertises its transports in /info; a server without the field still parses', async () => {
    const info = await new ApiClient({ baseUrl: stub().url }).info();
    expect(info.transports).toEqual([
      { kind: 'signoff', path: '/api/v1/stream' },
      { kind: 'stomp', path: '/ws', destinations: { user: userEvents, broadcast: announcements } },
      { kind: 'long-poll', path: '/api/v1/events' },
    ]);
    const { transports: _omitted, ...older } = info;
    expect(ServerInfo.parse(older).transports).toBeUndefined();
    // A kind this client does not know is kept (and ignored), a malformed known one is refused.
    expect(
      ServerInfo.parse({ ...info, transports: [{ kind: 'sse', path: '/sse' }] }).transports,
    ).toHaveLength(1);
    expect(ServerInfo.safeParse({ ...info, transports: [{ kind: 'stomp', path: '/ws' }] }).success).toBe(
      false,
    );
  });

  describe('upgrade', () => {
    it('refuses a bad bearer token on the upgrade with HTTP 401 JSON, before upgrading', async () => {
      const refused = await expectRefusedUpgrade(stompUrl(stub().url), { authorization: 'Bearer nope' }, [
        'v12.stomp',
      ]);
      expect(refused).toEqual({ status: 401, body: expect.objectContaining({ code: 'unauthorized' }) });
    });

    it('upgrades without a token (it may come in CONNECT), and picks the best STOMP subprotocol offered', async () => {
      const client = await StompTestClient.open(stub().url, { protocols: ['v10.stomp', 'v12.stomp'] });
      expect(client.ws.protocol).toBe('v12.stomp');
      await client.close();
    });

    it('refuses a subprotocol list without STOMP in it with 400', async () => {
      expect(await upgradeStatus(stompUrl(stub().url), {}, ['signoff.v1'])).toBe(400);
    });

    it('leaves the v1 stream path working beside it, and unknown paths still 404', async () => {
      expect(await upgradeStatus(`${stub().url.replace('http', 'ws')}/nowhere`, {}, ['v12.stomp'])).toBe(404);
      expect(await upgradeStatus(`${stub().url.replace('http', 'ws')}/api/v1/stream`, {})).toBe(401);
    });
  });

  describe('CONNECT', () => {
    it('answers CONNECTED with the negotiated version, heart-beat, server and user-name', async () => {
      const { client } = await connected('alice', {
        'accept-version': '1.0,1.1,1.2',
        'heart-beat': '5000,20000',
      });
      const frame = client.frames.find((f) => f.command === 'CONNECTED')!;
      expect(frame.headers).toMatchObject({
        version: '1.2',
        // The server sends every max(10000, 20000); it wants the client every max(5000, 10000).
        'heart-beat': '20000,10000',
        server: expect.stringMatching(/^signoff-stub\/\d+$/),
        'user-name': 'alice',
      });
      await client.close();
    });

    it('turns heart-beats off in a direction either side declines', async () => {
      const { client } = await connected('alice', { 'heart-beat': '0,1000' });
      expect(client.frames[0]!.headers['heart-beat']).toBe('10000,0');
      await client.close();
    });

    it('speaks the highest common version; no accept-version means 1.0', async () => {
      const eleven = await connected('alice', { 'accept-version': '1.0,1.1' });
      expect(eleven.client.frames[0]!.headers.version).toBe('1.1');
      await eleven.client.close();
      const api = await clientFor(stub().url, 'alice');
      const ten = await StompTestClient.open(stub().url);
      ten.sendFrame('CONNECT', { Authorization: `Bearer ${api.token}` });
      expect((await ten.waitFor((f) => f.command === 'CONNECTED')).headers.version).toBe('1.0');
      await ten.close();
    });

    it('refuses a client that speaks no version of ours with ERROR listing ours, then closes', async () => {
      const client = await StompTestClient.open(stub().url);
      client.sendFrame('CONNECT', { 'accept-version': '2.0' });
      const { error, close } = await expectError(client, /unsupported STOMP version/);
      expect(error.headers.version).toBe('1.2,1.1,1.0');
      expect(close.code).toBe(CloseCode.unsupportedProtocol);
    });

    it('accepts the token from the upgrade when CONNECT has none (STOMP command works too)', async () => {
      const api = await clientFor(stub().url, 'bob');
      const client = await StompTestClient.open(stub().url, { token: api.token! });
      client.sendFrame('STOMP', { 'accept-version': '1.2', host: 'x' });
      expect((await client.waitFor((f) => f.command === 'CONNECTED')).headers['user-name']).toBe('bob');
      await client.close();
    });

    it('refuses CONNECT without any token, or with a bad one, with ERROR and close 4001', async () => {
      const none = await StompTestClient.open(stub().url);
      none.sendFrame('CONNECT', { 'accept-version': '1.2' });
      const first = await expectError(none, /unauthorized/);
      expect(first.error.body).toMatch(/Authorization: Bearer/);
      expect(first.close.code).toBe(CloseCode.sessionEnded);

      const bad = await StompTestClient.open(stub().url);
      bad.sendFrame('CONNECT', {
        'accept-version': '1.2',
        Authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAA',
      });
      expect((await expectError(bad, /unauthorized/)).close.code).toBe(CloseCode.sessionEnded);
      expect(bad.frames.some((frame) => frame.command === 'CONNECTED')).toBe(false);
    });

    it('refuses any frame before CONNECT, and a malformed heart-beat', async () => {
      const early = await StompTestClient.open(stub().url);
      early.sendFrame('SUBSCRIBE', { id: '1', destination: userEvents });
      expect((await expectError(early, /not connected/)).close.code).toBe(CloseCode.badFrame);
      const api = await clientFor(stub().url, 'alice');
      const beat = await StompTestClient.open(stub().url);
      beat.sendFrame('CONNECT', {
        'accept-version': '1.2',
        'heart-beat': 'often',
        Authorization: `Bearer ${api.token}`,
      });
      await expectError(beat, /bad heart-beat/);
    });
  });

  describe('destinations', () => {
    it("delivers the user's own events on /user/queue/events with cursor headers, live from the subscription", async () => {
      const { api: alice } = await connected('alice');
      const { api: bob, client } = await connected('bob');
      const before = await alice.submitClaim(sampleClaim({ title: 'Before subscribing' }));
      await client.subscribe('events', userEvents);
      const start = await bob.queue();
      const submitted = await alice.submitClaim(sampleClaim({ title: 'After subscribing' }));
      const message = await client.waitFor((f) => f.command === 'MESSAGE');
      const event = JSON.parse(message.body) as UserEvent;
      expect(event).toMatchObject({
        type: 'claim.assigned',
        seq: start.cursor.seq + 1,
        claim: { id: submitted.id },
      });
      expect(message.headers).toMatchObject({
        destination: userEvents,
        subscription: 'events',
        'message-id': expect.any(String),
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(message.body)),
        'signoff-epoch': start.cursor.epoch,
        'signoff-seq': String(event.seq),
      });
      // The body is exactly the event as GET /events returns it.
      const page = await bob.events({ epoch: start.cursor.epoch, seq: start.cursor.seq });
      expect(page.status === 'ok' && page.events).toEqual([event]);
      // No replay: the claim assigned before the subscription never came over STOMP.
      expect(client.messages().map((f) => (JSON.parse(f.body) as UserEvent).seq)).toEqual([event.seq]);
      expect(before.id).not.toBe(submitted.id);
      await client.close();
    });

    it('refuses another user’s queue (and unknown destinations) with ERROR, delivering nothing of theirs', async () => {
      const { client: alice } = await connected('alice');
      alice.sendFrame('SUBSCRIBE', { id: 'spy', destination: '/user/bob/queue/events', receipt: 'r1' });
      const { error, close } = await expectError(alice, /no such destination/);
      expect(error.headers['receipt-id']).toBe('r1');
      expect(close.code).toBe(CloseCode.badFrame);
      expect(alice.messages()).toEqual([]);
      expect(alice.frames.some((f) => f.command === 'RECEIPT')).toBe(false);

      const { client: other } = await connected('alice');
      other.sendFrame('SUBSCRIBE', { id: 'x', destination: '/topic/everything' });
      await expectError(other, /no such destination/);
    });

    it('refuses SEND (read-only channel), ACK, transactions and ack modes other than auto', async () => {
      const cases: Array<[string, Record<string, string>, RegExp]> = [
        ['SEND', { destination: '/app/approve' }, /SEND is not supported/],
        ['ACK', { id: '1' }, /ACK\/NACK/],
        ['BEGIN', { transaction: 't' }, /transactions/],
        ['SUBSCRIBE', { id: '1', destination: userEvents, ack: 'client' }, /ack mode/],
        ['FROB', {}, /unknown command/],
      ];
      for (const [command, headers, message] of cases) {
        const { client } = await connected('alice');
        client.sendFrame(command, headers, command === 'SEND' ? '{"approve":true}' : '');
        expect((await expectError(client, message)).close.code).toBe(CloseCode.badFrame);
      }
    });

    it('honours receipts on SUBSCRIBE, UNSUBSCRIBE and DISCONNECT; unsubscribed means no more messages', async () => {
      const { client } = await connected('carol');
      const admin = await clientFor(stub().url, 'admin');
      await client.subscribe('ann', announcements);
      await admin.announce({ title: 'First' });
      await client.waitFor((f) => f.command === 'MESSAGE');
      client.sendFrame('UNSUBSCRIBE', { id: 'ann', receipt: 'u1' });
      await client.waitFor((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'u1');
      await admin.announce({ title: 'Second' });
      // A subscription taken after the second announcement proves the server has processed it.
      await client.subscribe('events', userEvents);
      await admin.announce({ title: 'Third' });
      await client.until(() => (client.messages(userEvents).length === 1 ? true : undefined));
      expect(client.messages(announcements).map((f) => JSON.parse(f.body).announcement.title)).toEqual([
        'First',
      ]);
      client.sendFrame('DISCONNECT', { receipt: 'bye' });
      await client.waitFor((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'bye');
      expect((await client.closed).code).toBe(CloseCode.normal);
    });

    it('limits subscriptions per connection and refuses a duplicate id', async () => {
      const { client } = await connected('alice');
      for (let index = 0; index < STOMP_MAX_SUBSCRIPTIONS; index++)
        await client.subscribe(`s${index}`, announcements);
      client.sendFrame('SUBSCRIBE', { id: 'one-too-many', destination: announcements });
      await expectError(client, /too many subscriptions/);
      const { client: again } = await connected('alice');
      await again.subscribe('a', announcements);
      again.sendFrame('SUBSCRIBE', { id: 'a', destination: userEvents });
      await expectError(again, /duplicate subscription id/);
    });
  });

  describe('framing', () => {
    it('reads a frame split across WebSocket messages, and several frames in one message', async () => {
      const { client } = await connected('alice');
      const frame = `SUBSCRIBE\nid:split\ndestination:${announcements}\nreceipt:r-split\n\n\0`;
      for (const piece of [frame.slice(0, 4), frame.slice(4, 20), frame.slice(20)]) client.sendRaw(piece);
      await client.waitFor((f) => f.headers['receipt-id'] === 'r-split');
      client.sendRaw(
        `\nUNSUBSCRIBE\nid:split\nreceipt:r1\n\n\0\r\nSUBSCRIBE\nid:b\ndestination:${userEvents}\nreceipt:r2\n\n\0`,
      );
      await client.waitFor((f) => f.headers['receipt-id'] === 'r2');
      expect(
        client.frames.filter((f) => f.command === 'RECEIPT').map((f) => f.headers['receipt-id']),
      ).toEqual(['r-split', 'r1', 'r2']);
      await client.close();
    });

    it('unescapes 1.2 header values (\\c \\n \\\\ \\r) and refuses undefined escapes', async () => {
      const { client } = await connected('alice');
      client.sendFrame('SUBSCRIBE', { id: 'e', destination: announcements, receipt: 'a\\cb\\nc\\\\d\\re' });
      // Our client unescapes what the server escaped back: the same value round-trips.
      await client.waitFor((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'a:b\nc\\d\re');
      client.sendFrame('SUBSCRIBE', { id: 'bad\\t', destination: announcements });
      await expectError(client, /malformed frame/);
    });

    it('takes a content-length body holding NULs (and ignores heart-beat EOLs between frames)', async () => {
      const { client } = await connected('alice');
      const body = 'a\0b\0c';
      client.sendRaw('\n\n');
      client.sendRaw(
        `SUBSCRIBE\nid:n\ndestination:${announcements}\nreceipt:r-nul\ncontent-length:${body.length}\n\n${body}\0`,
      );
      await client.waitFor((f) => f.headers['receipt-id'] === 'r-nul');
      await client.close();
    });

    it('refuses a frame over the size limit with ERROR, also when it arrives in pieces', async () => {
      const { client } = await connected('alice');
      client.sendRaw(
        `SUBSCRIBE\nid:big\ndestination:${announcements}\nx:${'y'.repeat(STOMP_MAX_FRAME_BYTES)}\n\n\0`,
      );
      expect((await expectError(client, /frame too large/)).close.code).toBe(CloseCode.badFrame);

      const { client: pieces } = await connected('alice');
      pieces.sendRaw('SUBSCRIBE\nid:big\n');
      for (let index = 0; index < 5; index++)
        pieces.sendRaw(`x${index}:${'y'.repeat(STOMP_MAX_FRAME_BYTES / 4)}\n`);
      await expectError(pieces, /frame too large/);
    });

    it('refuses garbage: a frame that never ends, and an unknown command', async () => {
      const { client } = await connected('alice');
      client.sendRaw(`SUBSCRIBE\ncontent-length:banana\n\n`);
      for (let index = 0; index < 3; index++) client.sendRaw(Buffer.alloc(STOMP_MAX_FRAME_BYTES / 2, 0x41));
      await expectError(client, /frame too large/);
      const { client: noise } = await connected('alice');
      noise.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0a, 0x0a, 0x00]));
      await expectError(noise, /unknown command/);
    });
  });

  describe('session end', () => {
    it('sends ERROR then closes 4001 when the token is revoked by signing out through REST', async () => {
      const { api, client } = await connected('dave');
      await client.subscribe('events', userEvents);
      await api.signOut();
      const { error, close } = await expectError(client, /session ended/);
      expect(error.body).toMatch(/signed out/);
      expect(close.code).toBe(CloseCode.sessionEnded);
    });
  });

  it('leaves other users alone: only the owner gets a personal event', async () => {
    const { alice, bob } = await clientsFor(stub().url, ['alice', 'bob'] as const);
    const bobStomp = await StompTestClient.connect(stub().url, bob.token!);
    const aliceStomp = await StompTestClient.connect(stub().url, alice.token!);
    await bobStomp.subscribe('q', userEvents);
    await aliceStomp.subscribe('q', userEvents);
    await alice.submitClaim(sampleClaim());
    const assigned = await bobStomp.waitFor((f) => f.body.includes('claim.assigned'));
    const own = await aliceStomp.waitFor((f) => f.body.includes('claim.submitted'));
    expect(own.headers['signoff-seq']).toBeDefined();
    expect(aliceStomp.messages().some((f) => f.body.includes('claim.assigned'))).toBe(false);
    expect(assigned.headers.destination).toBe(userEvents);
    await Promise.all([bobStomp.close(), aliceStomp.close()]);
  });
});
