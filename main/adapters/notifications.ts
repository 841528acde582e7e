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
}

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
    notification.show();
  }

  close(id: string): void {
    const notification = this.shown.get(id);
    if (!notification) return;
    this.shown.delete(id);
    notification.close();
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
    if (this.shown.get(id) === notification) this.shown.delete(id);
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
