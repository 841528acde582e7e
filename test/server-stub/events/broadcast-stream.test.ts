// The shared broadcast stream (docs/protocol.md, "The broadcast stream"), against a real in-process
// stub over real sockets: an announcement is one row whatever the number of users; a client that
// reads the stream resumes it by its own cursor (REST and the v1 WebSocket) with the same gap, reset,
// retention and epoch rules as a user's stream; a client from before the stream still gets every
// announcement, in its own stream with its own seqs.
import { describe, expect, it, vi } from 'vitest';
import {
  type ApiClient,
  type BroadcastPage,
  type Cursor,
  type EventsPage,
  PROTOCOL_VERSION,
  type ServerFrame,
  type UserEvent,
} from '../../../protocol';
import type { StubServerOptions } from '../../../server-stub/server';
import { StreamTestClient } from '../../support/stream-test-client';
import { clientsFor, type InProcessStub } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

const USERS = ['alice', 'bob', 'admin'] as const;
const streamUrl = (stub: InProcessStub) => `${stub.url.replace('http', 'ws')}/api/v1/stream`;
const rows = (stub: InProcessStub, table: 'events' | 'broadcast_events'): number =>
  stub.backend.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

function broadcastOf(page: EventsPage): BroadcastPage {
  if (!page.broadcast) throw new Error('the page has no broadcast half');
  return page.broadcast;
}

const broadcastTitles = (page: BroadcastPage) =>
  page.status === 'ok' ? page.events.map((event) => event.announcement.title) : page.status;

/** Every frame of the broadcast stream a test client received, as [seq, title]. */
const broadcastFrames = (client: StreamTestClient) =>
  client.frames.flatMap((frame) =>
    frame.type === 'event' && frame.stream === 'broadcast' && frame.event.type === 'announcement'
      ? [[frame.event.seq, frame.event.announcement.title] as const]
      : [],
  );

describe('the broadcast stream', () => {
  const stubs = stubsPerTest();
  async function setup(options: Partial<StubServerOptions> = {}) {
    const stub = await stubs.inProcess(options);
    const as = await clientsFor(stub.url, USERS);
    const userStart = (): Cursor => ({ epoch: stub.eventLog.epoch, seq: 0 });
    const broadcastAt = (seq: number): Cursor => ({ epoch: stub.eventLog.broadcasts.epoch, seq });
    return { stub, as, userStart, broadcastAt };
  }

  it('writes one row per announcement with 1,000 users, and no user-stream rows', async () => {
    const { stub, as } = await setup({ loadUsers: 1_000 });
    const users = stub.backend.db.prepare('SELECT COUNT(*) FROM event_streams').pluck().get() as number;
    expect(users).toBeGreaterThan(1_000);
    const before = { events: rows(stub, 'events'), broadcast: rows(stub, 'broadcast_events') };
    for (let i = 0; i < 3; i++) await as.admin.announce({ title: `Notice ${i}` });
    expect(rows(stub, 'events')).toBe(before.events);
    expect(rows(stub, 'broadcast_events')).toBe(before.broadcast + 3);
    expect(stub.eventLog.broadcasts.head()).toBe(3);
  });

  it('resumes from an old broadcast cursor with exactly the missed announcements (REST and WebSocket)', async () => {
    const { stub, as, userStart, broadcastAt } = await setup();
    for (let i = 1; i <= 5; i++) await as.admin.announce({ title: `n${i}` });

    const page = await as.bob.events(userStart(), { broadcast: broadcastAt(2) });
    expect(page.status === 'ok' && page.events).toEqual([]); // nothing in bob's own stream
    expect(broadcastTitles(broadcastOf(page))).toEqual(['n3', 'n4', 'n5']);
    expect(broadcastOf(page)).toMatchObject({ cursor: broadcastAt(5), hasMore: false });
    const paged = await as.bob.events(userStart(), { broadcast: broadcastAt(0), limit: 2 });
    expect(broadcastOf(paged)).toMatchObject({ status: 'ok', hasMore: true, cursor: broadcastAt(2) });

    const client = await StreamTestClient.open(streamUrl(stub), as.bob.token!);
    client.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      resume: null,
      broadcast: broadcastAt(2),
    });
    const welcome = await client.waitFor((frame) => frame.type === 'welcome');
    expect(welcome).toMatchObject({ broadcastHead: broadcastAt(5) });
    await client.waitUntil(() => broadcastFrames(client).length === 3);
    await as.admin.announce({ title: 'n6' });
    await client.waitUntil(() => broadcastFrames(client).length === 4);
    expect(broadcastFrames(client)).toEqual([
      [3, 'n3'],
      [4, 'n4'],
      [5, 'n5'],
      [6, 'n6'],
    ]);
    // The broadcast frames name the broadcast stream; bob's own stream got nothing.
    expect(client.frames.filter((frame) => frame.type === 'event' && frame.stream !== 'broadcast')).toEqual(
      [],
    );
    expect(stub.eventLog.head('bob')).toBe(0);
    await client.close();
  });

  it('answers a broadcast reset for another epoch, a cursor ahead, and one older than retention', async () => {
    const { stub, as, userStart, broadcastAt } = await setup({ eventRetention: 3 });
    for (let i = 1; i <= 5; i++) await as.admin.announce({ title: `n${i}` });
    const head = broadcastAt(5);
    const ask = async (cursor: Cursor) =>
      broadcastOf(await as.alice.events(userStart(), { broadcast: cursor }));

    expect(await ask({ epoch: 'other-epoch', seq: 2 })).toEqual({
      status: 'reset',
      reason: 'epoch_changed',
      cursor: head,
    });
    expect(await ask(broadcastAt(6))).toEqual({ status: 'reset', reason: 'ahead', cursor: head });
    // 1–2 were pruned: resuming after 0 or 1 would silently skip some. Never a partial replay.
    expect(await ask(broadcastAt(1))).toEqual({ status: 'reset', reason: 'expired', cursor: head });
    expect(broadcastTitles(await ask(broadcastAt(2)))).toEqual(['n3', 'n4', 'n5']);
    expect(rows(stub, 'broadcast_events')).toBe(3);

    // The WebSocket: one reset frame for the broadcast stream, then live broadcasts after its head.
    const client = await StreamTestClient.open(streamUrl(stub), as.alice.token!);
    client.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      resume: null,
      broadcast: broadcastAt(1),
    });
    const reset = await client.waitFor((frame) => frame.type === 'reset');
    expect(reset).toEqual({ type: 'reset', stream: 'broadcast', cursor: head, reason: 'expired' });
    await as.admin.announce({ title: 'n6' });
    await client.waitUntil(() => broadcastFrames(client).length === 1);
    expect(broadcastFrames(client)).toEqual([[6, 'n6']]);
    await client.close();
  });

  it('wakes a held long-poll that reads the broadcast stream when an announcement is posted', async () => {
    const { stub, as, userStart, broadcastAt } = await setup();
    const started = Date.now();
    const poll = as.bob.events(userStart(), { broadcast: broadcastAt(0), waitSeconds: 20 });
    await vi.waitFor(() => expect(stub.eventLog.subscriberCount('bob')).toBe(1), { timeout: 5_000 });
    await as.admin.announce({ title: 'Fire drill' });
    const page = await poll;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(broadcastTitles(broadcastOf(page))).toEqual(['Fire drill']);
    // The GET /queue of such a client names the broadcast head beside its own cursor.
    expect(await as.bob.queue({ broadcast: true })).toMatchObject({ broadcast: broadcastAt(1) });
  });

  describe('a client from before the broadcast stream', () => {
    const announcementTitles = (events: readonly UserEvent[]) =>
      events.flatMap((event) => (event.type === 'announcement' ? [event.announcement.title] : []));

    it('finds announcements in its own stream over REST, absorbed on read, once', async () => {
      const { stub, as, userStart } = await setup();
      await as.admin.announce({ title: 'Before' });
      expect(rows(stub, 'events')).toBe(0);
      // No `bafter`: the v1 view. What bob's stream had not absorbed is copied into it now.
      const page = await as.bob.events(userStart());
      expect(page.status === 'ok' && announcementTitles(page.events)).toEqual(['Before']);
      expect(page.broadcast).toBeUndefined();
      expect(page.status === 'ok' && page.events.map((event) => event.seq)).toEqual([1]);
      // Reading again absorbs nothing more; alice's stream is untouched until alice reads.
      await as.bob.events(userStart());
      expect(rows(stub, 'events')).toBe(1);
      expect(stub.eventLog.head('alice')).toBe(0);
    });

    it('has announcements made before its snapshot covered by the snapshot cursor (none replayed later)', async () => {
      const { as } = await setup();
      await as.admin.announce({ title: 'Old news' });
      const snapshot = await as.alice.queue();
      expect(snapshot.broadcast).toBeUndefined();
      await as.admin.announce({ title: 'Fresh' });
      const page = await as.alice.events(snapshot.cursor);
      expect(page.status === 'ok' && announcementTitles(page.events)).toEqual(['Fresh']);
    });

    it('gets an announcement live on the v1 WebSocket, as a user event with its own seq', async () => {
      const { stub, as } = await setup();
      const client = await StreamTestClient.connect(streamUrl(stub), as.alice.token!, null);
      const welcome = client.frames.find((frame) => frame.type === 'welcome');
      expect(welcome && 'broadcastHead' in welcome).toBe(false);
      await as.admin.announce({ title: 'Live one' });
      const frame = (await client.waitFor((f) => f.type === 'event')) as Extract<
        ServerFrame,
        { type: 'event' }
      >;
      expect(frame.stream).toBeUndefined();
      expect(frame.event).toMatchObject({
        seq: 1,
        type: 'announcement',
        announcement: { title: 'Live one' },
      });
      await client.close();
      // Disconnected, it is no longer followed: the next announcement waits for its next read.
      await vi.waitFor(() => expect(stub.eventLog.followerCount()).toBe(0));
      await as.admin.announce({ title: 'While away' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stub.eventLog.head('alice')).toBe(1);
      const again = await StreamTestClient.connect(streamUrl(stub), as.alice.token!, {
        epoch: stub.eventLog.epoch,
        seq: 1,
      });
      await again.waitUntil(() => again.eventSeqs().length === 1);
      expect(again.frames.find((f) => f.type === 'event')).toMatchObject({
        event: { seq: 2, announcement: { title: 'While away' } },
      });
      await again.close();
    });

    it('absorbs at most the newest 50 pending announcements at once', async () => {
      const { as, userStart } = await setup();
      for (let i = 1; i <= 53; i++) await as.admin.announce({ title: `n${i}` });
      const page = await (as.bob as ApiClient).events(userStart(), { limit: 1000 });
      const titles = page.status === 'ok' ? announcementTitles(page.events) : [];
      expect(titles).toHaveLength(50);
      expect(titles[0]).toBe('n4');
      expect(titles.at(-1)).toBe('n53');
    });
  });
});
