// What the session needs from a live-event transport, whatever the wire: the signoff.v1 WebSocket,
// STOMP over WebSocket, or long-poll (`GET /events?wait=`); all three implement the same interface. A client only moves frames
// and reports its state; what the frames mean is the sync engine's business.
import type { Cursor, ServerFrame } from '../../protocol';
import type { ConnectionState } from './ports';

/**
 * How a WebSocket attempt failed before it was up: answered with an HTTP status instead of `101`
 * (`refused`), cut during the handshake (`reset`), or no answer in time (`timeout`); `unreachable` is
 * a refused or unresolvable connection (the server is down, not a proxy in the way).
 */
export type UpgradeFailure = 'refused' | 'reset' | 'timeout' | 'unreachable';

/** Inbound frames a client dropped, by why (diagnostics; never shown to the user). */
export interface FrameCounters {
  /** Frames that were not JSON. */
  notJson: number;
  /** JSON frames that failed the protocol schema (unknown type, bad money, missing fields…). */
  invalid: number;
  /** Frames over MAX_FRAME_BYTES (the connection is dropped and we reconnect). */
  oversized: number;
  /** Binary frames (the protocol is text-only). */
  binary: number;
}

export interface StreamHooks {
  /**
   * Runs before every attempt (e.g. take the first snapshot); returns the cursor to resume from.
   * Rejects with SessionEndedError (sync-engine.ts) when the token is dead: no retry follows.
   */
  prepare(): Promise<Cursor | null>;
  /**
   * The broadcast cursor to resume the broadcast stream from, read when an attempt opens (after
   * `prepare`); undefined when this client does not read that stream (an older server): then
   * announcements come in the user's own stream. Absent = undefined.
   */
  broadcastCursor?(): Cursor | undefined;
  /** A frame that passed the protocol schema, in the order received. */
  onFrame(frame: ServerFrame): void;
  onState(state: ConnectionState): void;
  /** Connection gone (any reason): close open catch-up batches, drop frames not yet processed. */
  onDisconnected(): void;
  /** Token expired or revoked: the caller switches to session-expired. No reconnect follows. */
  onSessionEnded(): void;
  /**
   * Live-only transports (STOMP): subscribed, now fetch what was missed over REST. signoff.v1 never
   * calls it: its hello makes the server replay from the cursor.
   */
  catchUp?(): void;
  /** The link was found silent; other connections to the server (REST pool) are suspect too. */
  onLinkDead?(): void;
  /** A WebSocket attempt failed before it was up (401 excepted: that ends the session). */
  onUpgradeFailed?(failure: UpgradeFailure, detail: string): void;
}

export interface StreamClient {
  start(): void;
  /** For good: no callbacks follow except onDisconnected for a connection being dropped. */
  stop(): void;
  /** The sync engine could not make sense of what it got: start over on a fresh connection (with backoff). */
  restart(reason: string): void;
  /** Resume/unlock/network back: try now instead of waiting out the backoff; probe a live connection. */
  wake(): void;
  /** The OS says the network is gone: go offline without burning backoff attempts. */
  networkLost(): void;
  /** Connections opened (diagnostics). */
  readonly connects: number;
}

/** A bearer token, or where to read the current one (single sign-on refreshes it between connections). */
export type TokenOption = string | (() => string);

export function currentToken(token: TokenOption): string {
  return typeof token === 'string' ? token : token();
}
