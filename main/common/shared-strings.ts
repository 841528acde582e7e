// Words the tray, the notifications and the window all say, written once per language so the same
// fact never reads two ways (they had drifted: "Error" in the tray tooltip vs "Connection error" in the
// window; 已登录 vs 当前用户 for "signed in as"). main/core/i18n.ts, main/adapters/tray-strings.ts and
// renderer/i18n/* take these entries instead of restating them. Zod-free: the window bundles it.
import type { ConnectionLabel } from './connection-label';
import type { Locale } from './locale';
import { MORNING_HOUR, type PausePreset } from './pause-presets';

export interface SharedStrings {
  connection(label: ConnectionLabel): string;
  signedInAs(name: string): string;
  signOut: string;
  pauseNotifications: string;
  /** The pause presets as the tray menu and the window's pause control both list them. */
  pausePreset(preset: PausePreset): string;
  /** Shown when a session ended (notification body and sign-in notice). */
  sessionEnded: string;
  /** Rejecting without a reason (the core's refusal and the window's form check). */
  rejectNeedsReason: string;
}

const morning = `${String(MORNING_HOUR).padStart(2, '0')}:00`;

const en: SharedStrings = {
  connection: (kind) =>
    ({
      'signed-out': 'Signed out',
      connecting: 'Connecting…',
      online: 'Online',
      'online-long-poll': 'Online (long polling)',
      reconnecting: 'Reconnecting…',
      offline: 'Offline',
      'session-expired': 'Session expired',
      error: 'Connection error',
    })[kind],
  signedInAs: (name) => `Signed in as ${name}`,
  signOut: 'Sign out',
  pauseNotifications: 'Pause notifications',
  pausePreset: (preset) =>
    ({
      hour: 'For 1 hour',
      // The next 08:00 (main/core/pause-presets.ts), which is not always "tomorrow": at 01:00 it is today.
      morning: `Until morning (${morning})`,
      indefinite: 'Until I resume them',
    })[preset],
  sessionEnded: 'Your session has ended. Sign in again to keep getting approval requests.',
  rejectNeedsReason: 'A reason is required to reject a claim.',
};

const zhCN: SharedStrings = {
  connection: (kind) =>
    ({
      'signed-out': '未登录',
      connecting: '正在连接…',
      online: '在线',
      'online-long-poll': '在线（长轮询）',
      reconnecting: '正在重新连接…',
      offline: '离线',
      'session-expired': '会话已过期',
      error: '连接错误',
    })[kind],
  // 当前用户 rather than 已登录: the latter also reads as "signed in to" (已登录到 <server>).
  signedInAs: (name) => `当前用户：${name}`,
  signOut: '退出登录',
  pauseNotifications: '暂停通知',
  pausePreset: (preset) =>
    ({
      hour: '暂停 1 小时',
      morning: `暂停到早上 ${morning}`,
      indefinite: '暂停，直到我恢复',
    })[preset],
  sessionEnded: '您的会话已结束。请重新登录以继续接收审批请求。',
  rejectNeedsReason: '驳回报销需要填写理由。',
};

const catalogs: Record<Locale, SharedStrings> = { en, 'zh-CN': zhCN };

export function sharedStringsFor(locale: Locale): SharedStrings {
  return catalogs[locale];
}
