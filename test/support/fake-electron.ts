// A fake of the slice of the `electron` module Signoff uses, for tests and the boot check under plain
// Node (the Electron binary cannot run here). Every class declares `implements Pick<RealType, ...>` of
// Electron's own types, so a signature change in an Electron upgrade breaks the typecheck instead of
// letting the fake drift. Where Electron returns a rich object we only partly fake (NativeImage, Menu,
// Display) the factory casts once, at the boundary, and tests read the fake's own fields.
//
// It behaves like Electron where the app's logic depends on it: `close` is cancellable, quitting
// closes windows and aborts when one refuses, `ready` fires after the main script has run, and
// `second-instance` is delivered to the instance that holds the lock.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  App,
  BrowserWindowConstructorOptions,
  Clipboard,
  CustomScheme,
  Dialog,
  Display,
  Event as ElectronEvent,
  Menu as ElectronMenu,
  Notification as ElectronNotification,
  Tray as ElectronTray,
  GlobalShortcut,
  HandlerDetails,
  LoginItemSettings,
  MenuItemConstructorOptions,
  NativeImage,
  NotificationActionEventParams,
  NotificationConstructorOptions,
  NotificationReplyEventParams,
  OpenDialogOptions,
  OpenDialogReturnValue,
  Protocol,
  Rectangle,
  SafeStorage,
  Screen,
  Session,
  Settings,
  Shell,
  WebContents,
  WindowOpenHandlerResponse,
} from 'electron';
import type { WindowMethods } from '../../main/adapters/window';

// ---------- recording ----------

export interface RecordedCall {
  target: string;
  method: string;
  args: unknown[];
}

type StorageBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

/** Knobs a test turns before exercising an adapter, and what the fake recorded. */
export const fake = {
  calls: [] as RecordedCall[],
  trays: [] as Tray[],
  windows: [] as BrowserWindow[],
  notifications: [] as Notification[],
  openedExternal: [] as string[],
  /** Paths handed to `shell.openPath` (folders and files opened with the OS's default app). */
  openedPaths: [] as string[],
  /** What `clipboard.writeText` last put on the clipboard. */
  clipboardText: '',
  /** What the next `dialog.showOpenDialog` calls answer, in order (the user's choices); then cancelled. */
  openDialogAnswers: [] as OpenDialogReturnValue[],
  /** Every `dialog.showOpenDialog`: its options and whether it was modal to a window. */
  openDialogs: [] as Array<{ options: OpenDialogOptions; modal: boolean }>,
  /** `protocol.registerSchemesAsPrivileged` calls, with whether `app` was already ready then. */
  privilegedSchemes: [] as Array<{ schemes: CustomScheme[]; afterReady: boolean }>,
  /** What `requestSingleInstanceLock()` answers: false simulates a second launch. */
  singleInstanceLockAvailable: true,
  notificationsSupported: true,
  encryptionAvailable: true,
  storageBackend: 'gnome_libsecret' as StorageBackend,
  loginItem: { openAtLogin: false, args: [] as string[], path: '', wasOpenedAtLogin: false },
  badgeCount: 0,
  appUserModelId: null as string | null,
  /** Accelerators another app holds: `globalShortcut.register` answers false for them. */
  takenShortcuts: [] as string[],
  /** `app.setAsDefaultProtocolClient` registrations: scheme, and the command when one was named. */
  protocolClients: [] as Array<{ protocol: string; path?: string; args?: string[] }>,
  locale: 'en-US',
  userDataDir: process.env.FAKE_ELECTRON_USER_DATA ?? path.join(os.tmpdir(), 'signoff-fake-electron'),
  displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  /** Set by the boot harness: real Electron ends the process once `quit` has been emitted. */
  onQuit: null as ((exitCode: number) => void) | null,
  quitCount: 0,
  /** Called with every recorded call (the boot harness streams them to the test). */
  onRecord: null as ((call: RecordedCall) => void) | null,
};

function record(target: string, method: string, ...args: unknown[]): void {
  const call = { target, method, args };
  fake.calls.push(call);
  fake.onRecord?.(call);
}

export function callsTo(target: string, method?: string): RecordedCall[] {
  return fake.calls.filter((c) => c.target === target && (method === undefined || c.method === method));
}

/** Puts every knob back and forgets every object, between tests. Listeners on `app` are removed too. */
export function resetFakeElectron(): void {
  fake.calls = [];
  fake.trays = [];
  fake.windows = [];
  fake.notifications = [];
  fake.openedExternal = [];
  fake.openedPaths = [];
  fake.clipboardText = '';
  fake.openDialogAnswers = [];
  fake.openDialogs = [];
  fake.privilegedSchemes = [];
  protocol.handlers.clear();
  fake.singleInstanceLockAvailable = true;
  fake.notificationsSupported = true;
  fake.encryptionAvailable = true;
  fake.storageBackend = 'gnome_libsecret';
  fake.loginItem = { openAtLogin: false, args: [], path: '', wasOpenedAtLogin: false };
  fake.badgeCount = 0;
  fake.appUserModelId = null;
  fake.protocolClients = [];
  fake.takenShortcuts = [];
  shortcuts.clear();
  fake.locale = 'en-US';
  fake.displays = [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  fake.onQuit = null;
  fake.quitCount = 0;
  fake.onRecord = null;
  app.removeAllListeners();
  app.resetQuitState();
  ipcMain.handlers.clear();
  powerMonitor.removeAllListeners();
  permissionRequestHandler = null;
  permissionCheckHandler = null;
}

/** Electron's cancellable event object. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

// ---------- nativeImage ----------

export class FakeNativeImage
  implements Pick<NativeImage, 'isEmpty' | 'setTemplateImage' | 'isTemplateImage'>
{
  private template = false;
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    // Like Electron: a missing or unreadable file gives an empty image rather than an error.
    return this.path === '' || !existsSync(this.path);
  }
  setTemplateImage(option: boolean): void {
    this.template = option;
  }
  isTemplateImage(): boolean {
    // Electron marks files named *Template.png as template images by itself.
    return this.template || /Template(@\dx)?\.png$/.test(this.path);
  }
}

export const nativeImage = {
  createFromPath(imagePath: string): NativeImage {
    record('nativeImage', 'createFromPath', imagePath);
    return new FakeNativeImage(imagePath) as unknown as NativeImage;
  },
  createEmpty(): NativeImage {
    return new FakeNativeImage('') as unknown as NativeImage;
  },
};

// ---------- Menu ----------

export class FakeMenu {
  constructor(readonly template: MenuItemConstructorOptions[]) {}
  /** Finds a top-level or submenu item by its label, for clicking it like a user would. */
  find(label: string): MenuItemConstructorOptions | undefined {
    const walk = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions | undefined => {
      for (const item of items) {
        if (item.label === label) return item;
        if (Array.isArray(item.submenu)) {
          const inner = walk(item.submenu as MenuItemConstructorOptions[]);
          if (inner) return inner;
        }
      }
      return undefined;
    };
    return walk(this.template);
  }
  labels(): string[] {
    return this.template.filter((i) => i.type !== 'separator').map((i) => i.label ?? '');
  }
  /** Clicks an item the way Electron does: the handler gets the item, no window and an event. */
  click(label: string): void {
    const item = this.find(label);
    if (!item) throw new Error(`fake Menu: no item labelled ${JSON.stringify(label)} in ${this.labels()}`);
    if (item.enabled === false) throw new Error(`fake Menu: item ${JSON.stringify(label)} is disabled`);
    (item.click as ((...args: unknown[]) => void) | undefined)?.({ checked: !item.checked }, undefined, {});
  }
}

export const Menu = {
  buildFromTemplate(template: MenuItemConstructorOptions[]): ElectronMenu {
    record('Menu', 'buildFromTemplate', template);
    return new FakeMenu(template) as unknown as ElectronMenu;
  },
};

// ---------- Tray ----------

export class Tray
  extends EventEmitter
  implements
    Pick<ElectronTray, 'setImage' | 'setToolTip' | 'setTitle' | 'setContextMenu' | 'destroy' | 'isDestroyed'>
{
  image: FakeNativeImage | string;
  toolTip = '';
  title = '';
  contextMenu: FakeMenu | null = null;
  contextMenuSetCount = 0;
  private destroyed = false;

  constructor(image: NativeImage | string, guid?: string) {
    super();
    this.image = image as unknown as FakeNativeImage | string;
    record('Tray', 'constructor', image, guid);
    fake.trays.push(this);
  }
  setImage(image: NativeImage | string): void {
    record('Tray', 'setImage', image);
    this.image = image as unknown as FakeNativeImage | string;
  }
  setToolTip(toolTip: string): void {
    record('Tray', 'setToolTip', toolTip);
    this.toolTip = toolTip;
  }
  setTitle(title: string): void {
    record('Tray', 'setTitle', title);
    this.title = title;
  }
  setContextMenu(menu: ElectronMenu | null): void {
    record('Tray', 'setContextMenu', menu);
    this.contextMenu = menu as unknown as FakeMenu | null;
    this.contextMenuSetCount += 1;
  }
  destroy(): void {
    record('Tray', 'destroy');
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The image's file path, whichever way it was given. */
  imagePath(): string {
    return typeof this.image === 'string' ? this.image : this.image.path;
  }
}

// ---------- Notification ----------

export class Notification
  extends EventEmitter
  implements Pick<ElectronNotification, 'show' | 'close' | 'title' | 'body'>
{
  title: string;
  body: string;
  shown = false;
  closed = false;

  static isSupported(): boolean {
    return fake.notificationsSupported;
  }

  /** macOS: removes delivered notifications by identifier (recorded; nothing is on a real screen). */
  static remove(id: string | string[]): void {
    record('Notification', 'remove', id);
  }

  constructor(readonly options: NotificationConstructorOptions = {}) {
    super();
    this.title = options.title ?? '';
    this.body = options.body ?? '';
    record('Notification', 'constructor', options);
    fake.notifications.push(this);
  }
  show(): void {
    record('Notification', 'show', this.title);
    this.shown = true;
    this.emit('show', fakeEvent());
  }
  close(): void {
    record('Notification', 'close', this.title);
    if (this.closed) return;
    this.closed = true;
    this.emit('close', fakeEvent());
  }
  /** What the OS does when the user clicks the toast. */
  click(): void {
    this.emit('click', fakeEvent());
  }
  /** A button of `options.actions` pressed (macOS, Windows): Electron's details, then the deprecated index. */
  pressAction(actionIndex: number): void {
    const details: ElectronEvent<NotificationActionEventParams> = {
      ...fakeEvent(),
      actionIndex,
      selectionIndex: -1,
    };
    this.emit('action', details, actionIndex, -1);
  }
  /** Text sent from the reply field of a notification with `hasReply` (macOS, Windows). */
  sendReply(reply: string): void {
    const details: ElectronEvent<NotificationReplyEventParams> = { ...fakeEvent(), reply };
    this.emit('reply', details, reply);
  }
}

// ---------- BrowserWindow ----------

export class FakeWebContents
  extends EventEmitter
  implements Pick<WebContents, 'send' | 'setWindowOpenHandler' | 'getURL' | 'isDestroyed'>
{
  sent: Array<{ channel: string; args: unknown[] }> = [];
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  url = '';
  destroyed = false;

  send(channel: string, ...args: unknown[]): void {
    record('webContents', 'send', channel, ...args);
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Simulates a page trying to navigate; returns whether the app let it. */
  attemptNavigation(url: string): boolean {
    const event = fakeEvent();
    this.emit('will-navigate', event, url);
    return !event.defaultPrevented;
  }
  /** Simulates `window.open(url)` from the page; returns the app's decision. */
  attemptWindowOpen(url: string): WindowOpenHandlerResponse {
    if (!this.openHandler) return { action: 'allow' };
    return this.openHandler({
      url,
      frameName: '',
      features: '',
      disposition: 'new-window',
      referrer: { url: '', policy: 'default' },
    } as HandlerDetails);
  }
}

/** Everything the window adapter calls, plus what tests use to play the user and the OS. */
type FakedWindowMethods = WindowMethods | 'minimize' | 'getBounds' | 'setBounds' | 'close' | 'destroy';

export class BrowserWindow
  extends EventEmitter
  implements Pick<import('electron').BrowserWindow, FakedWindowMethods>
{
  readonly webContents = new FakeWebContents();
  loaded: { kind: 'url'; target: string } | null = null;
  /** HTTP status a registered protocol handler answered for the loaded URL; null when none handles its scheme. */
  loadStatus: number | null = null;
  private visible: boolean;
  private minimized = false;
  private maximized = false;
  private destroyed = false;
  private bounds: Rectangle;

  static getAllWindows(): BrowserWindow[] {
    return fake.windows.filter((w) => !w.isDestroyed());
  }

  /** The last window shown or focused and not hidden since (Electron: the one with keyboard focus). */
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.getAllWindows().find((w) => w.focused) ?? null;
  }
  focused = false;

  constructor(readonly options: BrowserWindowConstructorOptions = {}) {
    super();
    record('BrowserWindow', 'constructor', options);
    this.visible = options.show !== false;
    this.bounds = {
      x: options.x ?? 100,
      y: options.y ?? 100,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    fake.windows.push(this);
  }
  async loadURL(url: string): Promise<void> {
    record('BrowserWindow', 'loadURL', url);
    this.loaded = { kind: 'url', target: url };
    this.webContents.url = url;
    // Like Chromium: a scheme with a `protocol.handle` handler is fetched through it, and a failed
    // answer fails the load (ERR_HTTP_RESPONSE_CODE_FAILURE) instead of showing a page.
    const handled = await protocol.fetch(url);
    this.loadStatus = handled?.status ?? null;
    if (handled && !handled.ok) throw new Error(`ERR_HTTP_RESPONSE_CODE_FAILURE (-379) loading '${url}'`);
    this.finishLoadingSoon();
  }
  /** Like Chromium: the page finishes loading after loadURL returns, then the window is paintable. */
  private finishLoadingSoon(): void {
    setImmediate(() => {
      if (this.destroyed) return;
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    });
  }
  show(): void {
    record('BrowserWindow', 'show');
    this.visible = true;
    // Electron's show() also focuses the window.
    for (const other of fake.windows) other.focused = other === this;
    this.emit('show');
  }
  hide(): void {
    record('BrowserWindow', 'hide');
    this.visible = false;
    this.focused = false;
    this.emit('hide');
  }
  focus(): void {
    record('BrowserWindow', 'focus');
    for (const other of fake.windows) other.focused = other === this;
    this.emit('focus');
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
    this.emit('minimize');
  }
  restore(): void {
    record('BrowserWindow', 'restore');
    this.minimized = false;
    this.emit('restore');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  getBounds(): Rectangle {
    return { ...this.bounds };
  }
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<Rectangle>): void {
    record('BrowserWindow', 'setBounds', bounds);
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('resize');
    this.emit('move');
  }
  /** A user-driven (or app-driven) close: listeners may cancel it, as in Electron. */
  close(): void {
    record('BrowserWindow', 'close');
    if (this.destroyed) return;
    const event = fakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

// ---------- app ----------

type AppMethods =
  | 'whenReady'
  | 'isReady'
  | 'requestSingleInstanceLock'
  | 'setLoginItemSettings'
  | 'getLoginItemSettings'
  | 'setAppUserModelId'
  | 'setBadgeCount'
  | 'getPath'
  | 'getLocale'
  | 'quit'
  | 'exit'
  | 'getAppPath'
  | 'getName'
  | 'getVersion'
  | 'setAppLogsPath'
  | 'isPackaged'
  | 'setAsDefaultProtocolClient';

class FakeApp extends EventEmitter implements Pick<App, AppMethods> {
  private ready = false;
  private readyPromise: Promise<void>;
  private quitting = false;
  readonly isPackaged = false;
  dock: { hide(): void; show(): Promise<void>; setBadge(text: string): void } | undefined;

  constructor() {
    super();
    // Electron emits `ready` after the main script's synchronous part has run.
    this.readyPromise = new Promise((resolve) => {
      setImmediate(() => {
        this.ready = true;
        this.emit('ready', fakeEvent(), {});
        resolve();
      });
    });
    this.dock = {
      hide: () => record('app.dock', 'hide'),
      show: async () => record('app.dock', 'show'),
      setBadge: (text: string) => record('app.dock', 'setBadge', text),
    };
  }
  resetQuitState(): void {
    this.quitting = false;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.ready;
  }
  getName(): string {
    return 'Signoff';
  }
  getVersion(): string {
    return '0.1.0-fake';
  }
  setAppLogsPath(logsPath?: string): void {
    record('app', 'setAppLogsPath', logsPath);
  }
  getAppPath(): string {
    return process.cwd();
  }
  requestSingleInstanceLock(): boolean {
    record('app', 'requestSingleInstanceLock');
    return fake.singleInstanceLockAvailable;
  }
  /** What Electron does in the first instance when a second one is launched. */
  simulateSecondInstance(argv: string[], workingDirectory = process.cwd()): void {
    this.emit('second-instance', fakeEvent(), argv, workingDirectory, {});
  }
  setLoginItemSettings(settings: Settings): void {
    record('app', 'setLoginItemSettings', settings);
    fake.loginItem = {
      ...fake.loginItem,
      openAtLogin: settings.openAtLogin ?? false,
      args: settings.args ?? [],
      path: settings.path ?? '',
    };
  }
  getLoginItemSettings(): LoginItemSettings {
    record('app', 'getLoginItemSettings');
    return {
      openAtLogin: fake.loginItem.openAtLogin,
      wasOpenedAtLogin: fake.loginItem.wasOpenedAtLogin,
      status: fake.loginItem.openAtLogin ? 'enabled' : 'not-registered',
      executableWillLaunchAtLogin: fake.loginItem.openAtLogin,
      launchItems: [],
    };
  }
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean {
    record('app', 'setAsDefaultProtocolClient', protocol, path, args);
    fake.protocolClients.push({
      protocol,
      ...(path === undefined ? {} : { path }),
      ...(args ? { args } : {}),
    });
    return true;
  }
  /** What macOS does when a `signoff://` link is opened while the app runs (or launches it). */
  simulateOpenUrl(url: string): FakeEvent {
    const event = fakeEvent();
    this.emit('open-url', event, url);
    return event;
  }
  setAppUserModelId(id: string): void {
    record('app', 'setAppUserModelId', id);
    fake.appUserModelId = id;
  }
  setBadgeCount(count?: number): boolean {
    record('app', 'setBadgeCount', count);
    fake.badgeCount = count ?? 0;
    return true;
  }
  getPath(name: Parameters<App['getPath']>[0]): string {
    if (name === 'userData') return fake.userDataDir;
    if (name === 'home') return os.homedir();
    if (name === 'temp') return os.tmpdir();
    return path.join(fake.userDataDir, name);
  }
  getLocale(): string {
    return fake.locale;
  }
  /** Electron's order: before-quit (cancellable), close every window (any refusal cancels), will-quit, quit. */
  quit(): void {
    record('app', 'quit');
    if (this.quitting) return;
    const beforeQuit = fakeEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    for (const window of BrowserWindow.getAllWindows()) {
      window.close();
      if (!window.isDestroyed()) return;
    }
    const willQuit = fakeEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.quitting = true;
    fake.quitCount += 1;
    this.emit('quit', fakeEvent(), 0);
    fake.onQuit?.(0);
  }
  exit(exitCode = 0): void {
    record('app', 'exit', exitCode);
    this.quitting = true;
    fake.onQuit?.(exitCode);
  }
}

export const app = new FakeApp();

// ---------- the rest ----------

/** Accelerators registered through `globalShortcut`, with what pressing them runs. */
const shortcuts = new Map<string, () => void>();

export const globalShortcut: Pick<
  GlobalShortcut,
  'register' | 'unregister' | 'unregisterAll' | 'isRegistered'
> & {
  /** What the OS does when the user presses a registered shortcut anywhere. */
  press(accelerator: string): void;
} = {
  register(accelerator, callback) {
    record('globalShortcut', 'register', accelerator);
    // Electron answers false when another app holds the shortcut.
    if (fake.takenShortcuts.includes(accelerator) || shortcuts.has(accelerator)) return false;
    shortcuts.set(accelerator, callback);
    return true;
  },
  unregister(accelerator) {
    record('globalShortcut', 'unregister', accelerator);
    shortcuts.delete(accelerator);
  },
  unregisterAll() {
    record('globalShortcut', 'unregisterAll');
    shortcuts.clear();
  },
  isRegistered: (accelerator) => shortcuts.has(accelerator),
  press(accelerator) {
    shortcuts.get(accelerator)?.();
  },
};

export const powerMonitor = new EventEmitter();

export const safeStorage: Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'
> = {
  isEncryptionAvailable: () => fake.encryptionAvailable,
  getSelectedStorageBackend: () => fake.storageBackend,
  // Not cryptography, just enough that the plaintext never appears in what gets written.
  encryptString: (plainText: string) => {
    if (!fake.encryptionAvailable) throw new Error('Encryption is not available.');
    return Buffer.from(`fake-enc:${Buffer.from(plainText, 'utf8').reverse().toString('base64')}`);
  },
  decryptString: (encrypted: Buffer) => {
    const text = encrypted.toString('utf8');
    if (!text.startsWith('fake-enc:'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice('fake-enc:'.length), 'base64').reverse().toString('utf8');
  },
};

type PermissionHandler = Parameters<Session['setPermissionRequestHandler']>[0];
let permissionRequestHandler: PermissionHandler = null;
let permissionCheckHandler: ((...args: never[]) => boolean) | null = null;

export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: PermissionHandler): void {
      record('session', 'setPermissionRequestHandler');
      permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: ((...args: never[]) => boolean) | null): void {
      record('session', 'setPermissionCheckHandler');
      permissionCheckHandler = handler;
    },
    /** No proxy configured on this fake system. */
    async resolveProxy(_url: string): Promise<string> {
      return 'DIRECT';
    },
  } satisfies Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'resolveProxy'>,
};

/** What a page's synchronous permission query (e.g. `navigator.permissions`) would be told. */
export function checkPermission(permission: string): boolean {
  if (!permissionCheckHandler) return true; // Electron's default: granted
  return (permissionCheckHandler as unknown as (wc: null, permission: string) => boolean)(null, permission);
}

/** Asks the installed permission handler, as Chromium would when a page requests `permission`. */
export function requestPermission(permission: 'notifications' | 'media' | 'geolocation'): Promise<boolean> {
  return new Promise((resolve) => {
    if (!permissionRequestHandler) return resolve(true); // Electron's default is to grant.
    permissionRequestHandler({} as WebContents, permission, resolve, {} as never);
  });
}

export const shell: Pick<Shell, 'openExternal' | 'openPath'> = {
  async openExternal(url: string): Promise<void> {
    record('shell', 'openExternal', url);
    fake.openedExternal.push(url);
  },
  /** Like Electron: resolves with an error message, '' on success (a missing path is an error). */
  async openPath(target: string): Promise<string> {
    record('shell', 'openPath', target);
    if (!existsSync(target)) return `Failed to open path: ${target}`;
    fake.openedPaths.push(target);
    return '';
  },
};

/** The native open-file dialog: answers from `fake.openDialogAnswers`, else as if the user cancelled. */
export const dialog: Pick<Dialog, 'showOpenDialog'> = {
  showOpenDialog: (async (
    windowOrOptions: BrowserWindow | OpenDialogOptions,
    maybeOptions?: OpenDialogOptions,
  ): Promise<OpenDialogReturnValue> => {
    const modal = windowOrOptions instanceof BrowserWindow;
    const options = (modal ? maybeOptions : windowOrOptions) as OpenDialogOptions;
    record('dialog', 'showOpenDialog', options, modal);
    fake.openDialogs.push({ options, modal });
    return fake.openDialogAnswers.shift() ?? { canceled: true, filePaths: [] };
  }) as Dialog['showOpenDialog'],
};

export const clipboard: Pick<Clipboard, 'writeText' | 'readText'> = {
  // Electron's clipboard is synchronous; the type's Promise return covers the renderer's variant.
  writeText(text: string): Promise<void> {
    record('clipboard', 'writeText', text.length);
    fake.clipboardText = text;
    return Promise.resolve();
  },
  async readText(): Promise<string> {
    return fake.clipboardText;
  },
};

type ProtocolHandler = Parameters<Protocol['handle']>[1];

/** The default session's protocol: privileged schemes (before ready only) and `handle` handlers. */
export const protocol = {
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void {
    record('protocol', 'registerSchemesAsPrivileged', customSchemes);
    // Electron takes these only before ready (renderer processes are configured by then): recorded
    // with the moment, so the boot test can say "too late" rather than crash somewhere else.
    fake.privilegedSchemes.push({ schemes: customSchemes, afterReady: app.isReady() });
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    record('protocol', 'handle', scheme);
    if (!app.isReady()) throw new Error('protocol.handle cannot be used before the app is ready');
    if (this.handlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`);
    this.handlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  },
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  },
  /** What the page (or the window loading a URL) gets for `url`; null when no handler owns its scheme. */
  async fetch(url: string, method = 'GET'): Promise<Response | null> {
    const scheme = url.slice(0, Math.max(0, url.indexOf(':')));
    const handler = this.handlers.get(scheme);
    if (!handler) return null;
    return handler(new Request(url, { method }));
  },
} satisfies Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle' | 'unhandle' | 'isProtocolHandled'> & {
  handlers: Map<string, ProtocolHandler>;
  fetch(url: string, method?: string): Promise<Response | null>;
};

export const screen: Pick<Screen, 'getAllDisplays'> = {
  getAllDisplays: () => fake.displays.map((d) => ({ ...d, bounds: d.workArea }) as unknown as Display),
};

export const net = {
  isOnline: (): boolean => true,
};

type InvokeListener = (event: { senderFrame: { url: string } | null }, payload: unknown) => unknown;

/** ipcMain's invoke half: handlers by channel, and `invoke()` to play a renderer calling one. */
export const ipcMain = {
  handlers: new Map<string, InvokeListener>(),
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    record('ipcMain', 'handle', channel);
    this.handlers.set(channel, listener);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
  /** What a renderer's `ipcRenderer.invoke(channel, payload)` from a frame at `senderUrl` gets back. */
  async invoke(channel: string, payload: unknown, senderUrl: string | null): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, payload);
  },
};

export default {
  app,
  BrowserWindow,
  clipboard,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
};
