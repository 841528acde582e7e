// The signoff.v1 stream client: the WebSocket to `${server}/api/v1/stream`. Connect, say hello, keep
// it alive, notice when it is dead, and come back with backoff. It knows nothing about claims; frames
// that pass the protocol schema go to the hooks (the sync engine), everything else is dropped and
// counted here.
//
// Half-open links (laptop lid closed, NAT dropped the mapping, proxy froze) send nothing and raise
// nothing, so a watchdog tracks the last sign of life (any frame, server ping or pong). One timer:
// after one heartbeat of silence we ping; after two heartbeats we terminate and reconnect.
//
// An attempt started while the link is down stalls in the handshake. It is given up after a deadline
// proportional to the heartbeat, and at once when the OS says the machine woke, was unlocked or the
// network came back (wake()), so a returning link is used within a moment instead of 10 s later.
import WebSocket from 'ws';
import {
  CloseCode,
  type Cursor,
  closeCodeAllowsRetry,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  ServerFrame,
  STREAM_SUBPROTOCOL,
} from '../../protocol';
import type { StreamSocketOptions } from './http-transport';
import { handshakeFailureOf } from './network-errors';
import { OncePerWindow } from './once-per-window';
import { type DropReason, ReconnectingStream, type ReconnectingStreamOptions } from './reconnecting-stream';
import { currentToken, type FrameCounters, type TokenOption } from './stream-client';

/** Until the server's `welcome` says otherwise. */
const DEFAULT_HEARTBEAT_MS = 30_000;
/** Upgrade + hello + welcome must fit in min(this, one heartbeat), but never less than the floor. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
const HANDSHAKE_FLOOR_MS = 3_000;
/** A wake gives an attempt this long before treating it as stalled (a healthy handshake takes far less). */
const STALLED_AFTER_MS = 500;
/** Frames dropped as invalid are logged at most once per this window, with how many since the last line. */
const DROP_LOG_WINDOW_MS = 10_000;

/** How long an attempt may take to reach `welcome`, given the heartbeat the server last announced. */
export function handshakeTimeoutMs(heartbeatMs: number): number {
  return Math.max(HANDSHAKE_FLOOR_MS, Math.min(HANDSHAKE_TIMEOUT_MS, heartbeatMs));
}

export type SocketFactory = (url: string, protocols: string[], options: WebSocket.ClientOptions) => WebSocket;

export interface SignoffStreamClientOptions extends ReconnectingStreamOptions {
  url: string;
  token: TokenOption;
  tls: StreamSocketOptions;
  counters: FrameCounters;
  createSocket?: SocketFactory;
}

export class SignoffStreamClient extends ReconnectingStream {
  private socket: WebSocket | null = null;
  private watchdogTimer: unknown = null;
  private heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private lastActivity = 0;
  private pingedAt: number | null = null;
  /** The heartbeat of the last `welcome`; sizes the handshake deadline of later attempts. */
  private serverHeartbeatMs = DEFAULT_HEARTBEAT_MS;
  /** When the current socket was opened, until its `welcome`; null when no handshake is in progress. */
  private handshakeStartedAt: number | null = null;
  private handshakeTimer: unknown = null;
  /** Our deadline cut the current handshake (it was a timeout, not a reset). */
  private handshakeTimedOut = false;
  private stallCheckTimer: unknown = null;
  /** Invalid frames not yet logged, and the type of the last one (a hint at what the server sends). */
  private unloggedDrops = 0;
  private lastDroppedType = '';
  private readonly dropLog: OncePerWindow;

  constructor(private readonly options: SignoffStreamClientOptions) {
    super(options);
    this.dropLog = new OncePerWindow(options.clock, DROP_LOG_WINDOW_MS, () => this.logDrops());
  }

  override stop(): void {
    super.stop();
    this.dropLog.flush();
  }

  /** Connecting: give up a stalled handshake; online: after sleep the socket may be half-open, so probe it. */
  protected override wakeLive(): void {
    if (this.state.kind === 'connecting') this.retryIfStalled();
    else if (this.state.kind === 'online' && this.socket) this.probe();
  }

  protected abort(): boolean {
    if (!this.socket) return false;
    this.socket.terminate();
    return true;
  }

  protected drop(reason: DropReason): void {
    this.dropSocket(reason === 'normal' ? CloseCode.normal : CloseCode.goingAway);
  }

  protected open(generation: number, resume: Cursor | null): void {
    const factory =
      this.options.createSocket ?? ((url, protocols, options) => new WebSocket(url, protocols, options));
    let socket: WebSocket;
    try {
      socket = factory(this.options.url, [STREAM_SUBPROTOCOL], {
        headers: { authorization: `Bearer ${currentToken(this.options.token)}` },
        maxPayload: MAX_FRAME_BYTES,
        perMessageDeflate: false,
        handshakeTimeout: handshakeTimeoutMs(this.serverHeartbeatMs),
        ...this.options.tls,
      });
    } catch (error) {
      this.scheduleRetry(`cannot open the stream: ${String(error)}`);
      return;
    }
    this.socket = socket;
    this.opened();
    this.startHandshake(socket);
    let lastError: (Error & { code?: string }) | null = null;
    let upgraded = false;
    const mine = () => generation === this.generation && this.socket === socket;

    socket.on('open', () => {
      if (!mine()) return;
      upgraded = true;
      this.heartbeatMs = DEFAULT_HEARTBEAT_MS;
      this.touch();
      this.armWatchdog();
      // With a broadcast cursor the server sends the broadcast stream beside the user's (hello.broadcast).
      const broadcast = this.options.hooks.broadcastCursor?.();
      const hello = { type: 'hello', protocolVersion: PROTOCOL_VERSION, resume };
      socket.send(JSON.stringify(broadcast ? { ...hello, broadcast } : hello));
    });
    socket.on('message', (data, isBinary) => {
      if (!mine()) return;
      this.touch();
      if (isBinary) {
        this.options.counters.binary += 1;
        return;
      }
      this.receive(data.toString());
    });
    socket.on('ping', () => mine() && this.touch());
    socket.on('pong', () => mine() && this.touch());
    socket.on('unexpected-response', (request, response) => {
      if (!mine()) return;
      const status = response.statusCode ?? 0;
      request.destroy();
      response.destroy();
      this.socket = null;
      this.clearWatchdog();
      this.endHandshake();
      this.options.hooks.onDisconnected();
      this.refusedWith(status);
    });
    socket.on('error', (error: Error & { code?: string }) => {
      if (!mine()) return;
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.options.counters.oversized += 1;
      lastError = error;
    });
    socket.on('close', (code, reasonBuffer) => {
      if (!mine()) return;
      const welcomed = this.handshakeStartedAt === null;
      const timedOut = this.handshakeTimedOut;
      this.socket = null;
      this.clearWatchdog();
      this.endHandshake();
      if (!this.connectionEnded()) return;
      const reason = reasonBuffer.toString() || lastError?.message || `closed (${code})`;
      if (!upgraded) this.upgradeFailed(handshakeFailureOf(lastError, timedOut), reason);
      else if (!welcomed && timedOut) this.upgradeFailed('timeout', reason);
      if (code === CloseCode.sessionEnded) {
        this.endSession();
      } else if (!closeCodeAllowsRetry(code)) {
        this.setState({ kind: 'error', reason: `incompatible server: ${reason}` });
      } else {
        this.scheduleRetry(reason);
      }
    });
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.options.counters.notJson += 1;
      return;
    }
    const parsed = ServerFrame.safeParse(json);
    if (!parsed.success) {
      this.options.counters.invalid += 1;
      this.unloggedDrops += 1;
      this.lastDroppedType =
        typeof json === 'object' && json !== null
          ? String((json as { type?: unknown }).type).slice(0, 64)
          : typeof json;
      this.dropLog.request();
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'welcome') {
      if (frame.protocolVersion !== PROTOCOL_VERSION) {
        this.generation += 1;
        this.dropSocket(CloseCode.normal);
        this.setState({ kind: 'error', reason: `incompatible server protocol ${frame.protocolVersion}` });
        return;
      }
      this.heartbeatMs = frame.heartbeatSeconds * 1000;
      this.serverHeartbeatMs = this.heartbeatMs;
      this.endHandshake();
      this.armWatchdog();
      this.wentOnline();
    } else if (frame.type === 'error') {
      this.options.logger.warn('stream: server error', { code: frame.code, message: frame.message });
    }
    this.options.hooks.onFrame(frame);
  }

  /** One line for every invalid frame since the last one: a hostile server cannot flood the log. */
  private logDrops(): boolean {
    if (this.unloggedDrops === 0) return false;
    this.options.logger.warn('stream: dropped frames that do not match the protocol', {
      dropped: this.unloggedDrops,
      lastType: this.lastDroppedType,
    });
    this.unloggedDrops = 0;
    return true;
  }

  // ---- the handshake (upgrade, hello, welcome) ----

  private startHandshake(socket: WebSocket): void {
    this.endHandshake();
    this.handshakeStartedAt = this.options.clock.now();
    this.handshakeTimedOut = false;
    const timeoutMs = handshakeTimeoutMs(this.serverHeartbeatMs);
    this.handshakeTimer = this.options.clock.setTimeout(() => {
      this.handshakeTimer = null;
      if (this.socket !== socket) return;
      this.handshakeTimedOut = true;
      this.options.logger.warn('stream: no welcome in time; retrying', { timeoutMs });
      // The close event that follows schedules the retry with backoff.
      socket.terminate();
    }, timeoutMs);
  }

  private endHandshake(): void {
    this.handshakeStartedAt = null;
    if (this.handshakeTimer !== null) this.options.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    if (this.stallCheckTimer !== null) this.options.clock.clearTimeout(this.stallCheckTimer);
    this.stallCheckTimer = null;
  }

  /**
   * A wake while connecting: an attempt in its handshake for longer than STALLED_AFTER_MS was most
   * likely started while the link was down and will only time out; drop it and try again at once.
   * A younger one gets the rest of the grace, then the same check.
   */
  private retryIfStalled(): void {
    const startedAt = this.handshakeStartedAt;
    if (startedAt === null || this.stallCheckTimer !== null) return;
    const age = this.options.clock.now() - startedAt;
    if (age < STALLED_AFTER_MS) {
      this.stallCheckTimer = this.options.clock.setTimeout(() => {
        this.stallCheckTimer = null;
        if (this.handshakeStartedAt === startedAt) this.retryIfStalled();
      }, STALLED_AFTER_MS - age);
      return;
    }
    this.options.logger.info('stream: woken during a stalled handshake; retrying now', { stalledFor: age });
    this.generation += 1;
    this.dropSocket(CloseCode.goingAway);
    void this.connect();
  }

  // ---- liveness ----

  /** Cheap on purpose (called per frame): only records the time; the one watchdog timer reads it. */
  private touch(): void {
    this.lastActivity = this.options.clock.now();
    this.pingedAt = null;
  }

  private armWatchdog(): void {
    this.clearWatchdog();
    const silentFor = this.options.clock.now() - this.lastActivity;
    const wait = (this.pingedAt === null ? this.heartbeatMs : 2 * this.heartbeatMs) - silentFor;
    this.watchdogTimer = this.options.clock.setTimeout(() => this.checkAlive(), Math.max(0, wait));
  }

  private checkAlive(): void {
    this.watchdogTimer = null;
    const socket = this.socket;
    if (!socket) return;
    const silentFor = this.options.clock.now() - this.lastActivity;
    if (silentFor >= 2 * this.heartbeatMs) {
      this.options.logger.warn('stream: no sign of life for two heartbeats; reconnecting', { silentFor });
      this.options.hooks.onLinkDead?.();
      socket.terminate();
      return;
    }
    if (silentFor >= this.heartbeatMs && this.pingedAt === null) this.probe();
    this.armWatchdog();
  }

  private probe(): void {
    const socket = this.socket;
    // Counted as sent even when the socket can no longer carry a ping (CLOSING: the server's close frame
    // came, the TCP end has not): the watchdog then waits for the second heartbeat and ends the link,
    // rather than finding "silent, not pinged" again and re-checking at 0 ms in a tight loop.
    this.pingedAt = this.options.clock.now();
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    try {
      socket.ping();
    } catch {
      // A socket that cannot even queue a ping is dead; the watchdog will terminate it.
    }
  }

  private clearWatchdog(): void {
    if (this.watchdogTimer !== null) this.options.clock.clearTimeout(this.watchdogTimer);
    this.watchdogTimer = null;
  }

  private dropSocket(code: number): void {
    const socket = this.socket;
    this.socket = null;
    this.clearWatchdog();
    this.endHandshake();
    this.forgetOnline();
    if (!socket) return;
    this.options.hooks.onDisconnected();
    if (socket.readyState === WebSocket.OPEN) socket.close(code);
    else socket.terminate();
    // The socket's own close event is ignored (generation moved on); make sure it dies anyway.
    socket.on('error', () => {});
  }
}
