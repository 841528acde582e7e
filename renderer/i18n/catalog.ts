// The shape of a renderer message catalog. One module per language implements it (en.ts, zh-CN.ts);
// plain functions keep plurals and word order natural in each language. Entries marked "shared" take
// their words from main/common/shared-strings.ts, which the tray and the notifications use too.
import type { ConnectionLabel } from '../../main/common/connection-label';
import type { DelegationProblem } from '../../main/common/delegation-problems';
import type { PausePreset } from '../../main/common/pause-presets';
import type { PickedReceipt } from '../../main/common/picked-receipt-schema';
import type { FormatAmount } from '../../main/common/policy-flag-strings';
import type { ProxyMode } from '../../main/common/proxy-modes';
import type { AuditAction, ClaimCategory, ClaimState, StepKind, StepStatus } from '../../protocol/claims';
import type { PolicyFlag } from '../../protocol/policy-flags';
import type { IpcError, SignInFailureKind } from '../bridge-types';

/** Why main did not take a file picked for a resubmission (main/common/picked-receipt-schema.ts). */
export type ReceiptPickProblem = Extract<PickedReceipt, { ok: false }>['problem'];

/** Why an IPC call failed, other than a sign-in failure (those have `signInFailure`). */
export type ProblemKind = Exclude<IpcError['kind'], SignInFailureKind>;

export interface Catalog {
  appName: string;
  // sign in
  signInTitle: string;
  signInIntro: string;
  serverUrl: string;
  serverUrlHint: string;
  username: string;
  password: string;
  signIn: string;
  signingIn: string;
  /** The company sign-in button; `name` is the server's, shown as plain text. */
  signInWith(name: string): string;
  /** While the system browser has the company sign-in. */
  signingInWithBrowser: string;
  /** Above the password fields when company sign-in is offered. */
  orUsePassword: string;
  signInFailure(kind: SignInFailureKind | 'invalid-request' | 'other'): string;
  /** A `tls` failure whose certificate chain names its issuer (e.g. a company's inspection root). */
  untrustedIssuer(issuer: string): string;
  /** shared */
  sessionExpiredNotice: string;
  // header / connection
  /** shared */
  connection(label: ConnectionLabel): string;
  /** shared */
  signedInAs(name: string): string;
  offlineBanner: string;
  reconnectingBanner(seconds: number): string;
  actionsDisabledOffline: string;
  retryNow: string;
  memoryStorageNotice: string;
  // navigation
  queueTab: string;
  settingsTab: string;
  back: string;
  // queue
  queueTitle: string;
  /** `num` formats a count for the locale (1,000). */
  queueCount(shown: number, total: number, num: (n: number) => string): string;
  searchLabel: string;
  searchPlaceholder: string;
  categoryFilter: string;
  stepFilter: string;
  allCategories: string;
  allSteps: string;
  category(category: ClaimCategory): string;
  step(kind: StepKind): string;
  emptyQueue: string;
  emptyQueueHint: string;
  noMatches: string;
  clearFilters: string;
  /** How long a claim has waited on me; `relative` is Intl's "3 hours ago" or `justNow`. */
  waiting(relative: string): string;
  justNow: string;
  keyboardHint: string;
  // claim detail
  claimHeading(id: string): string;
  submittedBy(name: string): string;
  submitter: string;
  expenseDate: string;
  submittedAt: string;
  lineItems: string;
  description: string;
  amount: string;
  total: string;
  approvalChain: string;
  stepStatus(status: StepStatus): string;
  decidedBy(name: string, when: string): string;
  auditTrail: string;
  /** `subject`: the other person of a transfer or an added approver (issue 14). */
  auditAction(action: AuditAction, actor: string, subject?: string): string;
  loadingClaim: string;
  claimLoadFailed: string;
  claimState(state: ClaimState): string;
  notYourStep: string;
  // actions
  approve: string;
  reject: string;
  confirmApproveTitle: string;
  confirmRejectTitle: string;
  commentOptional: string;
  reasonRequired: string;
  /** shared */
  reasonMissing: string;
  confirmApprove: string;
  confirmReject: string;
  cancel: string;
  approving: string;
  rejecting: string;
  approvedToast(id: string): string;
  rejectedToast(id: string): string;
  conflictTitle: string;
  actionFailed: string;
  // announcements
  announcements: string;
  announcementBy(name: string, when: string): string;
  // settings
  settingsTitle: string;
  notifications: string;
  notificationsEnabled: string;
  /** Approve / Reject… / Open on claim notifications (issue 13). */
  notificationActions: string;
  /** The global shortcut that opens the queue (issue 13). */
  globalShortcutEnabled: string;
  globalShortcut: string;
  globalShortcutHint: string;
  globalShortcutInvalid: string;
  /** shared */
  pause: string;
  pauseOff: string;
  /** shared */
  pausePreset(preset: PausePreset): string;
  pausedUntil(when: string): string;
  pausedIndefinitely: string;
  quietHours: string;
  quietHoursEnabled: string;
  quietFrom: string;
  quietTo: string;
  reminders: string;
  remindersEnabled: string;
  remindAfterHours: string;
  startAtLogin: string;
  language: string;
  languageSystem: string;
  server: string;
  signedInTo(url: string): string;
  changeServerHint: string;
  /** shared */
  signOut: string;
  saved: string;
  saveFailed(message: string): string;
  unknownError: string;
  // ---- queue window at tray size and wide (added with the layout work; keep at the end) ----
  /** Search placeholder short enough for a 360 px window; says amounts match too. */
  searchPlaceholderCompact: string;
  sortLabel: string;
  sortOption(sort: 'age' | 'amount' | 'submitter'): string;
  /** Visible marker on a claim waiting longer than the overdue threshold. */
  overdue: string;
  /** The same, in words, for screen readers and the tooltip. */
  overdueLong(hours: number): string;
  previousClaim: string;
  nextClaim: string;
  claimNavigation: string;
  /** "2 of 5" inside a claim; `num` formats counts for the locale. */
  claimPosition(position: number, total: number, num: (n: number) => string): string;
  /** The decision, spelled out: which claim, how much, whose. */
  confirmApproveQuestion(id: string, amount: string, submitter: string): string;
  confirmRejectQuestion(id: string, amount: string, submitter: string): string;
  /** Someone else decided while my confirmation was open. */
  decidedElsewhere(action: Exclude<AuditAction, 'submitted' | 'nudged'>, actor: string): string;
  claimChangedElsewhere: string;
  /** Wide window, no claim open: what the detail pane says. */
  selectClaimHint: string;
  // ---- support: log file and diagnostics (added with the log file; keep at the end) ----
  support: string;
  supportHint: string;
  openLogsFolder: string;
  copyDiagnostics: string;
  logsFolderOpened: string;
  diagnosticsCopied: string;
  supportActionFailed(message: string): string;
  // ---- announcements panel (issue 9) ----
  /** The collapsed panel's count, e.g. "2 new"; `num` formats counts for the locale. */
  announcementsNewCount(count: number, num: (n: number) => string): string;
  /** The marker on an unread announcement (shown, and read out by screen readers). */
  announcementUnread: string;
  /** The dismiss button's accessible name and tooltip. */
  announcementDismiss(title: string): string;
  /** Said once an announcement is dismissed. */
  announcementDismissed: string;
  // ---- claim lists: Done and My claims (issue 9; keep at the end) ----
  doneTab: string;
  mineTab: string;
  doneTitle: string;
  mineTitle: string;
  /** Loaded rows; `more` when further pages exist (the total is not known until the end). */
  listCount(loaded: number, more: boolean, num: (n: number) => string): string;
  emptyDone: string;
  emptyDoneHint: string;
  emptyMine: string;
  emptyMineHint: string;
  loadMore: string;
  loadingMore: string;
  loadingList: string;
  listLoadFailed: string;
  retry: string;
  /** My decision on a Done row. */
  myDecision(action: 'approved' | 'rejected'): string;
  /** A Done row whose decision had no comment. */
  noComment: string;
  /** The people holding a claim's current step, joined the way the language lists names. */
  holders(names: readonly string[]): string;
  /** How long my claim has been at its current step; `relative` as in `waiting`. */
  atStepSince(relative: string): string;
  /** When my claim was submitted; `relative` as in `waiting`. */
  submittedWhen(relative: string): string;
  /** The claim view's back link when it was opened from Done or My claims. */
  backToList(list: 'done' | 'mine'): string;
  listKeyboardHint: string;
  // ---- every string localized, dates follow the locale (issue 9 item 9; keep at the end) ----
  /**
   * What went wrong, in the window's language, for each IPC error kind. The error's own `message` is
   * an English diagnostic (for the log), so the window never shows it.
   */
  problem(kind: ProblemKind): string;
  /** Tooltip of a quiet-hours time field: the 24-hour HH:MM format it takes. */
  timeFormatHint: string;
  /** Shown under a time field holding something that is not a 24-hour time. */
  timeInvalid: string;
  // ---- network: proxy (issue 12; keep at the end) ----
  network: string;
  proxy: string;
  proxyMode(mode: ProxyMode): string;
  proxyUrl: string;
  /** Under the manual proxy field: the URL shape (credentials have their own fields). */
  proxyUrlHint: string;
  proxyUser: string;
  proxyPassword: string;
  /** Under the credential fields: where they are kept, and that the password is never shown again. */
  proxyCredentialsHint: string;
  saveProxyCredentials: string;
  clearProxyCredentials: string;
  /** Which user name is saved for the proxy (the password is never shown). */
  proxyCredentialsSavedFor(user: string): string;
  // ---- policy flags and bulk approve (issue 14; keep at the end) ----
  /** shared: one flag as a sentence fragment; `money` formats its amount. */
  policyFlag(flag: PolicyFlag, money: FormatAmount): string;
  /** shared: "2 policy flags". */
  policyFlagCount(count: number): string;
  /** The row badge's accessible name: the count, then every flag's text. */
  policyFlagsLabel(count: number, texts: readonly string[]): string;
  /** Heading of the flag list in the claim view. */
  policyFlagsHeading: string;
  /** The bulk bar's button that checks every claim without flags in the (filtered) list. */
  bulkSelectAllClean(count: number): string;
  bulkSelected(count: number): string;
  bulkApprove(count: number): string;
  bulkApproving(count: number): string;
  bulkClear: string;
  bulkComment: string;
  /** What Space and x do in the list (tooltip of the bulk bar). */
  bulkKeyHint: string;
  /** A flagged row's checkbox cannot be checked: why. */
  bulkNotEligible: string;
  /** Screen-reader name of a row's checkbox state. */
  bulkSelectRow(id: string): string;
  bulkResultsTitle(approved: number, total: number): string;
  bulkOutcome(outcome: 'approved' | 'conflict' | 'refused' | 'failed'): string;
  bulkDismiss: string;
  // ---- nudge (催办, issue 14; keep at the end) ----
  /** My claims: the button that nudges the selected claim's approvers. */
  nudgeButton(claimId: string): string;
  /** Beside the disabled button: from when the server allows a nudge. */
  nudgeAllowedFrom(when: string): string;
  nudgeQuestion(approvers: string, claimId: string): string;
  nudgeSend: string;
  nudgeSent(approvers: string): string;
  /** "Nudged 2 hours ago" (My claims row, and the queue marker's long form). */
  nudgedAgo(relative: string): string;
  /** The queue row's short marker on a claim whose submitter nudged me. */
  nudgedMarker: string;
  // ---- receipts (issue 14; keep at the end) ----
  receipts: string;
  noReceipts: string;
  /** In a thumbnail's place while main fetches and checks the image. */
  loadingReceipt: string;
  receiptLoadFailed: string;
  /** A thumbnail button's accessible name; `name` is the submitter's file name (inert text). */
  enlargeReceipt(name: string): string;
  closeReceipt: string;
  /** The badge of a PDF receipt's row. */
  pdfBadge: string;
  openReceipt: string;
  /** The Open button's accessible name: what opens, and where. */
  openReceiptLabel(name: string): string;
  receiptOpened: string;
  receiptOpenFailed: string;
  /** A file size: bytes, KB or MB (1 KB = 1,024 bytes); `num` formats whole numbers for the locale. */
  fileSize(bytes: number, num: (n: number) => string): string;
  // ---- delegation / out of office (issue 14; keep at the end) ----
  outOfOffice: string;
  /** Under the section title: what a delegation does. */
  outOfOfficeHint: string;
  /** My delegation in force: to whom, until when. */
  delegatingTo(name: string, until: string): string;
  /** My delegation that starts later. */
  delegationScheduled(name: string, from: string, until: string): string;
  /** Someone's delegation I cover: whose, until when. */
  coveringFor(name: string, until: string): string;
  delegateTo: string;
  chooseDelegate: string;
  delegateFrom: string;
  delegateUntil: string;
  /** A day field's tooltip: the format it takes. */
  dateHint: string;
  /** Under a day field left not a day (or before the start). */
  dateInvalid: string;
  startDelegation: string;
  endDelegationNow: string;
  cancelDelegation: string;
  delegationStarted: string;
  delegationEnded: string;
  /** Why a delegation could not be started or ended. */
  delegationProblem(problem: DelegationProblem): string;
  /** Queue row and chain: the user holds the step for someone out of office. */
  onBehalfOfShort(name: string): string;
  /** History: "Dave Liu approved on behalf of Grace Chen". */
  auditOnBehalf(action: 'approved' | 'rejected', actor: string, onBehalfOf: string): string;
  // ---- transfer, add approver, return for revision, resubmit (issue 14; keep at the end) ----
  transferAction: string;
  addApproverAction: string;
  returnAction: string;
  confirmTransferQuestion(id: string, amount: string, submitter: string): string;
  confirmAddApproverQuestion(id: string, amount: string, submitter: string): string;
  confirmReturnQuestion(id: string, amount: string, submitter: string): string;
  /** The user picker's label: to whom a transfer goes, whom an approver step is for. */
  transferTo: string;
  approverToAdd: string;
  loadingPeople: string;
  noEligiblePeople: string;
  chooseSomeone: string;
  addPosition: string;
  addPositionOption(position: 'before' | 'after'): string;
  returnReasonRequired: string;
  returnReasonMissing: string;
  confirmTransfer(name: string): string;
  confirmAddApprover(name: string): string;
  confirmReturn: string;
  sending: string;
  transferredToast(id: string, name: string): string;
  approverAddedToast(id: string, name: string): string;
  returnedToast(id: string): string;
  /** Under a step in the chain: who inserted it, who handed it over. */
  stepAddedBy(name: string): string;
  stepTransferredFrom(name: string): string;
  /** The submitter's view of a returned claim: who returned it, and why (server text, inert). */
  returnedBy(name: string): string;
  editAndResubmit: string;
  resubmitHint: string;
  claimTitle: string;
  addItem: string;
  removeItem(position: number): string;
  itemDescription(position: number): string;
  itemAmount(position: number, currency: string): string;
  amountInvalid: string;
  noteOptional: string;
  confirmResubmit: string;
  resubmittedToast(id: string): string;
  // ---- receipts on resubmit (issue 14; keep at the end) ----
  /** Opens main's open-file dialog. */
  addReceipt: string;
  /** A remove button's accessible name; `name` is a file name (inert text). */
  removeReceipt(name: string): string;
  /** The badge of a receipt picked in this form, not yet on the claim. */
  newReceiptBadge: string;
  /** The badge of an image receipt's row in the form (PDFs have `pdfBadge`). */
  imageBadge: string;
  /** A picked file main did not take; `limit` is the per-file size or the per-claim count, formatted. */
  receiptPickProblem(name: string, problem: ReceiptPickProblem, limit: string): string;
  /** Kept and added receipts together are over the per-claim size (`limit`, formatted). */
  receiptsOverTotal(limit: string): string;
}
