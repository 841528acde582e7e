// Nudges (催办) through real cores and a real stub process (nudges allowed at once): the approver's
// reminder comes once per nudge — not again on a replay, a re-sign-in or a restart — and waits out a
// pause or quiet hours like every reminder; the submitter's nudge from the core, and its refusals.
import { describe, expect, test } from 'vitest';
import { quietHoursEnd } from '../../../main/core/quiet-hours';
import type { ApiClient } from '../../../protocol';
import { undoAfterEach } from '../../support/cleanups';
import { ManualClock, waitFor } from '../../support/core-fakes';
import { apiFor, PASSWORD, signedInCore, type TestCore } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';

const HOUR = 3600_000;
const NUDGE_TITLE = 'Alice Zhang is asking about their claim';
const defer = undoAfterEach();

async function setup(clock?: ManualClock) {
  const stub: StubProcess = defer.dispose(await startStub({ args: ['--nudge-after-seconds', '0'] }));
  const alice = await apiFor(stub.url, 'alice');
  const bob = defer.dispose(await signedInCore(stub.url, 'bob', clock ? { clock } : {}));
  return { stub, alice, bob };
}

function hhmm(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const nudges = (bob: TestCore) => bob.notifier.shown.filter((n) => n.title === NUDGE_TITLE);

/** Alice submits and nudges; resolves once bob's queue carries the nudge. Returns the nudge's instant. */
async function submitAndNudge(alice: ApiClient, bob: TestCore, title: string) {
  const claim = await alice.submitClaim(sampleClaim({ title }));
  await waitFor(() => bob.core.snapshot().queue.some((c) => c.id === claim.id), 'claim queued');
  const nudged = await alice.nudge(claim.id);
  await waitFor(
    () => bob.core.snapshot().queue.find((c) => c.id === claim.id)?.lastNudgedAt === nudged.lastNudgedAt,
    'nudge reached the queue',
  );
  return { id: claim.id, at: Date.parse(nudged.lastNudgedAt!) };
}

describe('the approver is reminded once per nudge', { timeout: 90_000 }, () => {
  test('shown once, and not again after a replay, a re-sign-in or a restart', async () => {
    const clock = new ManualClock(Date.now());
    const { stub, alice, bob } = await setup(clock);
    const { id, at } = await submitAndNudge(alice, bob, 'Taxi to the airport');
    await waitFor(() => bob.core.diagnostics().nextReminderAt === Math.max(at, clock.now()), 'armed');
    clock.set(at + 1);
    expect(nudges(bob)).toHaveLength(1);
    expect(nudges(bob)[0]).toMatchObject({ id: `claim:${id}`, claimId: id });
    expect(nudges(bob)[0]!.body).toContain('Taxi to the airport');
    // The nudge counts as the day's reminder: the next one is a day later.
    await waitFor(() => (bob.core.diagnostics().nextReminderAt ?? 0) >= at + 24 * HOUR, 'daily reminder');

    // Sign out and in: the cursor is forgotten, the snapshot brings the nudged claim again.
    await bob.core.signOut();
    await bob.core.signIn(stub.url, 'bob', PASSWORD);
    await waitFor(() => bob.core.snapshot().queue.length === 1, 'queue again');
    clock.advance(60_000);
    // A restart resumes from the saved state and queue.
    await bob.restart();
    await waitFor(() => bob.core.snapshot().connection.kind === 'online', 'online after restart');
    await waitFor(() => bob.core.diagnostics().nextReminderAt !== null, 'rearmed');
    clock.advance(60_000);
    expect(nudges(bob)).toHaveLength(1);
  });

  test('held while paused, then shown once when the pause ends', async () => {
    const clock = new ManualClock(Date.now());
    const { alice, bob } = await setup(clock);
    const until = clock.now() + HOUR;
    await bob.core.updateSettings({ pausedUntil: until });
    await submitAndNudge(alice, bob, 'Paused nudge');
    await waitFor(() => bob.core.diagnostics().nextReminderAt === until, 'armed for the end of the pause');
    clock.set(until - 1);
    expect(nudges(bob)).toHaveLength(0);
    clock.set(until + 1);
    expect(nudges(bob)).toHaveLength(1);
    clock.advance(HOUR);
    expect(nudges(bob)).toHaveLength(1);
  });

  test('held in quiet hours, then shown once when they end; even with daily reminders off', async () => {
    // Quiet from an hour ago to an hour from now (local time; the stub stamps the nudge with real time).
    const clock = new ManualClock(Date.now());
    const { alice, bob } = await setup(clock);
    const quietHours = { enabled: true, start: hhmm(clock.now() - HOUR), end: hhmm(clock.now() + HOUR) };
    await bob.core.updateSettings({ quietHours, reminders: { enabled: false } });
    const { at } = await submitAndNudge(alice, bob, 'Quiet nudge');
    const end = quietHoursEnd(quietHours, Math.max(at, clock.now()));
    expect(end).toBeGreaterThan(at);
    await waitFor(() => bob.core.diagnostics().nextReminderAt === end, 'armed for the end of quiet hours');
    clock.set(end - 60_000);
    expect(nudges(bob)).toHaveLength(0);
    clock.set(end + 1);
    expect(nudges(bob)).toHaveLength(1);
    expect(bob.core.diagnostics().nextReminderAt).toBeNull();
  });
});

describe('the submitter nudges from the core', { timeout: 90_000 }, () => {
  test('nudges once; the second press is too soon and says from when', async () => {
    const { stub } = await setup();
    const aliceCore = defer.dispose(await signedInCore(stub.url, 'alice'));
    const alice = await apiFor(stub.url, 'alice');
    const claim = await alice.submitClaim(sampleClaim());
    const revision = aliceCore.core.snapshot().listsRevision;
    const first = await aliceCore.core.nudge(claim.id);
    expect(first).toMatchObject({ ok: true, claim: { id: claim.id, version: 1 } });
    expect(aliceCore.core.snapshot().listsRevision).toBeGreaterThan(revision);
    const second = await aliceCore.core.nudge(claim.id);
    expect(second).toMatchObject({ ok: false, reason: 'too-soon' });
    if (second.ok || second.reason !== 'too-soon') throw new Error('expected too-soon');
    expect(Date.parse(second.nextAllowedAt) - Date.now()).toBeGreaterThan(23 * HOUR);
    expect(second.message).toMatch(/^Too soon to nudge; you can nudge again from /);
    expect(await aliceCore.core.nudge('EXP-999999')).toMatchObject({ ok: false, reason: 'not-found' });
  });
});
