// Access tokens from a company identity provider (single sign-on): JWTs signed with a key from the
// issuer's JWKS (found through its discovery document), for this backend's audience, unexpired, naming
// a known user in the configured claim. Verification is jose's; nothing here parses a signature.
import { createHash } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { UserDirectory } from '../org/users';
import type { AuthenticatedSession } from '../ports';

export interface OidcTrust {
  /** The issuer identifier, exactly as the provider's tokens and discovery document state it. */
  issuer: string;
  /** The `aud` an access token must carry to be meant for this backend. */
  audience: string;
  /** The claim holding the user id (`sub`, or `preferred_username` where the provider's subject is opaque). */
  userClaim: 'sub' | 'preferred_username';
}

/** Prefix of the session ids of access-token callers, so a sign-out can tell them from password sessions. */
export const ACCESS_TOKEN_SESSION_PREFIX = 'oidc:';

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.url() });
/** Asymmetric algorithms only: an HMAC "signature" would be a shared secret, which no IdP hands out. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
const JWS_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

export class AccessTokenVerifier {
  private keys: Promise<JWTVerifyGetKey> | null = null;

  constructor(
    readonly trust: OidcTrust,
    private readonly users: UserDirectory,
    private readonly clock: Clock,
  ) {}

  /** The caller's session, or null for anything that is not a valid access token for us. */
  async verify(token: string): Promise<AuthenticatedSession | null> {
    if (!JWS_SHAPE.test(token)) return null;
    // Loaded on first use: a stub without single sign-on does not pay for it at start.
    const { errors, jwtVerify } = await import('jose');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.trust.issuer,
        audience: this.trust.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', this.trust.userClaim],
        currentDate: new Date(this.clock()),
      }));
    } catch (error) {
      // An unreachable JWKS is not the token's fault: try discovery again next time.
      if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout) this.keys = null;
      return null;
    }
    const id = payload[this.trust.userClaim];
    const user = typeof id === 'string' ? this.users.find(id.toLowerCase()) : null;
    if (!user) return null;
    const jti =
      typeof payload.jti === 'string' ? payload.jti : createHash('sha256').update(token).digest('hex');
    return {
      sessionId: `${ACCESS_TOKEN_SESSION_PREFIX}${jti}`,
      user: this.users.me(user.id),
      expiresAt: (payload.exp as number) * 1000,
    };
  }

  /** The issuer's JWKS, located once through discovery; jose caches keys and refetches on an unknown `kid`. */
  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= (async () => {
      const response = await fetch(new URL('.well-known/openid-configuration', withSlash(this.trust.issuer)));
      if (!response.ok) throw new Error(`discovery answered HTTP ${response.status}`);
      const discovery = Discovery.parse(await response.json());
      if (discovery.issuer !== this.trust.issuer) throw new Error('discovery names another issuer');
      const { createRemoteJWKSet } = await import('jose');
      return createRemoteJWKSet(new URL(discovery.jwks_uri));
    })();
    const pending = this.keys;
    pending.catch(() => {
      if (this.keys === pending) this.keys = null;
    });
    return pending;
  }
}

function withSlash(issuer: string): string {
  return issuer.endsWith('/') ? issuer : `${issuer}/`;
}
