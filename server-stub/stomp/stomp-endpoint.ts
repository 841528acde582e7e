// The STOMP-over-WebSocket endpoint (`/ws`) of the reference backend, beside the v1 stream: the same
// per-user events, mapped onto STOMP destinations the way a Spring Boot backend would expose them
// (docs/protocol.md "STOMP mapping", docs/spring.md). Fan-out is per user, as on the v1 stream: one
// log subscription and one JSON encoding per event, however many STOMP connections the user has.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  type BroadcastEvent,
  CloseCode,
  STOMP_MAX_FRAME_BYTES,
  STOMP_MAX_SUBSCRIPTIONS,
  STOMP_PATH,
  STOMP_SERVER_HEART_BEAT_MS,
  STOMP_SUBPROTOCOLS,
  type UserEvent,
} from '../../protocol';
import { pendingVerification } from '../auth/bearer-token';
import type { AuthenticatedSession, EventLog, SessionAuthority } from '../ports';
import { type DeadlineHandle, DeadlineQueue } from '../push/deadline-queue';
import { HeartbeatWheel } from '../push/heartbeat-wheel';
import { SessionGroups } from '../push/session-groups';
import {
  DEFAULT_MAX_BUFFERED_BYTES,
  guardUpgrade,
  shutDownEndpoint,
  terminateAfterGrace,
} from '../push/socket-endpoint';
import { rejectUpgrade } from '../push/upgrade-rejection';
import { UserChannels } from '../push/user-channels';
import { admitStompUpgrade } from './stomp-admission';
import { StompConnection, type StompHost } from './stomp-connection';

export interface StompOptions {
  server: Server;
  sessions: SessionAuthority;
  events: EventLog;
  /** The heart-beat offered in both directions, ms (default STOMP_SERVER_HEART_BEAT_MS). */
  heartBeatMs?: number;
  /** How long a client has after the upgrade to send CONNECT (default CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** A connection whose unsent bytes pass this is closed with CloseCode.slowConsumer. */
  maxBufferedBytes?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface StompHandle {
  connectionCount(): number;
  /** Closes every socket with 1001 (going away) and stops accepting upgrades. */
  close(): Promise<void>;
}

export const CONNECT_TIMEOUT_MS = 10_000;
/**
 * Heart-beats are sent and checked on visits of one wheel for the whole endpoint, this share of the
 * offer apart: every negotiated interval is at least the offer, so an EOL due within the interval is
 * never missed, and one sent at a visit covers until the next.
 */
const VISITS_PER_OFFER = 0.9;

export function attachStomp(options: StompOptions): StompHandle {
  const endpoint = new StompEndpoint(options);
  return { connectionCount: () => endpoint.connectionCount(), close: () => endpoint.close() };
}

class StompEndpoint implements StompHost {
  readonly heartBeatOfferMs: number;
  readonly heartBeatVisitMs: number;
  readonly maxFrameBytes = STOMP_MAX_FRAME_BYTES;
  readonly maxBufferedBytes: number;
  readonly maxSubscriptions = STOMP_MAX_SUBSCRIPTIONS;
  private readonly server: Server;
  private readonly sessions: SessionAuthority;
  private readonly events: EventLog;
  private readonly connectTimeoutMs: number;
  private readonly logger: StompOptions['log'];
  private readonly wss: WebSocketServer;
  private readonly deadlines: DeadlineQueue;
  private readonly connections = new Set<StompConnection>();
  /** Connected (authenticated) connections by user, sharing one log subscription. */
  private readonly channels: UserChannels<StompConnection>;
  private readonly sessionGroups: SessionGroups<StompConnection>;
  private readonly sessionOf = new Map<StompConnection, AuthenticatedSession>();
  /** Visits every connection that negotiated a heart-beat (see heartbeat-wheel.ts); null when none is offered. */
  private readonly heartBeats: HeartbeatWheel<StompConnection> | null;
  /** Ends the absorption of broadcasts into the user's queue, for connections that did not opt in. */
  private readonly stopFollowing = new Map<StompConnection, () => void>();
  private readonly stopRevocations: () => void;
  private readonly stopBroadcasts: () => void;
  private closing: Promise<void> | null = null;

  constructor(options: StompOptions) {
    this.server = options.server;
    this.sessions = options.sessions;
    this.events = options.events;
    this.heartBeatOfferMs = options.heartBeatMs ?? STOMP_SERVER_HEART_BEAT_MS;
    this.heartBeatVisitMs = this.heartBeatOfferMs * VISITS_PER_OFFER;
    this.heartBeats =
      this.heartBeatOfferMs > 0
        ? new HeartbeatWheel(this.heartBeatVisitMs, (connection, now) => connection.beat(now))
        : null;
    this.connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.logger = options.log;
    this.deadlines = new DeadlineQueue((error) => this.log('deadline failed', { error: String(error) }));
    this.channels = new UserChannels(this.events, (connections, batch) => this.fanOut(connections, batch));
    this.sessionGroups = new SessionGroups(this.deadlines, (connection, message) =>
      connection.endSession(message),
    );
    this.wss = new WebSocketServer({
      noServer: true,
      // Room above the STOMP limit, so a frame somewhat too large gets a STOMP ERROR saying so; past
      // this, ws itself closes with 1009.
      maxPayload: 2 * STOMP_MAX_FRAME_BYTES,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (offered) => STOMP_SUBPROTOCOLS.find((name) => offered.has(name)) ?? false,
    });
    this.server.on('upgrade', this.onUpgrade);
    this.stopRevocations = this.sessions.onRevoked((sessionId) =>
      this.sessionGroups.end(sessionId, 'you signed out; sign in again'),
    );
    this.stopBroadcasts = this.events.broadcasts.subscribe((batch) => this.fanOutBroadcast(batch));
  }

  get epoch(): string {
    return this.events.epoch;
  }

  connectionCount(): number {
    return this.connections.size;
  }

  log(message: string, fields?: Record<string, unknown>): void {
    this.logger?.(message, fields);
  }

  verify(token: string): AuthenticatedSession | null {
    return this.sessions.verify(token);
  }

  authenticate(token: string): Promise<unknown> {
    return this.sessions.authenticate?.(token) ?? Promise.resolve(null);
  }

  schedule(at: number, fire: () => void): DeadlineHandle {
    return this.deadlines.schedule(at, fire);
  }

  scheduleTerminate(ws: WebSocket): void {
    terminateAfterGrace(this.deadlines, ws);
  }

  attach(connection: StompConnection, session: AuthenticatedSession, readsBroadcasts: boolean): void {
    this.sessionOf.set(connection, session);
    if (!readsBroadcasts) this.stopFollowing.set(connection, this.events.followBroadcasts(session.user.id));
    this.sessionGroups.join(session, connection);
    this.channels.join(session.user.id, connection);
    if (connection.beats) this.heartBeats?.join(connection);
  }

  detach(connection: StompConnection): void {
    const session = this.sessionOf.get(connection);
    if (!session) return;
    this.sessionOf.delete(connection);
    this.heartBeats?.leave(connection);
    this.stopFollowing.get(connection)?.();
    this.stopFollowing.delete(connection);
    this.sessionGroups.leave(session, connection);
    this.channels.leave(session.user.id, connection);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.stopRevocations();
    this.heartBeats?.stop();
    this.stopBroadcasts();
    const { connections, deadlines, server, onUpgrade, wss } = this;
    await shutDownEndpoint({ connections, deadlines, server, onUpgrade, wss });
  }

  /** Only `/ws` is ours; other paths are left to the v1 stream, which answers unknown ones with 404. */
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if ((request.url ?? '').split('?', 1)[0] !== STOMP_PATH) return;
    guardUpgrade(socket, () => this.handleUpgrade(request, socket, head), this, {
      logMessage: 'STOMP upgrade failed',
      after: pendingVerification(this.sessions, request.headers.authorization),
    });
  };

  private handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const admission = admitStompUpgrade(request, this.sessions, this.closing !== null);
    if (!admission.admitted) {
      rejectUpgrade(socket, admission.status, admission.body);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, admission.token));
  }

  private accept(ws: WebSocket, token: string | null): void {
    if (this.closing) {
      ws.close(CloseCode.goingAway, 'server shutting down');
      return;
    }
    const connection = new StompConnection(ws, token, this, this.connectTimeoutMs);
    this.connections.add(connection);
    ws.on('message', (data) => connection.onMessage(data));
    ws.on('error', (error) => {
      // ws closes the socket itself (1009 for an oversized message, 1002 for a protocol error).
      this.log('STOMP socket error', { userId: connection.userId, error: error.message });
    });
    ws.on('close', () => {
      this.connections.delete(connection);
      connection.onClosed();
    });
  }

  /** BroadcastLog listener: must not throw. Each event's JSON is encoded once for every socket. */
  private fanOutBroadcast(batch: readonly BroadcastEvent[]): void {
    try {
      const { epoch } = this.events.broadcasts;
      for (const event of batch) {
        const body = Buffer.from(JSON.stringify(event));
        for (const connection of [...this.connections]) connection.deliverBroadcast(event, body, epoch);
      }
    } catch (error) {
      this.log('STOMP broadcast fan-out failed', { error: String(error) });
    }
  }

  /** EventLog listener: must not throw. Each event's JSON is encoded once for all the user's sockets. */
  private fanOut(connections: ReadonlySet<StompConnection>, batch: readonly UserEvent[]): void {
    try {
      for (const event of batch) {
        const body = Buffer.from(JSON.stringify(event));
        for (const connection of [...connections]) connection.deliver(event, body);
      }
    } catch (error) {
      this.log('STOMP fan-out failed', { error: String(error) });
    }
  }
}
