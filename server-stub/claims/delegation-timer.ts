// Starts and ends delegations at their instants without waiting for a request: one timer armed for
// the earliest pending start or end. The clock is injectable, so the timer only says "look now": the
// work (Delegations.applyDue) compares with the clock, and tests that move the clock call `runNow`.
import type { Clock } from '../clock';
import type { StoredEventLog } from '../events/event-log';
import type { OperationalLog } from '../operational-log';
import type { Delegations } from './delegation';

/**
 * Longest single wait. A wall clock can jump (suspend, NTP) while a timer waits in monotonic time, so
 * the timer looks again at least this often rather than trusting one long sleep.
 */
const MAX_WAIT_MS = 60_000;

export interface DelegationTimer {
  /** Applies whatever is due now, then re-arms; returns how many delegations started or ended. */
  runNow(): number;
  stop(): void;
}

export function startDelegationTimer(
  delegations: Delegations,
  eventLog: StoredEventLog,
  clock: Clock,
  log?: OperationalLog,
): DelegationTimer {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    const next = delegations.nextDueAt();
    if (next === null) return;
    timer = setTimeout(fire, Math.min(MAX_WAIT_MS, Math.max(0, next - clock())));
    timer.unref();
  };
  const runNow = () => {
    const changed = eventLog.transact((emit) => delegations.applyDue(emit));
    arm();
    return changed;
  };
  function fire() {
    timer = null;
    try {
      runNow();
    } catch (error) {
      log?.('delegation timer failed; retrying', { error: String(error) });
      if (!stopped) {
        timer = setTimeout(fire, 1_000);
        timer.unref();
      }
    }
  }

  // Called inside the creating transaction: arm after it committed, not before.
  delegations.onScheduleChanged = () => queueMicrotask(arm);
  runNow();
  return {
    runNow,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
