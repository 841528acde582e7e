// Reconnect delays: exponential backoff with FULL jitter, delay = random(0, min(cap, base·2^attempt)),
// which spreads a fleet of clients reconnecting after a server restart evenly instead of in waves.
// Hand-rolled on purpose: the tray must show *when* the next attempt happens and a wake (resume,
// unlock, network back) must cancel the wait and try at once; the backoff libraries we looked at
// hide the schedule behind their own timers. This is only the arithmetic plus an attempt counter.

export interface BackoffOptions {
  /** First window, ms. */
  baseMs: number;
  /** Largest window, ms (never above 30 s: the user should not wait longer to be back online). */
  capMs: number;
  /** A connection that stayed up this long counts as healthy: the next failure starts from attempt 0. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 30_000, stableMs: 30_000 };

export class Backoff {
  private attempt = 0;

  constructor(
    readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {
    if (options.capMs > 30_000) throw new Error('backoff cap must be at most 30 s');
  }

  /** The attempt number the next `next()` will use (0-based). */
  get attempts(): number {
    return this.attempt;
  }

  /** Upper bound of the jitter window for `attempt`. */
  windowMs(attempt: number): number {
    // 2^attempt overflows to Infinity for huge attempts, which min() then caps: still correct.
    return Math.min(this.options.capMs, this.options.baseMs * 2 ** attempt);
  }

  /** Delay before the next attempt, and counts the attempt. */
  next(): { delayMs: number; attempt: number } {
    const attempt = this.attempt;
    this.attempt += 1;
    return { delayMs: Math.floor(this.random() * this.windowMs(attempt)), attempt };
  }

  /** Called when a connection ends: if it had been up for `stableMs`, start over from attempt 0. */
  connectionEnded(onlineForMs: number | null): void {
    if (onlineForMs !== null && onlineForMs >= this.options.stableMs) this.attempt = 0;
  }

  reset(): void {
    this.attempt = 0;
  }
}
