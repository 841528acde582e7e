// Reminders for claims that have waited longer than `reminders.afterHours`: at most one per claim
// per day, never during quiet hours or a pause, and never by polling: exactly one timer is armed
// for the earliest moment something becomes due, and re-armed whenever the queue or settings change.
// A submitter's nudge (催办) makes its claim due at once, as a reminder in the submitter's words: shown
// once per nudge (its key is kept with the notified ones, so replays and restarts cannot repeat it),
// after a pause or quiet hours like every reminder, even with daily reminders off, and counted as that
// day's reminder.
import { type ClaimSummary, NUDGE_INTERVAL_MS } from '../../protocol';
import { nudgedAtCurrentStep } from '../common/nudge';
import type { AccountState } from './account-state';
import { formatAmount, messagesFor } from './i18n';
import { claimStepKey, nudgeKey } from './notification-keys';
import { CATCH_UP_LIMIT, claimNotificationId, type NotificationPolicy } from './notification-policy';
import { type Clock, type Locale, MAX_TIMER_DELAY_MS, type Settings } from './ports';
import { isInQuietHours, isPaused, quietHoursEnd } from './quiet-hours';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface ReminderDeps {
  clock: Clock;
  policy: NotificationPolicy;
  settings(): Settings;
  locale(): Locale;
  state(): AccountState | null;
  queue(): readonly ClaimSummary[];
}

export class ReminderScheduler {
  private timer: unknown = null;
  /** When the armed timer fires (epoch ms); null when none (diagnostics and tests). */
  nextCheckAt: number | null = null;

  constructor(private readonly deps: ReminderDeps) {}

  /** When `claim` is next due for a reminder (epoch ms), ignoring quiet hours and pauses. */
  dueAt(claim: ClaimSummary): number | null {
    const key = claimStepKey(claim);
    const state = this.deps.state();
    if (!key || !state || !claim.currentStepSince) return null;
    const nudged = this.unnotifiedNudge(claim);
    if (!this.deps.settings().reminders.enabled) return nudged;
    const firstDue = Date.parse(claim.currentStepSince) + this.deps.settings().reminders.afterHours * HOUR_MS;
    const last = state.lastReminded(key);
    const daily = last === undefined ? firstDue : Math.max(firstDue, last + DAY_MS);
    return nudged === null ? daily : Math.min(daily, nudged);
  }

  /**
   * When the claim's current approvers were nudged (epoch ms), unless that nudge was already notified or
   * is older than the nudge interval (the submitter may nudge again by then; the daily reminder remains).
   */
  unnotifiedNudge(claim: ClaimSummary): number | null {
    const at = nudgedAtCurrentStep(claim);
    const state = this.deps.state();
    if (!at || !state) return null;
    const ms = Date.parse(at);
    if (state.wasNotified(nudgeKey(claim.id, ms))) return null;
    return this.deps.clock.now() - ms < NUDGE_INTERVAL_MS ? ms : null;
  }

  private rescheduleQueued = false;
  private disposed = false;

  /**
   * Coalesces a burst of queue changes (a replay of 1,000 events) into one reschedule after the
   * current turn of the event loop; setImmediate is not a timer, nothing polls.
   */
  rescheduleSoon(): void {
    if (this.rescheduleQueued) return;
    this.rescheduleQueued = true;
    setImmediate(() => {
      this.rescheduleQueued = false;
      if (!this.disposed) this.reschedule();
    });
  }

  /** Re-arms the single timer for the earliest due reminder (or disarms it). */
  reschedule(): void {
    this.cancel();
    if (this.disposed) return;
    const settings = this.deps.settings();
    // Daily reminders off still leaves nudges (dueAt says which claims have one).
    if (!settings.notificationsEnabled || settings.pausedUntil === 'indefinite') return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const claim of this.deps.queue()) {
      const due = this.dueAt(claim);
      if (due !== null && due < earliest) earliest = due;
    }
    if (!Number.isFinite(earliest)) return;
    const now = this.deps.clock.now();
    let at = Math.max(earliest, now);
    if (typeof settings.pausedUntil === 'number') at = Math.max(at, settings.pausedUntil);
    at = quietHoursEnd(settings.quietHours, at);
    this.nextCheckAt = at;
    // A wait past the timer limit is taken in steps: fire() re-checks and re-arms.
    this.timer = this.deps.clock.setTimeout(
      () => this.fire(),
      Math.min(Math.max(0, at - now), MAX_TIMER_DELAY_MS),
    );
  }

  /** The core stopped: disarm and never arm again. */
  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  cancel(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.nextCheckAt = null;
  }

  private fire(): void {
    this.timer = null;
    this.nextCheckAt = null;
    const now = this.deps.clock.now();
    const state = this.deps.state();
    const settings = this.deps.settings();
    // Quiet hours and pauses are re-checked because the clock may have jumped (sleep) since arming;
    // reschedule() then moves the timer past them and the reminder comes afterwards.
    if (state && !isInQuietHours(settings.quietHours, now) && !isPaused(settings.pausedUntil, now)) {
      const due = this.deps.queue().flatMap((claim) => {
        const at = this.dueAt(claim);
        if (at === null || at > now) return [];
        const nudged = this.unnotifiedNudge(claim);
        return [{ claim, nudgedAt: nudged !== null && nudged <= now ? nudged : null }];
      });
      // Counted as reminded even when the platform cannot show it, or the timer would spin.
      for (const { claim, nudgedAt } of due) {
        state.markReminded(claimStepKey(claim)!, now);
        if (nudgedAt !== null) state.markNotified(nudgeKey(claim.id, nudgedAt), now);
      }
      if (due.length > 0) {
        if (this.deps.policy.canShowNow()) this.show(due, now);
        void state.save();
      }
    }
    this.reschedule();
  }

  private show(due: { claim: ClaimSummary; nudgedAt: number | null }[], now: number): void {
    const locale = this.deps.locale();
    const m = messagesFor(locale);
    if (due.length > CATCH_UP_LIMIT) {
      this.deps.policy.showSummary(m.reminderSummaryTitle(due.length));
      return;
    }
    for (const { claim, nudgedAt } of due) {
      const hours = Math.floor((now - Date.parse(claim.currentStepSince!)) / HOUR_MS);
      const amount = formatAmount(claim.totalMinor, claim.currency, locale);
      const nudged = nudgedAt !== null;
      this.deps.policy.showClaim(claim, {
        id: claimNotificationId(claim.id),
        title: nudged ? m.nudgedTitle(claim.submitter.name) : m.reminderTitle(claim.submitter.name),
        body: nudged ? m.nudgedBody(claim.title, amount, hours) : m.reminderBody(claim.title, amount, hours),
        claimId: claim.id,
      });
    }
  }
}
