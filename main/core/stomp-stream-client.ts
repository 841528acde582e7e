// The STOMP stream client, for Spring backends (or a broker relaying for one): STOMP over WebSocket
// with @stomp/stompjs doing the framing and heart-beats. Everything else is as for signoff.v1: the
// session's backoff and connection states drive reconnects (stompjs' own reconnect is off, a fresh
// Client per attempt), a dead token ends the session once, and every MESSAGE body must pass the
// protocol's event schema or it is counted and dropped.
//
// STOMP has no replay: once both subscriptions are confirmed by their receipts, the client asks the
// sync engine to catch up over REST (`GET /events` from the cursors), and live messages go through the
// same apply-by-seq path, where duplicates (seq ≤ cursor) are dropped. A topic message marked
// `signoff-stream: broadcast` carries the broadcast stream's seq and is applied by it; an unmarked one
// (a server without the broadcast stream, a plain Spring broadcast) is only a cue to catch up.

import { Client, type IFrame, type IMessage } from '@stomp/stompjs';
import WebSocket from 'ws';
import {
  MAX_FRAME_BYTES,
  ServerFrame,
  STOMP_EVENT_HEADERS,
  STOMP_STREAMS_HEADER,
  STOMP_SUBPROTOCOLS,
  StompEventHeaders,
  UserEvent,
} from '../../protocol';
import type { StreamSocketOptions } from './http-transport';
import { handshakeFailureOf } from './network-errors';
import { ReconnectingStream, type ReconnectingStreamOptions } from './reconnecting-stream';
import type { SocketFactory } from './signoff-stream-client';
import { currentToken, type FrameCounters, type TokenOption } from './stream-client';

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

export interface StompStreamClientOptions extends ReconnectingStreamOptions {
  url: string;
  token: TokenOption;
  destinations: StompDestinations;
  tls: StreamSocketOptions;
  counters: FrameCounters;
  createSocket?: SocketFactory;
  /** Heart-beat period asked for both ways (tests shorten it); default STOMP_HEARTBEAT_MS. */
  heartbeatMs?: number;
}

type Subscription = keyof StompDestinations;

export class StompStreamClient extends ReconnectingStream {
  private client: Client | null = null;
  private socket: WebSocket | null = null;
  private handshakeTimer: unknown = null;
  /** Our deadline cut the current handshake (CONNECTED or the receipts did not come in time). */
  private handshakeTimedOut = false;

  // Online, a wake has nothing to probe with (STOMP has no ping): the negotiated heart-beats notice a
  // dead link. So the base class's wake (retry now when waiting) is all there is.
  constructor(private readonly options: StompStreamClientOptions) {
    super(options);
  }

  protected abort(): boolean {
    if (!this.socket) return false;
    this.socket.terminate();
    return true;
  }

  protected drop(): void {
    this.dropClient();
  }

  protected open(generation: number): void {
    const { url } = this.options;
    const authorization = `Bearer ${currentToken(this.options.token)}`;
    // We read the broadcast stream ourselves: the server keeps announcements out of our user queue.
    const readsBroadcasts = this.options.hooks.broadcastCursor?.() !== undefined;
    const streams: Record<string, string> = readsBroadcasts
      ? { [STOMP_STREAMS_HEADER.name]: STOMP_STREAMS_HEADER.broadcast }
      : {};
    const mine = () => generation === this.generation;
    let httpStatus: number | null = null;
    let lastError = '';
    let socketError: unknown = null;
    let upgraded = false;
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
      connectHeaders: { Authorization: authorization, ...streams },
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
          socketError = error;
        });
        socket.on('upgrade', () => {
          upgraded = true;
        });
        this.socket = socket;
        this.opened();
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
      const online = this.state.kind === 'online';
      if (!this.closed(event, httpStatus, lastError) || httpStatus !== null || online) return;
      const reason = lastError || `closed (${event.code ?? 'no code'})`;
      if (!upgraded) this.upgradeFailed(handshakeFailureOf(socketError, this.handshakeTimedOut), reason);
      else if (this.handshakeTimedOut) this.upgradeFailed('timeout', reason);
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
        this.wentOnline();
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
    const headers = StompEventHeaders.safeParse(message.headers);
    const ofBroadcastStream = headers.success && headers.data[STOMP_EVENT_HEADERS.stream] === 'broadcast';
    if (from === 'broadcast' && !(ofBroadcastStream && hooks.broadcastCursor?.())) {
      // Without the broadcast stream a topic message cannot carry a seq we can apply by; the server
      // puts the announcement in this user's stream too, so it is a cue to catch up, and that copy
      // comes over REST exactly once.
      if (event.success) hooks.catchUp?.();
      else this.dropInvalid(json);
      return;
    }
    const frame =
      event.success &&
      headers.success &&
      (headers.data[STOMP_EVENT_HEADERS.seq] ?? event.data.seq) === event.data.seq
        ? ServerFrame.safeParse({
            type: 'event',
            ...(from === 'broadcast' ? { stream: 'broadcast' } : {}),
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

  /** The socket closed: decides what follows; false when stopped (nothing follows). */
  private closed(
    event: { code?: number; reason?: string },
    httpStatus: number | null,
    lastError: string,
  ): boolean {
    this.socket = null;
    this.client = null;
    this.clearHandshakeTimer();
    if (!this.connectionEnded()) return false;
    if (httpStatus !== null) this.refusedWith(httpStatus);
    else this.scheduleRetry(event.reason || lastError || `closed (${event.code ?? 'no code'})`);
    return true;
  }

  private armHandshakeTimer(generation: number, reason: string): void {
    this.clearHandshakeTimer();
    this.handshakeTimedOut = false;
    this.handshakeTimer = this.options.clock.setTimeout(() => {
      this.handshakeTimer = null;
      if (generation !== this.generation) return;
      this.handshakeTimedOut = true;
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
    this.forgetOnline();
    if (!client) return;
    this.options.hooks.onDisconnected();
    socket?.on('error', () => {});
    // force: no DISCONNECT/receipt dance with a server we are leaving anyway.
    void client.deactivate({ force: true }).catch(() => {});
  }
}
