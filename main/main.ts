// Composition root of the Electron main process: creates the adapters, hands them to the core and
// connects the pieces. Wiring only; every decision lives in main/core or main/adapters.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  net,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
} from 'electron';
import { TOAST_ACTIVATOR_CLSID } from './adapters/app-identity';
import { APP_PAGE_URL, handleAppScheme, registerAppScheme } from './adapters/app-protocol';
import { registerDeepLinks } from './adapters/deep-links';
import { createSupportActions } from './adapters/diagnostics';
import { FreedesktopNotifier } from './adapters/freedesktop-notifications';
import { GlobalShortcutFollower, SHORTCUT_TARGET } from './adapters/global-shortcut';
import { createAppLog } from './adapters/log-file';
import {
  createLoginItems,
  followStartAtLoginSetting,
  launchCommandOf,
  shouldStartHidden,
} from './adapters/login-items';
import { watchNetworkWhileDisconnected } from './adapters/network-watch';
import { ElectronNotifier } from './adapters/notifications';
import { forwardPowerEvents } from './adapters/power-events';
import { chooseReceiptFiles } from './adapters/receipt-picker';
import { openInSystemViewer } from './adapters/receipt-viewer';
import { loadKeytar, selectSecretStore } from './adapters/secret-store-selection';
import { claimSingleInstance } from './adapters/single-instance';
import { chromiumProxyResolver } from './adapters/system-proxy';
import { TrayController } from './adapters/tray';
import { denyAllPermissions } from './adapters/web-security';
import { MainWindow } from './adapters/window';
import { handleToastActivations } from './adapters/windows-toast';
import { type DeepLink, findDeepLink } from './common/deep-link';
import { demoSignInFrom } from './core/demo-sign-in';
import { createDesktopCore, trayModelOf } from './core/desktop-core';
import { messagesFor } from './core/i18n';
import { NotificationHandles } from './core/notification-handles';
import type { DesktopCore } from './core/ports';
import type { NavigateTarget } from './ipc/contract';
import { createIpcHandlers } from './ipc/handlers';
import { isTrustedSender, registerIpcHandlers } from './ipc/register-electron';

/** Printed once the tray is up; the boot test and humans watching the terminal wait for it. */
const READY_MARKER = 'signoff: ready';
/** Quitting never waits longer than this for the core to close its connection. */
const STOP_TIMEOUT_MS = 3_000;
const QUEUE: NavigateTarget = { view: 'queue' };

// dist/main/main.js and main/main.ts both sit two folders below the app root (also inside app.asar).
const appRoot = path.resolve(__dirname, '..', '..');
const rendererDir = path.join(appRoot, 'dist', 'renderer');
const existing = (file: string) => (existsSync(file) ? file : null);
// The OS's usual log folder (userData/logs on Linux and Windows, ~/Library/Logs/Signoff on macOS);
// setAppLogsPath() creates it and makes getPath('logs') safe to call before ready.
app.setAppLogsPath();
const appLog = createAppLog({ logsDir: app.getPath('logs'), console: true });
const logger = appLog.logger('main');
const platform = process.platform;
// Electron accepts privileged schemes only before ready: the window's page is served from app://signoff.
registerAppScheme(protocol);

let window: MainWindow | null = null;
let core: DesktopCore | null = null;
let stopped = false;
/** A claim link that arrived before the window could open it (a cold start from a link). */
let pendingLink: DeepLink | null = findDeepLink(process.argv);

/** A claim in the window, with Approve or Reject started (the window still asks to confirm). */
function claimTarget(claimId: string, intent?: 'approve' | 'reject'): NavigateTarget {
  return { view: 'claim', claimId, ...(intent ? { intent } : {}) };
}

function openLink(link: DeepLink): void {
  if (window) inBackground('open link', window.navigate(claimTarget(link.claimId, link.intent)));
  else pendingLink = link;
}

/** Runs a promise the UI does not wait on; failures are logged instead of becoming unhandled. */
function inBackground(what: string, work: Promise<unknown>): void {
  work.catch((error: unknown) => logger.error(`${what} failed`, { error: String(error) }));
}

const firstInstance = claimSingleInstance(app, (argv) => {
  const link = findDeepLink(argv);
  if (link) openLink(link);
  else if (window) inBackground('show window', window.show());
});
if (!firstInstance) {
  // Another Signoff is running and has been told to come forward; this one leaves quietly.
  app.quit();
} else {
  // Windows: one fixed toast activator id, before any toast, matching the installer's shortcut.
  if (process.platform === 'win32') app.setToastActivatorCLSID(TOAST_ACTIVATOR_CLSID);
  // Before ready: macOS delivers a link that launched the app as `open-url` right after start.
  registerDeepLinks(
    app,
    { defaultApp: process.defaultApp === true, execPath: process.execPath, appArgument: process.argv[1] },
    openLink,
  );
  // A tray app outlives its window: without a listener Electron would quit when the window closes.
  app.on('window-all-closed', () => {});
  app.on('activate', () => window && inBackground('show window', window.show()));
  app.on('before-quit', (event) => {
    window?.setQuitting();
    if (stopped) return;
    event.preventDefault();
    inBackground('quit', stopThenQuit());
  });
  app.whenReady().then(start, (error: unknown) => {
    logger.error('start-up failed', { error: String(error) });
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const userDataDir = app.getPath('userData');
  logger.info('starting', { version: app.getVersion(), log: appLog.file });
  const secretStore = await selectSecretStore({ loadKeytar, safeStorage, userDataDir, platform, logger });
  logger.info('secret storage selected', { kind: secretStore.store.kind, reason: secretStore.reason });

  denyAllPermissions(session.defaultSession);
  // Before any window exists, so the page's first request already finds its handler.
  handleAppScheme(protocol, rendererDir);
  const pageUrl = existing(path.join(rendererDir, 'index.html')) ? APP_PAGE_URL : null;
  const mainWindow = new MainWindow({
    BrowserWindow,
    pageUrl,
    preloadPath: existing(path.join(appRoot, 'dist', 'preload', 'preload.js')),
    boundsFile: path.join(userDataDir, 'window-state.json'),
    workAreas: () => screen.getAllDisplays().map((display) => display.workArea),
    openExternal: (url) => shell.openExternal(url),
    dock: platform === 'darwin' ? app.dock : undefined,
    logger,
  });
  window = mainWindow;

  const openTarget = (target: NavigateTarget) =>
    inBackground('open notification', mainWindow.navigate(target));
  const iconPath = path.join(appRoot, 'assets', 'icon.png');
  // Windows: toasts of an earlier run (Action Center) and the toast that started the app.
  if (platform === 'win32') {
    handleToastActivations(Notification, openLink, () => inBackground('show window', mainWindow.show()));
  }
  // One file of what is on screen, so the next run can close a claim decided meanwhile (issue 13).
  const handlesFile = path.join(userDataDir, 'notification-handles.json');
  const electronNotifier = new ElectronNotifier({
    Notification,
    onClick: openTarget,
    platform,
    setAppUserModelId: (id) => app.setAppUserModelId(id),
    iconPath,
    logger,
    ...(platform === 'linux'
      ? {}
      : { handles: await NotificationHandles.load(handlesFile, `electron-${platform}`, logger) }),
  });
  // Linux: buttons need the desktop's notification server over D-Bus (Electron has none there);
  // without one that offers actions, Electron's notifications as before (also if it goes away later).
  const notifier =
    (platform === 'linux'
      ? await FreedesktopNotifier.connect({
          onClick: openTarget,
          iconPath,
          logger,
          fallback: electronNotifier,
          handlesFile,
        })
      : null) ?? electronNotifier;

  const desktopCore = createDesktopCore({
    userDataDir,
    secrets: secretStore.store,
    notifier,
    logger: appLog.logger('core'),
    osLocale: app.getLocale(),
    systemProxy: chromiumProxyResolver(session.defaultSession),
    // Company sign-in happens in the user's own browser (RFC 8252), never in a window of ours.
    browser: {
      open: (url) => shell.openExternal(url),
      returned: () => inBackground('show window', mainWindow.show()),
    },
    openClaim: (claimId, intent) => openTarget(claimTarget(claimId, intent)),
  });
  core = desktopCore;

  const loginItems = createLoginItems({
    platform,
    app,
    command: launchCommandOf({
      execPath: process.execPath,
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      env: process.env,
    }),
  });

  const tray: TrayController = new TrayController({
    factories: {
      createTray: (image) => new Tray(image),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      createImage: (file) => nativeImage.createFromPath(file),
      setBadgeCount: (count) => app.setBadgeCount(count),
    },
    actions: {
      openApprovals: () => inBackground('open approvals', mainWindow.navigate(QUEUE)),
      toggleWindow: () => inBackground('toggle window', mainWindow.toggle()),
      pauseNotifications: (preset) =>
        inBackground('pause notifications', desktopCore.pauseNotifications(preset)),
      resumeNotifications: () =>
        inBackground('resume notifications', desktopCore.pauseNotifications('resume')),
      setStartAtLogin: (enabled) =>
        inBackground('start at login', desktopCore.updateSettings({ startAtLogin: enabled })),
      // The page shows the sign-in form by itself whenever nobody is signed in.
      signIn: () => inBackground('open sign-in', mainWindow.navigate(QUEUE)),
      signOut: () => inBackground('sign out', desktopCore.signOut()),
      quit: () => app.quit(),
      openAnnouncements: () =>
        inBackground('open announcements', mainWindow.navigate({ view: 'announcements' })),
    },
    platform,
    assetsDir: path.join(appRoot, 'assets'),
    isStartAtLoginEnabled: () => loginItems.isEnabled(),
  });
  const support = createSupportActions({
    shell,
    clipboard,
    log: appLog,
    core: desktopCore,
    environment: {
      appVersion: app.getVersion(),
      versions: process.versions,
      os: `${os.type()} ${os.release()} (${platform} ${process.arch})`,
      osLocale: app.getLocale(),
    },
  });
  // Only the app's own page may call the core: the app:// origin it is served from is the one trusted sender.
  registerIpcHandlers(
    ipcMain,
    createIpcHandlers(desktopCore, {
      openExternal: (url) => shell.openExternal(url),
      openLogsFolder: () => support.openLogsFolder(),
      copyDiagnostics: () => support.copyDiagnostics(),
      openFile: (file) => openInSystemViewer(shell, file),
      chooseReceiptFiles: () => {
        const m = messagesFor(desktopCore.snapshot().locale);
        const labels = { title: m.receiptPickerTitle, filter: m.receiptPickerFilter };
        // The page asked from its own window, which has the focus: the dialog is modal to it.
        return chooseReceiptFiles(dialog, BrowserWindow.getFocusedWindow(), labels);
      },
      logger,
    }),
    (url) => pageUrl !== null && isTrustedSender(url, APP_PAGE_URL),
    logger,
  );

  desktopCore.subscribe((snapshot) => {
    tray.render(trayModelOf(snapshot));
    mainWindow.send('state:changed', snapshot);
  });
  tray.render(trayModelOf(desktopCore.snapshot()));
  // The global shortcut follows its setting; a refused one is told as a notification, never silent.
  const shortcut = new GlobalShortcutFollower({
    registrar: globalShortcut,
    onPressed: () => inBackground('open approvals', mainWindow.navigate(SHORTCUT_TARGET)),
    onRefused: (accelerator) => {
      logger.warn('global shortcut refused by the OS', { accelerator });
      const m = messagesFor(desktopCore.snapshot().locale);
      notifier.show({
        id: 'shortcut-refused',
        title: m.shortcutTakenTitle,
        body: m.shortcutTakenBody(accelerator),
      });
    },
    logger,
  });
  app.on('will-quit', () => shortcut.release());
  forwardPowerEvents(powerMonitor, desktopCore);
  watchNetworkWhileDisconnected(desktopCore, () => net.isOnline());

  try {
    await desktopCore.start();
    const demo = demoSignInFrom(process.env);
    if (demo && desktopCore.snapshot().user === null) {
      if (demo.sso) await desktopCore.signInWithSso(demo.serverUrl);
      else await desktopCore.signIn(demo.serverUrl, demo.username, demo.password);
    }
  } catch (error) {
    // The tray still works (sign in, quit) even if restoring the last session failed.
    logger.error('core failed to start', { error: String(error) });
  }
  // After start(): the saved settings are loaded, so the OS state can be adopted over them.
  followStartAtLoginSetting(
    desktopCore,
    loginItems,
    () => tray.refresh(),
    (what, error) => logger.error(`could not ${what}`, { error: String(error) }),
  );
  // Once the saved settings are loaded, so a default shortcut is never tried before the user's own.
  shortcut.follow(desktopCore.snapshot().settings.globalShortcut);
  desktopCore.subscribe((snapshot) => shortcut.follow(snapshot.settings.globalShortcut));
  if (pendingLink) await mainWindow.navigate(claimTarget(pendingLink.claimId, pendingLink.intent));
  else if (!shouldStartHidden(process.argv, platform, app)) await mainWindow.navigate(QUEUE);
  pendingLink = null;
  console.log(READY_MARKER);
}

async function stopThenQuit(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn('shutdown took too long; quitting anyway');
      resolve();
    }, STOP_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all([core?.stop(), window?.flushBounds()]), timeout]);
  } catch (error) {
    logger.error('shutdown failed', { error: String(error) });
  } finally {
    clearTimeout(timer);
  }
  stopped = true;
  console.log('signoff: stopped');
  app.quit();
}
