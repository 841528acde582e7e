// Who a bearer token belongs to, whichever kind it is: a password session of our own (SessionStore) or
// an access token from the company identity provider (AccessTokenVerifier). The WebSocket endpoints
// decide synchronously, so an access token is verified (asynchronously) once by `authenticate` at the
// REST hook or the upgrade, and then remembered until it expires or its caller signs out.
import type { AuthenticatedSession, SessionAuthority } from '../ports';
import { ACCESS_TOKEN_SESSION_PREFIX, type AccessTokenVerifier } from './access-tokens';
import type { SessionStore } from './sessions';

/** Verified access tokens remembered at most; past this the oldest are verified again when next used. */
const MAX_REMEMBERED = 10_000;
/**
 * How long a sign-out of an access token another node announced is kept when this node never saw the
 * token (so does not know its expiry): longer than any access token lives.
 */
const REMOTE_REVOCATION_MS = 24 * 60 * 60 * 1000;

export class BearerAuthority implements SessionAuthority {
  private readonly verified = new Map<string, AuthenticatedSession>();
  /** Signed-out access-token sessions, until their token would have expired anyway. */
  private readonly revoked = new Map<string, number>();
  private readonly listeners = new Set<(sessionId: string) => void>();

  constructor(
    private readonly sessions: SessionStore,
    private readonly accessTokens: AccessTokenVerifier | null,
    private readonly now: () => number,
  ) {}

  /** REST and upgrades: a password session, else an access token (verified now if not seen before). */
  async authenticate(token: string): Promise<AuthenticatedSession | null> {
    const known = this.verify(token);
    if (known || !this.accessTokens) return known;
    const session = await this.accessTokens.verify(token);
    if (!session || this.revoked.has(session.sessionId)) return null;
    if (this.verified.size >= MAX_REMEMBERED) this.forgetExpired();
    if (this.verified.size >= MAX_REMEMBERED)
      this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, session);
    return session;
  }

  verify(token: string): AuthenticatedSession | null {
    const session = this.verified.get(token);
    if (!session) return this.sessions.verify(token);
    if (session.expiresAt > this.now() && !this.revoked.has(session.sessionId)) return session;
    this.verified.delete(token);
    return null;
  }

  revoke(session: AuthenticatedSession): void {
    if (!session.sessionId.startsWith(ACCESS_TOKEN_SESSION_PREFIX)) {
      this.sessions.revoke(session.sessionId);
      return;
    }
    this.forgetExpired();
    this.revoked.set(session.sessionId, session.expiresAt);
    this.tellRevoked(session.sessionId);
  }

  private tellRevoked(sessionId: string): void {
    for (const listener of this.listeners) {
      try {
        listener(sessionId);
      } catch {
        // As in SessionStore: a failing listener must not undo or block the sign-out.
      }
    }
  }

  /** Another cluster node signed the session out (cluster/broker-relay.ts): the same here, minus the store. */
  revokedElsewhere(sessionId: string): void {
    if (!sessionId.startsWith(ACCESS_TOKEN_SESSION_PREFIX)) {
      this.sessions.revokedElsewhere(sessionId);
      return;
    }
    let expiresAt = this.now() + REMOTE_REVOCATION_MS;
    for (const [token, session] of this.verified) {
      if (session.sessionId !== sessionId) continue;
      expiresAt = session.expiresAt;
      this.verified.delete(token);
    }
    this.forgetExpired();
    this.revoked.set(sessionId, expiresAt);
    this.tellRevoked(sessionId);
  }

  /**
   * After the broker was out: sign-outs other nodes made meanwhile were not heard of, so remembered
   * password sessions are checked against the store again. (An access token's sign-out is kept in
   * memory only, so one announced while the broker was out is not known here: docs/cluster.md.)
   */
  forgetRemembered(): void {
    this.sessions.forgetRemembered();
  }

  onRevoked(listener: (sessionId: string) => void): () => void {
    this.listeners.add(listener);
    const stopStore = this.sessions.onRevoked(listener);
    return () => {
      this.listeners.delete(listener);
      stopStore();
    };
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [token, session] of this.verified) if (session.expiresAt <= now) this.verified.delete(token);
    for (const [id, expiresAt] of this.revoked) if (expiresAt <= now) this.revoked.delete(id);
  }
}
