// What a button pressed on a claim notification does (issue 13). The adapters only report which
// button on which notification; the decision is made here, Electron- and D-Bus-free:
// - Approve goes through the window's path (core.approve: the Idempotency-Key, the one retry, the
//   queue reflecting the outcome) with the version the notification showed, never a newer one, so a
//   claim that changed since is refused by the server instead of approved unseen;
// - Reject… with a typed reason (macOS reply, KDE inline reply) rejects with it; without one it opens
//   the claim in the window in reject mode, where the reason is asked for;
// - Open opens the claim.
// The outcome comes back as a notification ("Approved EXP-000042", "Already approved by Grace Chen").
// One action per notification: a double click or a replayed signal does nothing the second time.
import { messagesFor } from './i18n';
import { claimIdOfNotification, type NotificationPolicy } from './notification-policy';
import type { ActionResult, Locale, Logger, NotificationActionEvent } from './ports';

/** Opens a claim in the window, optionally with Approve or Reject already started. */
export type OpenClaim = (claimId: string, intent?: 'approve' | 'reject') => void;

export interface NotificationActionDeps {
  policy: Pick<NotificationPolicy, 'shownVersion' | 'show'>;
  approve(claimId: string, version: number): Promise<ActionResult>;
  reject(claimId: string, version: number, reason: string): Promise<ActionResult>;
  openClaim: OpenClaim;
  locale(): Locale;
  /** settings.notificationActions: when off, a stray button press (an old notification) only opens. */
  actionsEnabled(): boolean;
  logger: Logger;
}

export class NotificationActions {
  /** `claimId@version` of every notification already acted on. */
  private readonly acted = new Set<string>();

  constructor(private readonly deps: NotificationActionDeps) {}

  /** Handles one button press; resolves when its outcome has been shown. Never throws. */
  async handle(event: NotificationActionEvent): Promise<void> {
    const claimId = claimIdOfNotification(event.id);
    if (claimId === null) return;
    const reason = event.reply?.trim() ?? '';
    if (event.action === 'open' || !this.deps.actionsEnabled()) return this.deps.openClaim(claimId);
    if (event.action === 'reject' && reason === '') return this.deps.openClaim(claimId, 'reject');

    const m = messagesFor(this.deps.locale());
    const version = this.deps.policy.shownVersion(claimId);
    if (version === undefined) {
      // Its notification was closed because the claim left the queue (decided elsewhere, withdrawn).
      this.notify(claimId, m.actionFailed(claimId), m.actionStale);
      return;
    }
    const key = `${claimId}@${version}`;
    if (this.acted.has(key)) return;
    this.acted.add(key);
    let result: ActionResult;
    try {
      result =
        event.action === 'approve'
          ? await this.deps.approve(claimId, version)
          : await this.deps.reject(claimId, version, reason);
    } catch (error) {
      this.deps.logger.error('notification action failed', { claimId, error: String(error) });
      this.acted.delete(key);
      this.notify(claimId, m.actionFailed(claimId), m.refused);
      return;
    }
    if (result.ok) {
      const title = event.action === 'approve' ? m.actionApproved(claimId) : m.actionRejected(claimId);
      this.notify(claimId, title, result.claim.title);
      return;
    }
    // Offline or a lost session may pass: the same button may be pressed again later.
    if (result.reason === 'offline' || result.reason === 'session-expired') this.acted.delete(key);
    this.notify(claimId, m.actionFailed(claimId), result.message);
  }

  private notify(claimId: string, title: string, body: string): void {
    this.deps.policy.show({ id: `action:${claimId}`, title, body, claimId });
  }
}
