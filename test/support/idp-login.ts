// Signs a demo user in at the development identity provider (server-stub/idp) over plain HTTP: follows
// the authorization redirects with a cookie jar and submits the provider's login form, like a browser
// without the browser. For tests that need tokens (or a "browser" port) but are not about the browser
// step; the end-to-end SSO test drives real Chromium instead.
import * as oidc from 'openid-client';
import { DEMO_PASSWORD } from './stub-fixtures';

/** Follows the authorization URL through the login form; resolves with the redirect back to the app. */
export async function loginThroughIdp(
  authorizationUrl: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<URL> {
  const redirectUri = new URL(authorizationUrl).searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error('no redirect_uri in the authorization URL');
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      ...(body ? { body } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next.href;
      continue;
    }
    const page = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (!action || response.status === 401)
      throw new Error(`the identity provider answered ${response.status}`);
    url = new URL(action.replaceAll('&#47;', '/'), url).href;
    body = new URLSearchParams({ username, password });
  }
  throw new Error('too many redirects');
}

/** Discovery of the (http, loopback) development provider as a public client. */
export function discoverDevIdp(issuer: string, clientId: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** A whole authorization code + PKCE flow for `username`: the provider's tokens. */
export async function idpTokensFor(
  issuer: string,
  clientId: string,
  scopes: readonly string[],
  username: string,
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const config = await discoverDevIdp(issuer, clientId);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorization = oidc.buildAuthorizationUrl(config, {
    redirect_uri: 'http://127.0.0.1:9/callback',
    scope: scopes.join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const callback = await loginThroughIdp(authorization.href, username);
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}
