// The message catalog for everything the core says to the user (notifications, conflict messages).
// Plain functions per locale, so plurals and word order stay natural in each
// language. Words the tray and the window say too come from main/common/shared-strings.ts.
import { formatMoney } from '../../protocol/money-format';
import type { PolicyFlag } from '../../protocol/policy-flags';
import { policyFlagStringsFor } from '../common/policy-flag-strings';
import { sharedStringsFor } from '../common/shared-strings';
import type { Locale } from './ports';

const sharedEn = sharedStringsFor('en');
const sharedZhCN = sharedStringsFor('zh-CN');

/** settings.locale wins; otherwise any Chinese OS locale gets Simplified Chinese, everything else English. */
export function resolveLocale(preferred: Locale | null, osLocale: string): Locale {
  if (preferred) return preferred;
  return /^zh\b/i.test(osLocale.replace('_', '-')) ? 'zh-CN' : 'en';
}

export interface Messages {
  newClaimTitle(submitter: string): string;
  newClaimBody(title: string, amount: string): string;
  summaryTitle(count: number): string;
  summaryBody: string;
  updatesSummaryTitle(count: number): string;
  /** Live updates coming faster than one notification each. */
  recentUpdatesSummaryTitle(count: number): string;
  reminderTitle(submitter: string): string;
  reminderBody(title: string, amount: string, hours: number): string;
  reminderSummaryTitle(count: number): string;
  claimApprovedTitle: string;
  claimApprovedBody(title: string, by: string): string;
  claimRejectedTitle: string;
  claimRejectedBody(title: string, by: string, reason: string): string;
  announcementTitle(title: string): string;
  sessionExpiredTitle: string;
  sessionExpiredBody: string;
  /** The page the browser shows after the company sign-in handed back to Signoff. */
  ssoBrowserDone: string;
  ssoBrowserFailed: string;
  conflictApproved(by: string): string;
  conflictRejected(by: string): string;
  conflictWithdrawn(by: string): string;
  conflictMovedOn(by: string, nextApprovers: string): string;
  conflictChanged: string;
  rejectNeedsReason: string;
  offline: string;
  sessionExpired: string;
  forbidden: string;
  notFound: string;
  // ---- action failures worded here, not taken from the server (issue 9 item 9; keep at the end) ----
  /** The server says the claim's state does not allow this action. */
  notDecidable: string;
  /** Any other refusal from the server (its own message is English). */
  refused: string;
  /** The server answered in a shape this version of Signoff does not understand. */
  incompatible: string;
  // ---- notification actions (issue 13) ----
  actionApprove: string;
  actionReject: string;
  actionOpen: string;
  /** Placeholder of the reply field that carries a reject reason (macOS, KDE). */
  actionRejectPlaceholder: string;
  actionApproved(claimId: string): string;
  actionRejected(claimId: string): string;
  actionFailed(claimId: string): string;
  /** An action arrived for a notification whose claim is no longer waiting on the user. */
  actionStale: string;
  /** The OS refused the global shortcut (another app holds it). */
  shortcutTakenTitle: string;
  shortcutTakenBody(accelerator: string): string;
  // ---- policy flags (issue 14) ----
  /**
   * A notification body followed by the claim's policy flags (one line: notification text is made
   * inert, line breaks included); unchanged when clean.
   */
  withPolicyFlags(body: string, flags: readonly PolicyFlag[]): string;
  // ---- bulk approve (issue 14) ----
  /** A flagged claim offered for bulk approval. */
  bulkFlagged: string;
  // ---- nudges (催办, issue 14) ----
  nudgedTitle(submitter: string): string;
  nudgedBody(title: string, amount: string, hours: number): string;
  /** The server says it is too soon to nudge; `when` is the local time it is allowed from. */
  nudgeTooSoon(when: string): string;
  /** The claim is no longer pending. */
  notNudgeable: string;
  // ---- transfer, add approver, return for revision (issue 14) ----
  claimReturnedTitle: string;
  claimReturnedBody(title: string, by: string, reason: string): string;
  conflictReturned(by: string): string;
  returnNeedsReason: string;
  /** The server refused the person picked for a transfer or an added approver. */
  ineligibleUser: string;
  // ---- delegation / out of office (issue 14); `from`/`until` are local times (formatLocalTime) ----
  /** To the delegate: a delegation to them was scheduled. */
  coverScheduledTitle(delegator: string): string;
  coverScheduledBody(delegator: string, from: string, until: string): string;
  /** To the delegate: it is in force; `moved` waiting claims came to them with it. */
  coverStartedTitle(delegator: string): string;
  coverStartedBody(delegator: string, until: string, moved: number): string;
  /** To the delegate: it ran out or was ended; what they still held went back. */
  coverEndedTitle(delegator: string): string;
  coverEndedBody(delegator: string): string;
  /** To the delegate: a scheduled one was cancelled before it started. */
  coverCancelledBody(delegator: string, from: string, until: string): string;
  /** To the delegator, when it started without their doing so on this device (the timer, another device). */
  awayStartedTitle(delegate: string): string;
  awayStartedBody(delegate: string, until: string): string;
  /** To the delegator, when it ended without their doing so on this device; `waiting`: their queue now. */
  awayEndedTitle: string;
  awayEndedBody(delegate: string, waiting: number): string;
  /** To either side: a scheduled delegation was cancelled before it started. */
  delegationCancelledTitle: string;
  awayCancelledBody(delegate: string, from: string, until: string): string;
  // ---- receipts on resubmit (issue 14) ----
  /** The server refused the receipt edits (too many, too large together, or one that is not the claim's). */
  receiptsRefused: string;
  /** A picked file's handle is unknown (forgotten since the pick): pick it again. */
  receiptPickExpired: string;
  /** The native open-file dialog's title and its file-type filter. */
  receiptPickerTitle: string;
  receiptPickerFilter: string;
}

/** "7 Dec 2026, 09:00" in the user's language and time zone (nudge-again times, delegation ranges). */
export function formatLocalTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(iso));
}

/** The flag line in `locale`, worded by main/common/policy-flag-strings.ts like the window's. */
function withPolicyFlagsIn(locale: Locale): Messages['withPolicyFlags'] {
  const strings = policyFlagStringsFor(locale);
  const money = (amountMinor: number, currency: string) => formatMoney(amountMinor, currency, locale);
  return (body, flags) =>
    flags.length === 0 ? body : `${body} · ⚑ ${strings.join(flags.map((flag) => strings.text(flag, money)))}`;
}

const en: Messages = {
  newClaimTitle: (submitter) => `New claim from ${submitter}`,
  newClaimBody: (title, amount) => `${title} · ${amount}`,
  summaryTitle: (count) =>
    count === 1 ? '1 claim is waiting for you' : `${count} claims are waiting for you`,
  summaryBody: 'Open Signoff to review them.',
  updatesSummaryTitle: (count) => `${count} updates while you were away`,
  recentUpdatesSummaryTitle: (count) => `${count} new updates`,
  reminderTitle: (submitter) => `Still waiting: claim from ${submitter}`,
  reminderBody: (title, amount, hours) => `${title} · ${amount} · waiting ${hours} h`,
  reminderSummaryTitle: (count) => `${count} claims have been waiting a while`,
  claimApprovedTitle: 'Your claim was approved',
  claimApprovedBody: (title, by) => `${title} · approved by ${by}`,
  claimRejectedTitle: 'Your claim was rejected',
  claimRejectedBody: (title, by, reason) => `${title} · rejected by ${by}: ${reason}`,
  announcementTitle: (title) => title,
  sessionExpiredTitle: 'Signed out of Signoff',
  sessionExpiredBody: sharedEn.sessionEnded,
  ssoBrowserDone: 'You are signed in to Signoff. You may close this window.',
  ssoBrowserFailed: 'Signing in to Signoff did not complete. Return to Signoff and try again.',
  conflictApproved: (by) => `Already approved by ${by}`,
  conflictRejected: (by) => `Already rejected by ${by}`,
  conflictWithdrawn: (by) => `Withdrawn by ${by}`,
  conflictMovedOn: (by, next) => `Already approved by ${by}; now waiting on ${next}`,
  conflictChanged: 'This claim changed since you opened it; review it again.',
  rejectNeedsReason: sharedEn.rejectNeedsReason,
  offline: 'Not connected to the server; nothing was sent. Try again when you are back online.',
  sessionExpired: 'Your session has ended; sign in again.',
  forbidden: 'You cannot act on this claim.',
  notFound: 'This claim no longer exists or is not visible to you.',
  // ---- action failures worded here, not taken from the server (issue 9 item 9; keep at the end) ----
  notDecidable: 'This claim can no longer be approved or rejected.',
  refused: 'The server did not accept this action.',
  incompatible: 'The server answered in a way this version of Signoff does not understand.',
  // ---- notification actions (issue 13) ----
  actionApprove: 'Approve',
  actionReject: 'Reject…',
  actionOpen: 'Open',
  actionRejectPlaceholder: 'Reason to reject',
  actionApproved: (id) => `Approved ${id}`,
  actionRejected: (id) => `Rejected ${id}`,
  actionFailed: (id) => `Nothing done on ${id}`,
  actionStale: 'This claim is no longer waiting on you.',
  shortcutTakenTitle: 'Shortcut not available',
  shortcutTakenBody: (accelerator) =>
    `${accelerator} is already used by another app. Choose another shortcut in Signoff’s settings.`,
  withPolicyFlags: withPolicyFlagsIn('en'),
  bulkFlagged: 'Not approved: this claim has policy flags. Open it and decide it on its own.',
  // ---- nudges (催办, issue 14) ----
  nudgedTitle: (submitter) => `${submitter} is asking about their claim`,
  nudgedBody: (title, amount, hours) => `${title} · ${amount} · waiting ${hours} h`,
  nudgeTooSoon: (when) => `Too soon to nudge; you can nudge again from ${when}.`,
  notNudgeable: 'This claim is no longer waiting, so there is no one to nudge.',
  // ---- transfer, add approver, return for revision (issue 14) ----
  claimReturnedTitle: 'Your claim was returned for revision',
  claimReturnedBody: (title, by, reason) => `${title} · returned by ${by}: ${reason}`,
  conflictReturned: (by) => `Returned to the submitter by ${by}`,
  returnNeedsReason: 'A reason is required to return a claim.',
  ineligibleUser: 'That person cannot take this claim. Pick someone else.',
  // ---- delegation / out of office (issue 14) ----
  coverScheduledTitle: (delegator) => `${delegator} hands you their approvals`,
  coverScheduledBody: (delegator, from, until) => `You approve for ${delegator} from ${from} until ${until}.`,
  coverStartedTitle: (delegator) => `You now approve for ${delegator}`,
  coverStartedBody: (delegator, until, moved) => {
    const range = `${delegator}’s approvals come to you until ${until}.`;
    if (moved === 0) return range;
    return `${range} ${moved === 1 ? '1 waiting claim' : `${moved} waiting claims`} moved to you.`;
  },
  coverEndedTitle: (delegator) => `You no longer approve for ${delegator}`,
  coverEndedBody: (delegator) => `Claims still waiting went back to ${delegator}.`,
  coverCancelledBody: (delegator, from, until) =>
    `${delegator} cancelled the handover planned from ${from} until ${until}.`,
  awayStartedTitle: (delegate) => `Your approvals now go to ${delegate}`,
  awayStartedBody: (delegate, until) =>
    `Out of office until ${until}. Claims waiting for you moved to ${delegate}.`,
  awayEndedTitle: 'Your approvals are back with you',
  awayEndedBody: (delegate, waiting) =>
    `${delegate} no longer approves for you. ${
      waiting === 0
        ? 'Nothing is waiting for you.'
        : waiting === 1
          ? '1 claim is waiting for you.'
          : `${waiting} claims are waiting for you.`
    }`,
  delegationCancelledTitle: 'Handover of approvals cancelled',
  awayCancelledBody: (delegate, from, until) =>
    `Your handover to ${delegate} from ${from} until ${until} will not happen.`,
  // ---- receipts on resubmit (issue 14) ----
  receiptsRefused:
    'The server refused these receipts: at most 10 per claim, 6 MB together. Reload the claim and try again.',
  receiptPickExpired: 'A picked receipt is no longer available. Add it again.',
  receiptPickerTitle: 'Add receipts',
  receiptPickerFilter: 'Receipts (images and PDF)',
};

const zhCN: Messages = {
  newClaimTitle: (submitter) => `${submitter} 提交了新的报销`,
  newClaimBody: (title, amount) => `${title} · ${amount}`,
  summaryTitle: (count) => `有 ${count} 笔报销等待您审批`,
  summaryBody: '打开 Signoff 查看。',
  updatesSummaryTitle: (count) => `您离开期间有 ${count} 条更新`,
  recentUpdatesSummaryTitle: (count) => `有 ${count} 条新更新`,
  reminderTitle: (submitter) => `仍在等待：${submitter} 的报销`,
  reminderBody: (title, amount, hours) => `${title} · ${amount} · 已等待 ${hours} 小时`,
  reminderSummaryTitle: (count) => `有 ${count} 笔报销已等待较长时间`,
  claimApprovedTitle: '您的报销已获批准',
  claimApprovedBody: (title, by) => `${title} · 由 ${by} 批准`,
  claimRejectedTitle: '您的报销被驳回',
  claimRejectedBody: (title, by, reason) => `${title} · ${by} 驳回：${reason}`,
  announcementTitle: (title) => title,
  sessionExpiredTitle: '已退出 Signoff',
  sessionExpiredBody: sharedZhCN.sessionEnded,
  ssoBrowserDone: '您已登录 Signoff，可以关闭此窗口。',
  ssoBrowserFailed: 'Signoff 登录未完成，请返回 Signoff 重试。',
  conflictApproved: (by) => `已由 ${by} 批准`,
  conflictRejected: (by) => `已由 ${by} 驳回`,
  conflictWithdrawn: (by) => `已由 ${by} 撤回`,
  conflictMovedOn: (by, next) => `已由 ${by} 批准，现等待 ${next} 审批`,
  conflictChanged: '该报销在您打开后已有变化，请重新查看。',
  rejectNeedsReason: sharedZhCN.rejectNeedsReason,
  offline: '未连接到服务器，操作未发送。请恢复网络后重试。',
  sessionExpired: '您的会话已结束，请重新登录。',
  forbidden: '您无权处理此报销。',
  notFound: '该报销不存在或您无权查看。',
  // ---- action failures worded here, not taken from the server (issue 9 item 9; keep at the end) ----
  notDecidable: '该报销已无法批准或驳回。',
  refused: '服务器未接受此操作。',
  incompatible: '服务器的应答无法被当前版本的 Signoff 识别。',
  // ---- notification actions (issue 13) ----
  actionApprove: '批准',
  actionReject: '驳回…',
  actionOpen: '打开',
  actionRejectPlaceholder: '驳回理由',
  actionApproved: (id) => `已批准 ${id}`,
  actionRejected: (id) => `已驳回 ${id}`,
  actionFailed: (id) => `未处理 ${id}`,
  actionStale: '该报销已不再等待您审批。',
  shortcutTakenTitle: '快捷键不可用',
  shortcutTakenBody: (accelerator) => `${accelerator} 已被其他应用占用。请在 Signoff 设置中选择其他快捷键。`,
  withPolicyFlags: withPolicyFlagsIn('zh-CN'),
  bulkFlagged: '未批准：该报销有合规提示，请打开后单独处理。',
  // ---- nudges (催办, issue 14) ----
  nudgedTitle: (submitter) => `${submitter} 催办了报销`,
  nudgedBody: (title, amount, hours) => `${title} · ${amount} · 已等待 ${hours} 小时`,
  nudgeTooSoon: (when) => `现在还不能催办，${when} 起可再次催办。`,
  notNudgeable: '该报销已不在审批中，无需催办。',
  // ---- transfer, add approver, return for revision (issue 14) ----
  claimReturnedTitle: '您的报销被退回修改',
  claimReturnedBody: (title, by, reason) => `${title} · ${by} 退回：${reason}`,
  conflictReturned: (by) => `已由 ${by} 退回给提交人`,
  returnNeedsReason: '退回报销需要填写理由。',
  ineligibleUser: '此人无法接手该报销，请另选他人。',
  // ---- delegation / out of office (issue 14) ----
  coverScheduledTitle: (delegator) => `${delegator} 将审批交由您代理`,
  coverScheduledBody: (delegator, from, until) => `${from} 至 ${until} 期间，由您代 ${delegator} 审批。`,
  coverStartedTitle: (delegator) => `您已开始代 ${delegator} 审批`,
  coverStartedBody: (delegator, until, moved) => {
    const range = `${until} 前，${delegator} 的审批都交给您。`;
    return moved === 0 ? range : `${range}已有 ${moved} 笔待审批的报销转给您。`;
  },
  coverEndedTitle: (delegator) => `您已不再代 ${delegator} 审批`,
  coverEndedBody: (delegator) => `仍在等待的报销已交还 ${delegator}。`,
  coverCancelledBody: (delegator, from, until) => `${delegator} 取消了原定 ${from} 至 ${until} 的审批代理。`,
  awayStartedTitle: (delegate) => `您的审批已交由 ${delegate} 代理`,
  awayStartedBody: (delegate, until) => `外出至 ${until}。等待您审批的报销已转给 ${delegate}。`,
  awayEndedTitle: '审批已交还给您',
  awayEndedBody: (delegate, waiting) =>
    `${delegate} 不再代您审批。${waiting === 0 ? '目前没有等待您审批的报销。' : `有 ${waiting} 笔报销等待您审批。`}`,
  delegationCancelledTitle: '审批代理已取消',
  awayCancelledBody: (delegate, from, until) => `原定 ${from} 至 ${until} 由 ${delegate} 代理的安排已取消。`,
  // ---- receipts on resubmit (issue 14) ----
  receiptsRefused: '服务器拒绝了这些票据：每笔报销最多 10 张，合计不超过 6 MB。请重新载入报销后再试。',
  receiptPickExpired: '所选票据已失效，请重新添加。',
  receiptPickerTitle: '添加票据',
  receiptPickerFilter: '票据（图片和 PDF）',
};

const catalogs: Record<Locale, Messages> = { en, 'zh-CN': zhCN };

export function messagesFor(locale: Locale): Messages {
  return catalogs[locale];
}

/** Amount as the user reads it in their language, exact (minor units, never floats). */
export function formatAmount(amountMinor: number, currency: string, locale: Locale): string {
  return formatMoney(amountMinor, currency, locale);
}
