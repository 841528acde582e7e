// A second D-Bus client acting as org.freedesktop.Notifications on a private bus, for what Debian's
// dunst cannot do here: KDE's inline reply (NotificationReplied), a server without `actions`, and a
// signal sent twice (a replay or a double click). Everything else is proven against dunst itself
// (test/support/notification-daemon.ts). It speaks the spec's methods and signals over the real bus.
import dbus, { type MessageBus } from 'dbus-next';
import { hangUpBus } from '../../main/adapters/freedesktop-notifications';

const NOTIFICATIONS_NAME = 'org.freedesktop.Notifications';

export interface NotifyCall {
  id: number;
  replacesId: number;
  summary: string;
  body: string;
  actions: string[];
}

class NotificationsInterface extends dbus.interface.Interface {
  readonly calls: NotifyCall[] = [];
  readonly closed: number[] = [];
  private nextId = 1;

  constructor(private readonly capabilities: string[]) {
    super('org.freedesktop.Notifications');
  }

  GetCapabilities(): string[] {
    return this.capabilities;
  }

  GetServerInformation(): string[] {
    return ['signoff-test-server', 'signoff', '1', '1.2'];
  }

  Notify(
    _app: string,
    replacesId: number,
    _icon: string,
    summary: string,
    body: string,
    actions: string[],
  ): number {
    const id = replacesId || this.nextId++;
    this.calls.push({ id, replacesId, summary, body, actions });
    return id;
  }

  CloseNotification(id: number): void {
    this.closed.push(id);
    this.NotificationClosed(id, 3);
  }

  ActionInvoked(id: number, key: string): [number, string] {
    return [id, key];
  }

  NotificationReplied(id: number, text: string): [number, string] {
    return [id, text];
  }

  NotificationClosed(id: number, reason: number): [number, number] {
    return [id, reason];
  }
}

NotificationsInterface.configureMembers({
  methods: {
    GetCapabilities: { outSignature: 'as' },
    GetServerInformation: { outSignature: 'ssss' },
    Notify: { inSignature: 'susssasa{sv}i', outSignature: 'u' },
    CloseNotification: { inSignature: 'u' },
  },
  signals: {
    ActionInvoked: { signature: 'us' },
    NotificationReplied: { signature: 'us' },
    NotificationClosed: { signature: 'uu' },
  },
});

export interface FakeNotificationServer {
  calls: NotifyCall[];
  closed: number[];
  /** Emits ActionInvoked as a server does when a button is pressed. */
  invoke(id: number, key: string): void;
  /** Emits NotificationReplied as KDE does when text is sent from the inline reply field. */
  reply(id: number, text: string): void;
  /** Emits NotificationClosed with reason 2, as a server does when the user dismisses one. */
  dismiss(id: number): void;
  dispose(): Promise<void>;
}

export async function startFakeNotificationServer(
  busAddress: string,
  capabilities: string[],
): Promise<FakeNotificationServer> {
  const bus: MessageBus = dbus.sessionBus({ busAddress });
  const server = new NotificationsInterface(capabilities);
  bus.export('/org/freedesktop/Notifications', server);
  await bus.requestName(NOTIFICATIONS_NAME, 0);
  return {
    calls: server.calls,
    closed: server.closed,
    invoke: (id, key) => server.ActionInvoked(id, key),
    reply: (id, text) => server.NotificationReplied(id, text),
    dismiss: (id) => server.NotificationClosed(id, 2),
    async dispose() {
      // Give the name up first, so the bus routes nothing more here; then hang up without answering a
      // call that was already on its way (answering on the ended stream throws from dbus-next).
      await bus.releaseName(NOTIFICATIONS_NAME);
      hangUpBus(bus);
    },
  };
}
