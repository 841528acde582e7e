// Picks the stream client for a session, so the session never names a transport: signoff.v1 over
// WebSocket, STOMP over WebSocket for Spring backends, or long-poll over plain HTTPS. The settings
// say which (`auto` by default: what the server's `GET /info` offers, signoff.v1 first); with `auto`
// a WebSocket choice falls back to long-poll where a proxy blocks upgrades (websocket-fallback.ts).
import { API_PREFIX, ApiClient, type FetchLike, type StompTransport, type Transport } from '../../protocol';
import type { Backoff } from './backoff';
import type { StreamSocketOptions } from './http-transport';
import { LongPollStreamClient } from './long-poll-stream-client';
import type { Clock, Logger, Settings } from './ports';
import { parseServerUrl, type ServerAddress } from './server-url';
import { SignoffStreamClient, type SocketFactory } from './signoff-stream-client';
import { type StompDestinations, StompStreamClient } from './stomp-stream-client';
import type { FrameCounters, StreamClient, StreamHooks, TokenOption } from './stream-client';
import { WebSocketFallback } from './websocket-fallback';

/** `GET /info` as the "does plain HTTPS work?" probe before falling back: answered at once, or not. */
const HTTP_PROBE_TIMEOUT_MS = 5_000;

/** The settings that choose and address the transport. */
export type StreamSettings = Pick<
  Settings,
  | 'transport'
  | 'stompPath'
  | 'stompUserDestination'
  | 'stompBroadcastDestination'
  | 'stompUrl'
  | 'allowInsecureServer'
>;

export interface StreamClientSetup {
  address: ServerAddress;
  token: TokenOption;
  /** The REST transport's fetch (same route, TLS and pool): long-poll and the fallback's probe use it. */
  fetch?: FetchLike;
  /** The agent REST uses too: same proxy route and trust (bundled + OS store + corporate CA). */
  tls: StreamSocketOptions;
  clock: Clock;
  logger: Logger;
  backoff: Backoff;
  /** Shared across sessions: the diagnostics count every frame dropped since start. */
  counters: FrameCounters;
  /** Replaces `new WebSocket(...)` (tests, benchmarks), whichever the transport. */
  createSocket?: SocketFactory;
  /** Absent: signoff.v1 (what every server before transports were advertised speaks). */
  settings?: StreamSettings;
  /** `GET /info`'s `transports`; undefined when the server did not say (or could not be asked). */
  advertised?: readonly Transport[];
  /** STOMP heart-beat period (tests). */
  stompHeartbeatMs?: number;
  /** Seconds a long-poll may be held (tests); default LONG_POLL_WAIT_SECONDS. */
  longPollWaitSeconds?: number;
  /** While fallen back to long-poll, how often the WebSocket is tried again (tests); default WEBSOCKET_RETRY_MS. */
  retryWebSocketMs?: number;
}

export type StreamChoice =
  | { kind: 'signoff'; url: string }
  | { kind: 'stomp'; url: string; destinations: StompDestinations }
  | { kind: 'long-poll' };

export function createStreamClient(setup: StreamClientSetup, hooks: StreamHooks): StreamClient {
  const { address, settings, advertised, logger } = setup;
  const choice = chooseTransport(address, settings, advertised, logger);
  if (choice.kind === 'long-poll') return longPollClient(setup, hooks);
  if (!mayFallBack(settings, advertised)) return webSocketClient(setup, choice, hooks);
  const probe = new ApiClient({
    baseUrl: address.baseUrl,
    fetch: setup.fetch,
    timeoutMs: HTTP_PROBE_TIMEOUT_MS,
  });
  return new WebSocketFallback({
    hooks,
    clock: setup.clock,
    logger,
    webSocket: (inner) => webSocketClient(setup, choice, inner),
    longPoll: (inner) => longPollClient(setup, inner),
    httpWorks: () =>
      probe.info().then(
        () => true,
        () => false,
      ),
    retryWebSocketMs: setup.retryWebSocketMs,
  });
}

/** `auto` only, and only towards a server that offers long-poll (one that does not say offers it too). */
export function mayFallBack(
  settings: StreamSettings | undefined,
  advertised: readonly Transport[] | undefined,
): boolean {
  if (settings?.transport !== 'auto') return false;
  return !advertised || advertised.some((transport) => transport.kind === 'long-poll');
}

function webSocketClient(
  setup: StreamClientSetup,
  choice: Exclude<StreamChoice, { kind: 'long-poll' }>,
  hooks: StreamHooks,
): StreamClient {
  const { token, tls, clock, logger, backoff, counters, createSocket, stompHeartbeatMs } = setup;
  const options = { token, tls, clock, logger, backoff, counters, createSocket, hooks };
  if (choice.kind === 'stomp') {
    const { url, destinations } = choice;
    return new StompStreamClient({ ...options, url, destinations, heartbeatMs: stompHeartbeatMs });
  }
  return new SignoffStreamClient({ ...options, url: choice.url });
}

function longPollClient(setup: StreamClientSetup, hooks: StreamHooks): StreamClient {
  const { address, token, fetch, clock, logger, backoff, counters, longPollWaitSeconds } = setup;
  const api = new ApiClient({ baseUrl: address.baseUrl, fetch });
  return new LongPollStreamClient({
    api,
    token,
    clock,
    logger,
    backoff,
    counters,
    hooks,
    waitSeconds: longPollWaitSeconds,
  });
}

export function chooseTransport(
  address: ServerAddress,
  settings: StreamSettings | undefined,
  advertised: readonly Transport[] | undefined,
  logger: Logger,
): StreamChoice {
  const signoff: StreamChoice = { kind: 'signoff', url: `${address.wsBase}${API_PREFIX}/stream` };
  if (!settings) return signoff;
  const fromSettings = {
    path: settings.stompPath,
    destinations: { user: settings.stompUserDestination, broadcast: settings.stompBroadcastDestination },
  };
  const offered = (kind: Transport['kind']) => advertised?.find((transport) => transport.kind === kind);
  switch (settings.transport) {
    case 'signoff':
      return signoff;
    case 'stomp':
      // Chosen by hand for a backend that does not advertise: the settings say where, not /info.
      return stomp(address, settings, fromSettings, logger);
    case 'long-poll':
      return { kind: 'long-poll' };
    case 'auto': {
      // A server that says nothing about transports predates them: it speaks signoff.v1.
      if (!advertised || offered('signoff')) return signoff;
      // The protocol's schema parses a known kind fully or refuses it, so kind 'stomp' has its fields.
      const offer = advertised.find((transport): transport is StompTransport => transport.kind === 'stomp');
      if (offer) return stomp(address, settings, offer, logger);
      if (offered('long-poll')) return { kind: 'long-poll' };
      logger.warn('stream: the server offers no transport this app speaks; trying signoff.v1');
      return signoff;
    }
  }
}

function stomp(
  address: ServerAddress,
  settings: StreamSettings,
  where: { path: string; destinations: StompDestinations },
  logger: Logger,
): StreamChoice {
  const fallback = `${address.wsBase}${where.path}`;
  if (settings.stompUrl === null) return { kind: 'stomp', url: fallback, destinations: where.destinations };
  try {
    // Same rule as the server address: the bearer token never crosses a network in clear text.
    const url = parseServerUrl(settings.stompUrl, settings.allowInsecureServer).wsBase;
    return { kind: 'stomp', url, destinations: where.destinations };
  } catch (error) {
    logger.error('stream: ignoring the stompUrl setting', { error: String(error) });
    return { kind: 'stomp', url: fallback, destinations: where.destinations };
  }
}
