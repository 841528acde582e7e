// Draws a TrayModel: icon per state, tooltip, macOS title, badge count and the context menu. Electron
// is reached only through the injected factories, so tests drive it with the fake and main.ts with
// the real module. The menu is rebuilt and re-set on every render: Linux AppIndicator trays show
// nothing without one, and Electron menus are immutable once built.
import type { App, Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import { PAUSE_PRESETS, type PausePreset } from '../common/pause-presets';
import type { TrayModel } from '../core/ports';
import { type TrayIconState, trayIconFile, trayIconStateOf } from './tray-icons';
import { type TrayStrings, trayStringsFor } from './tray-strings';

// Events are typed by hand: Electron's `on(): this` would otherwise demand a whole Tray from fakes.
export type TrayLike = Pick<Tray, 'setImage' | 'setToolTip' | 'setTitle' | 'setContextMenu' | 'destroy'> & {
  on(event: 'click', listener: () => void): unknown;
};

export interface TrayFactories {
  createTray(image: NativeImage): TrayLike;
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
  createImage(filePath: string): NativeImage;
  /** `app.setBadgeCount`, where the platform has one (macOS dock, Unity-style Linux launchers). */
  setBadgeCount?: App['setBadgeCount'];
}

/** What the menu's items do; main.ts wires them to the window, the core and the login-items adapter. */
export interface TrayActions {
  openApprovals(): void;
  toggleWindow(): void;
  /** By preset name: the core decides what time it means, the same way for the window. */
  pauseNotifications(preset: PausePreset): void;
  resumeNotifications(): void;
  setStartAtLogin(enabled: boolean): void;
  signIn(): void;
  signOut(): void;
  quit(): void;
  /** Opens the window on its announcements panel (issue 9). */
  openAnnouncements(): void;
}

export interface TrayControllerOptions {
  factories: TrayFactories;
  actions: TrayActions;
  platform: NodeJS.Platform;
  assetsDir: string;
  /** The real login-item state (not the setting), so the checkbox never lies. */
  isStartAtLoginEnabled: () => boolean;
  now?: () => number;
}

/** Windows truncates tray tooltips at 127 UTF-16 units. */
const MAX_TOOLTIP_LENGTH = 127;

export class TrayController {
  private tray: TrayLike | null = null;
  private model: TrayModel | null = null;
  private shownIcon: string | null = null;
  private shownToolTip: string | null = null;
  private shownBadge: number | null = null;
  private readonly now: () => number;

  constructor(private readonly options: TrayControllerOptions) {
    this.now = options.now ?? Date.now;
  }

  render(model: TrayModel): void {
    this.model = model;
    const { factories, platform } = this.options;
    const strings = trayStringsFor(model.locale);
    const iconFile = trayIconFile(
      this.options.assetsDir,
      trayIconStateOf(model),
      platform,
      model.pendingCount,
    );

    if (!this.tray) {
      this.tray = factories.createTray(factories.createImage(iconFile));
      this.shownIcon = iconFile;
      // Windows and most Linux desktops deliver clicks; macOS opens the menu instead.
      this.tray.on('click', () => this.options.actions.toggleWindow());
    } else if (this.shownIcon !== iconFile) {
      this.tray.setImage(factories.createImage(iconFile));
      this.shownIcon = iconFile;
    }

    const toolTip = this.toolTipOf(model, strings);
    if (toolTip !== this.shownToolTip) {
      this.tray.setToolTip(toolTip);
      this.shownToolTip = toolTip;
    }
    // macOS shows text next to the menu-bar icon; elsewhere setTitle is meaningless or unsupported.
    if (platform === 'darwin') this.tray.setTitle(model.pendingCount > 0 ? String(model.pendingCount) : '');
    if (platform !== 'win32' && factories.setBadgeCount && model.pendingCount !== this.shownBadge) {
      factories.setBadgeCount(model.pendingCount);
      this.shownBadge = model.pendingCount;
    }
    this.tray.setContextMenu(factories.buildMenu(this.menuTemplateOf(model, strings)));
  }

  /** Re-renders the last model, e.g. after the login item changed outside the model. */
  refresh(): void {
    if (this.model) this.render(this.model);
  }

  /** The icon state currently shown (for diagnostics and tests). */
  get iconState(): TrayIconState | null {
    return this.model ? trayIconStateOf(this.model) : null;
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }

  private toolTipOf(model: TrayModel, strings: TrayStrings): string {
    const lines = [
      strings.appName,
      model.connection === 'online' ||
      model.connection === 'online-long-poll' ||
      model.connection === 'connecting'
        ? `${strings.waiting(model.pendingCount)} · ${strings.connection(model.connection)}`
        : strings.connection(model.connection),
    ];
    const paused = this.pausedText(model, strings);
    if (paused) lines.push(paused);
    if (model.unreadAnnouncements > 0) lines.push(strings.unreadAnnouncements(model.unreadAnnouncements));
    const text = lines.join('\n');
    return text.length <= MAX_TOOLTIP_LENGTH ? text : `${text.slice(0, MAX_TOOLTIP_LENGTH - 1)}…`;
  }

  private pausedText(model: TrayModel, strings: TrayStrings): string | null {
    if (model.pausedUntil === 'indefinite') return strings.pausedIndefinitely;
    if (model.pausedUntil === null || model.pausedUntil <= this.now()) return null;
    const time = new Intl.DateTimeFormat(model.locale, { hour: '2-digit', minute: '2-digit' }).format(
      model.pausedUntil,
    );
    return strings.pausedUntil(time);
  }

  private menuTemplateOf(model: TrayModel, strings: TrayStrings): MenuItemConstructorOptions[] {
    const { actions } = this.options;
    const paused = this.pausedText(model, strings);
    const pauseItems: MenuItemConstructorOptions[] = [
      ...(paused ? [{ label: paused, enabled: false }, { type: 'separator' as const }] : []),
      ...PAUSE_PRESETS.map((preset) => ({
        label: strings.pausePreset(preset),
        click: () => actions.pauseNotifications(preset),
      })),
      { type: 'separator' },
      { label: strings.resume, enabled: paused !== null, click: () => actions.resumeNotifications() },
    ];
    const signedIn = model.userName !== null;
    const needsSignIn = !signedIn || model.connection === 'session-expired';
    return [
      { label: strings.openApprovals(model.pendingCount), click: () => actions.openApprovals() },
      ...this.announcementItems(model, strings),
      { type: 'separator' },
      { label: strings.pauseNotifications, submenu: pauseItems },
      {
        label: strings.startAtLogin,
        type: 'checkbox',
        checked: this.options.isStartAtLoginEnabled(),
        // Electron flips `checked` before calling us, so it is the state the user asked for.
        click: (item) => actions.setStartAtLogin(item.checked),
      },
      { type: 'separator' },
      ...(signedIn ? [{ label: strings.signedInAs(model.userName ?? ''), enabled: false }] : []),
      ...(needsSignIn ? [{ label: strings.signIn, click: () => actions.signIn() }] : []),
      ...(signedIn ? [{ label: strings.signOut, click: () => actions.signOut() }] : []),
      { type: 'separator' },
      { label: strings.quit, click: () => actions.quit() },
    ];
  }

  /**
   * "Announcements (2 unread)" under "Open approvals" while something is unread: a count of zero would
   * only add noise, and read ones stay a click away in the window.
   */
  private announcementItems(model: TrayModel, strings: TrayStrings): MenuItemConstructorOptions[] {
    if (model.unreadAnnouncements === 0 || model.userName === null) return [];
    return [
      {
        label: strings.openAnnouncements(model.unreadAnnouncements),
        click: () => this.options.actions.openAnnouncements(),
      },
    ];
  }
}
