// A local OpenID Provider for demos and tests (oidc-provider): the company identity provider a real
// deployment would have (Entra ID, Okta, Keycloak…), with the stub's own users and passwords. It
// registers Signoff as a public native client (PKCE required, loopback redirect on any port, RFC 8252
// §7.3) and issues JWT access tokens for the backend's audience (RFC 9068) with refresh tokens.
//
// Development only: keys are made at start, everything lives in memory, and the login page is plain.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import type { Configuration, InteractionDetails } from 'oidc-provider';

/** Who may sign in: the stub's user directory and password check. */
export interface IdpAccounts {
  /** The user id when the password is right, else null. */
  authenticate(username: string, password: string): Promise<string | null>;
  /** Display name of a known user, null for an unknown id. */
  displayName(id: string): string | null;
}

export interface DevIdpOptions {
  accounts: IdpAccounts;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  clientId?: string;
  /** The backend's audience: the `aud` of every access token. */
  audience?: string;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
}

export const DEV_IDP_DEFAULTS = {
  host: '127.0.0.1',
  port: 8788,
  clientId: 'signoff-desktop',
  audience: 'urn:signoff:api',
  accessTokenTtlSeconds: 300,
  refreshTokenTtlSeconds: 8 * 3600,
};

/** The scope that names the backend; asking for it is what puts the backend's audience on a token. */
export const DEV_IDP_API_SCOPE = 'signoff';
/** What a client should ask for (advertised by the stub in `/info`). */
export const DEV_IDP_SCOPES = ['openid', 'profile', 'offline_access', DEV_IDP_API_SCOPE];

export interface DevIdp {
  /** The issuer identifier, `http://host:port`. */
  issuer: string;
  clientId: string;
  audience: string;
  close(): Promise<void>;
}

const MAX_FORM_BYTES = 4096;

export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  const host = options.host ?? DEV_IDP_DEFAULTS.host;
  const clientId = options.clientId ?? DEV_IDP_DEFAULTS.clientId;
  const audience = options.audience ?? DEV_IDP_DEFAULTS.audience;
  const accessTtl = options.accessTokenTtlSeconds ?? DEV_IDP_DEFAULTS.accessTokenTtlSeconds;
  const refreshTtl = options.refreshTokenTtlSeconds ?? DEV_IDP_DEFAULTS.refreshTokenTtlSeconds;

  // The issuer includes the port, which is only known once listening: listen first, then build.
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.writeHead(503).end();
  };
  const server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEV_IDP_DEFAULTS.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;

  const { exportJWK, generateKeyPair } = await import('jose');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };
  const { accounts } = options;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // Any port on the loopback interface is accepted for a native client (RFC 8252 §7.3).
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'profile', 'offline_access', DEV_IDP_API_SCOPE],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    async findAccount(_ctx, id) {
      const name = accounts.displayName(id);
      if (name === null) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, name, preferred_username: id }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: DEV_IDP_API_SCOPE,
          audience,
          accessTokenTTL: accessTtl,
          accessTokenFormat: 'jwt',
        }),
      },
    },
    // Refresh tokens for the native client whether or not the browser session lives on.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTtl,
      IdToken: 3600,
      RefreshToken: refreshTtl,
      Grant: refreshTtl,
      Session: refreshTtl,
      Interaction: 600,
      AuthorizationCode: 60,
    },
  };

  const { default: ProviderClass } = (await import('oidc-provider')) as { default: typeof Provider };
  const provider = new ProviderClass(issuer, configuration);
  const oidcCallback = provider.callback();
  handler = (request, response) => {
    if ((request.url ?? '').startsWith('/interaction/')) {
      interaction(provider, accounts, request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`sign-in failed: ${String(error)}`);
      });
      return;
    }
    oidcCallback(request, response);
  };

  return {
    issuer,
    clientId,
    audience,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The provider's login page: GET shows it, POST checks the password and lets the flow continue. */
async function interaction(
  provider: Provider,
  accounts: IdpAccounts,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  if (details.prompt.name === 'consent') {
    // Signoff is the company's own app: no consent screen, everything it asks for is granted.
    await provider.interactionFinished(
      request,
      response,
      { consent: { grantId: await grantAll(provider, details) } },
      {
        mergeWithLastSubmission: true,
      },
    );
    return;
  }
  if (request.method === 'POST') {
    const form = new URLSearchParams(await readBody(request));
    const username = (form.get('username') ?? '').trim().toLowerCase();
    const accountId = await accounts.authenticate(username, form.get('password') ?? '');
    if (accountId !== null) {
      await provider.interactionFinished(request, response, { login: { accountId } });
      return;
    }
    sendLoginPage(response, details.uid, username, true);
    return;
  }
  sendLoginPage(response, details.uid, '', false);
}

async function grantAll(provider: Provider, details: InteractionDetails): Promise<string> {
  const { prompt, params, session, grantId } = details;
  const grant =
    (grantId ? await provider.Grant.find(grantId) : undefined) ??
    new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return grant.save();
}

function sendLoginPage(response: ServerResponse, uid: string, username: string, failed: boolean): void {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Company sign-in (development)</title>
<meta name="viewport" content="width=device-width">
<style>body{font:16px system-ui;margin:3rem auto;max-width:22rem}label,input,button{display:block;width:100%;margin:.4rem 0}p.error{color:#b00}</style>
</head><body>
<h1>Company sign-in</h1>
<p>Development identity provider for Signoff. Use a demo account.</p>
${failed ? '<p class="error" role="alert">Wrong user name or password.</p>' : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label>User name <input name="username" autocomplete="username" value="${escapeHtml(username)}" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></body></html>`;
  response.writeHead(failed ? 401 : 200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  response.end(page);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_FORM_BYTES) request.destroy(new Error('form too large'));
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
