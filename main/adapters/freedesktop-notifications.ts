// Linux notifications with buttons, spoken directly to the desktop's notification server over the
// session bus (org.freedesktop.Notifications, Desktop Notifications Specification 1.2), because
// Electron's Linux notifications (libnotify) carry no actions (electron/electron#24333). GNOME Shell,
// KDE Plasma, dunst, xfce4-notifyd advertise `actions`; KDE also `inline-reply` (a text field whose
// text arrives as NotificationReplied), which carries a reject reason.
//
// This adapter only reports which button was pressed on which notification (Notifier.onAction); the
// core decides what it does. A click on the notification's body (the spec's `default` action) opens
// what it points at, as the Electron notifier's `click` does. Where there is no bus, no server, or a
// server without `actions`, `connect` answers null and the caller keeps the Electron notifier.
import dbus, { type MessageBus, Variant } from 'dbus-next';
import { NotificationHandles } from '../core/notification-handles';
import type { Logger, NotificationActionEvent, NotificationRequest, Notifier } from '../core/ports';
import type { NavigateTarget } from '../ipc/contract';
import { APP_DESKTOP_ENTRY, APP_NAME } from './app-identity';
import { navigateTargetOf } from './notifications';

export const NOTIFICATIONS_BUS_NAME = 'org.freedesktop.Notifications';
export const NOTIFICATIONS_OBJECT_PATH = '/org/freedesktop/Notifications';
const NOTIFICATIONS_INTERFACE = 'org.freedesktop.Notifications';
/** A server that has not answered by then is treated as absent (the Electron notifier takes over). */
const DEFAULT_TIMEOUT_MS = 3_000;
/** The action keys this app sends; `default` is the spec's name for a click on the notification. */
const ACTION_KEYS = ['approve', 'reject', 'open'] as const;
const DEFAULT_ACTION = 'default';
/** KDE's key for the inline reply field (spec extension, capability `inline-reply`). */
const INLINE_REPLY_ACTION = 'inline-reply';
/** Spec: urgency is a byte, 0 low, 1 normal, 2 critical. */
const URGENCY_NORMAL = 1;

/** The capabilities this adapter looks at, from GetCapabilities. */
export interface ServerCapabilities {
  actions: boolean;
  inlineReply: boolean;
}

export function capabilitiesOf(advertised: readonly string[]): ServerCapabilities {
  return { actions: advertised.includes('actions'), inlineReply: advertised.includes('inline-reply') };
}

export interface FreedesktopNotifierOptions {
  /** The session bus address; default DBUS_SESSION_BUS_ADDRESS. */
  busAddress?: string;
  /** Where a click on a notification's body goes (the window), as in ElectronNotifier. */
  onClick: (target: NavigateTarget) => void;
  iconPath?: string;
  logger?: Logger;
  timeoutMs?: number;
  /**
   * Shows what the server no longer takes (it quit, or the bus dropped) so nothing is lost; without
   * buttons, like any Electron notification on Linux.
   */
  fallback?: Notifier;
  /**
   * Where the server's ids of shown notifications are saved (in userData), so a later run can still
   * close them: the server keeps its notifications and ids while it runs, whether or not we do.
   */
  handlesFile?: string;
}

/** The bus daemon's own methods this adapter calls. */
interface BusDaemon {
  GetId(): Promise<string>;
  GetNameOwner(name: string): Promise<string>;
}

/** The server's methods and signals as this adapter calls them (dbus-next types them loosely). */
interface NotificationsServer {
  GetCapabilities(): Promise<string[]>;
  Notify(
    appName: string,
    replacesId: number,
    appIcon: string,
    summary: string,
    body: string,
    actions: string[],
    hints: Record<string, Variant>,
    expireTimeout: number,
  ): Promise<number>;
  CloseNotification(id: number): Promise<void>;
  on(signal: 'ActionInvoked', listener: (id: number, key: string) => void): unknown;
  on(signal: 'NotificationReplied', listener: (id: number, text: string) => void): unknown;
  on(signal: 'NotificationClosed', listener: (id: number, reason: number) => void): unknown;
}

interface Shown {
  requestId: string;
  request: NotificationRequest;
}

/**
 * The `actions` array of Notify: key, label, key, label… A body click opens; buttons only when the
 * request carries them, and Reject… as KDE's inline reply where the server has one.
 */
export function dbusActionsOf(request: NotificationRequest, capabilities: ServerCapabilities): string[] {
  const actions = [DEFAULT_ACTION, request.actions?.open ?? ''];
  const labels = request.actions;
  if (!labels) return actions;
  actions.push('approve', labels.approve);
  actions.push(capabilities.inlineReply ? INLINE_REPLY_ACTION : 'reject', labels.reject);
  actions.push('open', labels.open);
  return actions;
}

/**
 * dbus-next's `disconnect()` only ends the write side: a method call already on its way to us is still
 * read and answered on the ended stream, and that throws from a socket callback (in the main process an
 * uncaught exception). After hang-up every incoming method call is dropped unanswered instead.
 */
export function hangUpBus(bus: MessageBus): void {
  bus.addMethodHandler(() => true);
  bus.disconnect();
}

export class FreedesktopNotifier implements Notifier {
  /** Our request id → the server's notification id (a promise until Notify answers). */
  private readonly serverIds = new Map<string, Promise<number | null>>();
  /** The server's id → what we showed under it. */
  private readonly shown = new Map<number, Shown>();
  private actionListener: ((event: NotificationActionEvent) => void) | null = null;

  private constructor(
    private readonly bus: MessageBus,
    private readonly server: NotificationsServer,
    readonly capabilities: ServerCapabilities,
    private readonly options: FreedesktopNotifierOptions,
    private readonly handles: NotificationHandles | null,
  ) {
    // Notifications an earlier run showed on this same server can still be replaced and closed.
    for (const id of handles?.ids() ?? []) {
      const serverId = handles?.get(id);
      if (typeof serverId === 'number') this.serverIds.set(id, Promise.resolve(serverId));
    }
    server.on('ActionInvoked', (id: number, key: string) => this.actionInvoked(id, key));
    server.on('NotificationReplied', (id: number, text: string) => this.replied(id, text));
    server.on('NotificationClosed', (id: number) => this.closedByServer(id));
  }

  /**
   * Connects to the session bus and asks the server what it can do. Null (after logging why) when
   * there is no bus, no server, or no `actions`: the caller then keeps Electron's notifications.
   */
  static async connect(options: FreedesktopNotifierOptions): Promise<FreedesktopNotifier | null> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let bus: MessageBus | null = null;
    try {
      const address = options.busAddress ?? process.env.DBUS_SESSION_BUS_ADDRESS;
      if (!address) throw new Error('no session bus (DBUS_SESSION_BUS_ADDRESS is not set)');
      const connected = dbus.sessionBus({ busAddress: address });
      bus = connected;
      // A bus that cannot be reached fails the probe at once; one that drops later must not crash
      // the app: logged, and shows fail softly from then on.
      const failed = new Promise<never>((_, reject) => connected.once('error', reject));
      connected.on('error', (error: unknown) =>
        options.logger?.warn('notifications: session bus error', { error: String(error) }),
      );
      const answer = <T>(call: Promise<T>) => withTimeout(Promise.race([call, failed]), timeoutMs);
      const object = await answer(
        connected.getProxyObject(NOTIFICATIONS_BUS_NAME, NOTIFICATIONS_OBJECT_PATH),
      );
      const server = object.getInterface(NOTIFICATIONS_INTERFACE) as unknown as NotificationsServer;
      const advertised = await answer(server.GetCapabilities());
      const capabilities = capabilitiesOf(advertised);
      if (!capabilities.actions) {
        options.logger?.info('notifications: the server offers no actions; using Electron notifications', {
          capabilities: advertised,
        });
        hangUpBus(connected);
        return null;
      }
      options.logger?.info('notifications: D-Bus notification server with actions', {
        capabilities: advertised,
      });
      const handles = options.handlesFile
        ? await NotificationHandles.load(
            options.handlesFile,
            await answer(serverInstanceOf(connected)),
            options.logger,
          )
        : null;
      return new FreedesktopNotifier(connected, server, capabilities, options, handles);
    } catch (error) {
      options.logger?.info('notifications: no D-Bus notification server; using Electron notifications', {
        error: String(error),
      });
      if (bus) hangUpBus(bus);
      return null;
    }
  }

  isSupported(): boolean {
    return true;
  }

  show(request: NotificationRequest): void {
    // Re-showing an id replaces the notification in place (replaces_id) instead of stacking one more.
    const previous = this.serverIds.get(request.id) ?? Promise.resolve(null);
    const shown = previous.then(async (replacesId) => {
      const id = await this.server.Notify(
        APP_NAME,
        replacesId ?? 0,
        this.options.iconPath ?? '',
        request.title,
        request.body,
        dbusActionsOf(request, this.capabilities),
        {
          urgency: new Variant('y', URGENCY_NORMAL),
          // Ties the notification to the app's desktop entry (GNOME groups and names it by this).
          'desktop-entry': new Variant('s', APP_DESKTOP_ENTRY),
        },
        -1,
      );
      if (replacesId !== null) this.shown.delete(replacesId);
      this.shown.set(id, { requestId: request.id, request });
      this.handles?.set(request.id, id);
      return id;
    });
    const settled = shown.catch((error: unknown) => {
      this.options.logger?.warn('notifications: Notify failed', { id: request.id, error: String(error) });
      this.options.fallback?.show(request);
      return null;
    });
    this.serverIds.set(request.id, settled);
  }

  close(id: string): void {
    this.options.fallback?.close(id);
    const serverId = this.serverIds.get(id);
    if (!serverId) return;
    this.serverIds.delete(id);
    this.handles?.delete(id);
    void serverId.then(async (notificationId) => {
      if (notificationId === null) return;
      this.shown.delete(notificationId);
      try {
        await this.server.CloseNotification(notificationId);
      } catch (error) {
        this.options.logger?.warn('notifications: CloseNotification failed', { id, error: String(error) });
      }
    });
  }

  onAction(listener: (event: NotificationActionEvent) => void): void {
    this.actionListener = listener;
  }

  /** Ids this notifier can still close, this run's and those saved by an earlier run on this server. */
  remembered(): readonly string[] {
    return this.handles?.ids() ?? [];
  }

  /** Resolves once the saved ids are on disk (before a restart, in tests). */
  async saved(): Promise<void> {
    await this.handles?.flush();
  }

  /** The server's id of a shown notification, once Notify answered (tests, diagnostics). */
  serverIdOf(id: string): Promise<number | null> | undefined {
    return this.serverIds.get(id);
  }

  disconnect(): void {
    hangUpBus(this.bus);
  }

  /** Dismissed by the user, expired, or closed by us: nothing left to close later. */
  private closedByServer(notificationId: number): void {
    this.shown.delete(notificationId);
    for (const id of this.handles?.ids() ?? []) {
      if (this.handles?.get(id) !== notificationId) continue;
      this.handles.delete(id);
      this.serverIds.delete(id);
    }
  }

  private actionInvoked(notificationId: number, key: string): void {
    // Signals name the server's ids; ones we did not show (another app's, or forgotten) are ignored.
    const shown = this.shown.get(notificationId);
    if (!shown) return;
    if (key === DEFAULT_ACTION) {
      this.options.onClick(navigateTargetOf(shown.request));
      return;
    }
    const action = ACTION_KEYS.find((known) => known === key);
    if (action && shown.request.actions) this.actionListener?.({ id: shown.requestId, action });
  }

  private replied(notificationId: number, text: string): void {
    const shown = this.shown.get(notificationId);
    if (!shown?.request.actions) return;
    this.actionListener?.({ id: shown.requestId, action: 'reject', reply: text });
  }
}

/**
 * Which server issued the ids: the bus instance and the unique name of the connection owning the
 * notifications name. Unique names are never reused within a bus, and bus ids differ per bus, so a
 * restarted daemon (whose ids start over, and may name other apps' notifications) never matches.
 */
async function serverInstanceOf(bus: MessageBus): Promise<string> {
  const object = await bus.getProxyObject('org.freedesktop.DBus', '/org/freedesktop/DBus');
  const daemon = object.getInterface('org.freedesktop.DBus') as unknown as BusDaemon;
  return `${await daemon.GetId()}/${await daemon.GetNameOwner(NOTIFICATIONS_BUS_NAME)}`;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
