// Notification policy through real cores and a real stub: catch-up summaries, pause, quiet hours,
// reminders (controllable clock), locale, and platforms without notifications.
import { describe, expect, test } from 'vitest';
import type { ApiClient, ClaimDetail } from '../../../protocol';
import { undoAfterEach } from '../../support/cleanups';
import { ManualClock, waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore, type TestCore } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';

const HOUR = 3600_000;
const defer = undoAfterEach();

const stubFor = async (): Promise<StubProcess> => defer.dispose(await startStub());

async function coreFor(
  stub: StubProcess,
  user: string,
  clock?: ManualClock,
  osLocale = 'en-US',
): Promise<TestCore> {
  return defer.dispose(await signedInCore(stub.url, user, { ...(clock ? { clock } : {}), osLocale }));
}

async function submit(alice: ApiClient, count: number, title = 'Claim'): Promise<ClaimDetail[]> {
  const claims: ClaimDetail[] = [];
  for (let i = 0; i < count; i += 1)
    claims.push(await alice.submitClaim(sampleClaim({ title: `${title} ${i}` })));
  return claims;
}

/** Lets in-flight frames arrive, so "nothing was shown" is not just "not yet". */
async function settle(handle: TestCore, queueSize: number): Promise<void> {
  await waitFor(() => handle.core.snapshot().queue.length === queueSize, `queue of ${queueSize}`);
}

/** "HH:MM" of a local time `offsetMs` from `epochMs`. */
function hhmm(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

describe('catch-up', () => {
  test('first sign-in with more than 3 waiting → one summary; offline catch-up the same; ≤3 → individual', async () => {
    const stub = await stubFor();
    const alice = await apiFor(stub.url, 'alice');
    await submit(alice, 5, 'Backlog');
    const bob = await coreFor(stub, 'bob');
    await settle(bob, 5);
    expect(bob.notifier.shown).toEqual([
      {
        id: 'summary:waiting',
        title: '5 claims are waiting for you',
        body: 'Open Signoff to review them.',
        opensQueue: true,
      },
    ]);

    // Offline while 4 more arrive: one summary when back, counting everything waiting.
    bob.core.networkLost();
    expect(bob.core.snapshot().connection.kind).toBe('offline');
    await submit(alice, 4, 'Away');
    bob.core.wake('online');
    await settle(bob, 9);
    expect(bob.notifier.shown.map((n) => n.title)).toEqual([
      '5 claims are waiting for you',
      '9 claims are waiting for you',
    ]);

    // Offline while only 2 arrive: shown one by one.
    bob.core.networkLost();
    const two = await submit(alice, 2, 'Few');
    bob.core.wake('online');
    await settle(bob, 11);
    expect(bob.notifier.claimIds()).toEqual(two.map((c) => c.id));

    // Live: one at a time, and nothing is ever repeated.
    const [live] = await submit(alice, 1, 'Live');
    await waitFor(() => bob.notifier.claimIds().includes(live!.id), 'live claim');
    expect(bob.notifier.shown).toHaveLength(5);
  });

  test('Simplified Chinese follows the OS locale, amounts formatted exactly in the claim currency', async () => {
    const stub = await stubFor();
    const alice = await apiFor(stub.url, 'alice');
    const bob = await coreFor(stub, 'bob', undefined, 'zh-Hans-CN');
    const [claim] = [
      await alice.submitClaim(
        sampleClaim({
          title: '差旅',
          currency: 'JPY',
          items: [{ description: '新幹線', amountMinor: 14_720 }],
          totalMinor: 14_720,
        }),
      ),
    ];
    await waitFor(() => bob.notifier.shown.length === 1, 'notified');
    expect(bob.notifier.shown[0]).toMatchObject({ claimId: claim!.id, title: 'Alice Zhang 提交了新的报销' });
    expect(bob.notifier.shown[0]!.body).toBe(`差旅 · JP¥14,720`);
    bob.core.networkLost();
    await submit(alice, 4);
    bob.core.wake('online');
    await waitFor(() => bob.notifier.shown.length === 2, 'summary');
    expect(bob.notifier.shown[1]!.title).toBe('有 5 笔报销等待您审批');
    expect(bob.core.snapshot().locale).toBe('zh-CN');
  });
});

describe('suppression is not deferral', () => {
  test('paused and quiet-hour notifications are never shown later; the queue still carries them', async () => {
    const stub = await stubFor();
    const alice = await apiFor(stub.url, 'alice');
    // 23:30 local today: inside quiet hours 22:00–07:00 (which wrap midnight).
    const night = new Date();
    night.setHours(23, 30, 0, 0);
    const clock = new ManualClock(night.getTime());
    const bob = await coreFor(stub, 'bob', clock);

    await bob.core.updateSettings({ pausedUntil: clock.now() + HOUR });
    const [paused] = await submit(alice, 1, 'Paused');
    await settle(bob, 1);
    expect(bob.notifier.shown).toEqual([]);

    await bob.core.updateSettings({
      pausedUntil: null,
      quietHours: { enabled: true, start: '22:00', end: '07:00' },
    });
    const [quiet] = await submit(alice, 1, 'Quiet');
    await settle(bob, 2);
    expect(bob.notifier.shown).toEqual([]);

    // 08:30 next morning: quiet hours over. The jump trips the heartbeat watchdog (as a real sleep
    // would); the reconnect's backoff runs on the manual clock, so keep it moving until online.
    const connects = bob.core.diagnostics().connects;
    clock.advance(9 * HOUR);
    await waitFor(() => {
      if (bob.core.snapshot().connection.kind === 'reconnecting') clock.advance(1_000);
      return bob.core.diagnostics().connects > connects && bob.core.snapshot().connection.kind === 'online';
    }, 'online again');
    const [morning] = await submit(alice, 1, 'Morning');
    await settle(bob, 3);
    await waitFor(() => bob.notifier.shown.length > 0, 'morning claim');
    expect(bob.notifier.claimIds()).toEqual([morning!.id]);
    expect(
      bob.core
        .snapshot()
        .queue.map((c) => c.id)
        .sort(),
    ).toEqual([paused!.id, quiet!.id, morning!.id].sort());

    // Indefinite pause, and notifications switched off: nothing.
    await bob.core.updateSettings({ pausedUntil: 'indefinite' });
    await submit(alice, 1);
    await settle(bob, 4);
    await bob.core.updateSettings({ pausedUntil: null, notificationsEnabled: false });
    await submit(alice, 1);
    await settle(bob, 5);
    expect(bob.notifier.shown).toHaveLength(1);
  });

  test('a platform without notifications shows nothing; the tray count still has the claims', async () => {
    const stub = await stubFor();
    const alice = await apiFor(stub.url, 'alice');
    const bob = await coreFor(stub, 'bob');
    bob.notifier.supported = false;
    await submit(alice, 2);
    await settle(bob, 2);
    expect(bob.notifier.shown).toEqual([]);
  });
});

describe('reminders', () => {
  test('after 24 h, at most once a day per claim, never in quiet hours, with one timer', async () => {
    const stub = await stubFor();
    const alice = await apiFor(stub.url, 'alice');
    const clock = new ManualClock(Date.now());
    const bob = await coreFor(stub, 'bob', clock);
    const [claim] = await submit(alice, 1, 'Old');
    await waitFor(() => bob.notifier.shown.length === 1, 'first notification');
    // Rescheduling is coalesced to the end of the current event-loop turn.
    await waitFor(() => bob.core.diagnostics().nextReminderAt !== null, 'reminder armed');
    const since = Date.parse(bob.core.snapshot().queue[0]!.currentStepSince!);
    const reminders = () => bob.notifier.shown.filter((n) => n.title.startsWith('Still waiting'));

    clock.set(since + 23 * HOUR);
    expect(reminders()).toHaveLength(0);
    // Only the reminder and the heartbeat watchdog are armed: no polling.
    expect(clock.pendingTimers()).toBeLessThanOrEqual(2);
    expect(bob.core.diagnostics().nextReminderAt).toBe(since + 24 * HOUR);

    clock.set(since + 24 * HOUR + 1);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]).toMatchObject({ id: `claim:${claim!.id}`, claimId: claim!.id });
    expect(reminders()[0]!.body).toContain('waiting 24 h');

    clock.set(since + 40 * HOUR);
    expect(reminders()).toHaveLength(1); // not twice in a day

    // The next one would fall inside quiet hours: it waits for their end, then comes once.
    const due = since + 48 * HOUR;
    await bob.core.updateSettings({
      quietHours: { enabled: true, start: hhmm(due - HOUR), end: hhmm(due + 2 * HOUR) },
    });
    clock.set(due + HOUR);
    expect(reminders()).toHaveLength(1);
    clock.set(due + 2 * HOUR + 60_000);
    expect(reminders()).toHaveLength(2);

    // Paused: no reminder while paused.
    await bob.core.updateSettings({
      pausedUntil: 'indefinite',
      quietHours: { enabled: false, start: '22:00', end: '07:00' },
    });
    clock.set(due + 30 * HOUR);
    expect(reminders()).toHaveLength(2);
    expect(bob.core.diagnostics().nextReminderAt).toBeNull();
  });
});
