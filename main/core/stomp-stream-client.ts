// The STOMP stream client, for Spring backends (or a broker relaying for one): STOMP over WebSocket
// with @stomp/stompjs doing the framing and heart-beats. Everything else is as for signoff.v1: the
// session's backoff and connection states drive reconnects (stompjs' own reconnect is off, a fresh
// Client per attempt), a dead token ends the session once, and every MESSAGE body must pass the
// protocol's event schema or it is counted and dropped.
//
// STOMP has no replay: once both subscriptions are confirmed by their receipts, the client asks the
// sync engine to catch up over REST (`GET /events` from the cursor), and live messages go through the
// same apply-by-seq path, where duplicates (seq ≤ cursor) are dropped.

import { Client, type IFrame, type IMessage } from '@stomp/stompjs';
import WebSocket from 'ws';
import {
  MAX_FRAME_BYTES,
  ServerFrame,
  STOMP_EVENT_HEADERS,
  STOMP_SUBPROTOCOLS,
  StompEventHeaders,
  UserEvent,
} from '../../protocol';
import type { Backoff } from './backoff';
import type { Clock, ConnectionState, Logger } from './ports';
import { RetrySchedule } from './retry-schedule';
import type { SocketFactory } from './signoff-stream-client';
import type { FrameCounters, StreamClient, StreamHooks } from './stream-client';
import { currentToken, type TokenOption } from './stream-client';
import { SessionEndedError } from './sync-engine';

/** What we ask for both ways (ms); the server may ask for less often, never more. */
export const STOMP_HEARTBEAT_MS = 10_000;
/** Upgrade + CONNECTED, and then both receipts, must each arrive within this. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** A STOMP frame is the event JSON plus a few headers; the headers get this much on top of the body limit. */
const HEADER_ALLOWANCE_BYTES = 16 * 1024;

/**
 * An ERROR frame that means "this token will never work": Spring's interceptors and brokers word it
 * differently (401, Unauthorized, invalid/expired token, Access refused), so match the wording.
 */
const SESSION_ENDED =
  /\b401\b|unauthori[sz]ed|unauthenticated|not authenticated|authentication failed|access refused|invalid[ _-]?token|token[^\n]*(expired|invalid|revoked)|session[ _-]?(ended|expired)/i;

export function isSessionEndedError(frame: Pick<IFrame, 'headers' | 'body'>): boolean {
  return SESSION_ENDED.test(`${frame.headers.message ?? ''}\n${frame.body}`);
}

export interface StompDestinations {
  /** This user's events, e.g. Spring's `/user/queue/events`. */
  user: string;
  /** Everyone's (announcements), e.g. `/topic/announcements`. */
  broadcast: string;
}

export interface StompStreamClientOptions {
  url: string;
  token: TokenOption;
  destinations: StompDestinations;
  tls: { ca?: string[] };
  clock: Clock;
  logger: Logger;
  backoff: Backoff;
  hooks: StreamHooks;
  counters: FrameCounters;
  createSocket?: SocketFactory;
  /** Heart-beat period asked for both ways (tests shorten it); default STOMP_HEARTBEAT_MS. */
  heartbeatMs?: number;
}

type Subscription = keyof StompDestinations;

export class StompStreamClient implements StreamClient {
  private client: Client | null = null;
  private socket: WebSocket | null = null;
  /** Bumped per attempt; callbacks from an older attempt are ignored. */
  private generation = 0;
  private stopped = false;
  private readonly retry: RetrySchedule;
  private handshakeTimer: unknown = null;
  private onlineSince: number | null = null;
  private state: ConnectionState = { kind: 'connecting' };
  connects = 0;

  constructor(private readonly options: StompStreamClientOptions) {
    this.retry = new RetrySchedule(options.clock, options.backoff);
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    this.retry.clear();
    this.dropClient();
  }

  wake(): void {
    if (this.stopped) return;
    // Online: nothing to probe with (STOMP has no ping); the negotiated heart-beats notice a dead link.
    if (this.state.kind === 'reconnecting' || this.state.kind === 'offline') {
      this.retry.clear();
      void this.connect();
    }
  }

  networkLost(): void {
    if (this.stopped) return;
    this.retry.clear();
    this.generation += 1;
    this.dropClient();
    this.setState({ kind: 'offline', reason: 'network unavailable' });
  }

  restart(reason: string): void {
    if (this.stopped || !this.socket) return;
    this.options.logger.warn('stream: restarting the connection', { reason });
    this.socket.terminate();
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setState({ kind: 'connecting' });
    try {
      await this.options.hooks.prepare();
    } catch (error) {
      if (generation !== this.generation || this.stopped) return;
      if (error instanceof SessionEndedError) this.endSession();
      else this.scheduleRetry(`could not sync: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (generation !== this.generation || this.stopped) return;
    this.open(generation);
  }

  private open(generation: number): void {
    const { url } = this.options;
    const authorization = `Bearer ${currentToken(this.options.token)}`;
    const mine = () => generation === this.generation;
    let httpStatus: number | null = null;
    let lastError = '';
    const factory =
      this.options.createSocket ??
      ((address, protocols, options) => new WebSocket(address, protocols, options));

    const client = new Client({
      // Our backoff decides when to try again; a Client is used for one attempt only.
      reconnectDelay: 0,
      heartbeatIncoming: this.options.heartbeatMs ?? STOMP_HEARTBEAT_MS,
      heartbeatOutgoing: this.options.heartbeatMs ?? STOMP_HEARTBEAT_MS,
      // A dead link gets no clean close handshake: terminate, so the close (and our retry) come at once.
      discardWebsocketOnCommFailure: true,
      // Spring's ChannelInterceptor convention: the token in the CONNECT frame as well as on the upgrade.
      connectHeaders: { Authorization: authorization },
      // stompjs' debug lines include the CONNECT frame, token and all: never let them near a log.
      debug: () => {},
      webSocketFactory: () => {
        const socket = factory(url, [...STOMP_SUBPROTOCOLS], {
          headers: { authorization },
          maxPayload: MAX_FRAME_BYTES + HEADER_ALLOWANCE_BYTES,
          perMessageDeflate: false,
          handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
          ...this.options.tls,
        });
        socket.on('unexpected-response', (request, response) => {
          httpStatus = response.statusCode ?? 0;
          response.destroy();
          request.destroy();
          socket.terminate();
        });
        socket.on('error', (error: Error & { code?: string }) => {
          if (!mine()) return;
          if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.options.counters.oversized += 1;
          lastError = error.message;
        });
        this.socket = socket;
        this.connects += 1;
        return socket;
      },
    });
    this.client = client;

    client.onConnect = () => {
      if (!mine()) return;
      this.subscribe(client, generation);
    };
    client.onStompError = (frame) => {
      if (!mine()) return;
      if (isSessionEndedError(frame)) {
        this.options.logger.warn('stream: the STOMP server refused the token');
        this.endSession();
        return;
      }
      // The header is the server's summary; the body may echo the offending frame, so it stays out.
      lastError = `STOMP error: ${frame.headers.message ?? 'no message'}`;
      this.options.logger.warn('stream: STOMP error', { message: frame.headers.message ?? '' });
      // The server closes after an ERROR; do not wait for it.
      this.socket?.terminate();
    };
    client.onHeartbeatLost = () => {
      if (!mine()) return;
      this.options.logger.warn('stream: STOMP heart-beats stopped; reconnecting');
      this.options.hooks.onLinkDead?.();
    };
    client.onWebSocketClose = (event: { code?: number; reason?: string }) => {
      if (!mine()) return;
      this.closed(event, httpStatus, lastError);
    };
    this.armHandshakeTimer(generation, 'no STOMP CONNECTED frame in time');
    client.activate();
  }

  /** Both subscriptions ask for a receipt; online (and the REST catch-up) only once both are confirmed. */
  private subscribe(client: Client, generation: number): void {
    const pending = new Set<Subscription>(['user', 'broadcast']);
    this.armHandshakeTimer(generation, 'no STOMP RECEIPT for the subscriptions in time');
    for (const which of pending) {
      const receipt = `signoff-${which}-${generation}`;
      client.watchForReceipt(receipt, () => {
        if (generation !== this.generation) return;
        pending.delete(which);
        if (pending.size > 0) return;
        this.clearHandshakeTimer();
        this.onlineSince = this.options.clock.now();
        this.setState({ kind: 'online' });
        this.options.hooks.catchUp?.();
      });
      client.subscribe(
        this.options.destinations[which],
        (message) => {
          if (generation === this.generation) this.receive(message, which);
        },
        { receipt },
      );
    }
  }

  private receive(message: IMessage, from: Subscription): void {
    const { counters, hooks } = this.options;
    let json: unknown;
    try {
      json = JSON.parse(message.body);
    } catch {
      counters.notJson += 1;
      return;
    }
    const event = UserEvent.safeParse(json);
    if (from === 'broadcast') {
      // A broadcast cannot carry this user's seq; the server also writes it into every user's stream,
      // so it is a cue to catch up, and the copy with its seq comes over REST exactly once.
      if (event.success) hooks.catchUp?.();
      else this.dropInvalid(json);
      return;
    }
    const headers = StompEventHeaders.safeParse(message.headers);
    const frame =
      event.success &&
      headers.success &&
      (headers.data[STOMP_EVENT_HEADERS.seq] ?? event.data.seq) === event.data.seq
        ? ServerFrame.safeParse({
            type: 'event',
            epoch: headers.data[STOMP_EVENT_HEADERS.epoch],
            event: event.data,
          })
        : null;
    if (frame?.success) hooks.onFrame(frame.data);
    else this.dropInvalid(json);
  }

  private dropInvalid(json: unknown): void {
    this.options.counters.invalid += 1;
    this.options.logger.warn('stream: dropped a STOMP message that does not match the protocol', {
      type:
        typeof json === 'object' && json !== null ? String((json as { type?: unknown }).type) : typeof json,
    });
  }

  private closed(
    event: { code?: number; reason?: string },
    httpStatus: number | null,
    lastError: string,
  ): void {
    this.socket = null;
    this.client = null;
    this.clearHandshakeTimer();
    const onlineFor = this.onlineSince === null ? null : this.options.clock.now() - this.onlineSince;
    this.onlineSince = null;
    this.options.backoff.connectionEnded(onlineFor);
    this.options.hooks.onDisconnected();
    if (this.stopped) return;
    if (httpStatus === 401) {
      this.endSession();
    } else if (httpStatus === 400 || httpStatus === 426) {
      this.setState({ kind: 'error', reason: `the server refused the stream (HTTP ${httpStatus})` });
    } else if (httpStatus !== null) {
      this.scheduleRetry(`the server answered HTTP ${httpStatus}`);
    } else {
      this.scheduleRetry(event.reason || lastError || `closed (${event.code ?? 'no code'})`);
    }
  }

  private endSession(): void {
    this.retry.clear();
    this.generation += 1;
    this.dropClient();
    this.stopped = true;
    this.options.hooks.onSessionEnded();
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    this.setState(this.retry.schedule(reason, () => void this.connect()));
  }

  private armHandshakeTimer(generation: number, reason: string): void {
    this.clearHandshakeTimer();
    this.handshakeTimer = this.options.clock.setTimeout(() => {
      this.handshakeTimer = null;
      if (generation !== this.generation) return;
      this.options.logger.warn('stream: STOMP handshake timed out', { reason });
      this.socket?.terminate();
    }, HANDSHAKE_TIMEOUT_MS);
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer !== null) this.options.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }

  /** Ends the current attempt quietly: its own close callback is ignored (the generation moved on). */
  private dropClient(): void {
    const client = this.client;
    const socket = this.socket;
    this.client = null;
    this.socket = null;
    this.clearHandshakeTimer();
    this.onlineSince = null;
    if (!client) return;
    this.options.hooks.onDisconnected();
    socket?.on('error', () => {});
    // force: no DISCONNECT/receipt dance with a server we are leaving anyway.
    void client.deactivate({ force: true }).catch(() => {});
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.options.hooks.onState(state);
  }
}
