// Single sign-on in the reference backend: the development identity provider issues access tokens
// for the demo users, and the stub accepts them, and only them, on REST, the v1 stream and STOMP.
import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, CloseCode } from '../../../protocol';
import { idpTokensFor } from '../../support/idp-login';
import { StompTestClient } from '../../support/stomp-test-client';
import { StreamTestClient } from '../../support/stream-test-client';
import { stubsPerTest, useInProcessStub } from '../../support/use-stub';

describe('access tokens from the identity provider', () => {
  const stub = useInProcessStub({ devIdp: { port: 0, accessTokenTtlSeconds: 60 } });

  async function tokenFor(username: string): Promise<string> {
    const provider = (await new ApiClient({ baseUrl: stub().url }).info()).identityProvider!;
    const tokens = await idpTokensFor(provider.issuer, provider.clientId, provider.scopes, username);
    return tokens.access_token;
  }

  it('advertises the provider in /info', async () => {
    const info = await new ApiClient({ baseUrl: stub().url }).info();
    expect(info.identityProvider).toEqual({
      name: 'Signoff Demo SSO',
      issuer: stub().devIdp!.issuer,
      clientId: 'signoff-desktop',
      scopes: ['openid', 'profile', 'offline_access', 'signoff'],
    });
  });

  it('accepts an access token on REST, the v1 stream and STOMP, as the user it names', async () => {
    const token = await tokenFor('bob');
    expect(token.split('.')).toHaveLength(3);
    // First use in a STOMP CONNECT frame alone (the Spring convention): verified before CONNECTED.
    const stomp = await StompTestClient.connect(stub().url, token);
    expect(stomp.frames.find((frame) => frame.command === 'CONNECTED')?.headers['user-name']).toBe('bob');
    await stomp.close();

    const api = new ApiClient({ baseUrl: stub().url, token });
    expect((await api.me()).user.id).toBe('bob');

    const fresh = await tokenFor('bob');
    const wsUrl = `${stub().url.replace(/^http/, 'ws')}/api/v1/stream`;
    const stream = await StreamTestClient.connect(wsUrl, fresh);
    await stream.close();
  });

  it('refuses a token whose signature was tampered with, or that names no known user', async () => {
    const token = await tokenFor('carol');
    const [header, payload, signature = ''] = token.split('.');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const forged = [header, payload, flipped].join('.');
    await expect(new ApiClient({ baseUrl: stub().url, token: forged }).me()).rejects.toMatchObject({
      status: 401,
    });
    // A payload swapped for another user's keeps a valid-looking shape but not a valid signature.
    const other = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'alice' }),
    ).toString('base64url');
    await expect(
      new ApiClient({ baseUrl: stub().url, token: [header, other, signature].join('.') }).me(),
    ).rejects.toBeInstanceOf(ApiError);
  });

  it('signing out with an access token ends its streams with 4001 and refuses it afterwards', async () => {
    const token = await tokenFor('dave');
    const wsUrl = `${stub().url.replace(/^http/, 'ws')}/api/v1/stream`;
    const stream = await StreamTestClient.connect(wsUrl, token);
    const api = new ApiClient({ baseUrl: stub().url, token });
    await api.signOut();
    expect((await stream.closed).code).toBe(CloseCode.sessionEnded);
    await expect(new ApiClient({ baseUrl: stub().url, token }).me()).rejects.toMatchObject({ status: 401 });
  });
});

describe('the token rules', () => {
  const stubs = stubsPerTest();

  it('refuses an expired token, and one for another audience', async () => {
    let now = Date.now();
    const stub = await stubs.inProcess({ devIdp: { port: 0, accessTokenTtlSeconds: 60 }, clock: () => now });
    const provider = (await new ApiClient({ baseUrl: stub.url }).info()).identityProvider!;
    const { access_token: token } = await idpTokensFor(
      provider.issuer,
      provider.clientId,
      provider.scopes,
      'bob',
    );
    // The provider stamps `exp` from the real clock when it issues the token, which may be seconds
    // after the stub started under load: expire it from there, not from the stub's start.
    now = Date.now();
    const me = () => new ApiClient({ baseUrl: stub.url, token }).me();
    expect((await me()).user.id).toBe('bob');
    now += 61_000;
    await expect(me()).rejects.toMatchObject({ status: 401 });

    // A backend that trusts the same provider for another audience refuses the token outright.
    const other = await stubs.inProcess({
      oidc: { ...provider, audience: 'urn:another:api', userClaim: 'sub' },
    });
    await expect(new ApiClient({ baseUrl: other.url, token }).me()).rejects.toMatchObject({ status: 401 });
    // …and one that trusts it under another issuer name too (iss must match exactly).
    const renamed = await stubs.inProcess({
      oidc: {
        ...provider,
        issuer: provider.issuer.replace('127.0.0.1', 'localhost'),
        audience: 'urn:signoff:api',
        userClaim: 'sub',
      },
    });
    await expect(new ApiClient({ baseUrl: renamed.url, token }).me()).rejects.toMatchObject({ status: 401 });
  });
});
