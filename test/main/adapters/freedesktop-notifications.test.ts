// Linux notification actions over D-Bus, with real parts: a private session bus, Debian's dunst as
// the notification server (driven through its own context menu, so dunst emits ActionInvoked as on
// a desktop), a real stub process and a real core. KDE's inline reply, a server without actions and a
// doubled signal come from a second D-Bus client acting as the server (dunst has no inline reply).
import { afterEach, describe, expect, test } from 'vitest';
import { FreedesktopNotifier } from '../../../main/adapters/freedesktop-notifications';
import { createDesktopCore } from '../../../main/core/desktop-core';
import type { OpenClaim } from '../../../main/core/notification-actions';
import type { NotificationRequest } from '../../../main/core/ports';
import type { NavigateTarget } from '../../../main/ipc/contract';
import { RecordingNotifier, waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore } from '../../support/core-harness';
import { startFakeNotificationServer } from '../../support/fake-notification-server';
import { notificationDaemonMissing, startDunst, startPrivateBus } from '../../support/notification-daemon';
import { sampleClaim, tempDir } from '../../support/stub-fixtures';
import { startStub } from '../../support/stub-process';

// dunst, Xvfb and dbus-daemon come from scripts/install-system-packages.sh; where one is absent the
// daemon suites skip and `missing` names what is absent.
const missing = notificationDaemonMissing();
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A temp dir removed after the test; its file `name`. */
function tempFile(name: string): string {
  const dir = tempDir('signoff-handles-');
  cleanups.push(() => dir.remove());
  return dir.file(name);
}

function track<T extends { dispose(): Promise<unknown> | unknown }>(thing: T): T {
  cleanups.push(() => thing.dispose());
  return thing;
}

/** A notifier on `busAddress` that records what it showed and where clicks went. */
async function connectNotifier(busAddress: string, handlesFile?: string) {
  const clicks: NavigateTarget[] = [];
  const notifier = await FreedesktopNotifier.connect({
    busAddress,
    onClick: (t) => clicks.push(t),
    ...(handlesFile ? { handlesFile } : {}),
  });
  if (!notifier) throw new Error('expected a notification server with actions');
  cleanups.push(() => notifier.disconnect());
  const shown: NotificationRequest[] = [];
  const show = notifier.show.bind(notifier);
  notifier.show = (request) => {
    shown.push(request);
    show(request);
  };
  return { notifier, clicks, shown };
}

/** bob's core on a real stub, notifying through `notifier`; alice submits claims to bob. */
async function bobWith(notifier: FreedesktopNotifier) {
  const stub = track(await startStub());
  const opened: Array<{ claimId: string; intent?: 'approve' | 'reject' }> = [];
  const openClaim: OpenClaim = (claimId, intent) => opened.push(intent ? { claimId, intent } : { claimId });
  const bob = track(await signedInCore(stub.url, 'bob', { notifier, openClaim }));
  const alice = await apiFor(stub.url, 'alice');
  const submit = async (title: string) => {
    const claim = await alice.submitClaim(sampleClaim({ title }));
    await waitFor(() => bob.core.snapshot().queue.some((c) => c.id === claim.id), `${claim.id} queued`);
    const serverId = await notifier.serverIdOf(`claim:${claim.id}`);
    if (serverId == null) throw new Error(`no notification for ${claim.id}`);
    return { claim, serverId };
  };
  return { stub, bob, alice, opened, submit };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(missing !== null)('with dunst on a private session bus', () => {
  test('a claim notification shows Approve, Reject…, Open; Approve approves that version once, then says so', async () => {
    const dunst = track(await startDunst());
    const { notifier, shown } = await connectNotifier(dunst.bus.address);
    expect(notifier.capabilities).toEqual({ actions: true, inlineReply: false });
    const { bob, alice, submit } = await bobWith(notifier);
    const { claim, serverId } = await submit('Taxi to the airport');
    await until(async () => (await dunst.displayed()) === 1, 'dunst to show the claim');

    await dunst.invoke(serverId, 'approve');
    await waitFor(() => bob.core.snapshot().queue.length === 0, 'the claim to leave the queue');
    const after = await alice.getClaim(claim.id);
    expect(after.version).toBe(claim.version + 1);
    expect(after.audit.filter((entry) => entry.action === 'approved').map((e) => e.actor.id)).toEqual([
      'bob',
    ]);
    // What dunst itself offered for this notification: our three buttons and the body click.
    const offered = dunst.lastMenu().filter((line) => line.includes(`[${serverId},`));
    expect(offered.map((line) => line.replace(/^#(.*) \(.*\) \[\d+,(\w+)\]$/, '$2=$1')).sort()).toEqual([
      'approve=Approve',
      'default=Open',
      'open=Open',
      'reject=Reject…',
    ]);
    await waitFor(() => shown.some((n) => n.id === `action:${claim.id}`), 'the outcome notification');
    expect(shown.find((n) => n.id === `action:${claim.id}`)).toMatchObject({
      title: `Approved ${claim.id}`,
      body: 'Taxi to the airport',
    });
    // The claim's notification was closed when it left the queue; the outcome is what dunst shows.
    await until(async () => (await dunst.displayed()) === 1, 'only the outcome on screen');
  });

  test('Open and a click open the claim; Reject… without a reason opens it in reject mode', async () => {
    const dunst = track(await startDunst());
    const { notifier, clicks } = await connectNotifier(dunst.bus.address);
    const { bob, opened, submit } = await bobWith(notifier);
    const { claim, serverId } = await submit('Hotel');

    await dunst.invoke(serverId, 'open');
    await waitFor(() => opened.length === 1, 'Open');
    await dunst.invoke(serverId, 'reject');
    await waitFor(() => opened.length === 2, 'Reject…');
    await dunst.invoke(serverId, 'default');
    await waitFor(() => clicks.length === 1, 'the click');
    expect(opened).toEqual([{ claimId: claim.id }, { claimId: claim.id, intent: 'reject' }]);
    expect(clicks).toEqual([{ view: 'claim', claimId: claim.id }]);
    // Nothing was decided from the notification.
    expect(bob.core.snapshot().queue.map((c) => c.id)).toEqual([claim.id]);
  });
});

describe.skipIf(missing !== null)('closing after a restart, with dunst', () => {
  test('a claim decided elsewhere while the app was closed: the next run closes its notification', async () => {
    const dunst = track(await startDunst());
    const handlesFile = tempFile('notification-handles.json');
    const first = await connectNotifier(dunst.bus.address, handlesFile);
    const { stub, bob, submit } = await bobWith(first.notifier);
    const { claim, serverId } = await submit('Conference ticket');
    const kept = await submit('Train to Lyon');
    await until(async () => (await dunst.displayed()) === 2, 'dunst to show both claims');

    // The app quits; the daemon keeps both notifications on screen.
    await bob.core.stop();
    await first.notifier.saved();
    first.notifier.disconnect();
    // bob approves the first claim on another device meanwhile.
    const elsewhere = await apiFor(stub.url, 'bob');
    await elsewhere.approve(claim.id, { version: claim.version });
    expect(await dunst.displayed()).toBe(2);

    // The next run: a new notifier and core over the same userData and the same daemon.
    const second = await connectNotifier(dunst.bus.address, handlesFile);
    expect([...second.notifier.remembered()].sort()).toEqual([`claim:${claim.id}`, `claim:${kept.claim.id}`]);
    expect(await second.notifier.serverIdOf(`claim:${claim.id}`)).toBe(serverId);
    bob.deps.notifier = second.notifier;
    bob.core = createDesktopCore(bob.deps);
    await bob.core.start();
    await waitFor(() => bob.core.snapshot().queue.length === 1, 'the catch-up');
    // The decided claim's notification is gone; the one still waiting stays, and is still closable.
    await until(async () => (await dunst.displayed()) === 1, 'dunst to close the decided claim');
    expect(second.notifier.remembered()).toEqual([`claim:${kept.claim.id}`]);
    await elsewhere.approve(kept.claim.id, { version: kept.claim.version });
    await until(async () => (await dunst.displayed()) === 0, 'dunst to close the second claim live');
    expect(second.notifier.remembered()).toEqual([]);
    // Nothing was shown twice by the second run.
    expect(second.shown.filter((n) => n.id.startsWith('claim:'))).toEqual([]);
  });
});

describe.skipIf(missing !== null)('with a second client acting as the server', () => {
  test('saved ids are used only with the server that issued them', async () => {
    const bus = track(await startPrivateBus());
    const handlesFile = tempFile('notification-handles.json');
    const before = await startFakeNotificationServer(bus.address, ['actions']);
    const first = await connectNotifier(bus.address, handlesFile);
    first.notifier.show({ id: 'claim:EXP-1', title: 'A', body: '' });
    expect(await first.notifier.serverIdOf('claim:EXP-1')).toBe(1);
    await first.notifier.saved();
    first.notifier.disconnect();

    // Same server still running: the id is remembered.
    const same = await connectNotifier(bus.address, handlesFile);
    expect(same.notifier.remembered()).toEqual(['claim:EXP-1']);
    same.notifier.disconnect();

    // The daemon restarted (its ids start over and may name other apps' notifications): forgotten.
    await before.dispose();
    const after = track(await startFakeNotificationServer(bus.address, ['actions']));
    const next = await connectNotifier(bus.address, handlesFile);
    expect(next.notifier.remembered()).toEqual([]);
    next.notifier.close('claim:EXP-1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(after.closed).toEqual([]);
  });

  test('a notification the user dismissed is not remembered', async () => {
    const bus = track(await startPrivateBus());
    const server = track(await startFakeNotificationServer(bus.address, ['actions']));
    const handlesFile = tempFile('notification-handles.json');
    const { notifier } = await connectNotifier(bus.address, handlesFile);
    notifier.show({ id: 'claim:EXP-2', title: 'B', body: '' });
    const serverId = await notifier.serverIdOf('claim:EXP-2');
    server.dismiss(serverId!);
    await waitFor(() => notifier.remembered().length === 0, 'the dismissal');
  });

  test('KDE: Reject… is the inline reply, and the reply rejects with that reason', async () => {
    const bus = track(await startPrivateBus());
    const server = track(await startFakeNotificationServer(bus.address, ['actions', 'body', 'inline-reply']));
    const { notifier } = await connectNotifier(bus.address);
    expect(notifier.capabilities).toEqual({ actions: true, inlineReply: true });
    const { bob, alice, submit } = await bobWith(notifier);
    const { claim, serverId } = await submit('Team dinner');
    expect(server.calls.find((c) => c.id === serverId)?.actions).toEqual([
      'default',
      'Open',
      'approve',
      'Approve',
      'inline-reply',
      'Reject…',
      'open',
      'Open',
    ]);

    server.reply(serverId, 'No receipt attached');
    await waitFor(() => bob.core.snapshot().queue.length === 0, 'the claim to leave the queue');
    const after = await alice.getClaim(claim.id);
    expect(after.state).toBe('rejected');
    expect(after.audit.at(-1)).toMatchObject({ action: 'rejected', comment: 'No receipt attached' });
  });

  test('a doubled ActionInvoked (replay, double click) approves once', async () => {
    const bus = track(await startPrivateBus());
    const server = track(await startFakeNotificationServer(bus.address, ['actions', 'body']));
    const { notifier, shown } = await connectNotifier(bus.address);
    const { alice, submit } = await bobWith(notifier);
    const { claim, serverId } = await submit('Printer paper');

    server.invoke(serverId, 'approve');
    server.invoke(serverId, 'approve');
    await waitFor(() => shown.some((n) => n.id === `action:${claim.id}`), 'the outcome');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await alice.getClaim(claim.id);
    expect(after.audit.filter((entry) => entry.action === 'approved')).toHaveLength(1);
    expect(shown.filter((n) => n.id === `action:${claim.id}`).map((n) => n.title)).toEqual([
      `Approved ${claim.id}`,
    ]);
    // Closed on the server when the claim left the queue.
    await waitFor(() => server.closed.includes(serverId), 'CloseNotification');
  });

  test('a signal for a notification we did not show is ignored', async () => {
    const bus = track(await startPrivateBus());
    const server = track(await startFakeNotificationServer(bus.address, ['actions']));
    const { notifier } = await connectNotifier(bus.address);
    const events: unknown[] = [];
    notifier.onAction((event) => events.push(event));
    server.invoke(4242, 'approve');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual([]);
  });
});

describe.skipIf(missing !== null)('fallback to Electron notifications', () => {
  test('a bus without a notification server', async () => {
    const bus = track(await startPrivateBus());
    expect(
      await FreedesktopNotifier.connect({ busAddress: bus.address, onClick: () => {}, timeoutMs: 2000 }),
    ).toBeNull();
  });

  test('a server that offers no actions', async () => {
    const bus = track(await startPrivateBus());
    track(await startFakeNotificationServer(bus.address, ['body', 'body-markup']));
    expect(await FreedesktopNotifier.connect({ busAddress: bus.address, onClick: () => {} })).toBeNull();
  });

  test('a server that goes away later: what it no longer takes is shown by the fallback', async () => {
    const bus = track(await startPrivateBus());
    const server = await startFakeNotificationServer(bus.address, ['actions']);
    const fallback = new RecordingNotifier();
    const notifier = await FreedesktopNotifier.connect({
      busAddress: bus.address,
      onClick: () => {},
      fallback,
    });
    if (!notifier) throw new Error('expected the server');
    cleanups.push(() => notifier.disconnect());
    notifier.show({ id: 'a', title: 'A', body: '' });
    expect(await notifier.serverIdOf('a')).toBe(1);
    await server.dispose();
    notifier.show({ id: 'b', title: 'B', body: '' });
    expect(await notifier.serverIdOf('b')).toBeNull();
    expect(fallback.shown.map((n) => n.id)).toEqual(['b']);
    notifier.close('b');
    expect(fallback.closed).toEqual(['b']);
  });

  test('no session bus at all', async () => {
    expect(
      await FreedesktopNotifier.connect({ busAddress: 'unix:path=/nonexistent/bus', onClick: () => {} }),
    ).toBeNull();
  });
});
