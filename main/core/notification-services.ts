// The notification policy, the reminder scheduler and what notification buttons do, wired to what
// outlives a session (settings, locale, the queue) and to whichever session is current. Built once
// by the façade.
import type { AccountState } from './account-state';
import type { Decision } from './actions';
import { NotificationActions, type OpenClaim } from './notification-actions';
import { NotificationPolicy } from './notification-policy';
import type { ActionResult, Clock, Locale, Logger, Notifier, Settings } from './ports';
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
  floodWindowMs?: number | undefined;
  /** Approve or reject as the window does (the façade's act). */
  act(claimId: string, version: number, decision: Decision): Promise<ActionResult>;
  /** Opens a claim in the window (a notification's Open, or Reject… without a reason). */
  openClaim?: OpenClaim | undefined;
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
    isQueued: (claimId) => queue.has(claimId),
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
  const actions = new NotificationActions({
    policy,
    approve: (claimId, version) => deps.act(claimId, version, { kind: 'approve' }),
    reject: (claimId, version, reason) => deps.act(claimId, version, { kind: 'reject', reason }),
    openClaim: deps.openClaim ?? (() => {}),
    locale,
    actionsEnabled: () => settings().notificationActions,
    logger: deps.logger,
  });
  deps.notifier.onAction?.((event) => void actions.handle(event));
  return { policy, reminders };
}
