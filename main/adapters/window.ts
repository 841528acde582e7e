// The one app window. It is created the first time it is needed (a tray app started with --hidden may
// never open it, and an unopened window costs a renderer process), closing hides it back to the tray
// unless the app is quitting, and its bounds survive restarts.
import type { BrowserWindow, BrowserWindowConstructorOptions, Shell } from 'electron';
import { CoalescingWriter } from '../core/atomic-file';
import type { Logger } from '../core/ports';
import type { EventChannel, EventPayload, NavigateTarget } from '../ipc/contract';
import { sendToRenderer } from '../ipc/register-electron';
import { type HardenableWebContents, hardenWebContents } from './web-security';
import {
  fitToDisplays,
  loadWindowBounds,
  MIN_WINDOW_SIZE,
  type Rect,
  serializeWindowBounds,
  type WindowBounds,
} from './window-bounds';

/** The BrowserWindow methods this adapter calls (test/support/fake-electron.ts fakes at least these). */
export type WindowMethods =
  | 'loadURL'
  | 'show'
  | 'hide'
  | 'focus'
  | 'isVisible'
  | 'isMinimized'
  | 'restore'
  | 'getNormalBounds'
  | 'isMaximized'
  | 'maximize'
  | 'isDestroyed';
/** Events typed by hand: Electron's `on(): this` would otherwise demand a whole BrowserWindow from fakes. */
export type WindowLike = Pick<BrowserWindow, WindowMethods> & {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  webContents: HardenableWebContents &
    Pick<BrowserWindow['webContents'], 'send' | 'isDestroyed'> & {
      on(event: 'did-finish-load', listener: () => void): unknown;
    };
};

export interface MainWindowOptions {
  /** Electron's BrowserWindow class (a fake in tests). */
  BrowserWindow: new (
    options: BrowserWindowConstructorOptions,
  ) => WindowLike;
  /**
   * The app page, `app://signoff/index.html` (main/adapters/app-protocol.ts serves it), when the
   * renderer has been built; else null and a placeholder page is shown.
   */
  pageUrl: string | null;
  preloadPath: string | null;
  boundsFile: string;
  /** Work areas of the connected screens (`screen.getAllDisplays()`), read when the window opens. */
  workAreas: () => Rect[];
  openExternal: Shell['openExternal'];
  /** macOS: the dock icon follows the window, so a tray-only app has no dock icon. */
  dock?: { show(): unknown; hide(): void } | undefined;
  title?: string;
  logger?: Logger;
}

const PLACEHOLDER_HTML =
  '<!doctype html><meta charset="utf-8"><title>Signoff</title>' +
  '<body style="font:16px system-ui;margin:3em;color:#333">Signoff is running. The approvals view is not built yet.</body>';

export class MainWindow {
  private window: WindowLike | null = null;
  private creating: Promise<WindowLike> | null = null;
  private quitting = false;
  private loaded = false;
  /** Where the page was asked to go before it had loaded; sent once it has. */
  private pendingTarget: NavigateTarget | null = null;
  private readonly boundsWriter: CoalescingWriter;

  constructor(private readonly options: MainWindowOptions) {
    this.boundsWriter = new CoalescingWriter(options.boundsFile, (error) =>
      options.logger?.warn('could not save window bounds', { error: String(error) }),
    );
  }

  /**
   * After this, closing the window really closes it (the app is on its way out). Bounds are taken
   * now, so `flushBounds()` can get them on disk before Electron tears the window down.
   */
  setQuitting(): void {
    if (this.quitting) return;
    this.quitting = true;
    this.saveBounds();
  }

  isVisible(): boolean {
    return this.window !== null && !this.window.isDestroyed() && this.window.isVisible();
  }

  async show(): Promise<void> {
    const window = await this.ensureWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    this.options.dock?.show();
  }

  hide(): void {
    if (!this.window || this.window.isDestroyed()) return;
    this.saveBounds();
    this.window.hide();
    this.options.dock?.hide();
  }

  async toggle(): Promise<void> {
    if (this.isVisible()) this.hide();
    else await this.show();
  }

  /**
   * Shows the window and has the page display `target` (a claim, or the queue). The page shows the
   * sign-in form by itself whenever nobody is signed in, so "sign in" is just the queue.
   */
  async navigate(target: NavigateTarget): Promise<void> {
    await this.show();
    if (this.loaded) this.send('navigate', target);
    else this.pendingTarget = target;
  }

  /** Resolves once the latest bounds are on disk (called while quitting). */
  flushBounds(): Promise<void> {
    return this.boundsWriter.flush();
  }

  /**
   * Sends a contract event to the page, validated, if the page is loaded. A page that loads later
   * asks for the current state itself (`state:get`), so nothing needs queueing here; only a
   * navigation is held for it (see `navigate`).
   */
  send<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    const window = this.window;
    if (!window || window.isDestroyed() || !this.loaded) return;
    sendToRenderer(window.webContents, channel, payload, this.options.logger);
  }

  private ensureWindow(): Promise<WindowLike> {
    if (this.window && !this.window.isDestroyed()) return Promise.resolve(this.window);
    this.creating ??= this.createWindow().finally(() => {
      this.creating = null;
    });
    return this.creating;
  }

  private async createWindow(): Promise<WindowLike> {
    const saved = fitToDisplays(await loadWindowBounds(this.options.boundsFile), this.options.workAreas());
    const { BrowserWindow, preloadPath } = this.options;
    // The secure webPreferences are spelled out at the construction site on purpose: reviewers and
    // electronegativity read them here. The renderer runs with no Node, sandboxed, isolated from the preload.
    const window = new BrowserWindow({
      title: this.options.title ?? 'Signoff',
      ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
      width: saved.width,
      height: saved.height,
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      // Shown by show() once the caller wants it; avoids a white flash and a window when --hidden.
      show: false,
      autoHideMenuBar: true,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
        // Middle-click (auxclick) could open a link without going through the window-open handler.
        disableBlinkFeatures: 'Auxclick',
        ...(preloadPath ? { preload: preloadPath } : {}),
      },
    });
    if (saved.maximized) window.maximize();
    this.window = window;
    this.loaded = false;
    hardenWebContents(window.webContents, this.options.openExternal, (error) =>
      this.options.logger?.warn('could not open link', { error: String(error) }),
    );

    window.on('close', (event) => {
      if (this.quitting) return; // bounds were saved by setQuitting()
      // Closing means "back to the tray": the app keeps watching for claims. hide() saves bounds.
      event.preventDefault();
      this.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    window.webContents.on('did-finish-load', () => {
      this.loaded = true;
      const target = this.pendingTarget;
      this.pendingTarget = null;
      if (target) this.send('navigate', target);
    });

    const load = this.options.pageUrl
      ? window.loadURL(this.options.pageUrl)
      : window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(PLACEHOLDER_HTML)}`);
    load.catch((error: unknown) =>
      this.options.logger?.error('window failed to load', { error: String(error) }),
    );
    return window;
  }

  private saveBounds(): void {
    const window = this.window;
    if (!window || window.isDestroyed()) return;
    // Normal bounds: the size to come back to after un-maximizing, not the maximized frame.
    const { x, y, width, height } = window.getNormalBounds();
    const bounds: WindowBounds = { x, y, width, height, maximized: window.isMaximized() };
    void this.boundsWriter.save(() => serializeWindowBounds(bounds));
  }
}
