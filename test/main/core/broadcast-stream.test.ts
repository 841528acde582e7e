// The desktop core on the broadcast stream (docs/protocol.md, "The broadcast stream"), through real
// parts: a real in-process stub, real sockets on loopback, real account files across restarts. For
// each transport (signoff.v1, STOMP, long-poll): an announcement arrives live, one posted while the
// app is closed arrives once after it starts again, each is notified and filed exactly once, and the
// stub shows the core read the broadcast stream itself (nothing was absorbed into bob's own stream).
// Then a broadcast reset: a cursor older than the stub keeps moves on to the head without a snapshot,
// and the announcements of the gap are fetched over REST, filed unread without a notification.
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import type { TransportSettingSchema } from '../../../main/common/settings-schema';
import { undoAfterEach } from '../../support/cleanups';
import { waitFor } from '../../support/core-fakes';
import { apiFor, makeCore, PASSWORD, type TestCore } from '../../support/core-harness';
import { stubsPerTest } from '../../support/use-stub';

type StreamTransport = z.infer<typeof TransportSettingSchema>;

const defer = undoAfterEach();
const stubs = stubsPerTest();

const shownTimes = (handle: TestCore, announcementId: string) =>
  handle.notifier.shown.filter((n) => n.id === `announcement:${announcementId}`).length;
const filed = (handle: TestCore) => handle.core.snapshot().announcements.map((a) => a.title);

async function bobOn(url: string, transport: StreamTransport): Promise<TestCore> {
  const bob = defer.dispose(await makeCore({ liveFloodWindowMs: 0, longPollWaitSeconds: 2 }));
  await bob.core.updateSettings({ transport });
  await bob.core.signIn(url, 'bob', PASSWORD);
  await waitFor(() => bob.core.snapshot().connection.kind === 'online', `bob online over ${transport}`);
  return bob;
}

describe.each<StreamTransport>(['signoff', 'stomp', 'long-poll'])(
  'an announcement over %s reaches the desktop once',
  (transport) => {
    test('live, and after a restart when posted while the app was closed', async () => {
      const stub = await stubs.inProcess();
      const admin = await apiFor(stub.url, 'admin');
      const bob = await bobOn(stub.url, transport);

      const live = await admin.announce({ title: `Live over ${transport}` });
      await waitFor(() => shownTimes(bob, live.id) === 1, 'the live announcement notified');

      await bob.core.stop();
      const missed = await admin.announce({ title: `Missed over ${transport}` });
      await bob.restart();
      await waitFor(() => shownTimes(bob, missed.id) === 1, 'the missed announcement notified after restart');
      // Settle: a duplicate would come with the catch-up that just ran, or with the next live one.
      const after = await admin.announce({ title: `After over ${transport}` });
      await waitFor(() => shownTimes(bob, after.id) === 1, 'the next live announcement notified');

      for (const id of [live.id, missed.id, after.id]) expect(shownTimes(bob, id)).toBe(1);
      expect(filed(bob)).toEqual([
        `After over ${transport}`,
        `Missed over ${transport}`,
        `Live over ${transport}`,
      ]);
      // The core read the broadcast stream: bob's own stream absorbed nothing.
      const absorbed = stub.backend.db
        .prepare("SELECT broadcast_seq FROM event_streams WHERE user_id = 'bob'")
        .pluck()
        .get();
      expect(absorbed).toBe(0);
      expect(stub.eventLog.head('bob')).toBe(0);
    }, 60_000);
  },
);

test('a broadcast cursor older than the stub keeps is reset to the head: no snapshot, next one arrives once', async () => {
  const stub = await stubs.inProcess({ eventRetention: 2 });
  const admin = await apiFor(stub.url, 'admin');
  const bob = await bobOn(stub.url, 'signoff');

  await bob.core.stop();
  // Four while closed, of which the stub keeps two: bob's cursor (0) is older than its floor (2).
  const pruned = [];
  for (let i = 1; i <= 4; i++) pruned.push(await admin.announce({ title: `Pruned ${i}` }));
  await bob.restart();
  await waitFor(() => bob.core.snapshot().connection.kind === 'online', 'online again');
  // The gap's announcements are fetched with GET /announcements: filed unread, without a notification.
  await waitFor(() => filed(bob).length === 4, 'the pruned announcements filed');
  const next = await admin.announce({ title: 'After the reset' });
  await waitFor(() => shownTimes(bob, next.id) === 1, 'the announcement after the reset');
  expect(filed(bob)).toEqual(['After the reset', 'Pruned 4', 'Pruned 3', 'Pruned 2', 'Pruned 1']);
  expect(bob.core.snapshot().announcements.every((a) => !a.read)).toBe(true);
  expect(pruned.map((a) => shownTimes(bob, a.id))).toEqual([0, 0, 0, 0]);
  expect(bob.log.text()).toContain('the broadcast stream was reset');
  // A broadcast reset moves the broadcast cursor only; the restarted session took no snapshot.
  expect(bob.core.diagnostics().snapshotsTaken).toBe(0);
}, 60_000);
