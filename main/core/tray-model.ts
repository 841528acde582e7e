import { connectionLabelOf } from '../common/connection-label';
import { inertOsText } from '../common/inert-text';
import { unreadCount } from './announcement-inbox';
import type { CoreSnapshot, TrayModel } from './ports';

/** The name is the only server text in the tray (tooltip and menu); Windows cuts tooltips at 127 units anyway. */
const TRAY_NAME_MAX = 60;

/** Everything the tray draws, derived from the core snapshot (pure, so the tray adapter stays dumb). */
export function trayModelOf(snapshot: CoreSnapshot): TrayModel {
  return {
    connection: connectionLabelOf(snapshot.connection),
    pendingCount: snapshot.queue.length,
    userName: snapshot.user ? inertOsText(snapshot.user.name, TRAY_NAME_MAX) : null,
    pausedUntil: snapshot.settings.pausedUntil,
    startAtLogin: snapshot.settings.startAtLogin,
    locale: snapshot.locale,
    unreadAnnouncements: unreadCount(snapshot.announcements),
  };
}
