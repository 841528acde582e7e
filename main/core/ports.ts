// The seams between the Electron-free core and the adapters that talk to Electron and the OS.
// The core depends only on these interfaces; main/main.ts (the composition root) hands it real ones,
// tests hand it fakes or the same real ones under Node.

import type {
  ChainChangeAction,
  ClaimDetail,
  ClaimListResponse,
  ClaimSummary,
  DecidedClaimListResponse,
  DelegateRequest,
  Delegation,
  Me,
  MyDelegations,
  UserRef,
} from '../../protocol';
import type { AnnouncementView } from '../common/announcement-schema';
import type { ChainChange } from '../common/chain-change-schema';
import type { ConnectionLabel } from '../common/connection-label';
import type { ConnectionState } from '../common/connection-state-schema';
import type { DelegationProblem } from '../common/delegation-problems';
import type { Locale } from '../common/locale';
import type { PauseCommand } from '../common/pause-presets';
import type { PickedReceipt } from '../common/picked-receipt-schema';
import type { ProxyCredentials, Settings, SettingsPatch } from '../common/settings-schema';
import type { SignInFailure } from '../common/sign-in-failures';
import type { ReceiptImage } from './receipts';

// Connection states, locales and settings are defined once in main/common/ (shared with the IPC contract
// and the window); the core and its adapters see them under their usual names from here.
export type {
  AnnouncementView,
  ConnectionState,
  Locale,
  PauseCommand,
  ProxyCredentials,
  Settings,
  SettingsPatch,
};

/** Where the bearer token lives. Implementations: OS keychain (keytar), Electron safeStorage, memory. */
export interface SecretStore {
  /** What actually protects the secret; `memory` means "this run only", which the UI must say plainly. */
  readonly kind: 'keychain' | 'safe-storage' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/** One native notification as the core wants it shown. `id` is stable so the core can close it later. */
export interface NotificationRequest {
  id: string;
  title: string;
  body: string;
  /** The claim to open when the user clicks it; absent for summaries and announcements. */
  claimId?: string;
  /** Summary notifications open the queue instead of one claim. */
  opensQueue?: boolean;
  /** Approve / Reject… / Open buttons, worded in the user's language; absent when actions are off. */
  actions?: NotificationActionLabels;
}

/** The words on a claim notification's buttons; the adapter shows what its platform can. */
export interface NotificationActionLabels {
  approve: string;
  reject: string;
  open: string;
  /** Placeholder of the reply field where the platform has one (macOS, KDE): the reject reason. */
  replyPlaceholder: string;
}

/** A button pressed on a notification, as the adapter reports it; the core decides what it does. */
export interface NotificationActionEvent {
  /** The NotificationRequest id the notification was shown with. */
  id: string;
  action: 'approve' | 'reject' | 'open';
  /** Text typed into the reply field (a reject reason), where the platform has one. */
  reply?: string;
}

export interface Notifier {
  /** False where the platform cannot show notifications; the tray then carries everything. */
  isSupported(): boolean;
  show(notification: NotificationRequest): void;
  /** Closes a notification if it is still on screen; a no-op otherwise. */
  close(id: string): void;
  /** Where button presses go (issue 13); notifiers without buttons need not implement it. */
  onAction?(listener: (event: NotificationActionEvent) => void): void;
  /**
   * Ids of notifications this notifier can still close, shown by this run or saved by an earlier one
   * (issue 13, item 2): after a restart the core closes those whose claim left the queue meanwhile.
   */
  remembered?(): readonly string[];
}

/** Time, injectable so reminders, quiet hours and backoff are testable with a controllable clock. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The longest delay setTimeout honours (2^31-1 ms, ~24.8 days); Node turns a longer one into 1 ms. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * A delay setTimeout can honour, whatever the input: a longer (or infinite) wait fires at the limit
 * instead of after 1 ms with a TimeoutOverflowWarning, which a re-arming timer turns into a busy loop;
 * callers that wait longer re-arm when it fires. Negative and NaN mean "now".
 */
export function clampTimerDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, clampTimerDelay(ms));
    // Timers must never keep the process (or a test) alive on their own.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Everything the tray needs to draw itself; the tray adapter renders it and knows nothing else. */
export interface TrayModel {
  /** The state's kind, or `online-long-poll` (online, WebSocket blocked). */
  connection: ConnectionLabel;
  pendingCount: number;
  /** Display name of the signed-in user, null when signed out. */
  userName: string | null;
  /** Epoch ms until which notifications are paused; 'indefinite'; or null when not paused. */
  pausedUntil: Settings['pausedUntil'];
  startAtLogin: boolean;
  locale: Locale;
  // ---- announcements (issue 9) ----
  /** Announcements the user has not seen in the window yet; the menu offers to open them. */
  unreadAnnouncements: number;
}

// ---- The core's façade, as the composition root, IPC handlers and tests see it ----

/** Why a sign-in failed, so the window can say exactly that. */
export type { SignInFailure };

export class SignInError extends Error {
  constructor(
    readonly kind: SignInFailure,
    message: string,
    /** For `tls`: who issued the certificate chain that was not trusted (the window names it). */
    readonly issuer?: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/** A read needs a live session and there is none (signed out, or the session expired). */
export class NotSignedInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotSignedInError';
  }
}

/** Outcome of approve/reject, shaped for the window: a conflict says what happened instead. */
export type ActionResult =
  | { ok: true; claim: ClaimDetail }
  | { ok: false; reason: 'conflict'; claim: ClaimDetail; message: string }
  | {
      ok: false;
      reason: 'forbidden' | 'not-found' | 'offline' | 'session-expired' | 'invalid';
      message: string;
    };

// ---- bulk approve (issue 14) ----

export interface BulkApproveItem {
  id: string;
  /** The version the user saw (and whose flags they saw). */
  version: number;
}

export type BulkApproveOutcome = 'approved' | 'conflict' | 'refused' | 'failed';

export interface BulkApproveResult {
  id: string;
  outcome: BulkApproveOutcome;
  /** Why, in the user's language; empty for `approved`. */
  message: string;
}
/** Outcome of a nudge (催办), shaped for the window; `too-soon` says from when it is allowed. */
export type NudgeResult =
  | Exclude<ActionResult, { reason: 'conflict' }>
  | { ok: false; reason: 'too-soon'; message: string; nextAllowedAt: string };

export interface CoreSnapshot {
  connection: ConnectionState;
  user: Me | null;
  serverUrl: string | null;
  /** Claims waiting on the user, oldest first. */
  queue: ClaimSummary[];
  secretStorage: SecretStore['kind'];
  settings: Settings;
  /** The manual proxy's user name when credentials are saved in the keychain; the password never leaves the core. */
  proxyUser: string | null;
  /** Effective locale (settings.locale or the OS one). */
  locale: Locale;
  // ---- announcements (issue 9) ----
  /** The signed-in account's kept announcements, newest first; empty when signed out. */
  announcements: AnnouncementView[];
  // ---- claim lists (Done, My claims) ----
  /**
   * Bumps whenever the stream or one of my own decisions may have changed a claim list (my Done, my
   * claims): the window re-fetches the first page of an open list when it moves.
   */
  listsRevision: number;
}

export interface DesktopCore {
  /** Loads settings, restores a saved session from the secret store and connects. */
  start(): Promise<void>;
  /** Closes the connection and timers; safe to call twice. */
  stop(): Promise<void>;
  signIn(serverUrl: string, username: string, password: string): Promise<void>; // throws SignInError
  signOut(): Promise<void>;
  snapshot(): CoreSnapshot;
  /** Called on every change of the snapshot. Returns an unsubscribe function. */
  subscribe(listener: (snapshot: CoreSnapshot) => void): () => void;
  getClaim(id: string): Promise<ClaimDetail>;
  approve(id: string, version: number, comment?: string): Promise<ActionResult>;
  reject(id: string, version: number, reason: string): Promise<ActionResult>;
  /** Merges the patch onto the current settings (nested groups may be partial); throws a ZodError if invalid. */
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  /** Saves (null: forgets) the manual proxy's credentials in the secret store; write-only. */
  setProxyCredentials(credentials: ProxyCredentials | null): Promise<void>;
  /** Pauses by preset name (or resumes), timed by the core's clock so the tray and the window agree. */
  pauseNotifications(preset: PauseCommand): Promise<Settings>;
  /** OS resume, screen unlock or network back: try to reconnect now instead of waiting out the backoff. */
  wake(reason: 'resume' | 'unlock' | 'online'): void;
  /** The OS says the network is gone: show offline without burning attempts. */
  networkLost(): void;
  // ---- announcements (issue 9): both persist before resolving; no-ops when signed out ----
  /** The window showed these announcements; unknown ids are ignored. */
  markAnnouncementsRead(ids: readonly string[]): Promise<void>;
  /** Removes the announcement for good: a replay of it will not bring it back. */
  dismissAnnouncement(id: string): Promise<void>;
  // ---- claim lists (Done, My claims) ----
  /**
   * One page of my Done list (claims I approved or rejected) or My claims (what I submitted), newest
   * first; `cursor` is the previous page's `nextCursor`. Throws NotSignedInError without a live session.
   */
  listClaims(scope: 'decided', cursor?: string): Promise<DecidedClaimListResponse>;
  listClaims(scope: 'mine', cursor?: string): Promise<ClaimListResponse>;
  // ---- receipts (issue 14) ----
  /** An image receipt as a data: URL, after checking its bytes are the image type the server said. */
  receiptImage(claimId: string, receiptId: string): Promise<ReceiptImage>;
  /**
   * Saves a receipt (checked by content) to a private temporary file for the system viewer and
   * returns its path; the files are removed when the core stops.
   */
  saveReceiptForViewer(claimId: string, receiptId: string): Promise<string>;
  /**
   * Reads files the user chose in main's native open-file dialog (never paths from the page), keeps the
   * ones that can be receipts for a resubmission, and says what each is; `changeChain` sends them.
   */
  pickReceiptFiles(paths: readonly string[]): Promise<PickedReceipt[]>;
  // ---- single sign-on (issue 12) ----
  /** "Sign in with <name>" for this server; null when it offers no company sign-in or cannot be asked. */
  identityProvider(serverUrl: string): Promise<{ name: string } | null>;
  /** Company sign-in in the system browser (throws SignInError), then as signIn. */
  signInWithSso(serverUrl: string): Promise<void>;
  // ---- bulk approve (issue 14) ----
  /**
   * Approves each claim at the version given, one after another, each with its own Idempotency-Key;
   * claims with policy flags are refused without being sent. One result per item, in order.
   */
  bulkApprove(items: readonly BulkApproveItem[], comment?: string): Promise<BulkApproveResult[]>;
  // ---- nudge (催办, issue 14) ----
  /** Nudges the current approvers of my own pending claim; my lists re-fetch on success. */
  nudge(id: string): Promise<NudgeResult>;
  // ---- delegation / out of office (issue 14); each throws NotSignedInError without a live session ----
  delegations(): Promise<MyDelegations>;
  /** Who I may delegate to (the server applies the finance rule). */
  delegationCandidates(): Promise<UserRef[]>;
  startDelegation(request: DelegateRequest): Promise<DelegationOutcome>;
  /** Ends my delegation now (claims still waiting come back to me), or cancels a scheduled one. */
  endDelegation(): Promise<DelegationOutcome>;
  // ---- transfer, add approver, return for revision, resubmit (issue 14) ----
  /** Like approve: the same Idempotency-Key per user action, retry and conflict wording. */
  changeChain(id: string, version: number, change: ChainChange): Promise<ActionResult>;
  /** Whom the user may transfer claim `id` to or add as an approver. Throws like getClaim. */
  eligibleUsers(id: string, action: ChainChangeAction): Promise<UserRef[]>;
}

/** A delegation started or ended, or why not (a problem the user can fix, worded by the window). */
export type DelegationOutcome =
  | { ok: true; delegation: Delegation }
  | { ok: false; problem: DelegationProblem };

// ---- Added by the core: diagnostics for the window's "About/Support" view, tests and benchmarks ----

export interface CoreDiagnostics {
  /** Inbound stream frames dropped, by why. Never shown to the user as notifications. */
  droppedFrames: { notJson: number; invalid: number; oversized: number; binary: number };
  /** Stream connections opened since start (WebSockets, and long-poll runs). */
  connects: number;
  /** Stream events applied to the queue (replays and duplicates excluded). */
  appliedEvents: number;
  /** `GET /queue` snapshots taken. */
  snapshotsTaken: number;
  /** Notifications handed to the Notifier. */
  notificationsShown: number;
  /** When the reminder timer fires next (epoch ms), or null. */
  nextReminderAt: number | null;
}

export interface DesktopCoreWithDiagnostics extends DesktopCore {
  diagnostics(): CoreDiagnostics;
}
