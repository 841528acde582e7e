// What the tray says, per locale. Words the window says too (connection states, "signed in as", the
// pause presets) come from main/common/shared-strings.ts so the two never disagree; the rest is
// tray-only wording.
import { type SharedStrings, sharedStringsFor } from '../common/shared-strings';
import type { Locale } from '../core/ports';

type Shared = Pick<
  SharedStrings,
  'connection' | 'signedInAs' | 'signOut' | 'pauseNotifications' | 'pausePreset'
>;

export interface TrayStrings extends Shared {
  appName: string;
  openApprovals(count: number): string;
  resume: string;
  pausedUntil(time: string): string;
  pausedIndefinitely: string;
  startAtLogin: string;
  signIn: string;
  quit: string;
  waiting(count: number): string;
  // ---- announcements (issue 9) ----
  /** The menu item that opens the window on its announcements; `count` ≥ 1. */
  openAnnouncements(count: number): string;
  /** The tooltip's line; `count` ≥ 1. */
  unreadAnnouncements(count: number): string;
}

const en: Omit<TrayStrings, keyof Shared> = {
  appName: 'Signoff',
  openApprovals: (count) => `Open approvals (${count})`,
  resume: 'Resume notifications',
  pausedUntil: (time) => `Notifications paused until ${time}`,
  pausedIndefinitely: 'Notifications paused',
  startAtLogin: 'Start at login',
  signIn: 'Sign in…',
  quit: 'Quit',
  waiting: (count) =>
    count === 0 ? 'Nothing waiting' : count === 1 ? '1 claim waiting' : `${count} claims waiting`,
  // ---- announcements (issue 9) ----
  openAnnouncements: (count) => `Announcements (${count} unread)`,
  unreadAnnouncements: (count) => (count === 1 ? '1 unread announcement' : `${count} unread announcements`),
};

const zhCN: Omit<TrayStrings, keyof Shared> = {
  appName: 'Signoff',
  openApprovals: (count) => `打开审批（${count}）`,
  resume: '恢复通知',
  pausedUntil: (time) => `通知已暂停至 ${time}`,
  pausedIndefinitely: '通知已暂停',
  startAtLogin: '登录时启动',
  signIn: '登录…',
  quit: '退出',
  waiting: (count) => (count === 0 ? '没有待审批的报销' : `${count} 笔报销待审批`),
  // ---- announcements (issue 9) ----
  openAnnouncements: (count) => `公告（${count} 条未读）`,
  unreadAnnouncements: (count) => `${count} 条未读公告`,
};

const catalogs: Record<Locale, Omit<TrayStrings, keyof Shared>> = { en, 'zh-CN': zhCN };

export function trayStringsFor(locale: Locale): TrayStrings {
  return { ...sharedStringsFor(locale), ...catalogs[locale] };
}
