// Native notifications through Electron. Shown notifications are held by id: `close(id)` needs them,
// and an unreferenced Electron Notification can be garbage-collected before the user clicks it, which
// silently drops the click.
// Claim notifications with buttons (issue 13): on macOS Approve and Open as `actions` and the reply
// field for a reject reason (`hasReply`), reported through onAction; on Windows a toastXml whose
// buttons are signoff:// links (windows-toast.ts), which reach the app as links, not as events. Linux
// buttons go over D-Bus instead (freedesktop-notifications.ts): Electron has none there.
import type {
  Notification,
  NotificationActionEventParams,
  NotificationConstructorOptions,
  NotificationReplyEventParams,
} from 'electron';
import type { NotificationHandles } from '../core/notification-handles';
import type {
  Logger,
  NotificationActionEvent,
  NotificationActionLabels,
  NotificationRequest,
  Notifier,
} from '../core/ports';
import type { NavigateTarget } from '../ipc/contract';
import { APP_USER_MODEL_ID } from './app-identity';
import { claimToastXml } from './windows-toast';

type NotificationLike = Pick<Notification, 'show' | 'close'> & {
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown;
  on(event: 'action', listener: (details: NotificationActionEventParams) => void): unknown;
  on(event: 'reply', listener: (details: NotificationReplyEventParams) => void): unknown;
};

/** macOS buttons, in order: `actionIndex` in the `action` event indexes this list. */
const MAC_ACTIONS = ['approve', 'open'] as const;

export interface NotificationClass {
  new (options?: NotificationConstructorOptions): NotificationLike;
  isSupported(): boolean;
  /** macOS: removes delivered notifications by identifier, also ones an earlier run posted. */
  remove?(id: string | string[]): void;
}

/** Where the platform can find a notification after a restart (macOS identifier, Windows Tag). */
const KEEPS_IDS: readonly NodeJS.Platform[] = ['darwin', 'win32'];
/** Every notification of the app in one group (macOS thread, Windows toast Group). */
export const NOTIFICATION_GROUP_ID = 'signoff';

export interface ElectronNotifierOptions {
  Notification: NotificationClass;
  /** Receives what the clicked notification points at; main.ts forwards it to the window. */
  onClick: (target: NavigateTarget) => void;
  platform: NodeJS.Platform;
  /** `app.setAppUserModelId`; Windows only shows toasts for an app with a registered id. */
  setAppUserModelId: (id: string) => void;
  /** Icon shown in the toast where the OS does not use the app's own (Linux). */
  iconPath?: string;
  logger?: Logger;
  /**
   * The ids of notifications on screen, saved in userData for the next run (macOS, Windows): macOS
   * removes an earlier run's notification by identifier; Windows keeps tag and group, but Electron
   * has no call that removes a toast by them (ToastNotificationHistory.Remove needs a native module).
   */
  handles?: NotificationHandles;
}

export class ElectronNotifier implements Notifier {
  private readonly shown = new Map<string, NotificationLike>();
  private actionListener: ((event: NotificationActionEvent) => void) | null = null;

  constructor(private readonly options: ElectronNotifierOptions) {
    if (options.platform === 'win32') options.setAppUserModelId(APP_USER_MODEL_ID);
  }

  isSupported(): boolean {
    return this.options.Notification.isSupported();
  }

  show(request: NotificationRequest): void {
    if (!this.isSupported()) return;
    // Re-showing an id replaces the old toast instead of stacking duplicates.
    this.close(request.id);
    const notification = new this.options.Notification(
      notificationOptionsFor(request, this.options.platform, this.options.iconPath),
    );
    const target = navigateTargetOf(request);
    if (request.actions && this.options.platform === 'darwin') {
      notification.on('action', ({ actionIndex }) => {
        const action = MAC_ACTIONS[actionIndex];
        if (action) this.actionListener?.({ id: request.id, action });
      });
      notification.on('reply', ({ reply }) =>
        this.actionListener?.({ id: request.id, action: 'reject', reply }),
      );
    }
    notification.on('click', () => {
      this.forget(request.id, notification);
      this.options.onClick(target);
    });
    notification.on('close', () => this.forget(request.id, notification));
    notification.on('failed', (_event, error) => {
      this.forget(request.id, notification);
      this.options.logger?.warn('notification failed', { id: request.id, error });
    });
    this.shown.set(request.id, notification);
    if (KEEPS_IDS.includes(this.options.platform)) this.options.handles?.set(request.id, request.id);
    notification.show();
  }

  close(id: string): void {
    const notification = this.shown.get(id);
    const earlierRun = !notification && this.options.handles?.get(id) !== undefined;
    this.options.handles?.delete(id);
    if (earlierRun) {
      // Not this run's object: only macOS can still reach it, by its identifier.
      this.options.Notification.remove?.(id);
      return;
    }
    if (!notification) return;
    this.shown.delete(id);
    notification.close();
  }

  /** Ids this notifier can still close, this run's and those saved by an earlier run. */
  remembered(): readonly string[] {
    return this.options.handles?.ids() ?? [];
  }

  onAction(listener: (event: NotificationActionEvent) => void): void {
    this.actionListener = listener;
  }

  /** How many notifications are still held (for tests and diagnostics). */
  get openCount(): number {
    return this.shown.size;
  }

  private forget(id: string, notification: NotificationLike): void {
    // Only drop the entry if it is still this notification, not a newer one with the same id.
    if (this.shown.get(id) !== notification) return;
    this.shown.delete(id);
    this.options.handles?.delete(id);
  }
}

/** What Electron is asked to show, per platform; buttons only where the request carries them. */
export function notificationOptionsFor(
  request: NotificationRequest,
  platform: NodeJS.Platform,
  iconPath?: string,
): NotificationConstructorOptions {
  const plain: NotificationConstructorOptions = {
    title: request.title,
    body: request.body,
    silent: false,
    ...(iconPath ? { icon: iconPath } : {}),
    // A stable identifier (macOS) / Tag (Windows), so a later run can find the notification again.
    ...(KEEPS_IDS.includes(platform) ? { id: request.id, groupId: NOTIFICATION_GROUP_ID } : {}),
  };
  const labels: NotificationActionLabels | undefined = request.actions;
  if (!labels || request.claimId === undefined) return plain;
  if (platform === 'darwin') {
    return {
      ...plain,
      actions: MAC_ACTIONS.map((action) => ({ type: 'button', text: labels[action] })),
      hasReply: true,
      replyPlaceholder: labels.replyPlaceholder,
    };
  }
  if (platform === 'win32') {
    return { ...plain, toastXml: claimToastXml({ ...request, claimId: request.claimId, actions: labels }) };
  }
  return plain;
}

/** The one place the core's notification fields become the window's navigation shape. */
export function navigateTargetOf(request: NotificationRequest): NavigateTarget {
  return request.claimId !== undefined && !request.opensQueue
    ? { view: 'claim', claimId: request.claimId }
    : { view: 'queue' };
}
