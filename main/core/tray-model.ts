import { unreadCount } from './announcement-inbox';
import type { CoreSnapshot, TrayModel } from './ports';

/** Everything the tray draws, derived from the core snapshot (pure, so the tray adapter stays dumb). */
export function trayModelOf(snapshot: CoreSnapshot): TrayModel {
  return {
    connection: snapshot.connection.kind,
    pendingCount: snapshot.queue.length,
    userName: snapshot.user?.name ?? null,
    pausedUntil: snapshot.settings.pausedUntil,
    startAtLogin: snapshot.settings.startAtLogin,
    locale: snapshot.locale,
    unreadAnnouncements: unreadCount(snapshot.announcements),
  };
}
