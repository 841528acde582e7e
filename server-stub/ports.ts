// Seams inside the reference backend: the HTTP/workflow side (storage, auth, events) provides these,
// the WebSocket push side consumes them. Neither side reaches into the other's modules.
import type { BroadcastEvent, Cursor, Me, ResetReason, UserEvent } from '../protocol';

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

/** The one shared, gapless broadcast stream (announcements): one row per event, not one per user. */
export interface BroadcastLog {
  /** Names the broadcast stream's lifetime; part of every broadcast cursor. */
  readonly epoch: string;
  head(): number;
  cursor(): Cursor;
  checkResume(resume: Cursor | null): ResumeCheck;
  /** Committed broadcast events with seq > afterSeq, in order, at most `limit`. */
  readAfter(afterSeq: number, limit: number): BroadcastEvent[];
  /** Called after each commit with the new broadcast events in seq order; must not throw. */
  subscribe(listener: (events: readonly BroadcastEvent[]) => void): () => void;
}

/** Durable, gapless, per-user event streams, and the shared broadcast stream beside them. */
export interface EventLog {
  readonly broadcasts: BroadcastLog;
  /**
   * For a reader that does not read the broadcast stream itself (a client from before it): copies
   * the broadcast events this user's stream has not absorbed yet into it, as user events (at most
   * the newest ABSORB_LIMIT). Writes only when something is pending.
   */
  absorbBroadcasts(userId: string): void;
  /**
   * While held, each committed broadcast is absorbed into this user's stream soon after its commit
   * (off the broadcast's own transaction), so a connected old client gets it live. Returns a release.
   */
  followBroadcasts(userId: string): () => void;
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

/** What one write transaction committed: each user's new events (in seq order), and broadcast events. */
export type CommittedListener = (
  users: ReadonlyMap<string, readonly UserEvent[]>,
  broadcasts: readonly BroadcastEvent[],
) => void;

/**
 * The event log as a cluster node sees it (cluster/broker-relay.ts): its own commits go out, other
 * nodes' come in. Nothing here says which database committed them; the store is read only to fill a
 * gap, so the broker carries hints and the database stays the truth.
 */
export interface CommitFeed {
  readonly epoch: string;
  readonly broadcasts: Pick<BroadcastLog, 'epoch'>;
  /** Called after each local commit (after local listeners); must not throw. */
  onCommitted(listener: CommittedListener): () => void;
  /** Another node committed the user's stream up to `head`; `events` are some or all of the new ones. */
  deliverCommitted(userId: string, head: number, events: readonly UserEvent[]): void;
  /** The same for the broadcast stream. */
  deliverCommittedBroadcasts(head: number, events: readonly BroadcastEvent[]): void;
  /** Whether anyone on this node listens to the user's stream (else other nodes' events are dropped). */
  isWatched(userId: string): boolean;
  /** Re-reads every watched stream's head and hands over what is missing (after a broker outage). */
  catchUp(): void;
}
