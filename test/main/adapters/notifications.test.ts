import type { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_USER_MODEL_ID } from '../../../main/adapters/app-identity';
import { ElectronNotifier } from '../../../main/adapters/notifications';
import { forwardPowerEvents } from '../../../main/adapters/power-events';
import { MainWindow } from '../../../main/adapters/window';
import type { NavigateTarget } from '../../../main/ipc/contract';
import {
  app,
  BrowserWindow,
  fake,
  Notification,
  powerMonitor,
  screen,
  shell,
} from '../../support/fake-electron';
import { useFakeElectron } from '../../support/use-fake-electron';

const userDataDir = useFakeElectron('signoff-notify-');

function notifier(platform: NodeJS.Platform = 'linux', onClick: (target: NavigateTarget) => void = () => {}) {
  return new ElectronNotifier({
    Notification,
    onClick,
    platform,
    setAppUserModelId: (id) => app.setAppUserModelId(id),
  });
}

describe('notifications', () => {
  it('clicking a claim notification opens the window on that claim', async () => {
    const window = new MainWindow({
      BrowserWindow,
      pageUrl: 'app://signoff/index.html',
      preloadPath: null,
      boundsFile: path.join(userDataDir(), 'window-state.json'),
      workAreas: () => screen.getAllDisplays().map((d) => d.workArea),
      openExternal: shell.openExternal,
    });
    let opened: Promise<void> | undefined;
    const notify = notifier('linux', (target) => {
      opened = window.navigate(target);
    });
    notify.show({ id: 'claim:c-7', title: 'New claim from Ana', body: 'Taxi · €23.40', claimId: 'c-7' });
    expect(fake.notifications).toHaveLength(1);
    expect(fake.notifications[0]).toMatchObject({
      title: 'New claim from Ana',
      body: 'Taxi · €23.40',
      shown: true,
    });

    fake.notifications[0]!.click();
    await opened;
    const browserWindow = fake.windows[0]!;
    expect(browserWindow.isVisible()).toBe(true);
    await new Promise<void>((resolve) => browserWindow.webContents.once('did-finish-load', () => resolve()));
    expect(browserWindow.webContents.sent).toEqual([
      { channel: 'navigate', args: [{ view: 'claim', claimId: 'c-7' }] },
    ]);
  });

  it('summaries open the queue', () => {
    const onClick = vi.fn();
    const notify = notifier('linux', onClick);
    notify.show({
      id: 'summary',
      title: '5 claims are waiting for you',
      body: '',
      claimId: 'c-1',
      opensQueue: true,
    });
    notify.show({ id: 'announcement', title: 'Maintenance tonight', body: '' });
    fake.notifications[0]!.click();
    fake.notifications[1]!.click();
    expect(onClick.mock.calls).toEqual([[{ view: 'queue' }], [{ view: 'queue' }]]);
  });

  it('holds each shown notification until it is clicked or closed, and close(id) closes it', () => {
    const notify = notifier();
    notify.show({ id: 'a', title: 'A', body: '' });
    notify.show({ id: 'b', title: 'B', body: '' });
    expect(notify.openCount).toBe(2);
    notify.close('a');
    expect(fake.notifications[0]!.closed).toBe(true);
    expect(notify.openCount).toBe(1);
    notify.close('a'); // already gone: a no-op
    fake.notifications[1]!.click();
    expect(notify.openCount).toBe(0);
  });

  it('re-showing an id replaces the previous notification instead of stacking', () => {
    const notify = notifier();
    notify.show({ id: 'summary', title: '2 waiting', body: '' });
    notify.show({ id: 'summary', title: '3 waiting', body: '' });
    expect(fake.notifications.map((n) => n.closed)).toEqual([true, false]);
    expect(notify.openCount).toBe(1);
    notify.close('summary');
    expect(fake.notifications[1]!.closed).toBe(true);
  });

  it('registers the AppUserModelID on Windows only, and reports support from Electron', () => {
    notifier('linux');
    expect(fake.appUserModelId).toBeNull();
    const notify = notifier('win32');
    expect(fake.appUserModelId).toBe(APP_USER_MODEL_ID);
    expect(APP_USER_MODEL_ID).toBe('com.signoff.desktop');
    expect(notify.isSupported()).toBe(true);
    fake.notificationsSupported = false;
    expect(notify.isSupported()).toBe(false);
    notify.show({ id: 'x', title: 'X', body: '' });
    expect(fake.notifications).toHaveLength(0);
  });
});

describe('power events', () => {
  it('resume and unlock wake the core; unhooking stops that', () => {
    const wake = vi.fn();
    const unhook = forwardPowerEvents(powerMonitor, { wake });
    powerMonitor.emit('resume');
    powerMonitor.emit('unlock-screen');
    powerMonitor.emit('suspend');
    expect(wake.mock.calls).toEqual([['resume'], ['unlock']]);
    unhook();
    powerMonitor.emit('resume');
    expect(wake).toHaveBeenCalledTimes(2);
    expect((powerMonitor as EventEmitter).listenerCount('resume')).toBe(0);
  });
});
