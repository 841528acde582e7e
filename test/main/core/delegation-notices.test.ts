// Delegation (out of office) notifications through real cores and a real stub process: the delegate
// hears a delegation scheduled, started (with the claims that came along) and ended; the delegator hears
// it start and end when that happens without them on this device (the stub's timer, another device),
// in English and Chinese; nothing during a pause or quiet hours; nothing twice after a catch-up, a
// reconnect or a restart.
import { describe, expect, test } from 'vitest';
import { formatLocalTime } from '../../../main/core/i18n';
import type { Locale, NotificationRequest } from '../../../main/core/ports';
import type { ApiClient, Delegation } from '../../../protocol';
import { undoAfterEach } from '../../support/cleanups';
import { waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore, type TestCore } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';

const HOUR = 3600_000;
const defer = undoAfterEach();

async function world() {
  const stub: StubProcess = defer.dispose(await startStub());
  const alice = await apiFor(stub.url, 'alice');
  const bob = await apiFor(stub.url, 'bob');
  /** `floodWindowMs: 0`: a test that makes more than 3 changes within 10 s sees each, not the flood summary. */
  const core = async (user: string, osLocale: Locale = 'en', floodWindowMs?: number) =>
    defer.dispose(await signedInCore(stub.url, user, { osLocale, liveFloodWindowMs: floodWindowMs }));
  return { stub, alice, bob, core };
}

const delegationNotes = (handle: TestCore): NotificationRequest[] =>
  handle.notifier.shown.filter((n) => n.id.startsWith('delegation:'));

async function submit(alice: ApiClient, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await alice.submitClaim(sampleClaim({ title: `Trip ${i}` }));
}

/** Waits until `handle` has applied as many events as `peer` (same user, signed in at the same point). */
async function caughtUpWith(handle: TestCore, peer: TestCore): Promise<void> {
  await waitFor(
    () => handle.core.diagnostics().appliedEvents === peer.core.diagnostics().appliedEvents,
    'both devices applied the same events',
  );
}

const range = (delegation: Delegation, locale: Locale) => ({
  from: formatLocalTime(delegation.startsAt, locale),
  until: formatLocalTime(delegation.endsAt, locale),
});

describe('delegation notifications', { timeout: 60_000 }, () => {
  test('scheduled, started and ended by the timer: the delegate hears all three, the delegator the start and end', async () => {
    const { alice, bob, core } = await world();
    const [frankEn, frankZh, bobEn, bobZh] = [
      await core('frank'),
      await core('frank', 'zh-CN'),
      await core('bob'),
      await core('bob', 'zh-CN'),
    ];
    await submit(alice, 2);
    await waitFor(() => bobEn.core.snapshot().queue.length === 2, 'two claims wait on bob');
    // Made with the API, as from another device; the stub's timer starts and ends it.
    const now = Date.now();
    const delegation = await bob.delegate({
      delegateId: 'frank',
      startsAt: new Date(now + 1500).toISOString(),
      endsAt: new Date(now + 4000).toISOString(),
    });
    expect(delegation.status).toBe('scheduled');
    const id = `delegation:${delegation.id}`;
    await waitFor(() => delegationNotes(frankEn).length === 1, 'frank hears it scheduled');
    const en = range(delegation, 'en');
    expect(delegationNotes(frankEn)).toEqual([
      {
        id,
        title: 'Bob Li hands you their approvals',
        body: `You approve for Bob Li from ${en.from} until ${en.until}.`,
      },
    ]);

    await waitFor(() => delegationNotes(frankEn).length === 3, 'frank hears it start and end', 15_000);
    await waitFor(() => delegationNotes(bobEn).length === 2, 'bob hears it start and end');
    await waitFor(
      () => delegationNotes(frankZh).length === 3 && delegationNotes(bobZh).length === 2,
      'zh too',
    );
    expect(delegationNotes(frankEn).slice(1)).toEqual([
      {
        id,
        title: 'You now approve for Bob Li',
        body: `Bob Li’s approvals come to you until ${en.until}. 2 waiting claims moved to you.`,
        opensQueue: true,
      },
      { id, title: 'You no longer approve for Bob Li', body: 'Claims still waiting went back to Bob Li.' },
    ]);
    // Bob scheduled it elsewhere: only its start and its end are news to him here.
    expect(delegationNotes(bobEn)).toEqual([
      {
        id,
        title: 'Your approvals now go to Frank Sun',
        body: `Out of office until ${en.until}. Claims waiting for you moved to Frank Sun.`,
      },
      {
        id,
        title: 'Your approvals are back with you',
        body: 'Frank Sun no longer approves for you. 2 claims are waiting for you.',
        opensQueue: true,
      },
    ]);
    const zh = range(delegation, 'zh-CN');
    expect(delegationNotes(frankZh).map(({ title, body }) => [title, body])).toEqual([
      ['Bob Li 将审批交由您代理', `${zh.from} 至 ${zh.until} 期间，由您代 Bob Li 审批。`],
      ['您已开始代 Bob Li 审批', `${zh.until} 前，Bob Li 的审批都交给您。已有 2 笔待审批的报销转给您。`],
      ['您已不再代 Bob Li 审批', '仍在等待的报销已交还 Bob Li。'],
    ]);
    expect(delegationNotes(bobZh).map(({ title, body }) => [title, body])).toEqual([
      ['您的审批已交由 Frank Sun 代理', `外出至 ${zh.until}。等待您审批的报销已转给 Frank Sun。`],
      ['审批已交还给您', 'Frank Sun 不再代您审批。有 2 笔报销等待您审批。'],
    ]);
  });

  test('what the delegator does on this device is not news to them; their other device and the delegate hear it', async () => {
    const { alice, bob, core } = await world();
    const here = await core('bob');
    const elsewhere = await core('bob');
    const frank = await core('frank', 'en', 0);
    await submit(alice, 1);
    await waitFor(() => here.core.snapshot().queue.length === 1, 'a claim waits on bob');

    const started = await here.core.startDelegation({
      delegateId: 'frank',
      endsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    if (!started.ok) throw new Error('expected the delegation to start');
    const id = `delegation:${started.delegation.id}`;
    await waitFor(() => delegationNotes(elsewhere).length === 1, 'the other device hears it start');
    await waitFor(() => delegationNotes(frank).length === 1, 'frank hears it start');
    expect(delegationNotes(frank)[0]!.body).toContain('1 waiting claim moved to you.');
    expect(delegationNotes(elsewhere)[0]).toMatchObject({ id, title: 'Your approvals now go to Frank Sun' });

    expect((await here.core.endDelegation()).ok).toBe(true);
    await waitFor(() => delegationNotes(elsewhere).length === 2, 'the other device hears it end');
    await waitFor(() => delegationNotes(frank).length === 2, 'frank hears it end');
    expect(delegationNotes(elsewhere)[1]).toMatchObject({
      title: 'Your approvals are back with you',
      body: 'Frank Sun no longer approves for you. 1 claim is waiting for you.',
    });

    // Scheduled here, cancelled from another device: that cancellation is news here.
    const scheduled = await here.core.startDelegation({
      delegateId: 'frank',
      startsAt: new Date(Date.now() + HOUR).toISOString(),
      endsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    if (!scheduled.ok) throw new Error('expected the delegation to be scheduled');
    await waitFor(() => delegationNotes(frank).length === 3, 'frank hears it scheduled');
    await bob.endDelegation();
    await waitFor(() => delegationNotes(here).length === 1, 'this device hears the cancellation');
    await waitFor(() => delegationNotes(frank).length === 4, 'frank hears the cancellation');
    const en = range(scheduled.delegation, 'en');
    expect(delegationNotes(here)).toEqual([
      {
        id: `delegation:${scheduled.delegation.id}`,
        title: 'Handover of approvals cancelled',
        body: `Your handover to Frank Sun from ${en.from} until ${en.until} will not happen.`,
      },
    ]);
    expect(delegationNotes(frank)[3]).toMatchObject({
      title: 'Handover of approvals cancelled',
      body: `Bob Li cancelled the handover planned from ${en.from} until ${en.until}.`,
    });
    // The other device never scheduled anything (not news to the delegator), and saw two changes plus the cancel.
    await caughtUpWith(here, elsewhere);
    expect(delegationNotes(elsewhere)).toHaveLength(3);
    expect(here.notifier.shown.filter((n) => n.id.startsWith('delegation:'))).toHaveLength(1);
  });

  test('nothing during a pause or quiet hours, and nothing of it later; shown again once the pause is over', async () => {
    const { alice, bob, core } = await world();
    const paused = await core('frank');
    const quiet = await core('frank');
    await paused.core.updateSettings({ pausedUntil: Date.now() + HOUR });
    const d = new Date();
    const hhmm = (t: Date) =>
      `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
    await quiet.core.updateSettings({
      quietHours: {
        enabled: true,
        start: hhmm(new Date(d.getTime() - HOUR)),
        end: hhmm(new Date(d.getTime() + HOUR)),
      },
    });
    await submit(alice, 1);
    await bob.delegate({ delegateId: 'frank', endsAt: new Date(Date.now() + HOUR).toISOString() });
    await waitFor(() => paused.core.snapshot().queue.length === 1, 'the claim moved to frank (paused)');
    await waitFor(() => quiet.core.snapshot().queue.length === 1, 'the claim moved to frank (quiet)');
    await caughtUpWith(paused, quiet);

    await paused.core.updateSettings({ pausedUntil: null });
    await bob.endDelegation();
    await waitFor(() => paused.core.snapshot().queue.length === 0, 'the claim went back');
    await caughtUpWith(quiet, paused);
    // The start stayed untold; the end, after the pause, is told.
    expect(delegationNotes(paused).map((n) => n.title)).toEqual(['You no longer approve for Bob Li']);
    expect(quiet.notifier.shown).toEqual([]);
  });

  test('a catch-up shows one notification per delegation, its latest stage, and never again after a reconnect or restart', async () => {
    const { alice, bob, core } = await world();
    const frank = await core('frank');
    const delegation = await bob.delegate({
      delegateId: 'frank',
      startsAt: new Date(Date.now() + HOUR).toISOString(),
      endsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    await waitFor(() => delegationNotes(frank).length === 1, 'scheduled, live');

    frank.core.networkLost();
    // While frank is offline: it is cancelled, a new one starts with two claims and ends.
    await bob.endDelegation();
    await submit(alice, 2);
    const second = await bob.delegate({
      delegateId: 'frank',
      endsAt: new Date(Date.now() + HOUR).toISOString(),
    });
    await bob.endDelegation();
    frank.core.wake('online');
    await waitFor(() => delegationNotes(frank).length === 3, 'one per delegation after the catch-up');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delegationNotes(frank).slice(1)).toEqual([
      expect.objectContaining({
        id: `delegation:${delegation.id}`,
        title: 'Handover of approvals cancelled',
      }),
      expect.objectContaining({ id: `delegation:${second.id}`, title: 'You no longer approve for Bob Li' }),
    ]);
    // Nor were the claims that came and went while offline announced.
    expect(frank.notifier.shown).toHaveLength(3);

    frank.core.networkLost();
    frank.core.wake('online');
    await waitFor(() => frank.core.snapshot().connection.kind === 'online', 'online again');
    await frank.restart();
    await waitFor(() => frank.core.snapshot().connection.kind === 'online', 'online after restart');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(frank.notifier.shown).toHaveLength(3);
  });
});
