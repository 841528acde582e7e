// The notification policy on its own, on a manual clock: what is shown, once, and what is held back.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { NotificationPolicy } from '../../../main/core/notification-policy';
import { type PolicyRig, policyRig, waiting } from '../../support/core-units';

const HOUR = 3600_000;
let rig: PolicyRig;

beforeEach(() => {
  rig = policyRig();
});

afterEach(() => {
  rig.dispose();
});

/** The claim arrives in the queue and is announced, as the sync engine does it. */
function arrive(policy: NotificationPolicy, ...claims: ReturnType<typeof waiting>[]): void {
  for (const claim of claims) {
    rig.queue.upsert(claim);
    policy.claimWaiting(claim);
  }
}

describe('one notification per claim and step', () => {
  test('the same claim at the same step is shown once, even by a fresh policy on the same state', () => {
    arrive(rig.policy, waiting('EXP-1'));
    arrive(rig.policy, waiting('EXP-1'));
    expect(rig.notifier.claimIds()).toEqual(['EXP-1']);
    expect(rig.notifier.shown[0]).toMatchObject({ id: 'claim:EXP-1', title: 'New claim from Alice Zhang' });

    // After a restart the keys come back with the account state: still nothing twice.
    const again = new NotificationPolicy({
      notifier: rig.notifier,
      clock: rig.clock,
      logger: rig.log,
      settings: () => rig.settings,
      locale: () => 'en',
      state: () => rig.state,
      queueSize: () => rig.queue.size,
      isQueued: (claimId) => rig.queue.has(claimId),
    });
    again.claimWaiting(waiting('EXP-1'));
    expect(rig.notifier.claimIds()).toEqual(['EXP-1']);

    // The same claim reaching the user again at a later step is news.
    again.claimWaiting(waiting('EXP-1', 2));
    expect(rig.notifier.claimIds()).toEqual(['EXP-1', 'EXP-1']);
  });

  test('the announcement counts as the first reminder', () => {
    arrive(rig.policy, waiting('EXP-1'));
    expect(rig.state.wasNotified('EXP-1#0')).toBe(true);
    expect(rig.state.lastReminded('EXP-1#0')).toBe(rig.clock.now());
  });
});

describe('catch-up', () => {
  test('more than three new claims in one batch → one summary that opens the queue', () => {
    rig.policy.beginBatch();
    arrive(rig.policy, waiting('EXP-1'), waiting('EXP-2'), waiting('EXP-3'), waiting('EXP-4'));
    expect(rig.notifier.shown).toEqual([]);
    rig.policy.endBatch();
    expect(rig.notifier.shown).toHaveLength(1);
    expect(rig.notifier.shown[0]).toMatchObject({ id: 'summary:waiting', opensQueue: true });
    expect(rig.notifier.shown[0]!.title).toContain('4');
    // Summarised claims are handled: they do not come back one by one.
    arrive(rig.policy, waiting('EXP-2'));
    expect(rig.notifier.shown).toHaveLength(1);
  });

  test('three in a batch are shown one by one; nested batches decide at the outermost end', () => {
    rig.policy.beginBatch();
    rig.policy.beginBatch();
    arrive(rig.policy, waiting('EXP-1'), waiting('EXP-2'));
    rig.policy.endBatch();
    arrive(rig.policy, waiting('EXP-3'));
    expect(rig.notifier.shown).toEqual([]);
    rig.policy.endBatch();
    expect(rig.notifier.claimIds()).toEqual(['EXP-1', 'EXP-2', 'EXP-3']);
  });

  test('a claim that leaves during the batch is not announced', () => {
    rig.policy.beginBatch();
    arrive(rig.policy, waiting('EXP-1'), waiting('EXP-2'));
    rig.queue.remove('EXP-1');
    rig.policy.claimLeft('EXP-1');
    rig.policy.endBatch();
    expect(rig.notifier.claimIds()).toEqual(['EXP-2']);
  });
});

describe('leaving the queue', () => {
  test('after a restart: what an earlier run left on screen is closed once its claim is gone', () => {
    // The notifier still holds three notifications of an earlier run; this run showed none of them.
    rig.notifier.remembered = () => ['claim:EXP-1', 'claim:EXP-2', 'claim:EXP-3', 'summary:waiting'];
    rig.queue.replaceAll([waiting('EXP-1'), waiting('EXP-2')]);

    // A live departure closes a remembered one, as it closes this run's.
    rig.queue.remove('EXP-1');
    rig.policy.claimLeft('EXP-1');
    expect(rig.notifier.closed).toEqual(['claim:EXP-1']);

    // The catch-up after start: EXP-3 was decided elsewhere while the app was closed (and never
    // reached this run's queue); EXP-2 still waits, so its notification stays.
    rig.notifier.remembered = () => ['claim:EXP-2', 'claim:EXP-3', 'summary:waiting'];
    rig.policy.beginBatch();
    rig.policy.endBatch();
    expect(rig.notifier.closed).toEqual(['claim:EXP-1', 'claim:EXP-3']);
  });

  test('closes the claim notification; the summary closes when the queue is empty', () => {
    arrive(rig.policy, waiting('EXP-1'));
    rig.queue.remove('EXP-1');
    rig.policy.claimLeft('EXP-1');
    expect(rig.notifier.closed).toEqual(['claim:EXP-1']);

    const claims = ['EXP-2', 'EXP-3', 'EXP-4', 'EXP-5'].map((id) => waiting(id));
    rig.policy.beginBatch();
    arrive(rig.policy, ...claims);
    rig.policy.endBatch();
    for (const claim of claims.slice(0, 3)) {
      rig.queue.remove(claim.id);
      rig.policy.claimLeft(claim.id);
    }
    expect(rig.notifier.closed).not.toContain('summary:waiting');
    rig.queue.remove('EXP-5');
    rig.policy.claimLeft('EXP-5');
    expect(rig.notifier.closed).toContain('summary:waiting');
  });
});

describe('suppression is not deferral', () => {
  test('while paused nothing is shown, and those claims are not shown when the pause ends', () => {
    rig.settings = { ...rig.settings, pausedUntil: rig.clock.now() + HOUR };
    arrive(rig.policy, waiting('EXP-1'));
    rig.policy.announcement({
      id: 'a1',
      title: 'Office closed',
      body: 'Friday',
      author: { id: 'it', name: 'IT' },
      at: new Date(rig.clock.now()).toISOString(),
    });
    expect(rig.notifier.shown).toEqual([]);

    rig.clock.advance(2 * HOUR);
    expect(rig.policy.canShowNow()).toBe(true);
    arrive(rig.policy, waiting('EXP-1'));
    arrive(rig.policy, waiting('EXP-2'));
    expect(rig.notifier.claimIds()).toEqual(['EXP-2']);
  });

  test('quiet hours hold everything back, then only new claims are shown', () => {
    const hhmm = (ms: number) => {
      const d = new Date(ms);
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    };
    const now = rig.clock.now();
    rig.settings = {
      ...rig.settings,
      quietHours: { enabled: true, start: hhmm(now - HOUR), end: hhmm(now + HOUR) },
    };
    arrive(rig.policy, waiting('EXP-1'));
    expect(rig.policy.canShowNow()).toBe(false);
    expect(rig.notifier.shown).toEqual([]);

    rig.clock.advance(2 * HOUR);
    arrive(rig.policy, waiting('EXP-1'), waiting('EXP-2'));
    expect(rig.notifier.claimIds()).toEqual(['EXP-2']);
  });

  test('the session-expired notice ignores a pause but not disabled notifications', () => {
    rig.settings = { ...rig.settings, pausedUntil: 'indefinite' };
    rig.policy.sessionExpired();
    expect(rig.notifier.shown.map((n) => n.id)).toEqual(['session-expired']);
    rig.settings = { ...rig.settings, notificationsEnabled: false };
    rig.policy.sessionExpired();
    expect(rig.notifier.shown).toHaveLength(1);
  });
});
