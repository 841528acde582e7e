// The whole approval chain through real cores, a real stub process and real WebSockets:
// alice submits → bob → carol → dave AND grace (finance, any one) → alice hears "approved".
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

test('each approver is notified exactly once, in turn, and the submitter hears the outcome', async () => {
  const [alice, bob, carol, dave, grace] = await Promise.all(
    ['alice', 'bob', 'carol', 'dave', 'grace'].map((name) => core(name)),
  );
  const aliceApi = await apiFor(stub.url, 'alice');
  const submitted = await aliceApi.submitClaim(sampleClaim({ title: 'Beijing trade fair' }));

  // Bob (supervisor) first; nobody else yet.
  await waitFor(() => bob!.notifier.shown.length === 1, 'bob notified');
  expect(bob!.notifier.shown[0]).toMatchObject({
    id: `claim:${submitted.id}`,
    claimId: submitted.id,
    title: 'New claim from Alice Zhang',
    body: 'Beijing trade fair · CN¥640.50',
  });
  expect(bob!.core.snapshot().queue.map((c) => c.id)).toEqual([submitted.id]);
  expect(carol!.notifier.shown).toHaveLength(0);

  const bobResult = await bob!.core.approve(submitted.id, bob!.core.snapshot().queue[0]!.version, 'ok');
  expect(bobResult.ok).toBe(true);
  expect(bob!.core.snapshot().queue).toHaveLength(0);

  await waitFor(() => carol!.notifier.shown.length === 1, 'carol notified');
  expect(carol!.notifier.shown[0]!.claimId).toBe(submitted.id);
  const carolClaim = carol!.core.snapshot().queue[0]!;
  expect((await carol!.core.approve(submitted.id, carolClaim.version)).ok).toBe(true);

  await waitFor(
    () => dave!.notifier.shown.length === 1 && grace!.notifier.shown.length === 1,
    'finance notified',
  );
  const graceClaim = grace!.core.snapshot().queue[0]!;
  const graceResult = await grace!.core.approve(submitted.id, graceClaim.version);
  expect(graceResult.ok && graceResult.claim.state).toBe('approved');

  // Dave's notification is closed and his queue is empty; alice is told it was approved.
  await waitFor(() => dave!.notifier.closed.includes(`claim:${submitted.id}`), 'dave notification closed');
  await waitFor(() => dave!.core.snapshot().queue.length === 0, 'dave queue empty');
  await waitFor(
    () => alice!.notifier.shown.some((n) => n.title === 'Your claim was approved'),
    'alice told approved',
  );
  const aliceNotes = alice!.notifier.shown;
  expect(aliceNotes).toHaveLength(1);
  expect(aliceNotes[0]!.body).toContain('Grace Chen');

  // Exactly once each, and every queue equals the server's.
  for (const handle of [bob!, carol!, dave!, grace!]) {
    expect(handle.notifier.claimIds()).toEqual([submitted.id]);
  }
  await waitForQueueMatch(dave!, await apiFor(stub.url, 'dave'));
  await waitForQueueMatch(bob!, await apiFor(stub.url, 'bob'));
});

test('a second approver acting on a decided claim gets a conflict that says who decided it', async () => {
  const dave = cores.find((c) => c.core.snapshot().user?.id === 'dave')!;
  const grace = cores.find((c) => c.core.snapshot().user?.id === 'grace')!;
  const aliceApi = await apiFor(stub.url, 'alice');
  const bobApi = await apiFor(stub.url, 'bob');
  const carolApi = await apiFor(stub.url, 'carol');
  const claim = await aliceApi.submitClaim(sampleClaim({ title: 'Conflict test' }));
  const afterBob = await bobApi.approve(claim.id, { version: claim.version });
  await carolApi.approve(claim.id, { version: afterBob.version });
  await waitFor(() => dave.core.snapshot().queue.some((c) => c.id === claim.id), 'dave has it');
  const daveVersion = dave.core.snapshot().queue.find((c) => c.id === claim.id)!.version;
  await waitFor(() => grace.core.snapshot().queue.some((c) => c.id === claim.id), 'grace has it');
  expect((await grace.core.approve(claim.id, daveVersion)).ok).toBe(true);

  const late = await dave.core.approve(claim.id, daveVersion);
  expect(late).toMatchObject({ ok: false, reason: 'conflict', message: 'Already approved by Grace Chen' });

  const noReason = await dave.core.reject(claim.id, daveVersion, '   ');
  expect(noReason).toMatchObject({ ok: false, reason: 'invalid' });
});

test('announcements reach every signed-in core once', async () => {
  const admin = await apiFor(stub.url, 'admin');
  const announcement = await admin.announce({ title: 'Office closed Friday', body: 'Claims still flow.' });
  for (const handle of cores) {
    await waitFor(
      () => handle.notifier.shown.some((n) => n.id === `announcement:${announcement.id}`),
      'announcement shown',
    );
  }
  const bob = cores.find((c) => c.core.snapshot().user?.id === 'bob')!;
  expect(bob.notifier.shown.filter((n) => n.id.startsWith('announcement:'))).toEqual([
    { id: `announcement:${announcement.id}`, title: 'Office closed Friday', body: 'Claims still flow.' },
  ]);
});

// ---- transfer, add approver, return and resubmit (issue 14 items 5 and 6) ----

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
