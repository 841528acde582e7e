// The signoff.v1 stream client: the WebSocket to `${server}/api/v1/stream`. Connect, say hello, keep
// it alive, notice when it is dead, and come back with backoff. It knows nothing about claims; frames
// that pass the protocol schema go to the hooks (the sync engine), everything else is dropped and
// counted here.
//
// Half-open links (laptop lid closed, NAT dropped the mapping, proxy froze) send nothing and raise
// nothing, so a watchdog tracks the last sign of life (any frame, server ping or pong). One timer:
// after one heartbeat of silence we ping; after two heartbeats we terminate and reconnect.
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
import type { Backoff } from './backoff';
import type { Clock, ConnectionState, Logger } from './ports';
import type { FrameCounters, StreamClient, StreamHooks } from './stream-client';
import { SessionEndedError } from './sync-engine';

/** Until the server's `welcome` says otherwise. */
const DEFAULT_HEARTBEAT_MS = 30_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;

export type SocketFactory = (url: string, protocols: string[], options: WebSocket.ClientOptions) => WebSocket;

export interface SignoffStreamClientOptions {
  url: string;
  token: string;
  tls: { ca?: string[] };
  clock: Clock;
  logger: Logger;
  backoff: Backoff;
  hooks: StreamHooks;
  counters: FrameCounters;
  createSocket?: SocketFactory;
}

export class SignoffStreamClient implements StreamClient {
  private socket: WebSocket | null = null;
  /** Bumped per attempt; callbacks from an older attempt are ignored. */
  private generation = 0;
  private stopped = false;
  private retryTimer: unknown = null;
  private watchdogTimer: unknown = null;
  private heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private lastActivity = 0;
  private pingedAt: number | null = null;
  private onlineSince: number | null = null;
  private state: ConnectionState = { kind: 'connecting' };
  /** Number of sockets opened (diagnostics). */
  connects = 0;

  constructor(private readonly options: SignoffStreamClientOptions) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    this.clearRetry();
    this.dropSocket(CloseCode.normal);
  }

  /** Resume/unlock/network back: try now instead of waiting out the backoff; probe a live socket. */
  wake(): void {
    if (this.stopped) return;
    if (this.state.kind === 'reconnecting' || this.state.kind === 'offline') {
      this.clearRetry();
      void this.connect();
    } else if (this.state.kind === 'online' && this.socket) {
      // After sleep the socket may be half-open; a ping either comes back or the watchdog fires.
      this.probe();
    }
  }

  /** The OS says the network is gone: go offline without burning backoff attempts. */
  networkLost(): void {
    if (this.stopped) return;
    this.clearRetry();
    this.generation += 1;
    this.dropSocket(CloseCode.goingAway);
    this.setState({ kind: 'offline', reason: 'network unavailable' });
  }

  /** The sync engine could not make sense of what it got: start over on a fresh socket (with backoff). */
  restart(reason: string): void {
    if (this.stopped || !this.socket) return;
    this.options.logger.warn('stream: restarting the connection', { reason });
    this.socket.terminate();
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setState({ kind: 'connecting' });
    let resume: Cursor | null;
    try {
      resume = await this.options.hooks.prepare();
    } catch (error) {
      if (generation !== this.generation || this.stopped) return;
      if (error instanceof SessionEndedError) {
        this.endSession();
        return;
      }
      this.scheduleRetry(`could not sync: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (generation !== this.generation || this.stopped) return;

    const factory =
      this.options.createSocket ?? ((url, protocols, options) => new WebSocket(url, protocols, options));
    let socket: WebSocket;
    try {
      socket = factory(this.options.url, [STREAM_SUBPROTOCOL], {
        headers: { authorization: `Bearer ${this.options.token}` },
        maxPayload: MAX_FRAME_BYTES,
        perMessageDeflate: false,
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
        ...this.options.tls,
      });
    } catch (error) {
      this.scheduleRetry(`cannot open the stream: ${String(error)}`);
      return;
    }
    this.socket = socket;
    this.connects += 1;
    let lastError = '';
    const mine = () => generation === this.generation && this.socket === socket;

    socket.on('open', () => {
      if (!mine()) return;
      this.heartbeatMs = DEFAULT_HEARTBEAT_MS;
      this.touch();
      this.armWatchdog();
      socket.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume }));
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
      this.options.hooks.onDisconnected();
      if (status === 401) {
        this.endSession();
      } else if (status === 400 || status === 426) {
        this.setState({ kind: 'error', reason: `the server refused the stream (HTTP ${status})` });
      } else {
        this.scheduleRetry(`the server answered HTTP ${status}`);
      }
    });
    socket.on('error', (error: Error & { code?: string }) => {
      if (!mine()) return;
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.options.counters.oversized += 1;
      lastError = error.message;
    });
    socket.on('close', (code, reasonBuffer) => {
      if (!mine()) return;
      this.socket = null;
      this.clearWatchdog();
      const onlineFor = this.onlineSince === null ? null : this.options.clock.now() - this.onlineSince;
      this.onlineSince = null;
      this.options.backoff.connectionEnded(onlineFor);
      this.options.hooks.onDisconnected();
      if (this.stopped) return;
      const reason = reasonBuffer.toString() || lastError || `closed (${code})`;
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
      this.options.logger.warn('stream: dropped a frame that does not match the protocol', {
        type:
          typeof json === 'object' && json !== null ? String((json as { type?: unknown }).type) : typeof json,
      });
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
      this.armWatchdog();
      this.onlineSince = this.options.clock.now();
      this.setState({ kind: 'online' });
    } else if (frame.type === 'error') {
      this.options.logger.warn('stream: server error', { code: frame.code, message: frame.message });
    }
    this.options.hooks.onFrame(frame);
  }

  private endSession(): void {
    this.clearRetry();
    this.generation += 1;
    this.dropSocket(CloseCode.normal);
    this.stopped = true;
    this.options.hooks.onSessionEnded();
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped) return;
    this.clearRetry();
    const { delayMs, attempt } = this.options.backoff.next();
    const nextAttemptAt = this.options.clock.now() + delayMs;
    this.setState({ kind: 'reconnecting', nextAttemptAt, attempt: attempt + 1, reason });
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delayMs);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
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
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    this.pingedAt = this.options.clock.now();
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
    this.onlineSince = null;
    if (!socket) return;
    this.options.hooks.onDisconnected();
    if (socket.readyState === WebSocket.OPEN) socket.close(code);
    else socket.terminate();
    // The socket's own close event is ignored (generation moved on); make sure it dies anyway.
    socket.on('error', () => {});
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.options.hooks.onState(state);
  }
}
