// The stub's WebSocket push: authenticated at the HTTP upgrade, then one JSON frame per event of the
// user's gapless stream (see protocol/stream.ts). Fan-out is per user: each user's events are
// subscribed to once and encoded once, however many devices that user has connected.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { CloseCode, MAX_FRAME_BYTES, STREAM_SUBPROTOCOL, type UserEvent } from '../../protocol';
import { pendingVerification } from '../auth/bearer-token';
import type { AuthenticatedSession, EventLog, SessionAuthority } from '../ports';
import { DeadlineQueue } from './deadline-queue';
import { type PreparedFrame, prepareTextFrame, writePing } from './prepared-frame';
import { type ConnectionHost, PushConnection } from './push-connection';
import { admitUpgrade } from './upgrade-admission';
import { rejectUpgrade } from './upgrade-rejection';

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
  /** Connections pinged per event-loop turn (default HEARTBEAT_SLICE). */
  heartbeatSlice?: number;
  /** Upgrade paths another endpoint on this server answers (the STOMP one): left alone, not refused. */
  otherPaths?: readonly string[];
}

export interface StreamHandle {
  connectionCount(): number;
  /** Closes every socket with 1001 (going away) and stops accepting upgrades. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
/** How long a client has after the upgrade to send `hello`. */
export const HELLO_TIMEOUT_MS = 10_000;
/** How long a close handshake may take before the socket is destroyed (e.g. a client that stopped reading). */
export const CLOSE_GRACE_MS = 1_000;
/**
 * Connections pinged per event-loop turn. A ping is a socket write (~10–15 µs on loopback), so pinging
 * 10,000 clients in one go stalled every approval and announcement for ~150 ms each heartbeat; a slice
 * of 200 holds other work up by ~2–3 ms at most.
 */
export const HEARTBEAT_SLICE = 200;

export function attachStream(options: StreamOptions): StreamHandle {
  const hub = new StreamHub(options);
  return { connectionCount: () => hub.connectionCount(), close: () => hub.close() };
}

/** All of one user's connections, sharing one log subscription and one encoding of each event. */
interface UserChannel {
  readonly connections: Set<PushConnection>;
  unsubscribe: () => void;
}

/** All connections opened with one session (token): ended together on expiry or sign-out. */
interface SessionGroup {
  readonly connections: Set<PushConnection>;
  cancelExpiry: () => void;
}

class StreamHub implements ConnectionHost {
  readonly events: EventLog;
  readonly heartbeatSeconds: number;
  readonly maxBufferedBytes: number;
  private readonly server: Server;
  private readonly sessions: SessionAuthority;
  private readonly logger: StreamOptions['log'];
  private readonly helloTimeoutMs: number;
  private readonly heartbeatSliceSize: number;
  private readonly otherPaths: ReadonlySet<string>;
  private readonly wss: WebSocketServer;
  private readonly deadlines: DeadlineQueue;
  private readonly connections = new Set<PushConnection>();
  private readonly channels = new Map<string, UserChannel>();
  private readonly sessionGroups = new Map<string, SessionGroup>();
  private readonly heartbeat: NodeJS.Timeout;
  /** The next slice of the heartbeat in progress, if any. */
  private heartbeatSlice: NodeJS.Immediate | null = null;
  private readonly stopRevocations: () => void;
  private closing: Promise<void> | null = null;

  constructor(options: StreamOptions) {
    this.server = options.server;
    this.sessions = options.sessions;
    this.events = options.events;
    this.heartbeatSeconds = options.heartbeatSeconds;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.logger = options.log;
    this.helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    this.heartbeatSliceSize = Math.max(1, options.heartbeatSlice ?? HEARTBEAT_SLICE);
    this.otherPaths = new Set(options.otherPaths);
    this.deadlines = new DeadlineQueue((error) => this.log('deadline failed', { error: String(error) }));
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (offered) => (offered.has(STREAM_SUBPROTOCOL) ? STREAM_SUBPROTOCOL : false),
    });
    this.server.on('upgrade', this.onUpgrade);
    this.stopRevocations = this.sessions.onRevoked((sessionId) =>
      this.endSession(sessionId, 'you signed out; sign in again'),
    );
    // One timer for every connection: ping all, and cut off whoever did not answer the previous ping.
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatSeconds * 1000);
    this.heartbeat.unref();
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

  detach(connection: PushConnection): void {
    const channel = this.channels.get(connection.userId);
    if (channel?.connections.delete(connection) && channel.connections.size === 0) {
      channel.unsubscribe();
      this.channels.delete(connection.userId);
    }
    const group = this.sessionGroups.get(connection.session.sessionId);
    if (group?.connections.delete(connection) && group.connections.size === 0) {
      group.cancelExpiry();
      this.sessionGroups.delete(connection.session.sessionId);
    }
  }

  scheduleTerminate(connection: PushConnection): void {
    const ws = connection.ws;
    this.deadlines.schedule(Date.now() + CLOSE_GRACE_MS, () => {
      if (ws.readyState !== ws.CLOSED) ws.terminate();
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    clearInterval(this.heartbeat);
    if (this.heartbeatSlice) clearImmediate(this.heartbeatSlice);
    this.stopRevocations();
    const closed = [...this.connections].map(
      (connection) =>
        new Promise<void>((resolve) => {
          if (connection.ws.readyState === connection.ws.CLOSED) return resolve();
          connection.ws.once('close', () => resolve());
          if (connection.ended) {
            connection.ws.terminate();
          } else {
            connection.end(CloseCode.goingAway, null, 'server shutting down');
          }
        }),
    );
    await Promise.all(closed);
    this.deadlines.stop();
    this.server.off('upgrade', this.onUpgrade);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (this.otherPaths.has((request.url ?? '').split('?', 1)[0]!)) return;
    // Until ws owns the socket, a client reset must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const handle = () => {
      try {
        this.handleUpgrade(request, socket, head);
      } catch (error) {
        this.log('upgrade failed', { error: String(error) });
        rejectUpgrade(socket, 500, { code: 'internal', message: 'upgrade failed' });
      }
    };
    // An identity provider's access token is checked against its keys first (asynchronously).
    const pending = pendingVerification(this.sessions, request.headers.authorization);
    if (pending) void pending.then(handle);
    else handle();
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
    this.joinChannel(connection);
    this.joinSessionGroup(connection);
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
      connection.onClosed();
    });
  }

  private joinChannel(connection: PushConnection): void {
    const userId = connection.userId;
    let channel = this.channels.get(userId);
    if (!channel) {
      const connections = new Set<PushConnection>();
      const created: UserChannel = { connections, unsubscribe: () => {} };
      created.unsubscribe = this.events.subscribe(userId, (batch) => this.fanOut(connections, batch));
      this.channels.set(userId, created);
      channel = created;
    }
    channel.connections.add(connection);
  }

  private joinSessionGroup(connection: PushConnection): void {
    const { sessionId, expiresAt } = connection.session;
    let group = this.sessionGroups.get(sessionId);
    if (!group) {
      const deadline = this.deadlines.schedule(expiresAt, () =>
        this.endSession(sessionId, 'your session expired; sign in again'),
      );
      group = { connections: new Set(), cancelExpiry: deadline.cancel };
      this.sessionGroups.set(sessionId, group);
    }
    group.connections.add(connection);
  }

  private endSession(sessionId: string, message: string): void {
    const group = this.sessionGroups.get(sessionId);
    if (!group) return;
    for (const connection of [...group.connections]) {
      connection.end(CloseCode.sessionEnded, 'session_ended', message);
    }
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

  /** Pings every connection, a slice per turn so other work runs in between. */
  private beat(): void {
    if (this.heartbeatSlice) return; // the previous round is still going (only with huge counts)
    const round = [...this.connections];
    let index = 0;
    const slice = () => {
      this.heartbeatSlice = null;
      const end = Math.min(index + this.heartbeatSliceSize, round.length);
      for (; index < end; index++) this.ping(round[index]!);
      if (index < round.length && !this.closing) this.heartbeatSlice = setImmediate(slice);
    };
    slice();
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
