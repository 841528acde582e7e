// Bearer sessions. The token is 32 random bytes shown to the client once; only its sha256 is stored,
// so a copy of the database cannot be used to impersonate anyone.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import type { UserDirectory } from '../org/users';
import type { AuthenticatedSession, SessionAuthority } from '../ports';

interface SessionRow {
  id: string;
  user_id: string;
  expires_at: number;
  revoked_at: number | null;
}

export interface IssuedSession {
  token: string;
  session: AuthenticatedSession;
}

/**
 * Verified tokens remembered at most. Verifying one costs a sha256 and three queries (the session,
 * the user, the supervisor), once per REST request and upgrade; a remembered one is checked against
 * its expiry only, and forgotten when its session is revoked (which only this store does).
 */
const MAX_REMEMBERED = 10_000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SessionStore implements SessionAuthority {
  private readonly revokedListeners = new Set<(sessionId: string) => void>();
  private readonly insert: Statement<[string, string, string, number, number]>;
  private readonly byTokenHash: Statement<[string], SessionRow>;
  private readonly markRevoked: Statement<[number, string]>;
  private readonly remembered = new Map<string, AuthenticatedSession>();

  constructor(
    db: Db,
    private readonly users: UserDirectory,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {
    this.insert = db.prepare(
      'INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.byTokenHash = db.prepare(
      'SELECT id, user_id, expires_at, revoked_at FROM sessions WHERE token_hash = ?',
    );
    this.markRevoked = db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  }

  issue(userId: string): IssuedSession {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    const id = randomUUID();
    const expiresAt = now + this.ttlSeconds * 1000;
    this.insert.run(id, hashToken(token), userId, now, expiresAt);
    return { token, session: { sessionId: id, user: this.users.me(userId), expiresAt } };
  }

  verify(token: string): AuthenticatedSession | null {
    const known = this.remembered.get(token);
    if (known) {
      if (known.expiresAt > this.clock()) return known;
      this.remembered.delete(token);
      return null;
    }
    const row = this.byTokenHash.get(hashToken(token));
    if (!row || row.revoked_at !== null || row.expires_at <= this.clock()) return null;
    const session = { sessionId: row.id, user: this.users.me(row.user_id), expiresAt: row.expires_at };
    if (this.remembered.size >= MAX_REMEMBERED) this.forgetOldest();
    this.remembered.set(token, session);
    return session;
  }

  revoke(sessionId: string): void {
    this.forgetSession(sessionId);
    const result = this.markRevoked.run(this.clock(), sessionId);
    if (result.changes === 0) return;
    this.tellRevoked(sessionId);
  }

  /**
   * Another node of the cluster revoked the session in the shared store: forget its remembered tokens
   * (the next use is checked against the store again) and end its connections here.
   */
  revokedElsewhere(sessionId: string): void {
    this.forgetSession(sessionId);
    this.tellRevoked(sessionId);
  }

  /** Every token is checked against the store again at its next use (sign-outs another node made). */
  forgetRemembered(): void {
    this.remembered.clear();
  }

  private forgetSession(sessionId: string): void {
    for (const [token, session] of this.remembered) {
      if (session.sessionId === sessionId) this.remembered.delete(token);
    }
  }

  private tellRevoked(sessionId: string): void {
    for (const listener of this.revokedListeners) {
      try {
        listener(sessionId);
      } catch {
        // A failing listener (e.g. a socket already gone) must not undo or block the sign-out.
      }
    }
  }

  onRevoked(listener: (sessionId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Expired tokens first; if none, the one remembered longest (it is verified again when next used). */
  private forgetOldest(): void {
    const now = this.clock();
    for (const [token, session] of this.remembered)
      if (session.expiresAt <= now) this.remembered.delete(token);
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
  }
}
