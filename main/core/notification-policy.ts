// Decides what the user sees as native notifications. Rules:
// - one notification per claim newly waiting on the user, keyed by claim and step, never
//   twice (keys are persisted with the stream cursor, so reconnects and restarts cannot repeat them);
// - catch-up (snapshot, replay, backfill): more than CATCH_UP_LIMIT new claims become ONE summary;
// - live, the same: more than CATCH_UP_LIMIT new items within FLOOD_WINDOW_MS on one connection become
//   ONE summary, updated in place (same id) at most once per window, so a flooding server cannot flood
//   the screen;
// - while disabled, paused, in quiet hours or unsupported, notifications are suppressed and marked
//   as handled, so they are never shown later as a flood (the tray still counts the claims);
// - a claim that leaves the queue closes its notification if it is still on screen;
// - updates (outcomes, announcements, delegations) are news once: pending in one batch under the same
//   notification id, only the latest is shown; the user's own delegation changes on this device are not news.
import type { Announcement, ClaimSummary, UserRef } from '../../protocol';
import { inertOsText, NOTIFICATION_BODY_MAX, NOTIFICATION_TITLE_MAX } from '../common/inert-text';
import type { AccountState } from './account-state';
import {
  type DelegationContext,
  type DelegationEvent,
  type DelegationStage,
  delegationNotice,
  stageOf,
} from './delegation-notices';
import { formatAmount, messagesFor } from './i18n';
import { announcementKey, claimStepKey, delegationKey, outcomeKey } from './notification-keys';
import { OncePerWindow } from './once-per-window';
import type {
  Clock,
  DelegationOutcome,
  Locale,
  Logger,
  NotificationActionLabels,
  NotificationRequest,
  Notifier,
  Settings,
} from './ports';
import { isInQuietHours, isPaused } from './quiet-hours';

/** More new claims than this in one sync batch (or live within FLOOD_WINDOW_MS) are announced as one summary. */
export const CATCH_UP_LIMIT = 3;
/** The live window: more than CATCH_UP_LIMIT items in it is a flood; a flood summary is re-shown at most once per window. */
export const FLOOD_WINDOW_MS = 10_000;

const CLAIM_NOTIFICATION_PREFIX = 'claim:';

export function claimNotificationId(claimId: string): string {
  return `${CLAIM_NOTIFICATION_PREFIX}${claimId}`;
}

/** The claim a claim notification's id is about; null for every other notification. */
export function claimIdOfNotification(id: string): string | null {
  return id.startsWith(CLAIM_NOTIFICATION_PREFIX) ? id.slice(CLAIM_NOTIFICATION_PREFIX.length) : null;
}

/** The words on a claim notification's buttons, in `locale`. */
export function actionLabelsFor(locale: Locale): NotificationActionLabels {
  const m = messagesFor(locale);
  return {
    approve: m.actionApprove,
    reject: m.actionReject,
    open: m.actionOpen,
    replyPlaceholder: m.actionRejectPlaceholder,
  };
}

const SUMMARY_NOTIFICATION_ID = 'summary:waiting';
const UPDATES_SUMMARY_ID = 'summary:updates';

/** Whether live items of one kind arrive faster than CATCH_UP_LIMIT per window. */
class LiveRate {
  /** Arrival times of the last CATCH_UP_LIMIT + 1 items: all a "more than N within the window" test needs. */
  private readonly recent: number[] = [];

  constructor(private readonly windowMs: number) {}

  /** Records `count` items arriving at `now`; true when the window now holds more than CATCH_UP_LIMIT. */
  arrived(now: number, count: number): boolean {
    for (let i = 0; i < Math.min(count, CATCH_UP_LIMIT + 1); i += 1) this.recent.push(now);
    if (this.recent.length > CATCH_UP_LIMIT + 1)
      this.recent.splice(0, this.recent.length - CATCH_UP_LIMIT - 1);
    return this.recent.length > CATCH_UP_LIMIT && now - this.recent[0]! < this.windowMs;
  }

  clear(): void {
    this.recent.length = 0;
  }
}

interface PendingUpdate {
  key: string;
  request: NotificationRequest;
}

export interface NotificationPolicyDeps {
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  settings(): Settings;
  locale(): Locale;
  state(): AccountState | null;
  /** Current number of claims waiting, for the summary text. */
  queueSize(): number;
  /** Whether a claim is in the queue (to close what an earlier run left on screen). */
  isQueued(claimId: string): boolean;
  /** Defaults to FLOOD_WINDOW_MS; 0 turns the live flood summary off (tests of something else). */
  floodWindowMs?: number | undefined;
}

export class NotificationPolicy {
  private batchDepth = 0;
  /** New waiting claims in the current batch, by claim id (a later step replaces an earlier one). */
  private readonly pendingClaims = new Map<string, { key: string; claim: ClaimSummary }>();
  private pendingUpdates: PendingUpdate[] = [];
  /**
   * Claims with a notification on screen (as far as we know), so it can be closed, each with the
   * version it showed: an action pressed on it quotes that version, never a newer one.
   */
  private readonly onScreen = new Map<string, number>();
  private summaryOnScreen = false;
  /** Count of notifications actually handed to the notifier (diagnostics, bench). */
  shownCount = 0;
  private readonly liveClaims: LiveRate;
  private readonly liveUpdates: LiveRate;
  /** Live updates (outcomes, announcements) folded into the current flood's summary. */
  private floodedUpdates = 0;
  /** A live flood's summaries: shown at once, then re-shown in place (same id) at most once per window. */
  private readonly waitingFlood: OncePerWindow;
  private readonly updatesFlood: OncePerWindow;
  /** Stages of the user's own delegation this device is bringing about right now (not news to them). */
  private readonly ownDelegationStages = new Map<DelegationStage, number>();

  constructor(private readonly deps: NotificationPolicyDeps) {
    const windowMs = deps.floodWindowMs ?? FLOOD_WINDOW_MS;
    this.liveClaims = new LiveRate(windowMs);
    this.liveUpdates = new LiveRate(windowMs);
    this.waitingFlood = new OncePerWindow(deps.clock, FLOOD_WINDOW_MS, () => {
      const count = this.deps.queueSize();
      if (count === 0 || !this.canShowNow()) return false;
      this.showSummary(messagesFor(this.deps.locale()).summaryTitle(count));
      return true;
    });
    this.updatesFlood = new OncePerWindow(deps.clock, FLOOD_WINDOW_MS, () => {
      if (this.floodedUpdates === 0 || !this.canShowNow()) return false;
      const m = messagesFor(this.deps.locale());
      this.show({
        id: UPDATES_SUMMARY_ID,
        title: m.recentUpdatesSummaryTitle(this.floodedUpdates),
        body: m.summaryBody,
      });
      return true;
    });
  }

  /** Groups everything until the matching endBatch() into one decision (catch-up). Nests. */
  beginBatch(): void {
    this.batchDepth += 1;
  }

  endBatch(): void {
    if (this.batchDepth === 0) return;
    this.batchDepth -= 1;
    if (this.batchDepth === 0) {
      this.flush('catch-up');
      this.closeLeftBehind();
    }
  }

  /** A claim is waiting on the user (from a snapshot or claim.assigned). */
  claimWaiting(claim: ClaimSummary): void {
    const key = claimStepKey(claim);
    const state = this.deps.state();
    if (!key || !state || state.wasNotified(key)) return;
    this.pendingClaims.set(claim.id, { key, claim });
    this.maybeFlush();
  }

  /** A claim left the queue: forget it if not yet announced, close it if on screen. */
  claimLeft(claimId: string): void {
    this.pendingClaims.delete(claimId);
    const id = claimNotificationId(claimId);
    if (this.onScreen.delete(claimId) || this.remembers(id)) this.deps.notifier.close(id);
    if (this.summaryOnScreen && this.deps.queueSize() === 0) {
      this.summaryOnScreen = false;
      this.deps.notifier.close(SUMMARY_NOTIFICATION_ID);
    }
  }

  ownClaimDecided(
    claim: ClaimSummary,
    outcome: 'approved' | 'rejected' | 'returned',
    by: UserRef,
    reason: string,
  ): void {
    const m = messagesFor(this.deps.locale());
    if (outcome === 'returned') {
      // Returned more than once (after a resubmission): each return is news, so the key has the version.
      this.addUpdate(outcomeKey(claim.id, outcome, claim.version), {
        id: `outcome:${claim.id}`,
        title: m.claimReturnedTitle,
        body: m.claimReturnedBody(claim.title, by.name, reason),
        claimId: claim.id,
      });
      return;
    }
    const request: NotificationRequest =
      outcome === 'approved'
        ? {
            id: `outcome:${claim.id}`,
            title: m.claimApprovedTitle,
            body: m.claimApprovedBody(claim.title, by.name),
            claimId: claim.id,
          }
        : {
            id: `outcome:${claim.id}`,
            title: m.claimRejectedTitle,
            body: m.claimRejectedBody(claim.title, by.name, reason),
            claimId: claim.id,
          };
    this.addUpdate(outcomeKey(claim.id, outcome), request);
  }

  announcement(announcement: Announcement): void {
    const m = messagesFor(this.deps.locale());
    this.addUpdate(announcementKey(announcement.id), {
      id: `announcement:${announcement.id}`,
      title: m.announcementTitle(announcement.title),
      body: announcement.body,
    });
  }

  /**
   * A delegation the user gives or covers was scheduled, started or ended: an update like an outcome
   * (pause and quiet hours suppress it for good, a catch-up of more than CATCH_UP_LIMIT updates is one
   * summary, a key per stage so a replay never shows it twice). `context` is read from the queue as the
   * event is applied (delegation-notices.ts).
   */
  delegationChanged(event: DelegationEvent, context: Omit<DelegationContext, 'me'>): void {
    const state = this.deps.state();
    const me = state?.data.user?.id;
    if (!state || !me) return;
    const notice = delegationNotice(event, { ...context, me }, this.deps.locale());
    if (!notice) return;
    if (notice.mine && (this.ownDelegationStages.get(stageOf(event)) ?? 0) > 0) {
      state.markNotified(notice.key, this.deps.clock.now());
      return;
    }
    this.addUpdate(notice.key, notice.request);
  }

  /**
   * The user starts or ends their delegation on this device: the events it causes are their own doing,
   * not news. While the request is out its stages are expected (the event may arrive before the answer);
   * once it answered, the stage the delegation reached is marked as told (the event may come after).
   */
  async ownDelegationChange(
    stages: readonly DelegationStage[],
    change: () => Promise<DelegationOutcome>,
  ): Promise<DelegationOutcome> {
    for (const stage of stages)
      this.ownDelegationStages.set(stage, (this.ownDelegationStages.get(stage) ?? 0) + 1);
    try {
      const outcome = await change();
      const state = this.deps.state();
      if (outcome.ok && state) {
        const { id, status } = outcome.delegation;
        const stage: DelegationStage = status === 'active' ? 'started' : status;
        state.markNotified(delegationKey(id, stage), this.deps.clock.now());
      }
      return outcome;
    } finally {
      for (const stage of stages)
        this.ownDelegationStages.set(stage, (this.ownDelegationStages.get(stage) ?? 1) - 1);
    }
  }

  /** Session ended: told once per session (the caller guarantees once). Not subject to pause. */
  sessionExpired(): void {
    const m = messagesFor(this.deps.locale());
    if (!this.deps.settings().notificationsEnabled || !this.deps.notifier.isSupported()) return;
    this.show({ id: 'session-expired', title: m.sessionExpiredTitle, body: m.sessionExpiredBody });
  }

  /** Whether a notification may be shown now (reminders ask too). */
  canShowNow(): boolean {
    const settings = this.deps.settings();
    const now = this.deps.clock.now();
    return (
      settings.notificationsEnabled &&
      this.deps.notifier.isSupported() &&
      !isPaused(settings.pausedUntil, now) &&
      !isInQuietHours(settings.quietHours, now)
    );
  }

  /**
   * Shows a claim notification (also used by reminders) and remembers it is on screen, at which
   * version; with actions on, it carries Approve / Reject… / Open.
   */
  showClaim(claim: Pick<ClaimSummary, 'id' | 'version'>, request: NotificationRequest): void {
    this.onScreen.set(claim.id, claim.version);
    const actions = this.deps.settings().notificationActions;
    this.show(actions ? { ...request, actions: actionLabelsFor(this.deps.locale()) } : request);
  }

  /** The version a claim's notification on screen showed; undefined when none is on screen. */
  shownVersion(claimId: string): number | undefined {
    return this.onScreen.get(claimId);
  }

  /** Every notification passes here, so server text (titles, names, reasons) reaches the OS inert. */
  show(request: NotificationRequest): void {
    this.shownCount += 1;
    try {
      this.deps.notifier.show({
        ...request,
        title: inertOsText(request.title, NOTIFICATION_TITLE_MAX),
        body: inertOsText(request.body, NOTIFICATION_BODY_MAX),
      });
    } catch (error) {
      this.deps.logger.warn('notifications: the notifier failed', { error: String(error) });
    }
  }

  showSummary(title: string): void {
    this.summaryOnScreen = true;
    this.show({
      id: SUMMARY_NOTIFICATION_ID,
      title,
      body: messagesFor(this.deps.locale()).summaryBody,
      opensQueue: true,
    });
  }

  /**
   * The stream connection ended. The live rate is counted per connection: a new connection starts
   * with a catch-up, decided as one batch, and a server that drops connections to dodge the window
   * pays the reconnect backoff each time (at most CATCH_UP_LIMIT items per connection).
   */
  connectionEnded(): void {
    this.liveClaims.clear();
    this.liveUpdates.clear();
  }

  /** Whether the notifier can still close `id` though this run did not show it (an earlier run did). */
  private remembers(id: string): boolean {
    return this.deps.notifier.remembered?.().includes(id) ?? false;
  }

  /**
   * After a catch-up the queue is the server's again: notifications an earlier run left on screen
   * for claims no longer in it (decided elsewhere while the app was closed) are closed.
   */
  private closeLeftBehind(): void {
    for (const id of this.deps.notifier.remembered?.() ?? []) {
      const claimId = claimIdOfNotification(id);
      if (claimId !== null && !this.onScreen.has(claimId) && !this.deps.isQueued(claimId)) {
        this.deps.notifier.close(id);
      }
    }
  }

  /** Signed out: nothing pending or on screen belongs to anyone now. */
  reset(): void {
    for (const claimId of this.onScreen.keys()) this.deps.notifier.close(claimNotificationId(claimId));
    if (this.summaryOnScreen) this.deps.notifier.close(SUMMARY_NOTIFICATION_ID);
    this.onScreen.clear();
    this.summaryOnScreen = false;
    this.pendingClaims.clear();
    this.pendingUpdates = [];
    this.batchDepth = 0;
    this.liveClaims.clear();
    this.liveUpdates.clear();
    this.floodedUpdates = 0;
    this.waitingFlood.reset();
    this.updatesFlood.reset();
  }

  private addUpdate(key: string, request: NotificationRequest): void {
    const state = this.deps.state();
    if (!state || state.wasNotified(key)) return;
    if (this.pendingUpdates.some((update) => update.key === key)) return;
    // A later update under the same id would replace an earlier one on screen anyway: within one batch
    // (a catch-up) only the latest is shown, and the earlier one counts as told.
    const earlier = this.pendingUpdates.findIndex((update) => update.request.id === request.id);
    if (earlier >= 0) {
      state.markNotified(this.pendingUpdates[earlier]!.key, this.deps.clock.now());
      this.pendingUpdates.splice(earlier, 1);
    }
    this.pendingUpdates.push({ key, request });
    this.maybeFlush();
  }

  private maybeFlush(): void {
    if (this.batchDepth === 0) this.flush('live');
  }

  private flush(mode: 'live' | 'catch-up'): void {
    const state = this.deps.state();
    const claims = [...this.pendingClaims.values()];
    const updates = this.pendingUpdates;
    this.pendingClaims.clear();
    this.pendingUpdates = [];
    if (!state || (claims.length === 0 && updates.length === 0)) return;

    const now = this.deps.clock.now();
    // Marked as handled whether shown or suppressed: suppressed ones must not come back as a flood.
    for (const { key } of claims) {
      state.markNotified(key, now);
      // The announcement counts as this day's reminder.
      state.markReminded(key, now);
    }
    for (const { key } of updates) state.markNotified(key, now);
    if (!this.canShowNow()) return;

    const locale = this.deps.locale();
    const m = messagesFor(locale);
    const claimFlood = mode === 'live' && claims.length > 0 && this.liveClaims.arrived(now, claims.length);
    if (claimFlood) {
      this.waitingFlood.request();
    } else if (claims.length > CATCH_UP_LIMIT) {
      this.showSummary(m.summaryTitle(Math.max(this.deps.queueSize(), claims.length)));
    } else {
      for (const { claim } of claims) {
        this.showClaim(claim, {
          id: claimNotificationId(claim.id),
          title: m.newClaimTitle(claim.submitter.name),
          body: m.withPolicyFlags(
            m.newClaimBody(claim.title, formatAmount(claim.totalMinor, claim.currency, locale)),
            claim.flags,
          ),
          claimId: claim.id,
        });
      }
    }
    const updateFlood =
      mode === 'live' && updates.length > 0 && this.liveUpdates.arrived(now, updates.length);
    if (updateFlood) {
      this.floodedUpdates += updates.length;
      this.updatesFlood.request();
    } else if (updates.length > CATCH_UP_LIMIT) {
      this.show({
        id: UPDATES_SUMMARY_ID,
        title: m.updatesSummaryTitle(updates.length),
        body: m.summaryBody,
      });
    } else {
      if (updates.length > 0) this.floodedUpdates = 0;
      for (const update of updates) this.show(update.request);
    }
  }
}
