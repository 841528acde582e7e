// Transport `auto` behind a proxy that blocks WebSocket upgrades: the WebSocket client (signoff.v1 or
// STOMP) runs as usual until its upgrades fail the way a proxy makes them fail — answered with an
// HTTP status instead of `101` (401 aside: that is the token), reset during the handshake, or timing
// out — while plain HTTPS to the same server works. Then the long-poll client takes over from the
// sync engine's cursor (its first poll catches up, so nothing is missed and the apply-by-seq rule
// drops what arrives twice). Every WEBSOCKET_RETRY_MS, and on every wake (resume, unlock, network
// back), the WebSocket is tried again; the first upgrade that works switches back, and a trial that
// fails the same way returns to long-poll at once.
import type { Clock, ConnectionState, Logger } from './ports';
import type { StreamClient, StreamHooks, UpgradeFailure } from './stream-client';

/** While on long-poll, how often the WebSocket is tried again (besides every wake). */
export const WEBSOCKET_RETRY_MS = 3 * 60_000;

/**
 * Failures in a row that make a blocked upgrade: an HTTP answer other than `101` is a proxy's word at
 * once; a reset or a timeout may be a server restarting, so it takes two. `unreachable` (nothing
 * listening, no route) never counts: that is a network or server down, and long-poll would not help.
 */
const FALLBACK_AFTER: Record<Exclude<UpgradeFailure, 'unreachable'>, number> = {
  refused: 1,
  reset: 2,
  timeout: 2,
};

export interface WebSocketFallbackOptions {
  hooks: StreamHooks;
  clock: Clock;
  logger: Logger;
  /** A fresh WebSocket client (signoff.v1 or STOMP) reporting to these hooks. */
  webSocket(hooks: StreamHooks): StreamClient;
  /** A fresh long-poll client reporting to these hooks. */
  longPoll(hooks: StreamHooks): StreamClient;
  /** Whether plain HTTPS reaches the server now (`GET /info`): a blocked upgrade, not a dead network. */
  httpWorks(): Promise<boolean>;
  /** Default WEBSOCKET_RETRY_MS (tests shorten it). */
  retryWebSocketMs?: number;
}

export type FallbackMode = 'websocket' | 'long-poll';

export class WebSocketFallback implements StreamClient {
  private current: StreamClient;
  private currentMode: FallbackMode = 'websocket';
  private state: ConnectionState = { kind: 'connecting' };
  /** A WebSocket attempt started from long-poll: one blocked upgrade sends it back. */
  private trial = false;
  private failures = 0;
  private probing = false;
  private retryTimer: unknown = null;
  private stopped = false;
  /** Connections of the clients already replaced (diagnostics). */
  private retiredConnects = 0;
  /** Switches to long-poll so far (diagnostics, tests). */
  fallbacks = 0;

  constructor(private readonly options: WebSocketFallbackOptions) {
    this.current = this.build('websocket');
  }

  get mode(): FallbackMode {
    return this.currentMode;
  }

  get connects(): number {
    return this.retiredConnects + this.current.connects;
  }

  start(): void {
    this.stopped = false;
    this.current.start();
  }

  stop(): void {
    this.stopped = true;
    this.clearRetryTimer();
    this.current.stop();
  }

  restart(reason: string): void {
    this.current.restart(reason);
  }

  /** On long-poll, a wake (resume, unlock, network back) is the moment to try the WebSocket again. */
  wake(): void {
    if (this.stopped) return;
    if (this.currentMode === 'long-poll') this.switchTo('websocket', 'woken');
    else this.current.wake();
  }

  networkLost(): void {
    this.current.networkLost();
  }

  private build(mode: FallbackMode): StreamClient {
    const upstream = this.options.hooks;
    let client: StreamClient | null = null;
    const mine = () => client !== null && client === this.current;
    const hooks: StreamHooks = {
      prepare: () => upstream.prepare(),
      // Read when each attempt says hello: without it the server would treat us as a client from before
      // the broadcast stream and copy every announcement into our own stream.
      broadcastCursor: () => upstream.broadcastCursor?.(),
      onFrame: (frame) => mine() && upstream.onFrame(frame),
      onState: (state) => {
        if (!mine()) return;
        this.state = state;
        if (mode === 'websocket' && state.kind === 'online') this.upgraded();
        upstream.onState(state);
      },
      onDisconnected: () => mine() && upstream.onDisconnected(),
      onSessionEnded: () => mine() && upstream.onSessionEnded(),
      catchUp: () => mine() && upstream.catchUp?.(),
      onLinkDead: () => mine() && upstream.onLinkDead?.(),
      onUpgradeFailed: (failure, detail) => mine() && this.upgradeFailed(failure, detail),
    };
    client = mode === 'websocket' ? this.options.webSocket(hooks) : this.options.longPoll(hooks);
    return client;
  }

  private upgraded(): void {
    this.failures = 0;
    if (!this.trial) return;
    this.trial = false;
    this.options.logger.info('stream: the WebSocket works again; long-poll ended');
  }

  private upgradeFailed(failure: UpgradeFailure, detail: string): void {
    if (this.currentMode !== 'websocket') return;
    if (failure === 'unreachable') {
      this.failures = 0;
      return;
    }
    this.failures += 1;
    if (this.trial || this.failures >= FALLBACK_AFTER[failure])
      void this.fallBackIfHttpWorks(failure, detail);
  }

  private async fallBackIfHttpWorks(failure: UpgradeFailure, detail: string): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    let works: boolean;
    try {
      works = await this.options.httpWorks();
    } finally {
      this.probing = false;
    }
    // Meanwhile: stopped, or a retry got through after all.
    if (this.stopped || this.currentMode !== 'websocket' || this.state.kind === 'online') return;
    if (!works) {
      this.failures = 0;
      return;
    }
    this.options.logger.warn('stream: WebSocket upgrades are blocked; falling back to long-poll', {
      failure,
      detail,
    });
    this.fallbacks += 1;
    this.switchTo('long-poll', failure);
  }

  private switchTo(mode: FallbackMode, why: string): void {
    this.clearRetryTimer();
    if (mode === 'websocket') this.options.logger.info('stream: trying the WebSocket again', { why });
    const old = this.current;
    old.stop();
    this.retiredConnects += old.connects;
    this.currentMode = mode;
    this.trial = mode === 'websocket';
    this.failures = 0;
    this.current = this.build(mode);
    if (mode === 'long-poll') {
      this.retryTimer = this.options.clock.setTimeout(() => {
        this.retryTimer = null;
        if (!this.stopped && this.currentMode === 'long-poll') this.switchTo('websocket', 'retry interval');
      }, this.options.retryWebSocketMs ?? WEBSOCKET_RETRY_MS);
    }
    this.current.start();
  }

  private clearRetryTimer(): void {
    if (this.retryTimer !== null) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
