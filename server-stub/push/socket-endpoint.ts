// What the two WebSocket endpoints (the v1 stream and STOMP) share about their sockets' lifecycle:
// an upgrade that must never throw or leak an 'error', the slow-consumer cut-off, the close grace
// period and the shutdown. Each endpoint keeps its own framing; the rules here are one for both.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { CloseCode } from '../../protocol';
import type { DeadlineQueue } from './deadline-queue';
import { rejectUpgrade } from './upgrade-rejection';

/** How long a close handshake may take before the socket is destroyed (e.g. a client that stopped reading). */
export const CLOSE_GRACE_MS = 1_000;

export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

type Log = (message: string, fields?: Record<string, unknown>) => void;

/** A connection as the lifecycle sees it: its socket, and a way to end it with a close frame. */
export interface EndableConnection {
  readonly ws: WebSocket;
  readonly ended: boolean;
  readonly userId: string | null;
  /** `detail: null` ends without an error frame. */
  end(code: number, detail: null, message: string): void;
}

/**
 * Hands an upgrade to `handle`; until ws owns the socket a client reset must not become an unhandled
 * 'error', and a throw becomes a 500 instead of a hung socket. With `after` (an identity provider's
 * access token being checked against its keys, which is asynchronous) the upgrade waits for it first.
 */
export function guardUpgrade(
  socket: Duplex,
  handle: () => void,
  host: { log: Log },
  {
    logMessage = 'upgrade failed',
    after = null,
  }: { logMessage?: string; after?: Promise<unknown> | null } = {},
): void {
  socket.on('error', () => socket.destroy());
  const run = () => {
    try {
      handle();
    } catch (error) {
      host.log(logMessage, { error: String(error) });
      rejectUpgrade(socket, 500, { code: 'internal', message: 'upgrade failed' });
    }
  };
  if (after) void after.then(run);
  else run();
}

/**
 * Called after each write: ends a connection whose unsent bytes passed `maxBufferedBytes` and says so
 * (false). Nothing more is sent, not even an error frame: it would only queue behind the backlog.
 */
export function keptUp(
  connection: EndableConnection,
  host: { readonly maxBufferedBytes: number; log: Log },
  logMessage: string,
): boolean {
  const { bufferedAmount } = connection.ws;
  if (bufferedAmount <= host.maxBufferedBytes) return true;
  host.log(logMessage, { userId: connection.userId, bufferedAmount });
  connection.end(CloseCode.slowConsumer, null, 'slow consumer');
  return false;
}

/** Kills the socket if its close handshake has not finished within CLOSE_GRACE_MS. */
export function terminateAfterGrace(deadlines: DeadlineQueue, ws: WebSocket): void {
  deadlines.schedule(Date.now() + CLOSE_GRACE_MS, () => {
    if (ws.readyState !== ws.CLOSED) ws.terminate();
  });
}

/**
 * Closes every connection with 1001 (going away), terminating those already closing, waits until
 * every socket is closed, then stops the deadlines and detaches the endpoint from the server.
 */
export async function shutDownEndpoint(endpoint: {
  connections: Iterable<EndableConnection>;
  deadlines: DeadlineQueue;
  server: Server;
  onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  wss: WebSocketServer;
}): Promise<void> {
  const closed = [...endpoint.connections].map(
    (connection) =>
      new Promise<void>((resolve) => {
        const { ws } = connection;
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        if (connection.ended) ws.terminate();
        else connection.end(CloseCode.goingAway, null, 'server shutting down');
      }),
  );
  await Promise.all(closed);
  endpoint.deadlines.stop();
  endpoint.server.off('upgrade', endpoint.onUpgrade);
  await new Promise<void>((resolve) => endpoint.wss.close(() => resolve()));
}
