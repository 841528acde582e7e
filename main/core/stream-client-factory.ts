// Picks the stream client for a session. One transport today (signoff.v1 over WebSocket); the STOMP
// and long-poll clients are chosen here when they arrive, so the session never names a transport.
import { API_PREFIX } from '../../protocol';
import type { Backoff } from './backoff';
import type { Clock, Logger } from './ports';
import type { ServerAddress } from './server-url';
import { SignoffStreamClient, type SocketFactory } from './signoff-stream-client';
import type { FrameCounters, StreamClient, StreamHooks } from './stream-client';

export interface StreamClientSetup {
  address: ServerAddress;
  token: string;
  /** TLS options identical to what REST uses (system roots + the optional corporate CA). */
  tls: { ca?: string[] };
  clock: Clock;
  logger: Logger;
  backoff: Backoff;
  /** Shared across sessions: the diagnostics count every frame dropped since start. */
  counters: FrameCounters;
  /** signoff.v1: replaces `new WebSocket(...)` (tests, benchmarks). */
  createSocket?: SocketFactory;
}

export function createStreamClient(setup: StreamClientSetup, hooks: StreamHooks): StreamClient {
  const { address, ...options } = setup;
  return new SignoffStreamClient({ ...options, url: `${address.wsBase}${API_PREFIX}/stream`, hooks });
}
