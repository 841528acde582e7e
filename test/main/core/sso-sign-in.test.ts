// Company sign-in end to end, through real parts: the stub and its development identity provider in
// a real process, real Chromium driving the provider's own login page, the core's loopback listener
// catching the redirect, openid-client exchanging the code, the stream opened with the access token.
// Access tokens live 4 s here, so refresh-and-resume happens several times within one test.
import * as oidc from 'openid-client';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { accountId } from '../../../main/core/account-state';
import type { SocketFactory } from '../../../main/core/signoff-stream-client';
import { ApiClient } from '../../../protocol';
import { launchHeadlessChromium } from '../../../scripts/headless-chromium';
import { ManualClock, waitFor } from '../../support/core-fakes';
import { makeCore, type TestCore } from '../../support/core-harness';
import { discoverDevIdp } from '../../support/idp-login';
import { type ChromiumSsoBrowser, chromiumSsoBrowser } from '../../support/sso-browser';
import { clientFor, sampleClaim } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

const ACCESS_TOKEN_SECONDS = 4;

describe('sign in with the company account', () => {
  const stub = useStubProcess({
    args: ['--with-idp', '--idp-port', '0', '--idp-access-token-ttl-seconds', String(ACCESS_TOKEN_SECONDS)],
  });
  let browser: Browser;
  const cores: TestCore[] = [];
  beforeAll(async () => {
    browser = await launchHeadlessChromium(chromium);
  });
  afterAll(async () => {
    for (const core of cores) await core.dispose();
    await browser?.close();
  });

  async function ssoCore(username: string): Promise<{ handle: TestCore; sso: ChromiumSsoBrowser }> {
    const sso = chromiumSsoBrowser(browser, username);
    const handle = await makeCore({ browser: sso });
    cores.push(handle);
    return { handle, sso };
  }

  const refreshTokenOf = (handle: TestCore, username: string) =>
    handle.secrets.get(`sso:${accountId(new URL(stub().url).origin, username)}`);

  it('signs in through the browser, goes online with the access token, and stays online across refreshes with nothing lost or shown twice', async () => {
    const { handle, sso } = await ssoCore('bob');
    const started = performance.now();
    await handle.core.signInWithSso(stub().url);
    await waitFor(() => handle.core.snapshot().connection.kind === 'online', 'bob online');
    const elapsed = performance.now() - started;
    const at = (mark: string) => `${((sso.marks[mark] ?? Number.NaN) - started).toFixed(0)} ms`;
    console.log(
      `[sso] "Sign in with…" to online: ${elapsed.toFixed(0)} ms (browser opened ${at('opened')}, login page ${at('loginPage')}, back at the loopback ${at('landed')})`,
    );

    await waitFor(() => sso.landed.length + sso.errors.length > 0, 'the browser back at the loopback');
    expect(sso.errors).toEqual([]);
    expect(handle.core.snapshot().user?.id).toBe('bob');
    expect(sso.returnedCount).toBe(1);
    // The loopback page says, in both languages, that the window may be closed.
    expect(sso.landed[0]).toContain('You may close this window');
    expect(sso.landed[0]).toContain('可以关闭此窗口');
    // Only the refresh token is kept, and only in the secret store.
    const refreshToken = await refreshTokenOf(handle, 'bob');
    expect(refreshToken).toBeTruthy();
    expect(await handle.secrets.get(accountId(new URL(stub().url).origin, 'bob'))).toBeNull();

    // Claims keep arriving while the access token expires and is refreshed three times over.
    const alice = await clientFor(stub().url, 'alice');
    const submitted: string[] = [];
    const until = Date.now() + ACCESS_TOKEN_SECONDS * 3 * 1000;
    while (Date.now() < until) {
      submitted.push((await alice.submitClaim(sampleClaim({ title: `Taxi ${submitted.length}` }))).id);
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    await waitFor(
      () => submitted.every((id) => handle.core.snapshot().queue.some((claim) => claim.id === id)),
      'every claim in the queue',
    );
    const refreshes = handle.log.lines.filter((line) => line.message === 'sso: access token refreshed');
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(handle.core.diagnostics().connects).toBeGreaterThanOrEqual(2);
    expect(handle.core.snapshot().connection.kind).toBe('online');
    // Each claim was announced once: resuming from the cursor replayed nothing twice.
    const shown = handle.notifier.claimIds().filter((id) => submitted.includes(id));
    expect(new Set(shown).size).toBe(shown.length);
    expect(handle.notifier.shown.filter((n) => n.id === 'session-expired')).toEqual([]);

    // An app restart signs in again from the saved refresh token, without the browser.
    await handle.restart();
    await waitFor(() => handle.core.snapshot().connection.kind === 'online', 'bob online after restart');
    expect(sso.landed).toHaveLength(1);

    // Sign-out revokes the refresh token at the provider (RFC 7009) and forgets it here.
    const saved = (await refreshTokenOf(handle, 'bob'))!;
    await handle.core.signOut();
    expect(await refreshTokenOf(handle, 'bob')).toBeNull();
    const provider = (await new ApiClient({ baseUrl: stub().url }).info()).identityProvider!;
    const config = await discoverDevIdp(provider.issuer, provider.clientId);
    await expect(oidc.refreshTokenGrant(config, saved)).rejects.toMatchObject({ error: 'invalid_grant' });
  }, 90_000);

  it('an approval (and a read) that meets an expired access token renews it and goes through once; a refused renewal ends the session once', async () => {
    // The core's clock stands still (no timed refresh) and its stream cannot connect (no 4001 to renew
    // on), so the approval is the first request to meet the expired token at the stub.
    const clock = new ManualClock(Date.now());
    const unreachableStream: SocketFactory = (_url, protocols, options) =>
      new WebSocket('ws://127.0.0.1:9/', protocols, options);
    const sso = chromiumSsoBrowser(browser, 'bob');
    const handle = await makeCore({ browser: sso, clock, createSocket: unreachableStream });
    cores.push(handle);
    await handle.core.signInWithSso(stub().url);
    const alice = await clientFor(stub().url, 'alice');
    const first = await alice.submitClaim(sampleClaim({ title: 'Approved past the token' }));
    const second = await alice.submitClaim(sampleClaim({ title: 'Approved after revocation' }));
    const refreshes = () => handle.log.lines.filter((line) => line.message === 'sso: access token refreshed');
    const expiredNotices = () => handle.notifier.shown.filter((n) => n.id === 'session-expired');

    await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_SECONDS * 1000 + 500));
    expect(refreshes()).toHaveLength(0);
    const approved = await handle.core.approve(first.id, first.version, 'after expiry');
    expect(approved).toMatchObject({ ok: true, claim: { id: first.id } });
    expect(refreshes()).toHaveLength(1);
    const audit = (await alice.getClaim(first.id)).audit.filter((entry) => entry.action === 'approved');
    expect(audit).toHaveLength(1);
    expect(handle.core.snapshot().connection.kind).not.toBe('session-expired');
    // Opening a claim meets the next expired token the same way: renewed once, and it reads.
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_SECONDS * 1000 + 500));
    expect((await handle.core.getClaim(first.id)).id).toBe(first.id);
    expect(refreshes()).toHaveLength(2);
    expect(handle.core.snapshot().connection.kind).not.toBe('session-expired');

    // Revoked behind the app's back: the next renewal is refused, and the session ends once.
    const provider = (await new ApiClient({ baseUrl: stub().url }).info()).identityProvider!;
    const config = await discoverDevIdp(provider.issuer, provider.clientId);
    await oidc.tokenRevocation(config, (await refreshTokenOf(handle, 'bob'))!);
    await new Promise((resolve) => setTimeout(resolve, ACCESS_TOKEN_SECONDS * 1000 + 500));
    const refused = await handle.core.approve(second.id, second.version);
    expect(refused).toMatchObject({ ok: false, reason: 'session-expired' });
    expect(handle.core.snapshot().connection.kind).toBe('session-expired');
    expect(expiredNotices()).toHaveLength(1);
    expect(await refreshTokenOf(handle, 'bob')).toBeNull();
    expect((await alice.getClaim(second.id)).state).toBe('pending');
  }, 60_000);

  it('a saved company sign-in refused at start-up says so once, as a refused password token does', async () => {
    const { handle } = await ssoCore('dave');
    await handle.core.signInWithSso(stub().url);
    await waitFor(() => handle.core.snapshot().connection.kind === 'online', 'dave online');
    await handle.core.stop();
    const provider = (await new ApiClient({ baseUrl: stub().url }).info()).identityProvider!;
    const config = await discoverDevIdp(provider.issuer, provider.clientId);
    await oidc.tokenRevocation(config, (await refreshTokenOf(handle, 'dave'))!);

    await handle.restart();
    expect(handle.core.snapshot().connection.kind).toBe('session-expired');
    expect(handle.notifier.shown.filter((n) => n.id === 'session-expired')).toHaveLength(1);
    expect(await refreshTokenOf(handle, 'dave')).toBeNull();
    // Signing in again clears it.
    await handle.core.signInWithSso(stub().url);
    await waitFor(() => handle.core.snapshot().connection.kind === 'online', 'dave online again');
  }, 60_000);

  it('when the refresh token is refused, shows one notification and the sign-in form', async () => {
    const { handle } = await ssoCore('carol');
    await handle.core.signInWithSso(stub().url);
    await waitFor(() => handle.core.snapshot().connection.kind === 'online', 'carol online');
    // Revoked behind the app's back (an administrator, a password change): the next refresh fails.
    const provider = (await new ApiClient({ baseUrl: stub().url }).info()).identityProvider!;
    const config = await discoverDevIdp(provider.issuer, provider.clientId);
    await oidc.tokenRevocation(config, (await refreshTokenOf(handle, 'carol'))!);

    await waitFor(
      () => handle.core.snapshot().connection.kind === 'session-expired',
      'carol signed out',
      ACCESS_TOKEN_SECONDS * 3000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(handle.notifier.shown.filter((n) => n.id === 'session-expired')).toHaveLength(1);
    expect(await refreshTokenOf(handle, 'carol')).toBeNull();
  }, 60_000);
});
