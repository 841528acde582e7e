// What the tray says, per locale. Connection-state names come from the core's catalog so the tray and
// the window never disagree; the rest is tray-only wording.
import { messagesFor } from '../core/i18n';
import type { ConnectionState, Locale } from '../core/ports';

export interface TrayStrings {
  appName: string;
  openApprovals(count: number): string;
  pauseNotifications: string;
  pauseForOneHour: string;
  pauseUntilMorning: string;
  pauseUntilResumed: string;
  resume: string;
  pausedUntil(time: string): string;
  pausedIndefinitely: string;
  startAtLogin: string;
  signedInAs(name: string): string;
  signIn: string;
  signOut: string;
  quit: string;
  waiting(count: number): string;
  connection(state: ConnectionState['kind']): string;
}

const en: Omit<TrayStrings, 'connection'> = {
  appName: 'Signoff',
  openApprovals: (count) => `Open approvals (${count})`,
  pauseNotifications: 'Pause notifications',
  pauseForOneHour: 'For 1 hour',
  pauseUntilMorning: 'Until tomorrow morning (08:00)',
  pauseUntilResumed: 'Until I resume them',
  resume: 'Resume notifications',
  pausedUntil: (time) => `Notifications paused until ${time}`,
  pausedIndefinitely: 'Notifications paused',
  startAtLogin: 'Start at login',
  signedInAs: (name) => `Signed in as ${name}`,
  signIn: 'Sign in…',
  signOut: 'Sign out',
  quit: 'Quit',
  waiting: (count) =>
    count === 0 ? 'Nothing waiting' : count === 1 ? '1 claim waiting' : `${count} claims waiting`,
};

const zhCN: Omit<TrayStrings, 'connection'> = {
  appName: 'Signoff',
  openApprovals: (count) => `打开审批（${count}）`,
  pauseNotifications: '暂停通知',
  pauseForOneHour: '暂停 1 小时',
  pauseUntilMorning: '直到明天早上（08:00）',
  pauseUntilResumed: '直到手动恢复',
  resume: '恢复通知',
  pausedUntil: (time) => `通知已暂停至 ${time}`,
  pausedIndefinitely: '通知已暂停',
  startAtLogin: '登录时启动',
  signedInAs: (name) => `已登录：${name}`,
  signIn: '登录…',
  signOut: '退出登录',
  quit: '退出',
  waiting: (count) => (count === 0 ? '没有待审批的报销' : `${count} 笔报销待审批`),
};

const catalogs: Record<Locale, Omit<TrayStrings, 'connection'>> = { en, 'zh-CN': zhCN };

export function trayStringsFor(locale: Locale): TrayStrings {
  const core = messagesFor(locale);
  return { ...catalogs[locale], connection: (state) => core.connection(state) };
}
