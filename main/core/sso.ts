// Single sign-on with the company identity provider (OAuth 2.0 for native apps, RFC 8252): discovery,
// the authorization code flow with PKCE (S256), state and nonce in the system browser, the loopback
// redirect, the token exchange, refresh and revocation, all with openid-client (which checks the
// issuer, state, nonce, ID token and PKCE). The browser step is a port: the core only hands it a URL.
import * as oidc from 'openid-client';
import type { FetchLike, IdentityProvider } from '../../protocol';
import { listenForRedirect } from './loopback-redirect';
import { isLoopbackHost } from './server-url';

/** How long the browser step may take (typing a password, a second factor) before sign-in gives up. */
export const SSO_BROWSER_TIMEOUT_MS = 5 * 60_000;

export interface SsoBrowser {
  /** Opens the URL in the user's default browser, never in a window of ours. */
  open(url: string): Promise<void>;
  /** The browser came back to the loopback listener: bring Signoff's window forward. */
  returned?(): void;
}

/** What a token response gave us; the refresh token only ever goes to the secret store. */
export interface SsoTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms, or null when the provider did not say. */
  expiresAt: number | null;
}

export class SsoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SsoError';
  }
}

/** The provider's metadata (discovery), for a public client; plain http only on loopback (tests, demo). */
export async function discoverProvider(
  provider: IdentityProvider,
  fetch: FetchLike,
): Promise<oidc.Configuration> {
  const issuer = new URL(provider.issuer);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !isLoopbackHost(issuer.hostname)) {
    throw new SsoError(`the identity provider ${issuer.host} is not served over https`);
  }
  const config = await oidc.discovery(issuer, provider.clientId, undefined, oidc.None(), {
    ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    [oidc.customFetch]: fetchFor(fetch),
  });
  config[oidc.customFetch] = fetchFor(fetch);
  return config;
}

/** openid-client sends form bodies as URLSearchParams; our transport takes strings. */
function fetchFor(fetch: FetchLike): oidc.CustomFetch {
  return (url, options) =>
    fetch(url, {
      ...options,
      body: options.body instanceof URLSearchParams ? options.body.toString() : options.body,
    } as RequestInit);
}

/**
 * The browser step and the code exchange. Rejects with SsoError when the user does not finish in time,
 * the provider answers with an error, or anything fails validation (state, nonce, issuer, PKCE).
 */
export async function authorize(
  config: oidc.Configuration,
  provider: IdentityProvider,
  browser: SsoBrowser,
  options: { timeoutMs?: number; now: () => number },
): Promise<SsoTokens> {
  const redirect = await listenForRedirect();
  let timer: NodeJS.Timeout | undefined;
  try {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const scopes = new Set(['openid', ...provider.scopes]);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirect.redirectUri,
      scope: [...scopes].join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    // The endpoint comes from the provider's metadata: only a web page may be handed to the OS to open.
    if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
      throw new SsoError(`the identity provider's sign-in page is not a secure web address`);
    }
    await browser.open(url.href);
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new SsoError('the company sign-in was not finished in time')),
        options.timeoutMs ?? SSO_BROWSER_TIMEOUT_MS,
      );
    });
    const callback = await Promise.race([redirect.callback, timeout]);
    browser.returned?.();
    try {
      const response = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      redirect.answer(true);
      return tokensOf(response, options.now);
    } catch (error) {
      throw new SsoError(`the identity provider's answer was refused: ${describe(error)}`, { cause: error });
    }
  } finally {
    clearTimeout(timer);
    redirect.close();
  }
}

/** A new access token (and, with rotation, a new refresh token) for the refresh token. */
export async function refresh(config: oidc.Configuration, refreshToken: string, now: () => number) {
  const response = await oidc.refreshTokenGrant(config, refreshToken);
  const tokens = tokensOf(response, now);
  return { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken };
}

/** RFC 7009 revocation of the refresh token, where the provider offers it; never throws. */
export async function revoke(config: oidc.Configuration, refreshToken: string): Promise<boolean> {
  if (!config.serverMetadata().revocation_endpoint) return false;
  try {
    await oidc.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' });
    return true;
  } catch {
    return false;
  }
}

function tokensOf(response: oidc.TokenEndpointResponse, now: () => number): SsoTokens {
  const lifetime = response.expires_in;
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? null,
    expiresAt: typeof lifetime === 'number' ? now() + lifetime * 1000 : null,
  };
}

/** openid-client's errors name the check that failed (and the provider's `error`), never a token. */
export function describe(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return `${error.error}${error.error_description ? ` (${error.error_description})` : ''}`;
  }
  if (!(error instanceof Error)) return String(error);
  // openid-client says "invalid response encountered"; the check that failed is in its cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
