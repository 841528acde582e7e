// The stub's WebSocket push: authenticated at the HTTP upgrade, then one JSON frame per event of the
// user's gapless stream (see protocol/stream.ts). Fan-out is per user: each user's events are
// subscribed to once and encoded once, however many devices that user has connected.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  type BroadcastEvent,
  CloseCode,
  MAX_FRAME_BYTES,
  STREAM_SUBPROTOCOL,
  type UserEvent,
} from '../../protocol';
import { pendingVerification } from '../auth/bearer-token';
import type { AuthenticatedSession, EventLog, SessionAuthority } from '../ports';
import { DeadlineQueue } from './deadline-queue';
import { HeartbeatWheel } from './heartbeat-wheel';
import { type PreparedFrame, prepareTextFrame, writePing } from './prepared-frame';
import { type ConnectionHost, PushConnection } from './push-connection';
import { SessionGroups } from './session-groups';
import {
  DEFAULT_MAX_BUFFERED_BYTES,
  guardUpgrade,
  shutDownEndpoint,
  terminateAfterGrace,
} from './socket-endpoint';
import { admitUpgrade } from './upgrade-admission';
import { rejectUpgrade } from './upgrade-rejection';
import { UserChannels } from './user-channels';

export interface StreamOptions {
  server: Server;
  sessions: SessionAuthority;
  events: EventLog;
  heartbeatSeconds: number;
  /** A connection whose unsent bytes pass this is closed with CloseCode.slowConsumer. */
  maxBufferedBytes?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** How long a client has after the upgrade to send `hello` (default HELLO_TIMEOUT_MS). */
  helloTimeoutMs?: number;
  /** Upgrade paths another endpoint on this server answers (the STOMP one): left alone, not refused. */
  otherPaths?: readonly string[];
}

export interface StreamHandle {
  connectionCount(): number;
  /** Closes every socket with 1001 (going away) and stops accepting upgrades. */
  close(): Promise<void>;
}

/** How long a client has after the upgrade to send `hello`. */
export const HELLO_TIMEOUT_MS = 10_000;
export function attachStream(options: StreamOptions): StreamHandle {
  const hub = new StreamHub(options);
  return { connectionCount: () => hub.connectionCount(), close: () => hub.close() };
}

class StreamHub implements ConnectionHost {
  readonly events: EventLog;
  readonly heartbeatSeconds: number;
  readonly maxBufferedBytes: number;
  private readonly server: Server;
  private readonly sessions: SessionAuthority;
  private readonly logger: StreamOptions['log'];
  private readonly helloTimeoutMs: number;
  private readonly otherPaths: ReadonlySet<string>;
  private readonly wss: WebSocketServer;
  private readonly deadlines: DeadlineQueue;
  private readonly connections = new Set<PushConnection>();
  /** All of one user's connections, sharing one log subscription and one encoding of each event. */
  private readonly channels: UserChannels<PushConnection>;
  /** All connections opened with one session (token): ended together on expiry or sign-out. */
  private readonly sessionGroups: SessionGroups<PushConnection>;
  /** Pings every connection once per heartbeat (see heartbeat-wheel.ts). */
  private readonly heartbeat: HeartbeatWheel<PushConnection>;
  private readonly stopRevocations: () => void;
  private readonly stopBroadcasts: () => void;
  private closing: Promise<void> | null = null;

  constructor(options: StreamOptions) {
    this.server = options.server;
    this.sessions = options.sessions;
    this.events = options.events;
    this.heartbeatSeconds = options.heartbeatSeconds;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.logger = options.log;
    this.helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.otherPaths = new Set(options.otherPaths);
    this.deadlines = new DeadlineQueue((error) => this.log('deadline failed', { error: String(error) }));
    this.channels = new UserChannels(this.events, (connections, batch) => this.fanOut(connections, batch));
    this.sessionGroups = new SessionGroups(this.deadlines, (connection, message) =>
      connection.end(CloseCode.sessionEnded, 'session_ended', message),
    );
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (offered) => (offered.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
    });
    this.server.on('upgrade', this.onUpgrade);
    this.stopRevocations = this.sessions.onRevoked((sessionId) =>
      this.sessionGroups.end(sessionId, 'you signed out; sign in again'),
    );
    this.stopBroadcasts = this.events.broadcasts.subscribe((batch) => this.fanOutBroadcast(batch));
    // One timer for every connection: ping each, and cut off whoever did not answer the previous ping.
    this.heartbeat = new HeartbeatWheel(this.heartbeatSeconds * 1000, (connection) => this.ping(connection));
  }

  connectionCount(): number {
    return this.connections.size;
  }

  log(message: string, fields?: Record<string, unknown>): void {
    this.logger?.(message, fields);
  }

  encodeEvent(event: UserEvent): PreparedFrame {
    return prepareTextFrame(JSON.stringify({ type: 'event', epoch: this.events.epoch, event }));
  }

  encodeBroadcast(event: BroadcastEvent): PreparedFrame {
    const epoch = this.events.broadcasts.epoch;
    return prepareTextFrame(JSON.stringify({ type: 'event', stream: 'broadcast', epoch, event }));
  }

  detach(connection: PushConnection): void {
    this.channels.leave(connection.userId, connection);
    this.sessionGroups.leave(connection.session, connection);
  }

  scheduleTerminate(connection: PushConnection): void {
    terminateAfterGrace(this.deadlines, connection.ws);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.heartbeat.stop();
    this.stopRevocations();
    this.stopBroadcasts();
    const { connections, deadlines, server, onUpgrade, wss } = this;
    await shutDownEndpoint({ connections, deadlines, server, onUpgrade, wss });
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.otherPaths.has((request.url ?? '').split('?', 1)[0]!)) return;
    guardUpgrade(socket, () => this.handleUpgrade(request, socket, head), this, {
      after: pendingVerification(this.sessions, request.headers.authorization),
    });
  };

  private handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const admission = admitUpgrade(request, this.sessions, this.closing !== null);
    if (!admission.admitted) {
      rejectUpgrade(socket, admission.status, admission.body);
      return;
    }
    const { session } = admission;
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, session));
  }

  private accept(ws: WebSocket, session: AuthenticatedSession): void {
    // The session may have been revoked or expired while the handshake was in flight.
    if (this.closing || session.expiresAt <= Date.now()) {
      ws.close(CloseCode.sessionEnded, 'session ended');
      return;
    }
    const connection = new PushConnection(ws, session, this);
    this.connections.add(connection);
    this.heartbeat.join(connection);
    this.channels.join(session.user.id, connection);
    this.sessionGroups.join(session, connection);
    const hello = this.deadlines.schedule(Date.now() + this.helloTimeoutMs, () =>
      connection.end(CloseCode.helloTimeout, 'hello_timeout', 'no hello received in time'),
    );
    connection.cancelHelloDeadline = hello.cancel;
    ws.on('message', (data, isBinary) => connection.onMessage(data, isBinary));
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('error', (error) => {
      // ws closes the socket itself (1009 for an oversized frame, 1002 for a protocol error).
      this.log('stream socket error', { userId: session.user.id, error: error.message });
    });
    ws.on('close', () => {
      this.connections.delete(connection);
      this.heartbeat.leave(connection);
      connection.onClosed();
    });
  }

  /** EventLog listener: must not throw. Encodes each event once, only if someone is live to get it. */
  private fanOut(connections: ReadonlySet<PushConnection>, batch: readonly UserEvent[]): void {
    if (batch.length === 0) return;
    try {
      let frames: PreparedFrame[] | null = null;
      for (const connection of connections) {
        frames ??= batch.map((event) => this.encodeEvent(event));
        connection.deliverLive(batch, frames);
      }
    } catch (error) {
      this.log('fan-out failed', { error: String(error) });
    }
  }

  /**
   * BroadcastLog listener: must not throw. One encoding per event for every connection that reads the
   * broadcast stream; the delivery is the only per-connection work an announcement costs.
   */
  private fanOutBroadcast(batch: readonly BroadcastEvent[]): void {
    try {
      let frames: PreparedFrame[] | null = null;
      for (const connection of this.connections) {
        if (!connection.readsBroadcasts) continue;
        frames ??= batch.map((event) => this.encodeBroadcast(event));
        connection.deliverBroadcast(batch, frames);
      }
    } catch (error) {
      this.log('broadcast fan-out failed', { error: String(error) });
    }
  }

  /** Cuts off a connection that did not answer the previous ping, else pings it. */
  private ping(connection: PushConnection): void {
    const ws = connection.ws;
    if (ws.readyState !== ws.OPEN) return;
    if (!connection.alive) {
      this.log('terminating unresponsive stream client', { userId: connection.userId });
      ws.terminate();
      return;
    }
    connection.alive = false;
    writePing(ws);
  }
}
