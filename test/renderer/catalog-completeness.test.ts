// Both window catalogs (and the core's notification/conflict catalog) say every entry, non-empty, and
// the Chinese one really is Chinese: no entry equal to its English counterpart unless listed below, and
// no Latin words beyond the reviewed allowlist of test/support/visible-text.ts. Function-valued entries
// are called with sample arguments covering each value of their enums. No browser.

import { describe, expect, it } from 'vitest';
import { CONNECTION_LABELS } from '../../main/common/connection-label';
import { DELEGATION_PROBLEMS } from '../../main/common/delegation-problems';
import { PAUSE_PRESETS } from '../../main/common/pause-presets';
import { RECEIPT_PICK_PROBLEMS } from '../../main/common/picked-receipt-schema';
import { PROXY_MODES } from '../../main/common/proxy-modes';
import { sharedStringsFor } from '../../main/common/shared-strings';
import { SIGN_IN_FAILURES } from '../../main/common/sign-in-failures';
import { type Messages, messagesFor } from '../../main/core/i18n';
import { IpcErrorKind } from '../../main/ipc/contract';
import { AuditAction } from '../../protocol/claims';
import { CLAIM_CATEGORIES, CLAIM_STATES, STEP_KINDS } from '../../protocol/enums';
import type { PolicyFlag } from '../../protocol/policy-flags';
import { type Catalog, createFormatters, type ProblemKind, parseTime } from '../../renderer/i18n';
import { en } from '../../renderer/i18n/en';
import { zhCN } from '../../renderer/i18n/zh-CN';
import { findLeaks } from '../support/visible-text';

/** Every key of C, with the argument lists to call it with (null for plain strings). */
type Samples<C> = { [K in keyof C]-?: C[K] extends (...args: infer A) => string ? readonly A[] : null };

const num = (n: number) => String(n);
// Han names and a claim id: arguments that add no Latin words of their own to the Chinese text.
const NAME = '王芳';
const ID = 'EXP-000042';
const WHEN = '2026年11月2日 14:30';
const each = <T>(values: readonly T[]) => values.map((value) => [value] as [T]);
const problems = IpcErrorKind.options.filter(
  (kind): kind is ProblemKind => !(SIGN_IN_FAILURES as readonly string[]).includes(kind),
);
const connectionKinds = CONNECTION_LABELS;
/** One flag of each code (both weekend days), as a flagged claim would carry them. */
const EVERY_FLAG: PolicyFlag[] = [
  { code: 'over_category_limit', limitMinor: 150_000, currency: 'CNY' },
  { code: 'possible_duplicate', duplicateOf: ID },
  { code: 'weekend_expense', day: 'saturday' },
  { code: 'weekend_expense', day: 'sunday' },
  { code: 'receipt_missing', thresholdMinor: 80_000, currency: 'CNY' },
  { code: 'expense_too_old', ageDays: 120, maxAgeDays: 90 },
];

// A `satisfies` table: adding a key to Catalog without a row here fails the type check.
const CATALOG_SAMPLES = {
  appName: null,
  signInTitle: null,
  signInIntro: null,
  serverUrl: null,
  serverUrlHint: null,
  username: null,
  password: null,
  signIn: null,
  signingIn: null,
  signInWith: [['示例公司']],
  signingInWithBrowser: null,
  orUsePassword: null,
  signInFailure: each([...SIGN_IN_FAILURES, 'invalid-request', 'other'] as const),
  untrustedIssuer: [['示例公司检查根证书']],
  sessionExpiredNotice: null,
  connection: each(connectionKinds),
  signedInAs: [[NAME]],
  offlineBanner: null,
  reconnectingBanner: [[0], [5]],
  actionsDisabledOffline: null,
  retryNow: null,
  memoryStorageNotice: null,
  queueTab: null,
  settingsTab: null,
  back: null,
  queueTitle: null,
  queueCount: [
    [1, 1, num],
    [4, 4, num],
    [1, 4, num],
  ],
  searchLabel: null,
  searchPlaceholder: null,
  categoryFilter: null,
  stepFilter: null,
  allCategories: null,
  allSteps: null,
  category: each(CLAIM_CATEGORIES),
  step: each(STEP_KINDS),
  emptyQueue: null,
  emptyQueueHint: null,
  noMatches: null,
  clearFilters: null,
  waiting: [['3小时前']],
  justNow: null,
  keyboardHint: null,
  claimHeading: [[ID]],
  submittedBy: [[NAME]],
  submitter: null,
  expenseDate: null,
  submittedAt: null,
  lineItems: null,
  description: null,
  amount: null,
  total: null,
  approvalChain: null,
  stepStatus: each(['waiting', 'current', 'approved', 'rejected', 'cancelled', 'returned'] as const),
  decidedBy: [[NAME, WHEN]],
  auditTrail: null,
  auditAction: AuditAction.options.map((a) => [a, NAME, '李雷'] as const),
  loadingClaim: null,
  claimLoadFailed: null,
  claimState: each(CLAIM_STATES),
  notYourStep: null,
  approve: null,
  reject: null,
  confirmApproveTitle: null,
  confirmRejectTitle: null,
  commentOptional: null,
  reasonRequired: null,
  reasonMissing: null,
  confirmApprove: null,
  confirmReject: null,
  cancel: null,
  approving: null,
  rejecting: null,
  approvedToast: [[ID]],
  rejectedToast: [[ID]],
  conflictTitle: null,
  actionFailed: null,
  announcements: null,
  announcementBy: [[NAME, WHEN]],
  settingsTitle: null,
  notifications: null,
  notificationsEnabled: null,
  notificationActions: null,
  globalShortcutEnabled: null,
  globalShortcut: null,
  globalShortcutHint: null,
  globalShortcutInvalid: null,
  pause: null,
  pauseOff: null,
  pausePreset: each(PAUSE_PRESETS),
  pausedUntil: [[WHEN]],
  pausedIndefinitely: null,
  quietHours: null,
  quietHoursEnabled: null,
  quietFrom: null,
  quietTo: null,
  reminders: null,
  remindersEnabled: null,
  remindAfterHours: null,
  startAtLogin: null,
  language: null,
  languageSystem: null,
  server: null,
  signedInTo: [['https://approvals.example.com']],
  changeServerHint: null,
  signOut: null,
  saved: null,
  saveFailed: [['磁盘已满']],
  unknownError: null,
  searchPlaceholderCompact: null,
  sortLabel: null,
  sortOption: each(['age', 'amount', 'submitter'] as const),
  overdue: null,
  overdueLong: [[48]],
  previousClaim: null,
  nextClaim: null,
  claimNavigation: null,
  claimPosition: [[2, 5, num]],
  confirmApproveQuestion: [[ID, '¥640.50', NAME]],
  confirmRejectQuestion: [[ID, '¥640.50', NAME]],
  decidedElsewhere: AuditAction.exclude(['submitted', 'nudged']).options.map((a) => [a, NAME] as const),
  claimChangedElsewhere: null,
  selectClaimHint: null,
  problem: each(problems),
  timeFormatHint: null,
  timeInvalid: null,
  support: null,
  supportHint: null,
  openLogsFolder: null,
  copyDiagnostics: null,
  logsFolderOpened: null,
  diagnosticsCopied: null,
  supportActionFailed: [['磁盘已满']],
  announcementsNewCount: [
    [1, num],
    [3, num],
  ],
  announcementUnread: null,
  announcementDismiss: [['季度结账']],
  announcementDismissed: null,
  doneTab: null,
  mineTab: null,
  doneTitle: null,
  mineTitle: null,
  listCount: [
    [3, false, num],
    [50, true, num],
  ],
  emptyDone: null,
  emptyDoneHint: null,
  emptyMine: null,
  emptyMineHint: null,
  loadMore: null,
  loadingMore: null,
  loadingList: null,
  listLoadFailed: null,
  retry: null,
  myDecision: each(['approved', 'rejected'] as const),
  noComment: null,
  holders: [[[NAME]], [[NAME, '李娜']]],
  atStepSince: [['3 小时前']],
  submittedWhen: [['3 小时前']],
  backToList: each(['done', 'mine'] as const),
  listKeyboardHint: null,
  network: null,
  proxy: null,
  proxyMode: each(PROXY_MODES),
  proxyUrl: null,
  proxyUrlHint: null,
  proxyUser: null,
  proxyPassword: null,
  proxyCredentialsHint: null,
  saveProxyCredentials: null,
  clearProxyCredentials: null,
  proxyCredentialsSavedFor: [[NAME]],
  policyFlag: EVERY_FLAG.map((flag) => [flag, (minor: number) => `¥${minor / 100}`] as const),
  policyFlagCount: [[1], [3]],
  policyFlagsLabel: [[2, ['超出类别限额 ¥1500', '费用发生在周末（星期六）']]],
  policyFlagsHeading: null,
  bulkSelectAllClean: [[3]],
  bulkSelected: [[1], [3]],
  bulkApprove: [[1], [3]],
  bulkApproving: [[1], [3]],
  bulkClear: null,
  bulkComment: null,
  bulkKeyHint: null,
  bulkNotEligible: null,
  bulkSelectRow: [[ID]],
  bulkResultsTitle: [[2, 3]],
  bulkOutcome: each(['approved', 'conflict', 'refused', 'failed'] as const),
  bulkDismiss: null,
  nudgeButton: [['EXP-000042']],
  nudgeAllowedFrom: [['2026/11/26 09:00']],
  nudgeQuestion: [[NAME, 'EXP-000042']],
  nudgeSend: null,
  nudgeSent: [[NAME]],
  nudgedAgo: [['2 小时前']],
  nudgedMarker: null,
  receipts: null,
  noReceipts: null,
  enlargeReceipt: [['出租车收据']],
  loadingReceipt: null,
  receiptLoadFailed: null,
  openReceiptLabel: [['酒店发票']],
  closeReceipt: null,
  pdfBadge: null,
  fileSize: [
    [850, num],
    [48_213, num],
    [2_097_152, num],
  ],
  openReceipt: null,
  receiptOpened: null,
  receiptOpenFailed: null,
  outOfOffice: null,
  outOfOfficeHint: null,
  delegatingTo: [[NAME, WHEN]],
  delegationScheduled: [[NAME, WHEN, WHEN]],
  coveringFor: [[NAME, WHEN]],
  delegateTo: null,
  chooseDelegate: null,
  delegateFrom: null,
  delegateUntil: null,
  dateHint: null,
  dateInvalid: null,
  startDelegation: null,
  endDelegationNow: null,
  cancelDelegation: null,
  delegationStarted: null,
  delegationEnded: null,
  delegationProblem: each(DELEGATION_PROBLEMS),
  onBehalfOfShort: [[NAME]],
  auditOnBehalf: (['approved', 'rejected'] as const).map((a) => [a, NAME, '李娜'] as const),
  // ---- issue 14 ----
  transferAction: null,
  addApproverAction: null,
  returnAction: null,
  confirmTransferQuestion: [[ID, '¥640.50', NAME]],
  confirmAddApproverQuestion: [[ID, '¥640.50', NAME]],
  confirmReturnQuestion: [[ID, '¥640.50', NAME]],
  transferTo: null,
  approverToAdd: null,
  loadingPeople: null,
  noEligiblePeople: null,
  chooseSomeone: null,
  addPosition: null,
  addPositionOption: each(['before', 'after'] as const),
  returnReasonRequired: null,
  returnReasonMissing: null,
  confirmTransfer: [[NAME]],
  confirmAddApprover: [[NAME]],
  confirmReturn: null,
  sending: null,
  transferredToast: [[ID, NAME]],
  approverAddedToast: [[ID, NAME]],
  returnedToast: [[ID]],
  stepAddedBy: [[NAME]],
  stepTransferredFrom: [[NAME]],
  returnedBy: [[NAME]],
  editAndResubmit: null,
  resubmitHint: null,
  claimTitle: null,
  addItem: null,
  removeItem: [[2]],
  itemDescription: [[2]],
  itemAmount: [[2, 'CNY']],
  amountInvalid: null,
  noteOptional: null,
  confirmResubmit: null,
  resubmittedToast: [[ID]],
  addReceipt: null,
  removeReceipt: [['酒店发票']],
  newReceiptBadge: null,
  imageBadge: null,
  receiptPickProblem: RECEIPT_PICK_PROBLEMS.map((problem) => ['酒店发票', problem, '2.0 MB'] as const),
  receiptsOverTotal: [['6.0 MB']],
} satisfies Samples<Catalog>;

const MESSAGE_SAMPLES = {
  newClaimTitle: [[NAME]],
  newClaimBody: [['差旅', '¥640.50']],
  summaryTitle: [[1], [3]],
  summaryBody: null,
  updatesSummaryTitle: [[3]],
  recentUpdatesSummaryTitle: [[4], [12]],
  reminderTitle: [[NAME]],
  reminderBody: [['差旅', '¥640.50', 48]],
  reminderSummaryTitle: [[3]],
  claimApprovedTitle: null,
  claimApprovedBody: [['差旅', NAME]],
  claimRejectedTitle: null,
  claimRejectedBody: [['差旅', NAME, '缺少发票']],
  announcementTitle: [['年会通知']],
  sessionExpiredTitle: null,
  sessionExpiredBody: null,
  ssoBrowserDone: null,
  ssoBrowserFailed: null,
  conflictApproved: [[NAME]],
  conflictRejected: [[NAME]],
  conflictWithdrawn: [[NAME]],
  conflictMovedOn: [[NAME, '李雷']],
  conflictChanged: null,
  rejectNeedsReason: null,
  offline: null,
  sessionExpired: null,
  forbidden: null,
  notFound: null,
  notDecidable: null,
  refused: null,
  incompatible: null,
  actionApprove: null,
  actionReject: null,
  actionOpen: null,
  actionRejectPlaceholder: null,
  actionApproved: [['EXP-000042']],
  actionRejected: [['EXP-000042']],
  actionFailed: [['EXP-000042']],
  actionStale: null,
  shortcutTakenTitle: null,
  shortcutTakenBody: [['CommandOrControl+Alt+S']],
  withPolicyFlags: [['差旅 · ¥1,600.00', EVERY_FLAG]],
  bulkFlagged: null,
  nudgedTitle: [[NAME]],
  nudgedBody: [['差旅', '¥640.50', 30]],
  nudgeTooSoon: [['11/26 09:00']],
  notNudgeable: null,
  claimReturnedTitle: null,
  claimReturnedBody: [['差旅', NAME, '缺少发票']],
  conflictReturned: [[NAME]],
  returnNeedsReason: null,
  ineligibleUser: null,
  coverScheduledTitle: [[NAME]],
  coverScheduledBody: [[NAME, '12/7 09:00', '12/14 09:00']],
  coverStartedTitle: [[NAME]],
  coverStartedBody: [
    [NAME, '12/14 09:00', 0],
    [NAME, '12/14 09:00', 1],
    [NAME, '12/14 09:00', 3],
  ],
  coverEndedTitle: [[NAME]],
  coverEndedBody: [[NAME]],
  coverCancelledBody: [[NAME, '12/7 09:00', '12/14 09:00']],
  awayStartedTitle: [[NAME]],
  awayStartedBody: [[NAME, '12/14 09:00']],
  awayEndedTitle: null,
  awayEndedBody: [
    [NAME, 0],
    [NAME, 1],
    [NAME, 4],
  ],
  delegationCancelledTitle: null,
  awayCancelledBody: [[NAME, '12/7 09:00', '12/14 09:00']],
  receiptsRefused: null,
  receiptPickExpired: null,
  receiptPickerTitle: null,
  receiptPickerFilter: null,
} satisfies Samples<Messages>;

/**
 * Entries whose Chinese may equal the English, and why. Each is a name or pure layout around the
 * arguments; anything with words of its own must differ.
 */
const SAME_IN_BOTH: Readonly<Record<string, string>> = {
  appName: 'the product name, "Signoff", in both languages',
  announcementBy: '"<name> · <when>": only the arguments and a separator',
  newClaimBody: '"<title> · <amount>": only the arguments and a separator',
  announcementTitle: 'the announcement’s own title, as the server sends it',
  holders: 'the names the server sends, joined by the language’s list separator (one name: nothing to join)',
  fileSize: 'a number and a unit symbol (B, KB, MB), written the same in Chinese',
};

interface Entry {
  key: string;
  en: string;
  zh: string;
  /** The string arguments it was called with (they may be Chinese in the English text too). */
  args: string[];
}

function entries<C extends object>(
  samples: Record<string, readonly (readonly unknown[])[] | null>,
  english: C,
  chinese: C,
): Entry[] {
  const out: Entry[] = [];
  for (const [key, argLists] of Object.entries(samples)) {
    const e = (english as Record<string, unknown>)[key];
    const z = (chinese as Record<string, unknown>)[key];
    if (argLists === null) {
      out.push({ key, en: e as string, zh: z as string, args: [] });
      continue;
    }
    for (const args of argLists) {
      const call = (f: unknown) => (f as (...a: readonly unknown[]) => string)(...args);
      // A list argument (e.g. the names in `holders`) counts as its items.
      const shown = args
        .flat()
        .filter((a) => typeof a !== 'function')
        .map(String);
      out.push({ key: `${key}(${shown.join(', ')})`, en: call(e), zh: call(z), args: shown });
    }
  }
  return out;
}

const HAN = /\p{Script=Han}/u;

function checkPair(english: object, chinese: object, samples: Record<string, unknown>, label: string) {
  // The sample table lists exactly the keys both catalogs have (the type check ties it to the interface).
  expect(Object.keys(english).sort(), `${label}: en keys`).toEqual(Object.keys(samples).sort());
  expect(Object.keys(chinese).sort(), `${label}: zh-CN keys`).toEqual(Object.keys(samples).sort());
  const all = entries(samples as Record<string, readonly (readonly unknown[])[] | null>, english, chinese);
  const problems: string[] = [];
  for (const { key, en: e, zh, args } of all) {
    const base = key.replace(/\(.*$/, '');
    if (typeof e !== 'string' || e.trim() === '') problems.push(`${label} en.${key} is empty`);
    if (typeof zh !== 'string' || zh.trim() === '') problems.push(`${label} zh-CN.${key} is empty`);
    if (typeof e !== 'string' || typeof zh !== 'string') continue;
    if (zh === e && !(base in SAME_IN_BOTH))
      problems.push(`${label} zh-CN.${key} is the English text: ${zh}`);
    if (HAN.test(args.reduce((text, arg) => text.replaceAll(arg, ''), e)))
      problems.push(`${label} en.${key} has Chinese in it: ${e}`);
    for (const leak of findLeaks([zh], { people: [], catalogKeys: [] })) {
      problems.push(`${label} zh-CN.${key}: ${leak.kind} "${leak.match}" in "${zh}"`);
    }
  }
  // A copy-pasted branch returns undefined, not a string: caught above as "empty".
  expect(problems).toEqual([]);
  return all;
}

describe('message catalogs', () => {
  it('the window: every Catalog key in en and zh-CN, non-empty, and the Chinese is not English', () => {
    const all = checkPair(en, zhCN, CATALOG_SAMPLES, 'window');
    // The sample arguments reach every branch: one entry per enum value, e.g. all 7 categories.
    expect(all.filter((entry) => entry.key.startsWith('category(')).length).toBe(CLAIM_CATEGORIES.length);
  });

  it('the core (notifications, conflicts, action failures) and the shared words: same rules', () => {
    checkPair(messagesFor('en'), messagesFor('zh-CN'), MESSAGE_SAMPLES, 'core');
    const shared = {
      connection: each(connectionKinds),
      signedInAs: [[NAME]],
      signOut: null,
      pauseNotifications: null,
      pausePreset: each(PAUSE_PRESETS),
      sessionEnded: null,
      rejectNeedsReason: null,
    };
    checkPair(sharedStringsFor('en'), sharedStringsFor('zh-CN'), shared, 'shared');
  });

  it('the scanner flags English, raw keys and 12-hour times, and lets the allowlist through', () => {
    const leaks = (text: string) => findLeaks([text], { people: ['Grace Chen'], catalogKeys: ['saved'] });
    expect(leaks('Saved.').map((f) => f.match)).toEqual(['Saved']);
    expect(leaks('saved').map((f) => f.kind)).toEqual(['catalog-key']);
    expect(leaks('已批准 EXP-000004。').length).toBe(0);
    expect(leaks('Approved EXP-000004.').map((f) => f.match)).toEqual(['Approved']);
    expect(leaks('queueTitle').map((f) => f.kind)).toContain('catalog-key');
    expect(leaks('已暂停至 2026年12月2日 下午10:00').map((f) => f.kind)).toEqual(['12-hour']);
    expect(leaks('10:00 PM').map((f) => f.kind)).toEqual(['12-hour', 'latin']);
    expect(leaks('已由 Grace Chen 批准。已登录到 http://127.0.0.1:8787 · JPY 84,511 · Signoff')).toEqual([]);
    expect(leaks('已由 Frank Sun 批准').map((f) => f.match)).toEqual(['Frank', 'Sun']);
  });
});

describe('dates and times follow the window language', () => {
  const at = '2026-11-02T14:05:00.000Z';
  it('zh-CN shows a 24-hour clock everywhere a date-time is shown; English keeps its own', () => {
    const zh = createFormatters('zh-CN').dateTime(at);
    expect(zh).toMatch(/^2026年11月\d+日 \d{2}:05$/);
    expect(findLeaks([zh], { people: [], catalogKeys: [] })).toEqual([]);
    expect(createFormatters('en').dateTime(at)).toMatch(/^Nov \d+, 2026, \d{1,2}:05\s?[AP]M$/);
  });

  it('the quiet-hours field reads 24-hour HH:MM whatever the language, and nothing else', () => {
    expect(parseTime('21:30')).toBe('21:30');
    expect(parseTime('9:05')).toBe('09:05');
    expect(parseTime(' 22：00 ')).toBe('22:00'); // a full-width colon from a Chinese IME
    for (const bad of ['24:00', '10:00 PM', '下午10:00', '21:3', '2130', ''])
      expect(parseTime(bad)).toBeNull();
  });
});
