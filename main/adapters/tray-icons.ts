// Which PNG under assets/tray/ the tray shows, per state and platform. The files are rendered from
// assets/icon.svg by scripts/render-icons.ts; Electron picks the @2x file next to each on HiDPI screens.
import path from 'node:path';
import type { TrayModel } from '../core/ports';

export type TrayIconState = 'idle' | 'pending' | 'offline' | 'attention';

export const TRAY_ICON_STATES: readonly TrayIconState[] = ['idle', 'pending', 'offline', 'attention'];

/** The state a tray model is drawn as: problems first, then "something is waiting". */
export function trayIconStateOf(model: Pick<TrayModel, 'connection' | 'pendingCount'>): TrayIconState {
  switch (model.connection) {
    case 'signed-out':
    case 'session-expired':
    case 'error':
      return 'attention';
    case 'offline':
    case 'reconnecting':
      return 'offline';
    // 'connecting' keeps the last known look so start-up does not flash the offline icon.
    case 'connecting':
    case 'online':
      return model.pendingCount > 0 ? 'pending' : 'idle';
  }
}

/**
 * macOS: 16 pt black-on-transparent template images the menu bar recolours for light/dark.
 * Linux: white glyphs, because the common panels (GNOME, KDE default, Cinnamon) are dark; 32 px,
 *   since StatusNotifier hosts scale the pixmap to their own 22-24 px and ignore @2x files.
 * Windows: the coloured tile at 16 px (+@2x), legible on both the light and the dark taskbar.
 */
export function trayIconFile(assetsDir: string, state: TrayIconState, platform: NodeJS.Platform): string {
  const name =
    platform === 'darwin'
      ? `tray-${state}Template.png`
      : platform === 'linux'
        ? `tray-${state}-32-light.png`
        : `tray-${state}.png`;
  return path.join(assetsDir, 'tray', name);
}
