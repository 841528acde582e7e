// Transfer, add approver, return and resubmit through real cores, a real stub process and real
// WebSockets: the queue of each person follows, the gainer is notified, the submitter hears of a
// return, and the window's lists move (listsRevision) for everyone who can see the claim.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore, type TestCore, waitForQueueMatch } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';

let stub: StubProcess;
const cores: TestCore[] = [];

beforeAll(async () => {
  stub = await startStub();
});
afterAll(async () => {
  await Promise.all(cores.map((c) => c.dispose()));
  await stub?.dispose();
});

async function core(username: string): Promise<TestCore> {
  const handle = await signedInCore(stub.url, username);
  cores.push(handle);
  return handle;
}

const ids = (handle: TestCore) => handle.core.snapshot().queue.map((claim) => claim.id);

test('transfer and add approver move the claim between queues and notify whoever gains it', async () => {
  const [alice, bob, erin, frank] = await Promise.all(['alice', 'bob', 'erin', 'frank'].map(core));
  const submitted = await (await apiFor(stub.url, 'alice')).submitClaim(sampleClaim({ title: 'Fair' }));
  await waitFor(() => ids(bob!).includes(submitted.id), 'bob has it');

  expect((await bob!.core.eligibleUsers(submitted.id, 'transfer')).map((u) => u.id).sort()).toEqual([
    'erin',
    'frank',
    'heidi',
  ]);
  const aliceLists = alice!.core.snapshot().listsRevision;
  const transferred = await bob!.core.changeChain(submitted.id, 1, {
    kind: 'transfer',
    to: 'erin',
    comment: 'hers',
  });
  expect(transferred.ok && transferred.claim.currentStep?.approvers.map((a) => a.id)).toEqual(['erin']);
  // Reflected at once for the actor, then for the gainer through the stream, with a notification.
  expect(ids(bob!)).not.toContain(submitted.id);
  await waitFor(() => ids(erin!).includes(submitted.id), 'erin has it');
  await waitFor(() => erin!.notifier.claimIds().includes(submitted.id), 'erin notified');
  // The submitter's window lists move (claim.changed), so an open claim re-reads its chain.
  await waitFor(() => alice!.core.snapshot().listsRevision > aliceLists, 'alice hears of it');

  const added = await erin!.core.changeChain(submitted.id, 2, {
    kind: 'add-approver',
    user: 'frank',
    position: 'before',
  });
  expect(added.ok && added.claim.chain.map((step) => step.kind)).toEqual([
    'added',
    'supervisor',
    'manager',
    'finance',
  ]);
  expect(ids(erin!)).not.toContain(submitted.id);
  await waitFor(() => ids(frank!).includes(submitted.id), 'frank has it');
  await waitFor(() => frank!.notifier.claimIds().includes(submitted.id), 'frank notified');

  // Frank approves: it comes back to erin, who is notified again (a new step).
  const approved = await frank!.core.approve(submitted.id, 3);
  expect(approved.ok).toBe(true);
  await waitFor(() => ids(erin!).includes(submitted.id), 'back to erin');
  await waitForQueueMatch(erin!, await apiFor(stub.url, 'erin'));
  await waitForQueueMatch(bob!, await apiFor(stub.url, 'bob'));
});

test('return notifies the submitter; resubmit restarts the chain; refusals come back as values', async () => {
  const [alice, bob] = await Promise.all(['alice', 'bob'].map(core));
  const submitted = await (await apiFor(stub.url, 'alice')).submitClaim(sampleClaim({ title: 'Taxi' }));
  await waitFor(() => ids(bob!).includes(submitted.id), 'bob has it');

  const ineligible = await bob!.core.changeChain(submitted.id, 1, { kind: 'transfer', to: 'alice' });
  expect(ineligible).toMatchObject({
    ok: false,
    reason: 'invalid',
    message: expect.stringMatching(/cannot take/),
  });
  const noReason = await bob!.core.changeChain(submitted.id, 1, { kind: 'return', reason: '  ' });
  expect(noReason).toMatchObject({ ok: false, reason: 'invalid' });

  const returned = await bob!.core.changeChain(submitted.id, 1, {
    kind: 'return',
    reason: 'Add the receipt',
  });
  expect(returned.ok && returned.claim.state).toBe('returned');
  expect(ids(bob!)).not.toContain(submitted.id);
  await waitFor(
    () => alice!.notifier.shown.some((n) => n.title === 'Your claim was returned for revision'),
    'alice told returned',
  );
  expect(alice!.notifier.shown.find((n) => n.claimId === submitted.id)?.body).toBe(
    'Taxi · returned by Bob Li: Add the receipt',
  );

  // A stale action says what happened, in the user's words.
  const stale = await bob!.core.approve(submitted.id, 1);
  expect(stale).toMatchObject({
    ok: false,
    reason: 'conflict',
    message: 'Returned to the submitter by Bob Li',
  });

  const resubmitted = await alice!.core.changeChain(submitted.id, 2, {
    kind: 'resubmit',
    title: 'Taxi (with receipt)',
    items: [{ description: 'Taxi to airport', amountMinor: 8_650 }],
  });
  expect(resubmitted.ok && resubmitted.claim).toMatchObject({
    state: 'pending',
    version: 3,
    title: 'Taxi (with receipt)',
    totalMinor: 8_650,
    currentStep: { index: 0, approvers: [{ id: 'bob' }] },
  });
  await waitFor(() => ids(bob!).includes(submitted.id), 'back in bob’s queue');
  // Returned twice after a second round: the submitter is told again (the key has the version).
  await bob!.core.changeChain(submitted.id, 3, { kind: 'return', reason: 'Still no receipt' });
  await waitFor(
    () =>
      alice!.notifier.shown.filter((n) => n.title === 'Your claim was returned for revision').length === 2,
    'alice told again',
  );
});
