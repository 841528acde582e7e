// A third-party STOMP client (@stomp/stompjs, as a Spring-minded desktop would use it) against the REAL
// built stub process: the endpoint must work for a client we did not write.
import { Client, type IFrame, type IMessage } from '@stomp/stompjs';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiClient, CloseCode, STOMP_DESTINATIONS, type UserEvent } from '../../../protocol';
import { stompUrl } from '../../support/stomp-test-client';
import { expectRefusedUpgrade } from '../../support/stream-test-client';
import { clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

const { userEvents, announcements } = STOMP_DESTINATIONS;

/** One stompjs client and everything it saw. */
class Session {
  readonly messages: Array<{ destination: string; event: UserEvent; headers: IMessage['headers'] }> = [];
  readonly errors: IFrame[] = [];
  connected: IFrame | null = null;
  closeCode: number | null = null;
  readonly client: Client;
  private readonly waiters = new Set<() => void>();

  constructor(
    url: string,
    connectHeaders: Record<string, string>,
    upgradeHeaders: Record<string, string> = {},
  ) {
    this.client = new Client({
      webSocketFactory: () => new WebSocket(url, ['v12.stomp'], { headers: upgradeHeaders }),
      connectHeaders,
      heartbeatIncoming: 4_000,
      heartbeatOutgoing: 25_000,
      reconnectDelay: 0, // a test wants to see the close, not a reconnect
      onConnect: (frame) => {
        this.connected = frame;
        this.wake();
      },
      onStompError: (frame) => {
        this.errors.push(frame);
        this.wake();
      },
      onWebSocketClose: (event) => {
        this.closeCode = event.code;
        this.wake();
      },
    });
    this.client.activate();
  }

  /** Subscribes and resolves when the server's RECEIPT says the subscription is live. */
  subscribe(destination: string): Promise<void> {
    const receipt = `r-${destination}`;
    const done = new Promise<void>((resolve) => this.client.watchForReceipt(receipt, () => resolve()));
    this.client.subscribe(
      destination,
      (message) => {
        this.messages.push({ destination, event: JSON.parse(message.body), headers: message.headers });
        this.wake();
      },
      { receipt },
    );
    return done;
  }

  until<T>(read: () => T | undefined | null | false, what: string, timeoutMs = 8_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = read();
        if (value === undefined || value === null || value === false) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    await this.client.deactivate();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

describe('@stomp/stompjs against the real stub process', () => {
  const stub = useStubProcess();
  const url = () => stompUrl(stub().url);
  const connect = async (api: ApiClient, upgrade = false) => {
    const bearer = { Authorization: `Bearer ${api.token}` };
    const session = upgrade ? new Session(url(), {}, bearer) : new Session(url(), bearer);
    await session.until(() => session.connected, 'CONNECTED');
    return session;
  };

  it('alice and bob: an announcement reaches both, a personal event only its owner; SEND and spying refused', async () => {
    const { alice, bob, admin } = await clientsFor(stub().url, ['alice', 'bob', 'admin'] as const);
    // Alice authenticates in CONNECT (the Spring convention), Bob on the upgrade.
    const aliceStomp = await connect(alice);
    const bobStomp = await connect(bob, true);
    // heart-beat: the client wants to hear every 4 s, the server offers 10 s: max → 10 s;
    // it sends every 25 s and the server wants 10 s: max → 25 s.
    expect(aliceStomp.connected!.headers).toMatchObject({
      version: '1.2',
      'heart-beat': '10000,25000',
      'user-name': 'alice',
    });
    expect(bobStomp.connected!.headers['user-name']).toBe('bob');
    for (const session of [aliceStomp, bobStomp]) {
      await session.subscribe(userEvents);
      await session.subscribe(announcements);
    }

    const bobCursor = (await bob.queue()).cursor;
    await admin.announce({ title: 'Quarter close', body: 'Submit by Friday' });
    for (const session of [aliceStomp, bobStomp]) {
      const topic = await session.until(
        () => session.messages.find((m) => m.destination === announcements),
        'the announcement on the topic',
      );
      expect(topic.event).toMatchObject({ type: 'announcement', announcement: { title: 'Quarter close' } });
      // It is also an event of each user's own stream, with the same seq: merging by seq drops the twin.
      const queued = await session.until(
        () => session.messages.find((m) => m.destination === userEvents && m.event.type === 'announcement'),
        'the announcement on the queue',
      );
      expect(queued.event.seq).toBe(topic.event.seq);
      expect(topic.headers['signoff-seq']).toBe(String(topic.event.seq));
    }

    const claim = await alice.submitClaim(sampleClaim());
    const assigned = await bobStomp.until(
      () => bobStomp.messages.find((m) => m.event.type === 'claim.assigned'),
      'claim.assigned for bob',
    );
    expect(assigned.event).toMatchObject({ seq: bobCursor.seq + 2, claim: { id: claim.id } });
    expect(assigned.headers).toMatchObject({
      'signoff-epoch': bobCursor.epoch,
      'content-type': 'application/json',
    });
    await aliceStomp.until(
      () => aliceStomp.messages.find((m) => m.event.type === 'claim.submitted'),
      'claim.submitted',
    );
    expect(aliceStomp.messages.some((m) => m.event.type === 'claim.assigned')).toBe(false);

    // Alice asks for Bob's queue: ERROR, close, and nothing of Bob's.
    const aliceCount = aliceStomp.messages.length;
    aliceStomp.client.subscribe('/user/bob/queue/events', () => {
      throw new Error('a message from bob’s queue reached alice');
    });
    await aliceStomp.until(
      () => aliceStomp.errors.length > 0 && aliceStomp.closeCode !== null,
      'ERROR and close',
    );
    expect(aliceStomp.errors[0]!.headers.message).toBe('no such destination');
    expect(aliceStomp.messages.length).toBe(aliceCount);

    // SEND is refused: actions stay on REST.
    bobStomp.client.publish({ destination: '/app/claims/approve', body: JSON.stringify({ id: claim.id }) });
    await bobStomp.until(() => bobStomp.errors.length > 0 && bobStomp.closeCode !== null, 'ERROR for SEND');
    expect(bobStomp.errors[0]!.headers.message).toBe('SEND is not supported');
    expect((await bob.getClaim(claim.id)).state).not.toBe('approved');
    await Promise.all([aliceStomp.stop(), bobStomp.stop()]);
  });

  it('bad token on the upgrade → HTTP 401; bad token in CONNECT → ERROR; sign-out → ERROR then close 4001', async () => {
    const refused = await expectRefusedUpgrade(
      url(),
      { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAA' },
      ['v12.stomp'],
    );
    expect(refused.status).toBe(401);

    const bad = new Session(url(), { Authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAA' });
    await bad.until(() => bad.errors.length > 0 && bad.closeCode !== null, 'ERROR for a bad token');
    expect(bad.errors[0]!.headers.message).toBe('unauthorized');
    expect(bad.connected).toBeNull();
    await bad.stop();

    const { carol } = await clientsFor(stub().url, ['carol'] as const);
    const session = await connect(carol);
    await session.subscribe(userEvents);
    await carol.signOut();
    await session.until(() => session.closeCode !== null, 'the close after sign-out');
    expect(session.errors[0]!.headers.message).toBe('session ended');
    expect(session.closeCode).toBe(CloseCode.sessionEnded);
    await session.stop();
  });
});
