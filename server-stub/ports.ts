// Seams inside the reference backend: the HTTP/workflow side (storage, auth, events) provides these,
// the WebSocket push side consumes them. Neither side reaches into the other's modules.
import type { Cursor, Me, ResetReason, UserEvent } from '../protocol';

export interface AuthenticatedSession {
  sessionId: string;
  user: Me;
  /** Epoch ms when the token stops being valid. */
  expiresAt: number;
}

export interface SessionAuthority {
  /** Resolves a bearer token to a live session, or null if unknown, expired or revoked. */
  verify(token: string): AuthenticatedSession | null;
  /**
   * Does the asynchronous part of verifying a token (an identity provider's access token: fetch keys,
   * check the signature) so that `verify` knows the answer afterwards. Absent: `verify` is all there is.
   */
  authenticate?(token: string): Promise<AuthenticatedSession | null>;
  /** Called with the session id whenever a session is revoked (sign-out). Returns an unsubscribe function. */
  onRevoked(listener: (sessionId: string) => void): () => void;
}

/** Outcome of checking a client's resume cursor against a user's stream. */
export type ResumeCheck =
  | { status: 'ok'; afterSeq: number }
  | { status: 'reset'; reason: ResetReason; head: Cursor };

/** Durable, gapless, per-user event streams. */
export interface EventLog {
  /** Names this store's lifetime; part of every cursor. */
  readonly epoch: string;
  /** The last seq in the user's stream (0 if none). */
  head(userId: string): number;
  /** Decides whether `resume` can be replayed whole; null resume means "from the current head". */
  checkResume(userId: string, resume: Cursor | null): ResumeCheck;
  /** Committed events with seq > afterSeq, in order, at most `limit`. */
  readAfter(userId: string, afterSeq: number, limit: number): UserEvent[];
  /**
   * Called after each commit with the user's new events in seq order. Listeners run synchronously
   * and must not throw. Returns an unsubscribe function.
   */
  subscribe(userId: string, listener: (events: readonly UserEvent[]) => void): () => void;
}
