import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimSingleInstance } from '../../../main/adapters/single-instance';
import { denyAllPermissions } from '../../../main/adapters/web-security';
import { MainWindow } from '../../../main/adapters/window';
import { fitToDisplays, parseWindowBounds } from '../../../main/adapters/window-bounds';
import {
  app,
  BrowserWindow,
  checkPermission,
  fake,
  requestPermission,
  resetFakeElectron,
  screen,
  session,
  shell,
} from '../../support/fake-electron';
import { useFakeElectron } from '../../support/use-fake-electron';

const userDataDir = useFakeElectron('signoff-window-');
const boundsFile = () => path.join(userDataDir(), 'window-state.json');

function mainWindow(pageUrl: string | null = 'app://signoff/index.html'): MainWindow {
  return new MainWindow({
    BrowserWindow,
    pageUrl,
    preloadPath: '/app/dist/preload/preload.js',
    boundsFile: boundsFile(),
    workAreas: () => screen.getAllDisplays().map((d) => d.workArea),
    openExternal: shell.openExternal,
  });
}

function onlyWindow(): BrowserWindow {
  expect(fake.windows).toHaveLength(1);
  return fake.windows[0]!;
}

/** The fake loads pages on the next turn of the event loop, as Chromium does. */
const pageLoaded = (window: BrowserWindow) =>
  new Promise<void>((resolve) => window.webContents.once('did-finish-load', () => resolve()));

describe('main window', () => {
  it('is not created until needed, so a --hidden start has no window at all', async () => {
    const window = mainWindow();
    expect(fake.windows).toHaveLength(0);
    expect(window.isVisible()).toBe(false);
    await window.show();
    expect(onlyWindow().isVisible()).toBe(true);
  });

  it('runs the renderer sandboxed, isolated, without Node, with our preload', async () => {
    await mainWindow().show();
    expect(onlyWindow().options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/dist/preload/preload.js',
    });
    expect(onlyWindow().loaded).toEqual({ kind: 'url', target: 'app://signoff/index.html' });
  });

  it('shows a placeholder page when the renderer has not been built', async () => {
    await mainWindow(null).show();
    expect(onlyWindow().loaded?.kind).toBe('url');
    expect(decodeURIComponent(onlyWindow().loaded!.target)).toContain('Signoff is running');
  });

  it('hides to the tray on close, and really closes once quitting', async () => {
    const window = mainWindow();
    await window.show();
    const browserWindow = onlyWindow();
    browserWindow.close();
    expect(browserWindow.isDestroyed()).toBe(false);
    expect(browserWindow.isVisible()).toBe(false);

    window.setQuitting();
    browserWindow.close();
    expect(browserWindow.isDestroyed()).toBe(true);
  });

  it('lets app.quit() finish only when before-quit marks the window as quitting', async () => {
    const window = mainWindow();
    await window.show();
    app.quit(); // without the before-quit wiring the window refuses, and quitting is cancelled
    expect(fake.quitCount).toBe(0);
    app.on('before-quit', () => window.setQuitting());
    app.quit();
    expect(fake.quitCount).toBe(1);
    expect(onlyWindow().isDestroyed()).toBe(true);
  });

  it('toggles, and restores a minimized window when shown', async () => {
    const window = mainWindow();
    await window.toggle();
    expect(onlyWindow().isVisible()).toBe(true);
    await window.toggle();
    expect(onlyWindow().isVisible()).toBe(false);
    onlyWindow().minimize();
    await window.show();
    expect(onlyWindow().isMinimized()).toBe(false);
    expect(
      fake.calls.filter((c) => c.target === 'BrowserWindow' && c.method === 'focus').length,
    ).toBeGreaterThan(0);
  });

  it('opens on a claim: the view is delivered once the page has loaded, and directly after that', async () => {
    const window = mainWindow();
    const shown = window.navigate({ view: 'claim', claimId: 'c-42' });
    await shown;
    const browserWindow = onlyWindow();
    expect(browserWindow.webContents.sent).toEqual([]); // page not loaded yet: nothing lost, just queued
    await pageLoaded(browserWindow);
    expect(browserWindow.webContents.sent).toEqual([
      { channel: 'navigate', args: [{ view: 'claim', claimId: 'c-42' }] },
    ]);
    browserWindow.hide();
    await window.navigate({ view: 'queue' });
    expect(browserWindow.isVisible()).toBe(true);
    expect(browserWindow.webContents.sent.at(-1)).toEqual({
      channel: 'navigate',
      args: [{ view: 'queue' }],
    });
  });
});

describe('window bounds', () => {
  it('are saved on close and restored by the next run', async () => {
    const first = mainWindow();
    await first.show();
    onlyWindow().setBounds({ x: 300, y: 200, width: 1000, height: 700 });
    onlyWindow().close(); // hides to tray, saving bounds
    await first.flushBounds();
    expect(JSON.parse(readFileSync(boundsFile(), 'utf8'))).toMatchObject({
      x: 300,
      y: 200,
      width: 1000,
      height: 700,
    });

    resetFakeElectron();
    await mainWindow().show();
    expect(onlyWindow().getBounds()).toEqual({ x: 300, y: 200, width: 1000, height: 700 });
  });

  it('ignore a damaged file, clamp silly sizes, and drop a position that is off every screen', async () => {
    writeFileSync(boundsFile(), '{"version":1,"x":5000,"y":5000,"width":99999,"height":12}');
    await mainWindow().show();
    const created = onlyWindow().options;
    expect(created.width).toBe(960);
    expect(created.x).toBeUndefined();

    expect(parseWindowBounds('nonsense')).toEqual({ width: 960, height: 680, maximized: false });
    const screenArea = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(fitToDisplays({ x: 5000, y: 10, width: 100, height: 5000, maximized: false }, screenArea)).toEqual(
      {
        width: 420,
        height: 1080,
        maximized: false,
      },
    );
    // A window on a second monitor to the left stays where it was while that monitor is connected.
    const twoScreens = [...screenArea, { x: -1280, y: 0, width: 1280, height: 1024 }];
    expect(fitToDisplays({ x: -1000, y: 100, width: 800, height: 600, maximized: true }, twoScreens)).toEqual(
      {
        x: -1000,
        y: 100,
        width: 800,
        height: 600,
        maximized: true,
      },
    );
  });
});

describe('web content lockdown', () => {
  it('prevents navigation, denies new windows and opens only https links outside', async () => {
    await mainWindow().show();
    const contents = onlyWindow().webContents;
    expect(contents.attemptNavigation('https://evil.example.com/')).toBe(false);
    expect(contents.attemptWindowOpen('https://docs.example.com/help')).toEqual({ action: 'deny' });
    expect(contents.attemptWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(contents.attemptWindowOpen('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(contents.attemptWindowOpen('http://plain.example.com/')).toEqual({ action: 'deny' });
    expect(fake.openedExternal).toEqual(['https://docs.example.com/help']);
  });

  it('denies every permission request', async () => {
    expect(await requestPermission('notifications')).toBe(true); // Electron's default
    denyAllPermissions(session.defaultSession);
    expect(await requestPermission('notifications')).toBe(false);
    expect(await requestPermission('media')).toBe(false);
    expect(await requestPermission('geolocation')).toBe(false);
    expect(checkPermission('notifications')).toBe(false);
    expect(checkPermission('clipboard-read')).toBe(false);
  });
});

describe('single instance', () => {
  it('a second launch brings the first instance forward, unless it is a --hidden (login item) launch', async () => {
    const window = mainWindow();
    let shown: Promise<void> | undefined;
    let forwarded = 0;
    expect(
      claimSingleInstance(app, () => {
        forwarded += 1;
        shown = window.show();
      }),
    ).toBe(true);
    app.simulateSecondInstance(['/opt/Signoff/signoff', '--hidden']);
    expect(forwarded).toBe(0);
    app.simulateSecondInstance(['/opt/Signoff/signoff']);
    await shown;
    expect(forwarded).toBe(1);
    expect(onlyWindow().isVisible()).toBe(true);
  });

  it('the second instance learns it must quit', () => {
    fake.singleInstanceLockAvailable = false;
    let called = false;
    expect(claimSingleInstance(app, () => (called = true))).toBe(false);
    app.simulateSecondInstance([]);
    expect(called).toBe(false);
  });
});
