// Preloaded with `node --require <bundled harness> dist/main/main.js`: makes `require('electron')`
// return the fake, so the real bundle boots under plain Node. The test drives it over stdin with one
// JSON command per line and reads `@@fake-electron <json>` lines from stdout.
//   {"cmd":"state"}                         → prints what the fake holds (trays, menus, windows, ...)
//   {"cmd":"click-menu","label":"Quit"}     → clicks a tray menu item like a user
//   {"cmd":"click-tray"}                    → clicks the tray icon
//   {"cmd":"second-instance","argv":[...]}  → another launch of the app
//   {"cmd":"open-url","url":"signoff://…"}   → macOS opening a link with the app
//   {"cmd":"power","event":"resume"}        → a powerMonitor event
//   {"cmd":"fetch","url":"app://…"}          → what the registered protocol handler answers for that URL
import Module from 'node:module';
import { createInterface } from 'node:readline';
import * as electron from './fake-electron';
import { app, fake, ipcMain, powerMonitor, protocol } from './fake-electron';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: Loader };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = function load(this: unknown, request, parent, isMain) {
  if (request === 'electron') return electron;
  return originalLoad.call(this, request, parent, isMain);
};

export const MARKER = '@@fake-electron';

function report(event: string, data: unknown): void {
  process.stdout.write(`${MARKER} ${JSON.stringify({ event, data })}\n`);
}

// A test can play the second launch: requestSingleInstanceLock() then answers false.
if (process.env.FAKE_ELECTRON_NO_LOCK === '1') fake.singleInstanceLockAvailable = false;

// Electron's run loop keeps the process alive until quit, even with nothing else scheduled.
const runLoop = setInterval(() => {}, 1 << 30);
// Real Electron ends the process once `quit` has been emitted, whatever handles are still open.
fake.onQuit = (exitCode) => {
  clearInterval(runLoop);
  report('quit', { exitCode });
  process.exit(exitCode);
};
// Stream the calls a test waits on, so it can await them instead of polling.
const STREAMED = new Set([
  'Tray.constructor',
  'Tray.setContextMenu',
  'BrowserWindow.show',
  'BrowserWindow.hide',
  'app.quit',
]);
fake.onRecord = (call) => {
  const name = `${call.target}.${call.method}`;
  if (STREAMED.has(name)) report('call', name);
};

function state() {
  return {
    trays: fake.trays.map((tray) => ({
      image: tray.imagePath(),
      toolTip: tray.toolTip,
      destroyed: tray.isDestroyed(),
      menu: tray.contextMenu?.labels() ?? null,
      contextMenuSetCount: tray.contextMenuSetCount,
    })),
    windows: fake.windows.map((window) => ({
      visible: window.isVisible(),
      destroyed: window.isDestroyed(),
      loaded: window.loaded,
      loadStatus: window.loadStatus,
      webPreferences: window.options.webPreferences,
    })),
    notifications: fake.notifications.length,
    appUserModelId: fake.appUserModelId,
    protocolClients: fake.protocolClients,
    /** What main asked each window's page to show (notification clicks, links, the tray). */
    navigations: fake.windows.map((window) =>
      window.webContents.sent.filter((s) => s.channel === 'navigate').map((s) => s.args[0]),
    ),
    ipcChannels: [...ipcMain.handlers.keys()].sort(),
    permissionHandlerSet: fake.calls.some((c) => c.method === 'setPermissionRequestHandler'),
    privilegedSchemes: fake.privilegedSchemes,
    handledSchemes: [...protocol.handlers.keys()],
    openedPaths: fake.openedPaths,
    clipboardText: fake.clipboardText,
  };
}

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  try {
    const command = JSON.parse(line) as {
      cmd: string;
      label?: string;
      argv?: string[];
      event?: string;
      channel?: string;
      payload?: unknown;
      senderUrl?: string | null;
      url?: string;
      method?: string;
    };
    switch (command.cmd) {
      case 'state':
        report('state', state());
        break;
      case 'click-menu':
        fake.trays.at(-1)?.contextMenu?.click(command.label ?? '');
        report('clicked', command.label);
        break;
      case 'click-tray':
        fake.trays.at(-1)?.emit('click');
        report('clicked', 'tray');
        break;
      case 'second-instance':
        app.simulateSecondInstance(command.argv ?? []);
        report('second-instance', null);
        break;
      case 'open-url':
        report('open-url', { prevented: app.simulateOpenUrl(command.url ?? '').defaultPrevented });
        break;
      case 'power':
        powerMonitor.emit(command.event ?? 'resume');
        report('power', command.event);
        break;
      case 'invoke':
        ipcMain.invoke(command.channel ?? '', command.payload, command.senderUrl ?? null).then(
          (result) => report('invoked', { channel: command.channel, result }),
          (error: unknown) => report('invoked', { channel: command.channel, error: String(error) }),
        );
        break;
      case 'fetch':
        protocol.fetch(command.url ?? '', command.method).then(
          async (response) =>
            report('fetched', {
              url: command.url,
              status: response?.status ?? null,
              contentType: response?.headers.get('content-type') ?? null,
              csp: response?.headers.get('content-security-policy') ?? null,
              body: response ? await response.text() : null,
            }),
          (error: unknown) => report('fetched', { url: command.url, error: String(error) }),
        );
        break;
      default:
        report('error', `unknown command ${command.cmd}`);
    }
  } catch (error) {
    report('error', String(error));
  }
});
// stdin must not keep a finished app alive; quitting ends the process anyway.
process.stdin.unref();
