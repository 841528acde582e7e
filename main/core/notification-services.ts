// The notification policy and the reminder scheduler, wired to what outlives a session (settings,
// locale, the queue) and to whichever session is current. Built once by the façade.
import type { AccountState } from './account-state';
import { NotificationPolicy } from './notification-policy';
import type { Clock, Locale, Logger, Notifier, Settings } from './ports';
import type { QueueStore } from './queue-store';
import { ReminderScheduler } from './reminders';

export interface NotificationServiceDeps {
  clock: Clock;
  logger: Logger;
  notifier: Notifier;
  queue: QueueStore;
  settings: () => Settings;
  locale: () => Locale;
  /** The current session's account state (null when signed out). */
  state: () => AccountState | null;
  /** The same, but only while the session's token is still accepted: reminders stop at expiry. */
  liveState: () => AccountState | null;
  /** Test knob for the live flood window (see NotificationPolicy). */
  floodWindowMs?: number;
}

export function createNotificationServices(deps: NotificationServiceDeps): {
  policy: NotificationPolicy;
  reminders: ReminderScheduler;
} {
  const { clock, settings, locale, queue } = deps;
  const policy = new NotificationPolicy({
    clock,
    settings,
    locale,
    notifier: deps.notifier,
    logger: deps.logger,
    state: deps.state,
    queueSize: () => queue.size,
    floodWindowMs: deps.floodWindowMs,
  });
  const reminders = new ReminderScheduler({
    clock,
    settings,
    locale,
    policy,
    state: deps.liveState,
    queue: () => queue.list(),
  });
  return { policy, reminders };
}
