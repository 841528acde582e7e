// Signing in with the company account: the server's advertised identity provider, the browser step
// (sso.ts), then the backend's `GET /me` with the new access token, which proves the backend accepts
// it and names the account. Every failure becomes a SignInError the window can word.
import type { Configuration } from 'openid-client';
import { ApiClient, type FetchLike, type IdentityProvider, type Me, type ServerInfo } from '../../protocol';
import { type Clock, type Logger, SignInError } from './ports';
import type { ServerAddress } from './server-url';
import { askServer, toSignInError } from './sign-in';
import { authorize, discoverProvider, type SsoBrowser, SsoError, type SsoTokens } from './sso';
import { SsoCredentials } from './sso-credentials';

export interface SsoSignedIn {
  username: string;
  user: Me;
  info: ServerInfo;
  config: Configuration;
  tokens: SsoTokens;
}

/** The provider the server at `address` advertises; SignInError when it offers none. */
export async function advertisedProvider(
  address: ServerAddress,
  fetch: FetchLike,
): Promise<{ info: ServerInfo; provider: IdentityProvider }> {
  const info = await askServer(address, fetch);
  if (!info.identityProvider) {
    throw new SignInError('sso-failed', `${new URL(address.baseUrl).host} does not offer company sign-in.`);
  }
  return { info, provider: info.identityProvider };
}

export async function signInWithProvider(
  address: ServerAddress,
  fetch: FetchLike,
  browser: SsoBrowser,
  clock: Clock,
): Promise<SsoSignedIn> {
  const { info, provider } = await advertisedProvider(address, fetch);
  let config: Configuration;
  let tokens: SsoTokens;
  try {
    config = await discoverProvider(provider, fetch);
    tokens = await authorize(config, provider, browser, { now: () => clock.now() });
  } catch (error) {
    if (error instanceof SsoError)
      throw new SignInError('sso-failed', `Company sign-in failed: ${error.message}`);
    throw new SignInError('sso-failed', `Company sign-in failed: ${String(error)}`);
  }
  let user: Me;
  try {
    user = (await new ApiClient({ baseUrl: address.baseUrl, token: tokens.accessToken, fetch }).me()).user;
  } catch (error) {
    throw toSignInError(error, address);
  }
  return { username: user.id, user, info, config, tokens };
}

/** Tokens for a session: from a sign-in just done, or from a saved refresh token (configured lazily). */
export function ssoCredentials(
  address: ServerAddress,
  tokens: SsoTokens,
  deps: {
    config?: Configuration;
    fetch: () => FetchLike;
    clock: Clock;
    logger: Logger;
    saveRefreshToken(token: string): Promise<void>;
  },
): SsoCredentials {
  const { config } = deps;
  return new SsoCredentials(tokens, {
    configure: config
      ? async () => config
      : async () =>
          discoverProvider((await advertisedProvider(address, deps.fetch())).provider, deps.fetch()),
    clock: deps.clock,
    logger: deps.logger,
    saveRefreshToken: deps.saveRefreshToken,
  });
}
