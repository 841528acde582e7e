// REST, the signoff.v1 stream and STOMP through a real proxy (Debian's tinyproxy, on loopback), with
// the direct route blocked: the core is given the server as `signoff-backend.test`, a name only the
// proxy can resolve (it runs with its own /etc/hosts), so anything that skips the proxy fails with
// ENOTFOUND. Real cores, a real stub process, real sockets; the proxy's own log says what crossed it.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import WebSocket from 'ws';
import { loadKeytar } from '../../../main/adapters/secret-store-selection';
import { KeytarSecretStore } from '../../../main/adapters/secret-stores';
import type { CoreDeps } from '../../../main/core/core-deps';
import { createHttpTransport } from '../../../main/core/http-transport';
import type { SettingsPatch } from '../../../main/core/ports';
import { SignInError } from '../../../main/core/ports';
import { PROXY_CREDENTIALS_ACCOUNT } from '../../../main/core/proxy-credentials';
import { DIRECT, type ProxyResolver } from '../../../main/core/proxy-route';
import { SETTINGS_FILE } from '../../../main/core/settings';
import type { SocketFactory } from '../../../main/core/signoff-stream-client';
import { API_PREFIX, STOMP_PATH, STOMP_SUBPROTOCOLS, STREAM_SUBPROTOCOL } from '../../../protocol';
import { waitFor } from '../../support/core-fakes';
import { apiFor, makeCore, PASSWORD, type TestCore } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';
import { startTinyproxy, type Tinyproxy } from '../../support/tinyproxy';
import { UpgradeBlockingProxy } from '../../support/upgrade-blocking-proxy';

const BACKEND_HOST = 'signoff-backend.test';
const PROXY_USER = 'approver';
const PROXY_PASSWORD = 'Pr0xy-s3cret-never-logged';

let stub: StubProcess;
let open: Tinyproxy;
let guarded: Tinyproxy;
const cores: TestCore[] = [];

beforeAll(async () => {
  stub = await startStub();
  const hosts = { [BACKEND_HOST]: '127.0.0.1' };
  [open, guarded] = await Promise.all([
    startTinyproxy({ hosts }),
    startTinyproxy({ hosts, basicAuth: { user: PROXY_USER, password: PROXY_PASSWORD } }),
  ]);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});
afterAll(async () => {
  await Promise.all([open?.dispose(), guarded?.dispose(), stub?.dispose()]);
});

function backendUrl(): string {
  return `http://${BACKEND_HOST}:${stub.port}`;
}

/** The stream sockets a core opened (`url` and subprotocol): real `ws` sockets, only recorded. */
const opened: Array<{ url: string; protocol: string }> = [];
const recordingSocket: SocketFactory = (url, protocols, options) => {
  opened.push({ url, protocol: protocols.join(',') });
  return new WebSocket(url, protocols, options);
};

/** A core whose settings allow the plain-http test server by name and route as `patch` says. */
async function coreWith(patch: SettingsPatch, deps: Partial<CoreDeps> = {}): Promise<TestCore> {
  const handle = await makeCore({ createSocket: recordingSocket, ...deps });
  cores.push(handle);
  await handle.core.updateSettings({ allowInsecureServer: true, ...patch });
  return handle;
}

async function signInOnline(handle: TestCore, url: string, username: string): Promise<number> {
  const started = performance.now();
  await handle.core.signIn(url, username, PASSWORD);
  await waitFor(() => handle.core.snapshot().connection.kind === 'online', `${username} online`);
  return performance.now() - started;
}

async function signInError(handle: TestCore, url: string): Promise<SignInError> {
  const error = await handle.core.signIn(url, 'bob', PASSWORD).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SignInError);
  return error as SignInError;
}

/** Alice submits (straight to the stub: she is not under test); bob's core must hear it live. */
async function claimReaches(bob: TestCore, title: string): Promise<string> {
  const alice = await apiFor(stub.url, 'alice');
  const claim = await alice.submitClaim(sampleClaim({ title }));
  await waitFor(() => bob.notifier.claimIds().includes(claim.id), `${title} notified`);
  return claim.id;
}

test('the direct route is blocked: without the proxy the server name does not even resolve', async () => {
  const direct = await coreWith({ proxy: { mode: 'none' } });
  const error = await signInError(direct, backendUrl());
  expect(error.kind).toBe('unreachable');
  expect(error.message).toContain('ENOTFOUND');
});

describe('through the proxy', () => {
  test('sign-in, REST and the signoff.v1 stream; the proxy carried every connection', async () => {
    const before = open.connects().length;
    const bob = await coreWith({ proxy: { mode: 'manual', url: open.url }, transport: 'signoff' });
    const throughProxyMs = await signInOnline(bob, backendUrl(), 'bob');

    const claimId = await claimReaches(bob, 'Proxy trip');
    const claim = bob.core.snapshot().queue.find((item) => item.id === claimId);
    // REST (an approval) through the proxy too.
    const result = await bob.core.approve(claimId, claim?.version ?? 0, 'via proxy');
    expect(result.ok).toBe(true);

    expect(opened.at(-1)).toEqual({
      url: `ws://${BACKEND_HOST}:${stub.port}${API_PREFIX}/stream`,
      protocol: STREAM_SUBPROTOCOL,
    });
    const crossed = open.connects().slice(before);
    expect(crossed.length).toBeGreaterThanOrEqual(2); // REST + the stream upgrade, at least
    expect(new Set(crossed)).toEqual(new Set([`${BACKEND_HOST}:${stub.port}`]));

    // The same sign-in straight to 127.0.0.1, for the note: what the proxy hop costs.
    const direct = await coreWith({ proxy: { mode: 'none' }, transport: 'signoff' });
    const directMs = await signInOnline(direct, stub.url, 'carol');
    console.info(
      `proxy: sign-in → online ${throughProxyMs.toFixed(0)} ms through tinyproxy, ${directMs.toFixed(0)} ms direct`,
    );
  });

  test('STOMP over WebSocket through the proxy', async () => {
    const before = open.connects().length;
    const bob = await coreWith({ proxy: { mode: 'manual', url: open.url }, transport: 'stomp' });
    await signInOnline(bob, backendUrl(), 'bob');
    await claimReaches(bob, 'Proxy STOMP trip');
    expect(opened.at(-1)).toEqual({
      url: `ws://${BACKEND_HOST}:${stub.port}${STOMP_PATH}`,
      protocol: STOMP_SUBPROTOCOLS.join(','),
    });
    expect(open.connects().slice(before)).toContain(`${BACKEND_HOST}:${stub.port}`);
  });

  test('system mode honours HTTP_PROXY, and NO_PROXY exempts the host', async () => {
    vi.stubEnv('HTTP_PROXY', open.url);
    vi.stubEnv('NO_PROXY', '');
    const bob = await coreWith({ proxy: { mode: 'system' } });
    await signInOnline(bob, backendUrl(), 'bob');
    await claimReaches(bob, 'Env proxy trip');

    vi.stubEnv('NO_PROXY', BACKEND_HOST);
    const exempt = await coreWith({ proxy: { mode: 'system' } });
    expect((await signInError(exempt, backendUrl())).message).toContain('ENOTFOUND');
  });
});

test('upgrades refused behind the proxy: auto falls back to long-poll, which goes through the proxy too', async () => {
  // tinyproxy tunnels (CONNECT) and cannot refuse an upgrade inside a tunnel, so the refusing hop is
  // the long-poll work's reverse proxy behind it, as an inspecting gateway would be.
  const gateway = new UpgradeBlockingProxy(stub.port, { kind: 'refuse', status: 403 });
  const gatewayPort = Number(new URL(await gateway.listen()).port);
  try {
    const before = open.connects().length;
    const bob = await coreWith(
      { proxy: { mode: 'manual', url: open.url } },
      { retryWebSocketMs: 10 * 60_000 },
    );
    await bob.core.signIn(`http://${BACKEND_HOST}:${gatewayPort}`, 'bob', PASSWORD);
    await waitFor(() => {
      const connection = bob.core.snapshot().connection;
      return connection.kind === 'online' && connection.via === 'long-poll';
    }, 'online by long-poll');
    expect(gateway.upgrades).toBeGreaterThanOrEqual(1);
    expect(gateway.upgradesAllowed).toBe(0);
    await claimReaches(bob, 'Long-poll through the proxy');
    expect(new Set(open.connects().slice(before))).toEqual(new Set([`${BACKEND_HOST}:${gatewayPort}`]));
  } finally {
    await Promise.all(cores.splice(0).map((core) => core.dispose()));
    await gateway.close();
  }
});

test('what the hop costs: a fresh connection + GET /info, through tinyproxy vs direct (printed)', async () => {
  const sample = async (route: ProxyResolver, base: string) => {
    const transport = createHttpTransport({ route });
    const times: number[] = [];
    try {
      for (let i = 0; i < 40; i += 1) {
        transport.resetPool(); // a new TCP connection (and CONNECT) every time
        const started = performance.now();
        const response = await transport.fetch(`${base}${API_PREFIX}/info`);
        await response.text();
        expect(response.status).toBe(200);
        times.push(performance.now() - started);
      }
    } finally {
      transport.close();
    }
    times.sort((a, b) => a - b);
    return `p50 ${times[20]?.toFixed(2)} ms, p90 ${times[36]?.toFixed(2)} ms`;
  };
  const proxied = await sample(async () => ({ kind: 'proxy', url: open.url }), backendUrl());
  const authenticated = await sample(async () => ({ kind: 'proxy', url: guarded.url }), backendUrl());
  const direct = await sample(async () => DIRECT, stub.url);
  console.info(
    `proxy: connect + GET /info — via tinyproxy ${proxied}; with basic auth ${authenticated}; direct ${direct}`,
  );
});

describe('proxy authentication', () => {
  // The real keychain (gnome-keyring under scripts/with-keyring.sh), a service name of its own per run.
  test.skipIf(!process.env.DBUS_SESSION_BUS_ADDRESS)(
    'credentials live in the keychain, never in settings.json or the snapshot; REST, the stream and a restart get through',
    async () => {
      const keychain = new KeytarSecretStore(await loadKeytar(), `Signoff-test-${randomUUID()}`);
      const before = guarded.connects().length;
      // Typed into the URL the old way: the core moves them to the keychain.
      const bob = await coreWith({ proxy: { mode: 'manual', url: guarded.url } }, { secrets: keychain });
      await signInOnline(bob, backendUrl(), 'bob');
      await claimReaches(bob, 'Authenticated proxy trip');
      expect(guarded.connects().length - before).toBeGreaterThanOrEqual(2);

      const proxyAddress = `http://127.0.0.1:${guarded.port}/`;
      const settingsFile = () => readFileSync(path.join(bob.dir.path, SETTINGS_FILE), 'utf8');
      expect(JSON.parse(settingsFile()).proxy).toEqual({ mode: 'manual', url: proxyAddress });
      expect(bob.core.snapshot()).toMatchObject({
        proxyUser: PROXY_USER,
        settings: { proxy: { url: proxyAddress } },
      });
      expect(JSON.parse(String(await keychain.get(PROXY_CREDENTIALS_ACCOUNT)))).toEqual({
        username: PROXY_USER,
        password: PROXY_PASSWORD,
      });

      // A restart reads them back from the keychain (the session's token comes from there too).
      await bob.restart();
      await waitFor(() => bob.core.snapshot().connection.kind === 'online', 'bob online after the restart');
      await claimReaches(bob, 'Authenticated proxy trip after a restart');

      // Forgotten: the keychain entry goes and the proxy refuses the next connection.
      await bob.core.setProxyCredentials(null);
      expect(await keychain.get(PROXY_CREDENTIALS_ACCOUNT)).toBeNull();
      expect((await signInError(bob, backendUrl())).kind).toBe('proxy-auth');
      // Set again through the write-only path the window uses.
      await bob.core.setProxyCredentials({ username: PROXY_USER, password: PROXY_PASSWORD });
      await signInOnline(bob, backendUrl(), 'bob');

      for (const text of [settingsFile(), JSON.stringify(bob.core.snapshot()), bob.log.text()]) {
        expect(text).not.toContain(PROXY_PASSWORD);
      }
      await bob.core.signOut();
      await bob.core.setProxyCredentials(null);
    },
  );

  test('a wrong password is a clear proxy-auth failure that never shows the password', async () => {
    const url = new URL(guarded.url);
    url.password = 'wrong-password';
    const bob = await coreWith({ proxy: { mode: 'manual', url: url.href } });
    const error = await signInError(bob, backendUrl());
    expect(error.kind).toBe('proxy-auth');
    // tinyproxy answers a CONNECT with bad credentials 401 (squid: 407); both read as "credentials".
    expect(error.message).toMatch(
      `Cannot reach ${BACKEND_HOST}:${stub.port}: the proxy http://127.0.0.1:${guarded.port} refused the credentials (HTTP 40`,
    );
    expect(error.message).not.toContain('wrong-password');
    expect(bob.log.text()).not.toContain('wrong-password');

    const none = await coreWith({ proxy: { mode: 'manual', url: `http://127.0.0.1:${guarded.port}` } });
    expect((await signInError(none, backendUrl())).kind).toBe('proxy-auth');
  });
});
