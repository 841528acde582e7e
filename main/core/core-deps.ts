// What the composition root (or a test, a benchmark) hands the core: the ports, and the knobs that
// tests turn (transport, socket factory, reconnect timing).
import type { FetchLike } from '../../protocol';
import type { BackoffOptions } from './backoff';
import type { OpenClaim } from './notification-actions';
import type { Clock, Logger, Notifier, SecretStore } from './ports';
import type { ProxyResolver } from './proxy-route';
import type { SocketFactory } from './signoff-stream-client';
import type { SsoBrowser } from './sso';
import type { SystemCertificates } from './system-certificates';

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
  /** The platform's proxy for a URL (Electron: `session.resolveProxy`, system settings and PAC). */
  systemProxy?: ProxyResolver;
  /** The OS certificate store; default: Node's `tls.getCACertificates('system')` or the system PEM bundle. */
  systemCertificates?: SystemCertificates;
  /** Replaces `new WebSocket(...)` for the stream. */
  createSocket?: SocketFactory;
  /** STOMP heart-beat period asked for both ways, ms (tests shorten it); default 10 s. */
  stompHeartbeatMs?: number;
  /** Seconds a long-poll may be held (tests shorten it); default 25. */
  longPollWaitSeconds?: number;
  /** While fallen back to long-poll, how often the WebSocket is tried again, ms; default 3 min. */
  retryWebSocketMs?: number;
  /** Reconnect timing; defaults: 1 s base, 30 s cap, reset after 30 s online. */
  backoff?: Partial<BackoffOptions>;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /** The system browser, for company sign-in (single sign-on); without it only passwords work. */
  browser?: SsoBrowser;
  /** Opens a claim in the window when a notification's button asks to (issue 13). */
  openClaim?: OpenClaim;
  /** Where the private folder of receipts saved for the system viewer is made (default: the OS temp dir). */
  tempDir?: string;
  /** Live notification flood window (default FLOOD_WINDOW_MS, 10 s); 0 shows every live item on its own. */
  liveFloodWindowMs?: number;
}
