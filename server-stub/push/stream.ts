// PLACEHOLDER until the push engineer lands the real implementation. Signature is the contract.
import type { Server } from 'node:http';
import type { EventLog, SessionAuthority } from '../ports';

export interface StreamOptions {
  server: Server;
  sessions: SessionAuthority;
  events: EventLog;
  heartbeatSeconds: number;
  /** A connection whose unsent bytes pass this is closed with CloseCode.slowConsumer. */
  maxBufferedBytes?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface StreamHandle {
  connectionCount(): number;
  /** Closes every socket with 1001 (going away) and stops accepting upgrades. */
  close(): Promise<void>;
}

export function attachStream(_options: StreamOptions): StreamHandle {
  return { connectionCount: () => 0, close: async () => {} };
}
