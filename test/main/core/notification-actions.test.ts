// What a notification's buttons do, decided by the core against a real stub: labels only while the
// setting is on, a claim decided elsewhere meanwhile answered with a clear notice, a version that
// moved on refused by the server (never approved unseen), and Reject… without a reason opening the
// claim. The D-Bus side (dunst, KDE's inline reply) is in test/main/adapters/freedesktop-notifications.
import { afterEach, describe, expect, test } from 'vitest';
import { decide } from '../../../main/core/actions';
import { NotificationActions } from '../../../main/core/notification-actions';
import { actionLabelsFor } from '../../../main/core/notification-policy';
import type { NotificationRequest } from '../../../main/core/ports';
import { captureLogger, waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore, type TestCore } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import type { StubProcess } from '../../support/stub-process';
import { stubsPerTest } from '../../support/use-stub';

const stubs = stubsPerTest();
const cores: TestCore[] = [];
// Registered after the stubs' hook, so it runs first: cores stop before their stub does.
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
});

async function coreFor(stub: StubProcess, user: string, opened: unknown[] = []): Promise<TestCore> {
  const handle = await signedInCore(stub.url, user, {
    openClaim: (claimId, intent) => opened.push(intent ? { claimId, intent } : { claimId }),
  });
  cores.push(handle);
  return handle;
}

const outcomes = (handle: TestCore) => handle.notifier.shown.filter((n) => n.id.startsWith('action:'));

describe('notification actions through the core', () => {
  test('claim notifications carry the buttons; the setting turns them off', async () => {
    const stub = await stubs.process();
    const alice = await apiFor(stub.url, 'alice');
    const opened: unknown[] = [];
    const bob = await coreFor(stub, 'bob', opened);
    const first = await alice.submitClaim(sampleClaim({ title: 'Taxi' }));
    await waitFor(() => bob.notifier.claimIds().includes(first.id), 'the first notification');
    expect(bob.notifier.shown.at(-1)?.actions).toEqual(actionLabelsFor('en'));
    expect(actionLabelsFor('en')).toEqual({
      approve: 'Approve',
      reject: 'Reject…',
      open: 'Open',
      replyPlaceholder: 'Reason to reject',
    });

    await bob.core.updateSettings({ notificationActions: false, locale: 'zh-CN' });
    const second = await alice.submitClaim(sampleClaim({ title: 'Hotel' }));
    await waitFor(() => bob.notifier.claimIds().includes(second.id), 'the second notification');
    expect(bob.notifier.shown.at(-1)?.actions).toBeUndefined();
    // A button on a notification shown before the switch now only opens the claim.
    bob.notifier.press({ id: `claim:${first.id}`, action: 'approve' });
    expect(opened).toEqual([{ claimId: first.id }]);
    expect((await alice.getClaim(first.id)).state).toBe('pending');
  });

  test('a claim decided elsewhere meanwhile: a clear notice, nothing sent', async () => {
    const stub = await stubs.process();
    const alice = await apiFor(stub.url, 'alice');
    const bobElsewhere = await apiFor(stub.url, 'bob');
    const bob = await coreFor(stub, 'bob');
    const claim = await alice.submitClaim(sampleClaim());
    await waitFor(() => bob.notifier.claimIds().includes(claim.id), 'the notification');

    await bobElsewhere.approve(claim.id, { version: claim.version });
    await waitFor(() => bob.notifier.closed.includes(`claim:${claim.id}`), 'the notification closed');
    bob.notifier.press({ id: `claim:${claim.id}`, action: 'approve' });
    await waitFor(() => outcomes(bob).length === 1, 'the notice');
    expect(outcomes(bob)[0]).toMatchObject({
      title: `Nothing done on ${claim.id}`,
      body: 'This claim is no longer waiting on you.',
    });
    expect((await alice.getClaim(claim.id)).audit.filter((e) => e.action === 'approved')).toHaveLength(1);
  });

  test('the version the notification showed is quoted: a claim that moved on is refused, and says by whom', async () => {
    const stub = await stubs.process();
    const alice = await apiFor(stub.url, 'alice');
    const bobElsewhere = await apiFor(stub.url, 'bob');
    const bobHere = await apiFor(stub.url, 'bob');
    const claim = await alice.submitClaim(sampleClaim());
    // The race the core's queue cannot see yet: decided on another device after the notification showed.
    await bobElsewhere.approve(claim.id, { version: claim.version });
    const shown: NotificationRequest[] = [];
    const actions = new NotificationActions({
      policy: { shownVersion: () => claim.version, show: (request) => shown.push(request) },
      approve: (id, version) => decide(bobHere, id, version, { kind: 'approve' }, 'en'),
      reject: (id, version, reason) => decide(bobHere, id, version, { kind: 'reject', reason }, 'en'),
      openClaim: () => {},
      locale: () => 'en',
      actionsEnabled: () => true,
      logger: captureLogger(),
    });
    await actions.handle({ id: `claim:${claim.id}`, action: 'approve' });
    expect(shown).toEqual([
      {
        id: `action:${claim.id}`,
        title: `Nothing done on ${claim.id}`,
        body: expect.stringMatching(/^Already approved by Bob Li/),
        claimId: claim.id,
      },
    ]);
    expect((await alice.getClaim(claim.id)).audit.filter((e) => e.action === 'approved')).toHaveLength(1);
  });

  test('Reject… with a reason rejects with it; an empty reason opens the claim in reject mode', async () => {
    const stub = await stubs.process();
    const alice = await apiFor(stub.url, 'alice');
    const opened: unknown[] = [];
    const bob = await coreFor(stub, 'bob', opened);
    const claim = await alice.submitClaim(sampleClaim());
    await waitFor(() => bob.notifier.claimIds().includes(claim.id), 'the notification');

    bob.notifier.press({ id: `claim:${claim.id}`, action: 'reject', reply: '   ' });
    expect(opened).toEqual([{ claimId: claim.id, intent: 'reject' }]);
    bob.notifier.press({ id: `claim:${claim.id}`, action: 'reject', reply: 'Duplicate of last week' });
    await waitFor(() => outcomes(bob).length === 1, 'the outcome');
    expect(outcomes(bob)[0]?.title).toBe(`Rejected ${claim.id}`);
    const after = await alice.getClaim(claim.id);
    expect(after.audit.at(-1)).toMatchObject({ action: 'rejected', comment: 'Duplicate of last week' });
  });
});
