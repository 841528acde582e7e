// When a stream client tries again: the next full-jitter delay from the session's backoff, one timer
// at a time, and the `reconnecting` state that says when. Shared by every stream client so the
// transports cannot drift apart in how (or how often) they retry.
import type { Backoff } from './backoff';
import type { Clock, ConnectionState } from './ports';

export type ReconnectingState = Extract<ConnectionState, { kind: 'reconnecting' }>;

export class RetrySchedule {
  private timer: unknown = null;

  constructor(
    private readonly clock: Clock,
    private readonly backoff: Backoff,
  ) {}

  /** Arms the next attempt (replacing any armed one) and returns the state to show until then. */
  schedule(reason: string, attempt: () => void): ReconnectingState {
    this.clear();
    const next = this.backoff.next();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      attempt();
    }, next.delayMs);
    return {
      kind: 'reconnecting',
      nextAttemptAt: this.clock.now() + next.delayMs,
      attempt: next.attempt + 1,
      reason,
    };
  }

  /** Disarms the pending attempt, if any (stop, wake, network lost, session ended). */
  clear(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
