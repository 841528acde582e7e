// What a broken or hostile server cannot do to the core: crash it, make it notify, or make an
// action happen twice.
import { expect, test } from 'vitest';
import { undoAfterEach } from '../../support/cleanups';
import { makeTempDir, selfSignedCert, waitFor } from '../../support/core-fakes';
import { makeCore, PASSWORD, type TestCore } from '../../support/core-harness';
import {
  assignedFrame,
  claimSummary,
  type FakeServer,
  type FakeServerOptions,
  sendJson,
  startFakeServer,
  welcome,
} from '../../support/fake-server';

const defer = undoAfterEach();

async function setup(options: FakeServerOptions = {}): Promise<{ server: FakeServer; bob: TestCore }> {
  const server = await startFakeServer(options);
  defer(() => server.close());
  const bob = defer.dispose(await makeCore());
  return { server, bob };
}

test('garbage, wrong types, bad money and oversized frames are dropped and counted, never notified', async () => {
  const { server, bob } = await setup();
  const good = claimSummary('EXP-GOOD');
  server.onHello = (socket, count) => {
    if (count > 1) {
      socket.send(welcome(1));
      return;
    }
    socket.send(welcome(0));
    socket.send('this is not JSON {');
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    socket.send(JSON.stringify({ type: 'surprise', payload: 1 }));
    socket.send(JSON.stringify(['an', 'array']));
    socket.send(assignedFrame(1, claimSummary('EXP-FLOAT', { totalMinor: 12.5 })));
    socket.send(assignedFrame(1, claimSummary('EXP-RMB', { currency: 'RMB' })));
    socket.send(assignedFrame(1, claimSummary('EXP-NEG', { totalMinor: -100 })));
    socket.send(assignedFrame(1, { ...claimSummary('EXP-NOID'), id: undefined }));
    socket.send(assignedFrame(1, good));
    // Past MAX_FRAME_BYTES: ws closes the socket (1009) and the core reconnects.
    socket.send(JSON.stringify({ type: 'pong', id: 'x'.repeat(70 * 1024) }));
  };
  await bob.core.signIn(server.url, 'bob', PASSWORD);

  await waitFor(() => server.hellos.length === 2, 'reconnected after the oversized frame');
  await waitFor(() => bob.core.snapshot().connection.kind === 'online', 'online again');
  const dropped = bob.core.diagnostics().droppedFrames;
  expect(dropped).toEqual({ notJson: 1, binary: 1, invalid: 6, oversized: 1 });
  expect(bob.notifier.shown.map((n) => n.claimId)).toEqual(['EXP-GOOD']);
  expect(bob.core.snapshot().queue.map((c) => c.id)).toEqual(['EXP-GOOD']);
  // The second hello resumes after the one good event.
  expect(server.hellos[1]).toMatchObject({ type: 'hello', resume: { seq: 1 } });
});

test('a lost response is retried with the same Idempotency-Key; a dead server means offline, not lost', async () => {
  const { server, bob } = await setup();
  server.onHello = (socket) => {
    socket.send(welcome(1));
  };
  let approvals = 0;
  let serverUp = true;
  server.route = (req, res) => {
    if (!/\/(approve|reject)$/.test(req.url ?? '')) return false;
    approvals += 1;
    if (!serverUp || approvals === 1) {
      // The server acted (or died) but the answer never arrives.
      req.socket.destroy();
      return true;
    }
    const claim = { ...claimSummary('EXP-1', { version: 2, currentStep: null, state: 'approved' }) };
    sendJson(res, 200, {
      ...claim,
      items: [{ description: 'Lunch', amountMinor: 12_345 }],
      chain: [],
      audit: [],
    });
    return true;
  };
  await bob.core.signIn(server.url, 'bob', PASSWORD);
  await waitFor(() => bob.core.snapshot().connection.kind === 'online', 'online');

  const result = await bob.core.approve('EXP-1', 1);
  expect(result.ok).toBe(true);
  const keys = server.requests.filter((r) => r.path === '/claims/EXP-1/approve').map((r) => r.idempotencyKey);
  expect(keys).toHaveLength(2);
  expect(keys[0]).toBeTruthy();
  expect(keys[1]).toBe(keys[0]);

  serverUp = false;
  expect(await bob.core.reject('EXP-2', 1, 'duplicate')).toMatchObject({ ok: false, reason: 'offline' });
  bob.core.networkLost();
  const before = approvals;
  expect(await bob.core.approve('EXP-3', 1)).toMatchObject({ ok: false, reason: 'offline' });
  expect(approvals).toBe(before);
});

test('close code 4002 (unsupported protocol) → error state, no retry', async () => {
  const { server, bob } = await setup();
  server.onHello = (socket) => {
    socket.send(JSON.stringify({ type: 'error', code: 'unsupported_protocol', message: 'speak v2' }));
    socket.close(4002, 'unsupported protocol');
  };
  await bob.core.signIn(server.url, 'bob', PASSWORD);
  await waitFor(() => bob.core.snapshot().connection.kind === 'error', 'error state');
  const upgrades = server.upgrades;
  bob.core.wake('resume');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(server.upgrades).toBe(upgrades);
  expect(bob.core.snapshot().connection).toMatchObject({
    kind: 'error',
    reason: expect.stringContaining('incompatible'),
  });
});

test('an upgrade refused with 401 → session-expired once, no reconnect loop', async () => {
  const { server, bob } = await setup({ rejectUpgradeWith: 401 });
  await bob.core.signIn(server.url, 'bob', PASSWORD);
  await waitFor(() => bob.core.snapshot().connection.kind === 'session-expired', 'expired');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(server.upgrades).toBe(1);
  expect(bob.notifier.shown.map((n) => n.id)).toEqual(['session-expired']);
  expect(bob.secrets.size).toBe(0);
});

test('wss trusts the extra CA file exactly like REST does', async () => {
  const dir = makeTempDir('signoff-wss-');
  defer(() => dir.remove());
  const tls = selfSignedCert(dir.path);
  const { server, bob } = await setup({
    tls: { key: tls.key, cert: tls.cert },
  });
  server.onHello = (socket) => {
    socket.send(welcome(0));
    socket.send(assignedFrame(1, claimSummary('EXP-TLS')));
  };
  await bob.core.updateSettings({ extraCaFile: tls.certFile });
  await bob.core.signIn(server.url, 'bob', PASSWORD);
  await waitFor(() => bob.notifier.claimIds().includes('EXP-TLS'), 'event over wss');
  expect(bob.core.snapshot().connection.kind).toBe('online');
});
