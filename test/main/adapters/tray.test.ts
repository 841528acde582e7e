import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type TrayActions, TrayController } from '../../../main/adapters/tray';
import { TRAY_COUNT_LABELS, TRAY_ICON_STATES, trayIconFile } from '../../../main/adapters/tray-icons';
import type { TrayModel } from '../../../main/core/ports';
import { ManualClock } from '../../support/core-fakes';
import { makeCore } from '../../support/core-harness';
import {
  app,
  FakeNativeImage,
  fake,
  Menu,
  nativeImage,
  resetFakeElectron,
  Tray,
} from '../../support/fake-electron';

const assetsDir = path.resolve(import.meta.dirname, '../../../assets');
const NOW = new Date(2026, 4, 12, 14, 30).getTime(); // a Tuesday afternoon, local time

function model(overrides: Partial<TrayModel> = {}): TrayModel {
  return {
    connection: 'online',
    pendingCount: 0,
    userName: 'Mei Chen',
    pausedUntil: null,
    startAtLogin: false,
    locale: 'en',
    unreadAnnouncements: 0,
    ...overrides,
  };
}

function actions() {
  return {
    openApprovals: vi.fn<TrayActions['openApprovals']>(),
    toggleWindow: vi.fn<TrayActions['toggleWindow']>(),
    pauseNotifications: vi.fn<TrayActions['pauseNotifications']>(),
    resumeNotifications: vi.fn<TrayActions['resumeNotifications']>(),
    setStartAtLogin: vi.fn<TrayActions['setStartAtLogin']>(),
    signIn: vi.fn<TrayActions['signIn']>(),
    signOut: vi.fn<TrayActions['signOut']>(),
    quit: vi.fn<TrayActions['quit']>(),
    openAnnouncements: vi.fn<TrayActions['openAnnouncements']>(),
  } satisfies TrayActions;
}

function controller(
  platform: NodeJS.Platform,
  opts: { loginEnabled?: () => boolean; acts?: TrayActions } = {},
) {
  return new TrayController({
    factories: {
      createTray: (image) => new Tray(image),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      createImage: (file) => nativeImage.createFromPath(file),
      setBadgeCount: (count) => app.setBadgeCount(count),
    },
    actions: opts.acts ?? actions(),
    platform,
    assetsDir,
    isStartAtLoginEnabled: opts.loginEnabled ?? (() => false),
    now: () => NOW,
  });
}

function onlyTray(): Tray {
  expect(fake.trays).toHaveLength(1);
  return fake.trays[0]!;
}

beforeEach(() => resetFakeElectron());

describe('tray icons', () => {
  it('has a rendered PNG (and its @2x) for every state on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of TRAY_ICON_STATES) {
        const file = trayIconFile(assetsDir, state, platform);
        expect(existsSync(file), file).toBe(true);
        expect(existsSync(file.replace(/\.png$/, '@2x.png')), file).toBe(true);
      }
    }
    expect(new FakeNativeImage(trayIconFile(assetsDir, 'idle', 'darwin')).isTemplateImage()).toBe(true);
  });

  it('has a rendered pending PNG (and its @2x) for every count label on Windows and Linux', () => {
    for (const platform of ['win32', 'linux'] as const) {
      for (const count of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
        const file = trayIconFile(assetsDir, 'pending', platform, count);
        expect(existsSync(file), file).toBe(true);
        expect(existsSync(file.replace(/\.png$/, '@2x.png')), file).toBe(true);
      }
    }
    expect(TRAY_COUNT_LABELS).toHaveLength(10);
  });

  it.each([
    [0, 'tray-idle', ''],
    [1, 'tray-pending-1', '1'],
    [5, 'tray-pending-5', '5'],
    [9, 'tray-pending-9', '9'],
    [10, 'tray-pending-9plus', '10'],
    [150, 'tray-pending-9plus', '150'],
  ] as const)(
    'shows %i pending as %s on Windows and Linux, and as the title "%s" on macOS',
    (pendingCount, image, title) => {
      controller('win32').render(model({ pendingCount }));
      expect(onlyTray().imagePath()).toBe(path.join(assetsDir, 'tray', `${image}.png`));
      expect(fake.calls.some((c) => c.method === 'setTitle')).toBe(false);

      resetFakeElectron();
      controller('linux').render(model({ pendingCount }));
      expect(onlyTray().imagePath()).toBe(path.join(assetsDir, 'tray', `${image}-32-light.png`));

      // macOS keeps one template image per state: the count is the text beside it.
      resetFakeElectron();
      controller('darwin').render(model({ pendingCount }));
      const macImage = pendingCount > 0 ? 'tray-pendingTemplate.png' : 'tray-idleTemplate.png';
      expect(onlyTray().imagePath()).toBe(path.join(assetsDir, 'tray', macImage));
      expect(onlyTray().title).toBe(title);
    },
  );

  it.each([
    [{ connection: 'online', pendingCount: 0 }, 'idle', 'Nothing waiting · Online'],
    [{ connection: 'online', pendingCount: 3 }, 'pending', '3 claims waiting · Online'],
    // A proxy blocks WebSocket: still online (same icons), and the tooltip says how.
    [{ connection: 'online-long-poll', pendingCount: 0 }, 'idle', 'Nothing waiting · Online (long polling)'],
    [
      { connection: 'online-long-poll', pendingCount: 2 },
      'pending',
      '2 claims waiting · Online (long polling)',
    ],
    [{ connection: 'connecting', pendingCount: 1 }, 'pending', '1 claim waiting · Connecting…'],
    [{ connection: 'reconnecting', pendingCount: 2 }, 'offline', 'Reconnecting…'],
    [{ connection: 'offline', pendingCount: 2 }, 'offline', 'Offline'],
    [{ connection: 'signed-out', userName: null }, 'attention', 'Signed out'],
    [{ connection: 'session-expired' }, 'attention', 'Session expired'],
    [{ connection: 'error' }, 'attention', 'Connection error'],
  ] as const)('draws %o as the %s icon with tooltip "%s"', (overrides, state, status) => {
    const tray = controller('win32');
    tray.render(model(overrides));
    const shown = onlyTray();
    expect(shown.imagePath()).toBe(trayIconFile(assetsDir, state, 'win32', model(overrides).pendingCount));
    expect(shown.toolTip).toBe(`Signoff\n${status}`);
    expect(tray.iconState).toBe(state);
  });

  it('swaps the image only when the picture changes, and picks the platform variant', () => {
    const tray = controller('linux');
    // 10 and 11 are both drawn as "9+": the same picture, so no swap.
    tray.render(model({ pendingCount: 10 }));
    tray.render(model({ pendingCount: 11 }));
    expect(onlyTray().imagePath()).toBe(path.join(assetsDir, 'tray', 'tray-pending-9plus-32-light.png'));
    expect(fake.calls.filter((c) => c.method === 'setImage')).toHaveLength(0);
    tray.render(model({ pendingCount: 2 }));
    expect(onlyTray().imagePath()).toBe(path.join(assetsDir, 'tray', 'tray-pending-2-32-light.png'));
    expect(fake.calls.filter((c) => c.method === 'setImage')).toHaveLength(1);
    tray.render(model({ connection: 'offline' }));
    expect(onlyTray().imagePath()).toBe(path.join(assetsDir, 'tray', 'tray-offline-32-light.png'));
  });
});

describe('tray menu', () => {
  it('lists the approvals count, pause, start at login, the user, sign out and quit', () => {
    controller('linux').render(model({ pendingCount: 4 }));
    const menu = onlyTray().contextMenu!;
    expect(menu.labels()).toEqual([
      'Open approvals (4)',
      'Pause notifications',
      'Start at login',
      'Signed in as Mei Chen',
      'Sign out',
      'Quit',
    ]);
    expect(menu.find('Signed in as Mei Chen')?.enabled).toBe(false);
    const pause = menu.find('Pause notifications')?.submenu as { label?: string }[];
    expect(pause.map((i) => i.label).filter(Boolean)).toEqual([
      'For 1 hour',
      'Until morning (08:00)',
      'Until I resume them',
      'Resume notifications',
    ]);
    expect(menu.find('Resume notifications')?.enabled).toBe(false);
  });

  it('offers Sign in… instead of the user when signed out, and again when the session expired', () => {
    const tray = controller('linux');
    tray.render(model({ connection: 'signed-out', userName: null }));
    expect(onlyTray().contextMenu!.labels()).toEqual([
      'Open approvals (0)',
      'Pause notifications',
      'Start at login',
      'Sign in…',
      'Quit',
    ]);
    tray.render(model({ connection: 'session-expired' }));
    expect(onlyTray().contextMenu!.labels()).toContain('Sign in…');
    expect(onlyTray().contextMenu!.labels()).toContain('Signed in as Mei Chen');
  });

  it('re-sets a freshly built context menu on every change', () => {
    const tray = controller('linux');
    tray.render(model({ pendingCount: 1 }));
    const first = onlyTray().contextMenu;
    tray.render(model({ pendingCount: 2 }));
    expect(onlyTray().contextMenuSetCount).toBe(2);
    expect(onlyTray().contextMenu).not.toBe(first);
    expect(onlyTray().contextMenu!.labels()[0]).toBe('Open approvals (2)');
  });

  it('routes every item to its action; pauses go by preset name (the core computes the time)', () => {
    const acts = actions();
    controller('linux', { acts }).render(model({ pendingCount: 1 }));
    const menu = onlyTray().contextMenu!;
    menu.click('Open approvals (1)');
    menu.click('For 1 hour');
    menu.click('Until morning (08:00)');
    menu.click('Until I resume them');
    menu.click('Start at login');
    menu.click('Sign out');
    menu.click('Quit');
    expect(acts.openApprovals).toHaveBeenCalledOnce();
    expect(acts.pauseNotifications.mock.calls).toEqual([['hour'], ['morning'], ['indefinite']]);
    expect(acts.setStartAtLogin).toHaveBeenCalledWith(true);
    expect(acts.signOut).toHaveBeenCalledOnce();
    expect(acts.quit).toHaveBeenCalledOnce();
  });

  it('at 01:00, "Until morning (08:00)" wired to the core as main.ts does pauses until 08:00 today', async () => {
    const oneAm = new Date(2026, 4, 12, 1, 0).getTime();
    const handle = await makeCore({ clock: new ManualClock(oneAm) });
    try {
      const done: Promise<unknown>[] = [];
      const acts = {
        ...actions(),
        pauseNotifications: (preset) => done.push(handle.core.pauseNotifications(preset)),
      } satisfies TrayActions;
      controller('linux', { acts }).render(model());
      onlyTray().contextMenu!.click('Until morning (08:00)');
      await Promise.all(done);
      expect(handle.core.snapshot().settings.pausedUntil).toBe(new Date(2026, 4, 12, 8, 0).getTime());
    } finally {
      await handle.dispose();
    }
  });

  it('shows the pause in the tooltip and the submenu, and enables Resume', () => {
    const acts = actions();
    const tray = controller('linux', { acts });
    tray.render(model({ pausedUntil: 'indefinite' }));
    expect(onlyTray().toolTip).toContain('Notifications paused');
    onlyTray().contextMenu!.click('Resume notifications');
    expect(acts.resumeNotifications).toHaveBeenCalledOnce();
    tray.render(model({ pausedUntil: NOW - 1 }));
    expect(onlyTray().toolTip).not.toContain('paused');
  });

  it('checks Start at login from the real login item, not the setting', () => {
    let enabled = true;
    const tray = controller('linux', { loginEnabled: () => enabled });
    tray.render(model({ startAtLogin: false }));
    expect(onlyTray().contextMenu!.find('Start at login')?.checked).toBe(true);
    enabled = false;
    tray.refresh();
    expect(onlyTray().contextMenu!.find('Start at login')?.checked).toBe(false);
  });

  it('speaks Simplified Chinese', () => {
    const controls = controller('linux');
    controls.render(model({ locale: 'zh-CN', pendingCount: 2 }));
    const tray = onlyTray();
    expect(tray.contextMenu!.labels()).toEqual([
      '打开审批（2）',
      '暂停通知',
      '登录时启动',
      '当前用户：Mei Chen',
      '退出登录',
      '退出',
    ]);
    expect(tray.toolTip).toBe('Signoff\n2 笔报销待审批 · 在线');
    controls.render(model({ locale: 'zh-CN', pendingCount: 2, connection: 'online-long-poll' }));
    expect(onlyTray().toolTip).toBe('Signoff\n2 笔报销待审批 · 在线（长轮询）');
  });
});

describe('tray announcements (issue 9)', () => {
  it('shows the unread count under Open approvals, re-sets the menu when it changes, and opens them', () => {
    const acts = actions();
    const tray = controller('linux', { acts });
    tray.render(model({ pendingCount: 1, unreadAnnouncements: 2 }));
    const menu = onlyTray().contextMenu!;
    expect(menu.labels().slice(0, 2)).toEqual(['Open approvals (1)', 'Announcements (2 unread)']);
    expect(onlyTray().toolTip).toContain('2 unread announcements');
    menu.click('Announcements (2 unread)');
    expect(acts.openAnnouncements).toHaveBeenCalledOnce();

    tray.render(model({ pendingCount: 1, unreadAnnouncements: 1 }));
    expect(onlyTray().contextMenuSetCount).toBe(2);
    expect(onlyTray().contextMenu!.labels()[1]).toBe('Announcements (1 unread)');
    expect(onlyTray().toolTip).toContain('1 unread announcement');

    // All read: no item and no tooltip line.
    tray.render(model({ pendingCount: 1, unreadAnnouncements: 0 }));
    expect(
      onlyTray()
        .contextMenu!.labels()
        .some((label) => label.startsWith('Announcements')),
    ).toBe(false);
    expect(onlyTray().toolTip).not.toContain('announcement');
  });

  it('says it in Simplified Chinese, and not at all when signed out', () => {
    const tray = controller('linux');
    tray.render(model({ locale: 'zh-CN', unreadAnnouncements: 3 }));
    expect(onlyTray().contextMenu!.labels()[1]).toBe('公告（3 条未读）');
    expect(onlyTray().toolTip).toContain('3 条未读公告');
    tray.render(model({ connection: 'signed-out', userName: null, unreadAnnouncements: 3 }));
    expect(onlyTray().contextMenu!.labels()).not.toContain('Announcements (3 unread)');
  });
});

describe('tray platform details', () => {
  it('sets the count as the title on macOS only, and the badge count outside Windows', () => {
    controller('darwin').render(model({ pendingCount: 5 }));
    expect(onlyTray().title).toBe('5');
    expect(fake.badgeCount).toBe(5);

    resetFakeElectron();
    controller('win32').render(model({ pendingCount: 5 }));
    expect(fake.calls.some((c) => c.method === 'setTitle')).toBe(false);
    expect(fake.calls.some((c) => c.method === 'setBadgeCount')).toBe(false);
  });

  it('toggles the window on click', () => {
    const acts = actions();
    controller('win32', { acts }).render(model());
    onlyTray().emit('click');
    expect(acts.toggleWindow).toHaveBeenCalledOnce();
  });
});
