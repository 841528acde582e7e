import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ActivationArguments } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { APP_USER_MODEL_ID } from '../../../main/adapters/app-identity';
import { ElectronNotifier, notificationOptionsFor } from '../../../main/adapters/notifications';
import { forwardPowerEvents } from '../../../main/adapters/power-events';
import { MainWindow } from '../../../main/adapters/window';
import { handleToastActivations } from '../../../main/adapters/windows-toast';
import { parseDeepLink } from '../../../main/common/deep-link';
import { NotificationHandles } from '../../../main/core/notification-handles';
import { actionLabelsFor } from '../../../main/core/notification-policy';
import type { NotificationRequest } from '../../../main/core/ports';
import type { NavigateTarget } from '../../../main/ipc/contract';
import {
  app,
  BrowserWindow,
  callsTo,
  fake,
  Notification,
  powerMonitor,
  screen,
  shell,
} from '../../support/fake-electron';
import { useFakeElectron } from '../../support/use-fake-electron';

const userDataDir = useFakeElectron('signoff-notify-');

/** The slice of an XML DOM the toast test reads. */
interface XmlElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}
type XmlErrors = Record<'warning' | 'error' | 'fatalError', (message: string) => void>;
// @xmldom/xmldom (a strict XML parser electron-builder already installs), loaded untyped: its type
// declarations pull in DOM types that clash with Node's in this project's tsconfig.
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: {
    errorHandler: XmlErrors;
  }) => { parseFromString(xml: string, type: string): { documentElement: XmlElement | null } };
};

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

describe('notification buttons on macOS and Windows (issue 13)', () => {
  const labels = actionLabelsFor('en');
  const claimRequest = {
    id: 'claim:EXP-000042',
    title: 'New claim from Ana & "Co" <Ltd>',
    body: "Taxi · ¥23.40 'late'",
    claimId: 'EXP-000042',
    actions: labels,
  };

  it('macOS: Approve and Open as actions, the reply field for the reason; presses reach onAction', () => {
    const notify = notifier('darwin');
    const events: unknown[] = [];
    notify.onAction((event) => events.push(event));
    notify.show(claimRequest);
    const shown = fake.notifications[0]!;
    expect(shown.options).toMatchObject({
      actions: [
        { type: 'button', text: 'Approve' },
        { type: 'button', text: 'Open' },
      ],
      hasReply: true,
      replyPlaceholder: 'Reason to reject',
    });
    expect(shown.options.toastXml).toBeUndefined();
    shown.pressAction(0);
    shown.pressAction(1);
    shown.pressAction(7); // not ours: ignored
    shown.sendReply('No receipt');
    shown.sendReply('');
    expect(events).toEqual([
      { id: 'claim:EXP-000042', action: 'approve' },
      { id: 'claim:EXP-000042', action: 'open' },
      { id: 'claim:EXP-000042', action: 'reject', reply: 'No receipt' },
      { id: 'claim:EXP-000042', action: 'reject', reply: '' },
    ]);
  });

  it('Windows: a toastXml whose launch and buttons are signoff:// links (cold starts work), well-formed and escaped', () => {
    const notify = notifier('win32');
    notify.show(claimRequest);
    const xml = fake.notifications[0]!.options.toastXml ?? '';
    const errors: string[] = [];
    const doc = new DOMParser({
      errorHandler: {
        warning: (m) => errors.push(m),
        error: (m) => errors.push(m),
        fatalError: (m) => errors.push(m),
      },
    }).parseFromString(xml, 'text/xml');
    expect(errors).toEqual([]);
    const toast = doc.documentElement!;
    expect(toast.tagName).toBe('toast');
    expect(toast.getAttribute('activationType')).toBe('protocol');
    expect(toast.getAttribute('launch')).toBe('signoff://claim/EXP-000042');
    const texts = Array.from(toast.getElementsByTagName('text')).map((t) => t.textContent);
    expect(texts).toEqual([claimRequest.title, claimRequest.body]);
    const buttons = Array.from(toast.getElementsByTagName('action')).map((a) => ({
      content: a.getAttribute('content'),
      arguments: a.getAttribute('arguments'),
      activationType: a.getAttribute('activationType'),
    }));
    expect(buttons).toEqual([
      { content: 'Approve', arguments: 'signoff://claim/EXP-000042/approve', activationType: 'protocol' },
      { content: 'Reject…', arguments: 'signoff://claim/EXP-000042/reject', activationType: 'protocol' },
      { content: 'Open', arguments: 'signoff://claim/EXP-000042', activationType: 'protocol' },
    ]);
    // Each button is a link the app accepts: it opens the claim, the window confirms.
    expect(buttons.map((b) => parseDeepLink(b.arguments ?? ''))).toEqual([
      { claimId: 'EXP-000042', intent: 'approve' },
      { claimId: 'EXP-000042', intent: 'reject' },
      { claimId: 'EXP-000042' },
    ]);
  });

  it('without actions (setting off, summaries) and on Linux, plain notifications as before', () => {
    const { actions: _actions, ...plain } = claimRequest;
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(notificationOptionsFor(plain, platform)).toEqual({
        title: plain.title,
        body: plain.body,
        silent: false,
        // macOS identifier / Windows Tag and Group: how a later run finds it again.
        ...(platform === 'linux' ? {} : { id: claimRequest.id, groupId: 'signoff' }),
      });
    }
    expect(notificationOptionsFor(claimRequest, 'linux')).toEqual({
      title: claimRequest.title,
      body: claimRequest.body,
      silent: false,
    });
  });
});

describe('Windows activations without a live notification (cold start, Action Center)', () => {
  it('a claim link opens that claim (the window confirms); anything else brings the window forward', () => {
    let handler: ((details: ActivationArguments) => void) | null = null;
    const links: unknown[] = [];
    let others = 0;
    handleToastActivations(
      { handleActivation: (callback) => (handler = callback) },
      (link) => links.push(link),
      () => (others += 1),
    );
    if (!handler) throw new Error('handleActivation was not called');
    const activate: (details: ActivationArguments) => void = handler;
    // What the claim toast's buttons carry (windows-toast.ts), then a plain toast's click and a
    // hostile argument: only the app's own links act, and a link never approves by itself.
    activate({ type: 'action', actionIndex: 0, arguments: 'signoff://claim/EXP-000042/approve' });
    activate({ type: 'click', arguments: 'signoff://claim/EXP-000042' });
    activate({ type: 'click', arguments: '' });
    activate({ type: 'click', arguments: 'https://evil.example/claim/EXP-1' });
    expect(links).toEqual([{ claimId: 'EXP-000042', intent: 'approve' }, { claimId: 'EXP-000042' }]);
    expect(others).toBe(2);
  });
});

describe('after a restart (macOS, Windows)', () => {
  const request: NotificationRequest = {
    id: 'claim:EXP-7',
    title: 'New claim',
    body: 'Taxi',
    claimId: 'EXP-7',
  };

  async function notifierOver(file: string, platform: NodeJS.Platform) {
    const handles = await NotificationHandles.load(file, `electron-${platform}`);
    const notify = new ElectronNotifier({
      Notification,
      onClick: () => {},
      platform,
      setAppUserModelId: () => {},
      handles,
    });
    return { notify, handles };
  }

  it("macOS: an earlier run's notification is removed by its identifier once its claim left", async () => {
    const file = path.join(userDataDir(), 'notification-handles.json');
    const before = await notifierOver(file, 'darwin');
    before.notify.show(request);
    before.notify.show({ id: 'outcome:EXP-1', title: 'Approved', body: '', claimId: 'EXP-1' });
    fake.notifications[1]!.close(); // dismissed by the user: nothing left to remove later
    await before.handles.flush();

    const after = await notifierOver(file, 'darwin');
    expect(after.notify.remembered()).toEqual(['claim:EXP-7']);
    after.notify.close('claim:EXP-7');
    expect(callsTo('Notification', 'remove').map((c) => c.args)).toEqual([['claim:EXP-7']]);
    expect(after.notify.remembered()).toEqual([]);
    await after.handles.flush();
    expect((await notifierOver(file, 'darwin')).notify.remembered()).toEqual([]);
  });

  it('Windows keeps tag and group; Linux (libnotify) keeps nothing', async () => {
    const win = await notifierOver(path.join(userDataDir(), 'win.json'), 'win32');
    win.notify.show(request);
    expect(fake.notifications[0]!.options).toMatchObject({ id: 'claim:EXP-7', groupId: 'signoff' });
    expect(win.notify.remembered()).toEqual(['claim:EXP-7']);
    const linux = await notifierOver(path.join(userDataDir(), 'linux.json'), 'linux');
    linux.notify.show(request);
    expect(linux.notify.remembered()).toEqual([]);
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
