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
