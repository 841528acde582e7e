// The lifecycle every stream client shares, whatever its wire (signoff.v1, STOMP, long-poll): one
// attempt at a time (a generation number makes callbacks of an older attempt harmless), `prepare`
// before each attempt, backoff between attempts, wake/network-lost from the OS, a dead token ending
// the session once, and the connection states the tray shows. A transport only opens an attempt,
// drops it, and says how it ended; keeping the rest here means the three cannot drift apart.
import type { Cursor } from '../../protocol';
import type { Backoff } from './backoff';
import type { Clock, ConnectionState, Logger } from './ports';
import { RetrySchedule } from './retry-schedule';
import type { StreamClient, StreamHooks, UpgradeFailure } from './stream-client';
import { SessionEndedError } from './sync-engine';

/** What every stream client is given, whatever its wire. */
export interface ReconnectingStreamOptions {
  clock: Clock;
  logger: Logger;
  backoff: Backoff;
  hooks: StreamHooks;
}

/** Why an attempt is dropped by us: for good (stop, session ended) or for a moment (wake, network lost). */
export type DropReason = 'normal' | 'going-away';

export abstract class ReconnectingStream implements StreamClient {
  /** Bumped per attempt; callbacks from an older attempt are ignored. */
  protected generation = 0;
  protected stopped = false;
  protected state: ConnectionState = { kind: 'connecting' };
  private readonly retry: RetrySchedule;
  private onlineSince: number | null = null;
  /** Connections opened (diagnostics). */
  connects = 0;

  constructor(private readonly base: ReconnectingStreamOptions) {
    this.retry = new RetrySchedule(base.clock, base.backoff);
  }

  /** Opens one attempt resuming from `resume`; later callbacks check `isCurrent(generation)`. */
  protected abstract open(generation: number, resume: Cursor | null): void;
  /** Ends the current attempt quietly (its own close callback must be ignored); onDisconnected if one was open. */
  protected abstract drop(reason: DropReason): void;
  /** Kills the current attempt so that its close path schedules a retry; false when there is none. */
  protected abstract abort(): boolean;

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    this.retry.clear();
    this.drop('normal');
  }

  /** Resume/unlock/network back: try now instead of waiting out the backoff. */
  wake(): void {
    if (this.stopped) return;
    if (this.state.kind === 'reconnecting' || this.state.kind === 'offline') {
      this.retry.clear();
      void this.connect();
    } else {
      this.wakeLive();
    }
  }

  networkLost(): void {
    if (this.stopped) return;
    this.retry.clear();
    this.generation += 1;
    this.drop('going-away');
    this.setState({ kind: 'offline', reason: 'network unavailable' });
  }

  restart(reason: string): void {
    if (this.stopped) return;
    if (this.abort()) this.base.logger.warn('stream: restarting the connection', { reason });
  }

  /** A wake while connecting or online: probe or retry as the transport sees fit. */
  protected wakeLive(): void {}

  protected isCurrent(generation: number): boolean {
    return generation === this.generation && !this.stopped;
  }

  protected async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setState({ kind: 'connecting' });
    let resume: Cursor | null;
    try {
      resume = await this.base.hooks.prepare();
    } catch (error) {
      if (!this.isCurrent(generation)) return;
      if (error instanceof SessionEndedError) this.endSession();
      else this.scheduleRetry(`could not sync: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!this.isCurrent(generation)) return;
    this.open(generation, resume);
  }

  /** Counts a connection opened (socket or first request). */
  protected opened(): void {
    this.connects += 1;
  }

  /** The attempt is fully up (welcome, receipts, first poll answered). */
  protected wentOnline(state: Extract<ConnectionState, { kind: 'online' }> = { kind: 'online' }): void {
    this.onlineSince = this.base.clock.now();
    this.setState(state);
  }

  /**
   * The current connection is gone: feeds the backoff how long it lasted and tells the hooks. Returns
   * false when stopped (nothing more to decide).
   */
  protected connectionEnded(): boolean {
    const onlineFor = this.onlineSince === null ? null : this.base.clock.now() - this.onlineSince;
    this.onlineSince = null;
    this.base.backoff.connectionEnded(onlineFor);
    this.base.hooks.onDisconnected();
    return !this.stopped;
  }

  /** A connection we drop ourselves: no backoff bookkeeping, but the hooks hear it ended. */
  protected forgetOnline(): void {
    this.onlineSince = null;
  }

  /**
   * The server (or something in between) answered an attempt with HTTP `status` instead of the
   * stream: 401 ends the session, 400/426 mean we cannot speak its stream, anything else is retried.
   */
  protected refusedWith(status: number): void {
    if (status === 401) {
      this.endSession();
      return;
    }
    this.upgradeFailed('refused', `HTTP ${status}`);
    if (status === 400 || status === 426) {
      this.setState({ kind: 'error', reason: `the server refused the stream (HTTP ${status})` });
    } else {
      this.scheduleRetry(`the server answered HTTP ${status}`);
    }
  }

  /** A WebSocket attempt failed before it was up (the auto transport watches for blocked upgrades). */
  protected upgradeFailed(failure: UpgradeFailure, detail: string): void {
    if (!this.stopped) this.base.hooks.onUpgradeFailed?.(failure, detail);
  }

  protected endSession(): void {
    this.retry.clear();
    this.generation += 1;
    this.drop('normal');
    this.stopped = true;
    this.base.hooks.onSessionEnded();
  }

  protected scheduleRetry(reason: string): void {
    if (this.stopped) return;
    this.setState(this.retry.schedule(reason, () => void this.connect()));
  }

  protected setState(state: ConnectionState): void {
    this.state = state;
    this.base.hooks.onState(state);
  }
}
