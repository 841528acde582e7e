// Picks the stream client for a session, so the session never names a transport: signoff.v1 over
// WebSocket, or STOMP over WebSocket for Spring backends. The settings say which (`auto` by default:
// what the server's `GET /info` offers, signoff.v1 first); long-poll is not built yet.
import { API_PREFIX, type StompTransport, type Transport } from '../../protocol';
import type { Backoff } from './backoff';
import type { Clock, Logger, Settings } from './ports';
import { parseServerUrl, type ServerAddress } from './server-url';
import { SignoffStreamClient, type SocketFactory } from './signoff-stream-client';
import { type StompDestinations, StompStreamClient } from './stomp-stream-client';
import type { FrameCounters, StreamClient, StreamHooks, TokenOption } from './stream-client';

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
  /** TLS options identical to what REST uses (system roots + the optional corporate CA). */
  tls: { ca?: string[] };
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
}

export type StreamChoice =
  | { kind: 'signoff'; url: string }
  | { kind: 'stomp'; url: string; destinations: StompDestinations };

export function createStreamClient(setup: StreamClientSetup, hooks: StreamHooks): StreamClient {
  const { address, settings, advertised, stompHeartbeatMs, ...options } = setup;
  const choice = chooseTransport(address, settings, advertised, setup.logger);
  if (choice.kind === 'stomp') {
    const { url, destinations } = choice;
    return new StompStreamClient({ ...options, url, destinations, hooks, heartbeatMs: stompHeartbeatMs });
  }
  return new SignoffStreamClient({ ...options, url: choice.url, hooks });
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
      return longPollFallback(signoff, logger);
    case 'auto': {
      // A server that says nothing about transports predates them: it speaks signoff.v1.
      if (!advertised || offered('signoff')) return signoff;
      // The protocol's schema parses a known kind fully or refuses it, so kind 'stomp' has its fields.
      const offer = advertised.find((transport): transport is StompTransport => transport.kind === 'stomp');
      if (offer) return stomp(address, settings, offer, logger);
      if (offered('long-poll')) return longPollFallback(signoff, logger);
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

function longPollFallback(signoff: StreamChoice, logger: Logger): StreamChoice {
  // TODO(issue 11): a long-poll client (`GET /events?wait=25` in a loop behind StreamClient).
  logger.warn('stream: long-poll is not implemented yet; using signoff.v1');
  return signoff;
}
