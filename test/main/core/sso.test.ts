// The authorization code flow's defences, against the development identity provider in-process and
// the core's real loopback listener; the browser step is done over plain HTTP (test/support/idp-login).
// A forged state, a wrong issuer, a code without its PKCE verifier and a replayed code are refused.
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { authorize, discoverProvider, SsoError } from '../../../main/core/sso';
import { ApiClient, type IdentityProvider } from '../../../protocol';
import { loginThroughIdp } from '../../support/idp-login';
import { useInProcessStub } from '../../support/use-stub';

const now = () => Date.now();

describe('the authorization code flow', () => {
  const stub = useInProcessStub({ devIdp: { port: 0 } });
  const advertised = async (): Promise<IdentityProvider> =>
    (await new ApiClient({ baseUrl: stub().url }).info()).identityProvider!;

  /** A browser that signs bob in, then lets the test change the redirect before it reaches the app. */
  function browser(tamper: (callback: URL) => URL = (callback) => callback) {
    const seen: { callback?: URL; answer?: Promise<Response> } = {};
    return {
      seen,
      async open(url: string) {
        seen.answer = loginThroughIdp(url, 'bob').then((callback) => {
          seen.callback = new URL(callback);
          return fetch(tamper(callback));
        });
      },
    };
  }

  it('signs in: PKCE S256, state and nonce on the request; tokens back; the loopback answers once', async () => {
    const provider = await advertised();
    const config = await discoverProvider(provider, fetch);
    const port = browser();
    const tokens = await authorize(config, provider, port, { now });
    expect(tokens.accessToken.split('.')).toHaveLength(3);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());
    expect((await port.seen.answer)?.status).toBe(200);
    // The listener is gone: a second visit of the redirect finds nothing.
    await expect(fetch(port.seen.callback!)).rejects.toThrow();
  });

  it('refuses a redirect whose state is not the one it sent', async () => {
    const provider = await advertised();
    const config = await discoverProvider(provider, fetch);
    const port = browser((callback) => {
      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged-by-someone-else');
      return forged;
    });
    const refused = await authorize(config, provider, port, { now }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SsoError);
    expect(String(refused)).toMatch(/state/);
    expect((await port.seen.answer)?.status).toBe(400);
  });

  it('refuses a provider whose discovery document names another issuer', async () => {
    const provider = await advertised();
    // The same provider reached under another name: its metadata says 127.0.0.1, not localhost.
    const elsewhere = { ...provider, issuer: provider.issuer.replace('127.0.0.1', 'localhost') };
    await expect(discoverProvider(elsewhere, fetch)).rejects.toThrow(/issuer/);
    await expect(
      discoverProvider({ ...provider, issuer: 'http://203.0.113.9/' }, fetch),
    ).rejects.toBeInstanceOf(SsoError);
  });

  it('the provider refuses a code without its PKCE verifier, and a code used twice', async () => {
    const provider = await advertised();
    const config = await discoverProvider(provider, fetch);
    const verifier = oidc.randomPKCECodeVerifier();
    const request = (state: string) =>
      oidc.calculatePKCECodeChallenge(verifier).then((challenge) =>
        oidc.buildAuthorizationUrl(config, {
          redirect_uri: 'http://127.0.0.1:9/callback',
          scope: provider.scopes.join(' '),
          code_challenge: challenge,
          code_challenge_method: 'S256',
          state,
        }),
      );
    // Without the verifier (an intercepted redirect in someone else's hands): refused.
    const intercepted = await loginThroughIdp((await request('s1')).href, 'bob');
    await expect(
      oidc.authorizationCodeGrant(config, intercepted, { expectedState: 's1' }),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // With it, once; the same code again: refused.
    const callback = await loginThroughIdp((await request('s2')).href, 'bob');
    const first = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: 's2',
    });
    expect(first.access_token).toBeTruthy();
    await expect(
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 's2' }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
