// What the composition root (or a test, a benchmark) hands the core: the ports, and the knobs that
// tests turn (transport, socket factory, reconnect timing).
import type { FetchLike } from '../../protocol';
import type { BackoffOptions } from './backoff';
import type { OpenClaim } from './notification-actions';
import type { Clock, Logger, Notifier, SecretStore } from './ports';
import type { SocketFactory } from './signoff-stream-client';

export interface CoreDeps {
  userDataDir: string;
  secrets: SecretStore;
  notifier: Notifier;
  clock?: Clock;
  logger?: Logger;
  /** e.g. `app.getLocale()`; used when settings.locale is null. */
  osLocale: string;
  /** Replaces the built-in node:http(s) transport for REST (its TLS settings are then the caller's). */
  fetch?: FetchLike;
  /** Replaces `new WebSocket(...)` for the stream. */
  createSocket?: SocketFactory;
  /** STOMP heart-beat period asked for both ways, ms (tests shorten it); default 10 s. */
  stompHeartbeatMs?: number;
  /** Reconnect timing; defaults: 1 s base, 30 s cap, reset after 30 s online. */
  backoff?: Partial<BackoffOptions>;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /** Opens a claim in the window when a notification's button asks to (issue 13). */
  openClaim?: OpenClaim;
  /** Live notification flood window (default FLOOD_WINDOW_MS, 10 s); 0 shows every live item on its own. */
  liveFloodWindowMs?: number;
}
