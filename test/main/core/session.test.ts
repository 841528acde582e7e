// Sign-in, token storage, restore on restart, sign-out and session expiry, against the real stub
// (and small fake servers for the failures a healthy stub never produces).
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NotSignedInError, SignInError } from '../../../main/core/ports';
import { ApiClient, ApiError } from '../../../protocol';
import { undoAfterAll } from '../../support/cleanups';
import { makeTempDir, selfSignedCert, waitFor } from '../../support/core-fakes';
import { apiFor, makeCore, PASSWORD, signedInCore, type TestCore } from '../../support/core-harness';
import { sendJson, startFakeServer, welcome } from '../../support/fake-server';
import { sampleClaim } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';

let stub: StubProcess;
beforeAll(async () => {
  stub = await startStub();
});
afterAll(async () => {
  await stub?.dispose();
});
// Registered after the stub's hook, so it runs before it: the cores are disposed while the stub is up.
const defer = undoAfterAll();

const core = async (): Promise<TestCore> => defer.dispose(await makeCore());

async function signInError(
  handle: TestCore,
  url: string,
  user = 'bob',
  password = PASSWORD,
): Promise<SignInError> {
  const error = await handle.core.signIn(url, user, password).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInError);
  return error as SignInError;
}

/** A plain HTTP(S) server answering every request with `handler`; closed after the file. */
async function fakeServer(
  handler: http.RequestListener,
  tls?: { key: string; cert: string },
): Promise<string> {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const INFO = {
  service: 'fake',
  protocolVersion: 1,
  serverTime: new Date().toISOString(),
  heartbeatSeconds: 30,
};
function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

describe('sign-in failures are reported precisely', () => {
  test('wrong password, bad and insecure addresses', async () => {
    const handle = await core();
    expect((await signInError(handle, stub.url, 'bob', 'wrong')).kind).toBe('invalid-credentials');
    expect((await signInError(handle, 'ftp://example.com')).kind).toBe('invalid-url');
    expect((await signInError(handle, 'https://user:pw@example.com')).kind).toBe('invalid-url');
    const insecure = await signInError(handle, 'http://signoff.example.com');
    expect(insecure.kind).toBe('insecure-url');
    expect(handle.core.snapshot().connection.kind).toBe('signed-out');
  });

  test('nothing listening → unreachable', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await signInError(await core(), `http://127.0.0.1:${port}`);
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain('ECONNREFUSED');
  });

  test('another protocol version → incompatible-protocol, before any password is sent', async () => {
    let passwordsSent = 0;
    const url = await fakeServer((req, res) => {
      if (req.url === '/api/v1/info') return json(res, 200, { ...INFO, protocolVersion: 99 });
      passwordsSent += 1;
      json(res, 500, { code: 'internal', message: 'unexpected' });
    });
    expect((await signInError(await core(), url)).kind).toBe('incompatible-protocol');
    expect(passwordsSent).toBe(0);
  });

  test('429 → throttled, with the wait in the message', async () => {
    const url = await fakeServer((req, res) => {
      if (req.url === '/api/v1/info') return json(res, 200, INFO);
      json(res, 429, { code: 'too_many_attempts', message: 'slow down', retryAfterSeconds: 42 });
    });
    const error = await signInError(await core(), url);
    expect(error.kind).toBe('throttled');
    expect(error.message).toContain('42');
  });

  test('an untrusted certificate → tls with the certificate error; trusted via extraCaFile → proceeds', async () => {
    const dir = makeTempDir('signoff-tls-');
    defer(() => dir.remove());
    const tls = selfSignedCert(dir.path);
    const url = await fakeServer(
      (req, res) => {
        if (req.url === '/api/v1/info') return json(res, 200, INFO);
        json(res, 401, { code: 'invalid_credentials', message: 'no' });
      },
      { key: tls.key, cert: tls.cert },
    );
    const handle = await core();
    const error = await signInError(handle, url);
    expect(error.kind).toBe('tls');
    expect(error.message).toMatch(/SELF_SIGNED|self.signed/i);

    await handle.core.updateSettings({ extraCaFile: tls.certFile });
    // The TLS handshake now succeeds; the fake server then refuses the password.
    expect((await signInError(handle, url)).kind).toBe('invalid-credentials');
  });
});

describe('the session', () => {
  test('token goes to the secret store only; restart restores it and catches up exactly once', async () => {
    const handle = await core();
    await handle.core.signIn(` ${stub.url}/ `, 'Carol', PASSWORD);
    await waitFor(() => handle.core.snapshot().connection.kind === 'online', 'online');
    const account = `${new URL(stub.url).origin}|carol`;
    const token = await handle.secrets.get(account);
    expect(token).toBeTruthy();
    expect(handle.core.snapshot().user?.name).toBe('Carol Wang');

    // The token is nowhere on disk or in the log.
    const files = readdirSync(handle.dir.path, { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(readFileSync(path.join(file.parentPath, file.name), 'utf8')).not.toContain(token!);
    }
    expect(handle.log.text()).not.toContain(token!);

    // Carol's queue gets one claim while the app runs, one more while it is closed.
    const alice = await apiFor(stub.url, 'alice');
    const bob = await apiFor(stub.url, 'bob');
    const first = await alice.submitClaim(sampleClaim({ title: 'Before restart' }));
    await bob.approve(first.id, { version: first.version });
    await waitFor(() => handle.notifier.claimIds().includes(first.id), 'first notified');
    await handle.core.stop();
    const second = await alice.submitClaim(sampleClaim({ title: 'While closed' }));
    await bob.approve(second.id, { version: second.version });

    await handle.restart();
    expect(handle.core.snapshot().user?.id).toBe('carol');
    await waitFor(() => handle.notifier.claimIds().includes(second.id), 'second notified after restart');
    expect(handle.notifier.claimIds()).toEqual([first.id, second.id]);
    expect(handle.core.diagnostics().snapshotsTaken).toBe(0); // resumed from the saved cursor
    expect(handle.core.snapshot().queue.map((c) => c.id)).toEqual([first.id, second.id]);

    // Sign out: secret gone, server session revoked, queue cleared.
    await handle.core.signOut();
    expect(handle.secrets.has(account)).toBe(false);
    expect(handle.core.snapshot()).toMatchObject({ connection: { kind: 'signed-out' }, queue: [] });
    const revoked = await new ApiClient({ baseUrl: stub.url, token }).me().catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(ApiError);
    expect((revoked as ApiError).status).toBe(401);
    await handle.restart();
    expect(handle.core.snapshot().connection.kind).toBe('signed-out');
  });
});

describe('session expiry', () => {
  let shortStub: StubProcess;
  beforeAll(async () => {
    shortStub = await startStub({ args: ['--token-ttl-seconds', '2', '--heartbeat-seconds', '1'] });
  });
  afterAll(async () => {
    await shortStub?.dispose();
  });

  test('expired token → session-expired, one notification, no reconnects; signing in again resumes', async () => {
    const handle = defer.dispose(await signedInCore(shortStub.url, 'bob'));
    const alice = await apiFor(shortStub.url, 'alice');
    const first = await alice.submitClaim(sampleClaim({ title: 'Before expiry' }));
    await waitFor(() => handle.notifier.claimIds().includes(first.id), 'first notified');

    await waitFor(() => handle.core.snapshot().connection.kind === 'session-expired', 'expired', 6_000);
    const expiredNotes = () => handle.notifier.shown.filter((n) => n.id === 'session-expired');
    expect(expiredNotes()).toHaveLength(1);
    const connects = handle.core.diagnostics().connects;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(handle.core.diagnostics().connects).toBe(connects);
    expect(handle.core.snapshot().connection.kind).toBe('session-expired');
    expect(expiredNotes()).toHaveLength(1);
    expect(await handle.core.approve(first.id, first.version)).toMatchObject({
      ok: false,
      reason: 'session-expired',
    });

    const aliceAgain = await apiFor(shortStub.url, 'alice');
    const second = await aliceAgain.submitClaim(sampleClaim({ title: 'While expired' }));
    await handle.core.signIn(shortStub.url, 'bob', PASSWORD);
    await waitFor(() => handle.notifier.claimIds().includes(second.id), 'second notified after sign-in');
    expect(handle.notifier.claimIds()).toEqual([first.id, second.id]);
    expect(handle.core.diagnostics().snapshotsTaken).toBe(0);
  });

  // The real stub closes the stream as it refuses a revoked or expired token, so the stream would end
  // the session first; a fake server refuses only the read, leaving the stream up, to prove the read does.
  test.each([
    ['opening a claim', (handle: TestCore) => handle.core.getClaim('EXP-000001')],
    ['a page of Done', (handle: TestCore) => handle.core.listClaims('decided')],
    ['a page of My claims', (handle: TestCore) => handle.core.listClaims('mine')],
  ])('a 401 on %s ends the session as an action’s 401 does', async (_what, read) => {
    const server = await startFakeServer();
    defer(() => server.close());
    server.onHello = (socket) => socket.send(welcome(0));
    server.route = (req, res) => {
      if (!req.url?.startsWith('/api/v1/claims')) return false;
      sendJson(res, 401, { code: 'unauthorized', message: 'token revoked' });
      return true;
    };
    const handle = await core();
    await handle.core.signIn(server.url, 'bob', PASSWORD);
    await waitFor(() => handle.core.snapshot().connection.kind === 'online', 'online');
    expect(handle.secrets.size).toBe(1);

    const refused = await read(handle).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    await waitFor(() => handle.core.snapshot().connection.kind === 'session-expired', 'expired');
    expect(handle.notifier.shown.filter((n) => n.id === 'session-expired')).toHaveLength(1);
    await waitFor(() => handle.secrets.size === 0, 'the dead token forgotten');
    // Like after an action's 401: no more reconnecting, and the next read says why at once.
    const upgrades = server.upgrades;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.upgrades).toBe(upgrades);
    await expect(handle.core.getClaim('EXP-000001')).rejects.toBeInstanceOf(NotSignedInError);
  });
});
