// Announcements kept by the core (issue 9): filed from the stream into the account's state, newest
// first, capped, never duplicated or revived by a replay, read/dismissed by the user and persisted.
// First the sync engine and the account state on a manual clock (replays scripted exactly), then the
// whole core on a manual clock against a real in-process stub, across restarts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AccountState } from '../../../main/core/account-state';
import { MAX_DISMISSED, withDismissed } from '../../../main/core/announcement-inbox';
import { createDesktopCore } from '../../../main/core/desktop-core';
import { trayModelOf } from '../../../main/core/tray-model';
import { type Announcement, ApiError, type ServerFrame, type UserEvent } from '../../../protocol';
import { undoAfterEach } from '../../support/cleanups';
import { ManualClock, waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore } from '../../support/core-harness';
import { NOON, settle, useSyncRig, waiting } from '../../support/core-units';
import { EPOCH } from '../../support/fake-server';
import { stubsPerTest, useInProcessStub } from '../../support/use-stub';

/** The user-data folder an account state lives in (its file is `<dir>/accounts/<hash>.json`). */
const userDataOf = (state: AccountState) => path.dirname(path.dirname(state.file));

function announcement(n: number): Announcement {
  return {
    id: `ANN-${n}`,
    title: `Notice ${n}`,
    body: `Body ${n}`,
    author: { id: 'admin', name: 'Ada Admin' },
    // One minute apart, in the order they were posted.
    at: new Date(NOON + n * 60_000).toISOString(),
  };
}

function announced(seq: number, n: number): UserEvent {
  return { seq, at: new Date(NOON).toISOString(), type: 'announcement', announcement: announcement(n) };
}

describe('the sync engine files announcements into the account state', () => {
  const unit = useSyncRig();

  beforeEach(async () => {
    await unit.sync.prepare();
  });

  const frame = (event: UserEvent): ServerFrame => ({ type: 'event', epoch: EPOCH, event });
  const ids = () => unit.rig.state.data.announcements.items.map((item) => item.id);

  it('keeps them newest first, unread, and persists them with the cursor', async () => {
    for (const n of [1, 2, 3]) unit.sync.receive(frame(announced(n, n)));
    await settle();
    expect(ids()).toEqual(['ANN-3', 'ANN-2', 'ANN-1']);
    expect(unit.rig.state.data.announcements.items.every((item) => item.read === false)).toBe(true);
    expect(unit.rig.state.data.announcements.items[0]).toEqual({ ...announcement(3), read: false });

    await unit.rig.state.flush();
    const reloaded = new AccountState(userDataOf(unit.rig.state), 'unit|bob', unit.rig.log);
    await reloaded.load();
    expect(reloaded.data.announcements.items.map((item) => item.id)).toEqual(['ANN-3', 'ANN-2', 'ANN-1']);
    expect(reloaded.data.cursor).toEqual({ epoch: EPOCH, seq: 3 });
  });

  it('a replay (same seq, or the same announcement again after a reconnect) adds nothing', async () => {
    unit.sync.receive(frame(announced(1, 1)));
    unit.sync.receive(frame(announced(2, 2)));
    // The same frames again, as after a reconnect that resumed from an older cursor.
    unit.sync.receive(frame(announced(1, 1)));
    unit.sync.receive(frame(announced(2, 2)));
    // The same announcement delivered under a new seq (e.g. re-sent after a snapshot reset).
    unit.sync.receive(frame(announced(3, 1)));
    await settle();
    expect(ids()).toEqual(['ANN-2', 'ANN-1']);
  });

  it('a dismissed announcement stays gone when the stream delivers it again', async () => {
    unit.sync.receive(frame(announced(1, 1)));
    unit.sync.receive(frame(announced(2, 2)));
    await settle();
    unit.rig.state.data.announcements = withDismissed(unit.rig.state.data.announcements, 'ANN-1');
    expect(ids()).toEqual(['ANN-2']);
    unit.sync.receive(frame(announced(3, 1)));
    await settle();
    expect(ids()).toEqual(['ANN-2']);
  });

  it('keeps only the newest 50; an older one replayed later does not come back at the top', async () => {
    for (let n = 1; n <= 60; n += 1) unit.sync.receive(frame(announced(n, n)));
    await settle();
    expect(ids()).toHaveLength(50);
    expect(ids()[0]).toBe('ANN-60');
    expect(ids().at(-1)).toBe('ANN-11');
    unit.sync.receive(frame(announced(61, 5)));
    await settle();
    expect(ids()).toHaveLength(50);
    expect(ids()).not.toContain('ANN-5');
    expect(ids()[0]).toBe('ANN-60');
  });

  it('after a reset, gets back what the lost events announced: unread, without a notification, dismissed ones stay gone', async () => {
    unit.sync.receive(frame(announced(1, 1)));
    unit.sync.receive(frame(announced(2, 2)));
    await settle();
    unit.rig.state.data.announcements = withDismissed(unit.rig.state.data.announcements, 'ANN-2');
    const notifiedBefore = unit.rig.notifier.shown.length;

    // ANN-3…5 were posted while the stream's events were lost: the reset's snapshot has no announcements.
    unit.api.latest = [5, 4, 3, 2, 1].map(announcement);
    unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 40 }, claims: [] };
    unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 40 }, reason: 'expired' });
    await settle();
    expect(ids()).toEqual(['ANN-5', 'ANN-4', 'ANN-3', 'ANN-1']);
    expect(unit.rig.state.data.announcements.items.map((item) => item.read)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(unit.rig.notifier.shown).toHaveLength(notifiedBefore);
    expect(unit.api.calls.filter((call) => call.call === 'announcements')).toHaveLength(1);
    expect(unit.sync.cursor).toEqual({ epoch: EPOCH, seq: 40 });

    // Another epoch (the server's store was recreated) is a reset too.
    unit.api.latest = [announcement(6)];
    unit.api.snapshot = { cursor: { epoch: 'new-epoch', seq: 1 }, claims: [] };
    unit.sync.receive({ type: 'event', epoch: 'new-epoch', event: announced(2, 7) });
    await settle();
    expect(ids()[0]).toBe('ANN-6');
  });

  it('the first snapshot asks for none; a server without GET /announcements still resets cleanly', async () => {
    expect(unit.api.calls).toEqual([{ call: 'queue' }]); // beforeEach took the first snapshot
    unit.sync.receive(frame(announced(1, 1)));
    unit.api.latest = new ApiError(404, { code: 'not_found', message: 'no route GET /announcements' });
    unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 9 }, claims: [waiting('EXP-9')] };
    unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 9 }, reason: 'expired' });
    await settle();
    expect(unit.sync.cursor).toEqual({ epoch: EPOCH, seq: 9 });
    expect(unit.rig.queue.list().map((claim) => claim.id)).toEqual(['EXP-9']);
    expect(ids()).toEqual(['ANN-1']);
  });

  it('with a broadcast stream, a reset of the user stream fetches none; a broadcast head in another epoch does', async () => {
    const announcementCalls = () => unit.api.calls.filter((call) => call.call === 'announcements').length;
    // The server now has a broadcast stream (say, upgraded since the first snapshot).
    unit.api.latest = [announcement(1)];
    unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 5 }, claims: [], broadcast: { epoch: 'b1', seq: 3 } };
    unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 5 }, reason: 'expired' });
    await settle();
    expect(unit.sync.broadcastCursor).toEqual({ epoch: 'b1', seq: 3 });
    // A user-stream reset while the broadcast cursor still resumes: announcements come by that stream.
    unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 9 }, claims: [], broadcast: { epoch: 'b1', seq: 4 } };
    unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 9 }, reason: 'expired' });
    await settle();
    expect(announcementCalls()).toBe(0);
    expect(unit.sync.broadcastCursor).toEqual({ epoch: 'b1', seq: 3 });
    // The broadcast store was recreated: the cursor jumps to the new head, and the gap is fetched.
    unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 12 }, claims: [], broadcast: { epoch: 'b2', seq: 2 } };
    unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 12 }, reason: 'expired' });
    await settle();
    expect(announcementCalls()).toBe(1);
    expect(unit.sync.broadcastCursor).toEqual({ epoch: 'b2', seq: 2 });
    expect(ids()).toEqual(['ANN-1']);
    // A broadcast reset frame (the cursor fell behind retention) fetches them too, quietly.
    unit.api.latest = [announcement(3), announcement(2)];
    const notifiedBefore = unit.rig.notifier.shown.length;
    unit.sync.receive({
      type: 'reset',
      stream: 'broadcast',
      cursor: { epoch: 'b2', seq: 30 },
      reason: 'expired',
    });
    await settle();
    expect(announcementCalls()).toBe(2);
    expect(unit.sync.broadcastCursor).toEqual({ epoch: 'b2', seq: 30 });
    expect(ids()).toEqual(['ANN-3', 'ANN-2', 'ANN-1']);
    expect(unit.rig.notifier.shown).toHaveLength(notifiedBefore);
  });

  it('remembers a bounded number of dismissed ids', () => {
    let inbox = unit.rig.state.data.announcements;
    for (let n = 0; n < MAX_DISMISSED + 20; n += 1) inbox = withDismissed(inbox, `ANN-${n}`);
    expect(inbox.dismissed).toHaveLength(MAX_DISMISSED);
    expect(inbox.dismissed.at(-1)).toBe(`ANN-${MAX_DISMISSED + 19}`);
    expect(inbox.dismissed).not.toContain('ANN-0');
  });

  it('an account file from before announcements still loads (with none)', async () => {
    await unit.rig.state.flush(); // the snapshot's save must not land on top of the file written below
    const { announcements: _dropped, ...older } = unit.rig.state.data;
    older.cursor = { epoch: EPOCH, seq: 7 };
    writeFileSync(unit.rig.state.file, JSON.stringify({ ...older, queue: [] }));
    const reloaded = new AccountState(userDataOf(unit.rig.state), 'unit|bob', unit.rig.log);
    await reloaded.load();
    expect(reloaded.data.cursor).toEqual({ epoch: EPOCH, seq: 7 });
    expect(reloaded.data.announcements).toEqual({ items: [], dismissed: [] });
  });
});

describe('DesktopCore announcements (manual clock, real stub)', () => {
  const stub = useInProcessStub();
  const stubs = stubsPerTest();
  const defer = undoAfterEach();

  it('fills the snapshot, counts unread for the tray, and persists read and dismissed across restarts', async () => {
    const handle = defer.dispose(await signedInCore(stub().url, 'bob', { clock: new ManualClock(NOON) }));
    const admin = await apiFor(stub().url, 'admin');
    const first = await admin.announce({ title: 'Quarter close on Friday', body: 'Submit by Thursday.' });
    const second = await admin.announce({ title: 'New travel policy' });
    await waitFor(() => handle.core.snapshot().announcements.length === 2, 'both announcements');

    const snapshot = handle.core.snapshot();
    expect(snapshot.announcements.map((a) => [a.id, a.title, a.read])).toEqual([
      [second.id, 'New travel policy', false],
      [first.id, 'Quarter close on Friday', false],
    ]);
    expect(trayModelOf(snapshot).unreadAnnouncements).toBe(2);

    // Read one: the snapshot changes at once and the file already has it (no flush needed).
    let emitted = 0;
    const unsubscribe = handle.core.subscribe(() => {
      emitted += 1;
    });
    await handle.core.markAnnouncementsRead([first.id, 'ANN-unknown']);
    unsubscribe();
    expect(emitted).toBeGreaterThan(0);
    expect(handle.core.snapshot().announcements.map((a) => a.read)).toEqual([false, true]);
    expect(trayModelOf(handle.core.snapshot()).unreadAnnouncements).toBe(1);

    await handle.restart();
    await waitFor(() => handle.core.snapshot().user !== null, 'session restored');
    expect(handle.core.snapshot().announcements.map((a) => [a.id, a.read])).toEqual([
      [second.id, false],
      [first.id, true],
    ]);

    await handle.core.dismissAnnouncement(second.id);
    expect(handle.core.snapshot().announcements.map((a) => a.id)).toEqual([first.id]);
    await handle.restart();
    await waitFor(() => handle.core.snapshot().connection.kind === 'online', 'online again');
    expect(handle.core.snapshot().announcements.map((a) => a.id)).toEqual([first.id]);

    // Marking read again changes nothing and emits nothing.
    let again = 0;
    const off = handle.core.subscribe(() => {
      again += 1;
    });
    await handle.core.markAnnouncementsRead([first.id]);
    off();
    expect(again).toBe(0);
  });

  it('announcements pruned from the broadcast stream while the app was closed come back through its reset', async () => {
    // Two events kept per stream: three announcements while bob's app is closed prune past his cursor.
    const server = await stubs.inProcess({ eventRetention: 2 });
    const handle = defer.dispose(await signedInCore(server.url, 'bob', { clock: new ManualClock(NOON) }));
    const admin = await apiFor(server.url, 'admin');
    const before = await admin.announce({ title: 'Dismissed before the gap' });
    await waitFor(() => handle.core.snapshot().announcements.length === 1, 'the first announcement');
    // It came by the broadcast stream: the core is no old-style reader the stub copies announcements for.
    expect(server.eventLog.followerCount()).toBe(0);
    await handle.core.dismissAnnouncement(before.id);

    await handle.core.stop();
    const missed = [];
    for (const title of ['Quarter close on Friday', 'New travel policy', 'Office closed Monday']) {
      missed.push(await admin.announce({ title }));
    }
    handle.core = createDesktopCore(handle.deps);
    await handle.core.start();
    await waitFor(() => handle.core.snapshot().announcements.length === 3, 'the missed announcements');
    // Only the broadcast stream lost events: bob's own stream resumed, no snapshot was needed.
    expect(handle.core.diagnostics().snapshotsTaken).toBe(0);
    expect(handle.core.snapshot().announcements.map((a) => [a.id, a.read])).toEqual(
      missed.reverse().map((a) => [a.id, false]),
    );
    expect(trayModelOf(handle.core.snapshot()).unreadAnnouncements).toBe(3);
  });

  it('signed out: no announcements in the snapshot, and the calls are harmless no-ops', async () => {
    const handle = defer.dispose(await signedInCore(stub().url, 'carol', { clock: new ManualClock(NOON) }));
    const admin = await apiFor(stub().url, 'admin');
    await admin.announce({ title: 'Only while signed in' });
    await waitFor(() => handle.core.snapshot().announcements.length > 0, 'announcement');
    await handle.core.signOut();
    expect(handle.core.snapshot().announcements).toEqual([]);
    await expect(handle.core.dismissAnnouncement('ANN-1')).resolves.toBeUndefined();
    await expect(handle.core.markAnnouncementsRead(['ANN-1'])).resolves.toBeUndefined();
  });
});
