// Native notifications through Electron. Shown notifications are held by id: `close(id)` needs them,
// and an unreferenced Electron Notification can be garbage-collected before the user clicks it, which
// silently drops the click.
import type { Notification, NotificationConstructorOptions } from 'electron';
import type { Logger, NotificationRequest, Notifier } from '../core/ports';
import type { NavigateTarget } from '../ipc/contract';
import { APP_USER_MODEL_ID } from './app-identity';

type NotificationLike = Pick<Notification, 'show' | 'close'> & {
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown;
};

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
    const notification = new this.options.Notification({
      title: request.title,
      body: request.body,
      silent: false,
      ...(this.options.iconPath ? { icon: this.options.iconPath } : {}),
    });
    const target = navigateTargetOf(request);
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

  /** How many notifications are still held (for tests and diagnostics). */
  get openCount(): number {
    return this.shown.size;
  }

  private forget(id: string, notification: NotificationLike): void {
    // Only drop the entry if it is still this notification, not a newer one with the same id.
    if (this.shown.get(id) === notification) this.shown.delete(id);
  }
}

/** The one place the core's notification fields become the window's navigation shape. */
export function navigateTargetOf(request: NotificationRequest): NavigateTarget {
  return request.claimId !== undefined && !request.opensQueue
    ? { view: 'claim', claimId: request.claimId }
    : { view: 'queue' };
}
