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
    case 'online-long-poll':
      return model.pendingCount > 0 ? 'pending' : 'idle';
  }
}

/** The counts drawn into the pending icon: one digit reads at 16 px, so everything above 9 is "9+". */
export const TRAY_COUNT_LABELS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '9+'] as const;
export type TrayCountLabel = (typeof TRAY_COUNT_LABELS)[number];

export function trayCountLabel(pendingCount: number): TrayCountLabel | null {
  if (pendingCount < 1) return null;
  return pendingCount > 9 ? '9+' : (String(Math.floor(pendingCount)) as TrayCountLabel);
}

/** The label as it appears in file names ("+" is awkward in URLs and some archivers). */
export function trayCountFileLabel(label: TrayCountLabel): string {
  return label === '9+' ? '9plus' : label;
}

/**
 * macOS: 16 pt black-on-transparent template images the menu bar recolours for light/dark; the
 *   count is the tray title next to it (tray.ts), so the pending image carries none.
 * Linux: white glyphs, because the common panels (GNOME, KDE default, Cinnamon) are dark; 32 px,
 *   since StatusNotifier hosts scale the pixmap to their own 22-24 px and ignore @2x files.
 * Windows: the coloured tile at 16 px (+@2x), legible on both the light and the dark taskbar.
 * On Linux and Windows the pending image has the count drawn in (`tray-pending-<label>…`), since
 * neither shows text next to a tray icon; without a count it is the count-less pending image.
 */
export function trayIconFile(
  assetsDir: string,
  state: TrayIconState,
  platform: NodeJS.Platform,
  pendingCount?: number,
): string {
  const label = state === 'pending' && platform !== 'darwin' ? trayCountLabel(pendingCount ?? 0) : null;
  const name = label ? `${state}-${trayCountFileLabel(label)}` : state;
  const file =
    platform === 'darwin'
      ? `tray-${name}Template.png`
      : platform === 'linux'
        ? `tray-${name}-32-light.png`
        : `tray-${name}.png`;
  return path.join(assetsDir, 'tray', file);
}
