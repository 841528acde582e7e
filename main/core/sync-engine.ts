// Keeps the local queue equal to the server's, exactly once per event, over two streams: the user's
// own and the shared broadcast stream (announcements), each with its own cursor and no order between
// them (docs/protocol.md, "The broadcast stream"):
// - no cursor yet → take the `GET /queue` snapshot (with the broadcast head), then resume from it;
// - an event at cursor+1 is applied; at or below the cursor it is a replay and ignored;
// - above cursor+1 there is a gap: backfill over `GET /events` first, then apply;
// - `reset` (frame or page) or a different epoch → re-take the snapshot; a broadcast `reset` (or a
//   snapshot naming another broadcast epoch) moves the broadcast cursor to the head it names. Whichever
//   stream carried the announcements lost in that gap (the broadcast stream, or the user's own on a
//   server without one), the latest are fetched with `GET /announcements` and filed unread, quietly;
// - a live-only transport (STOMP) asks to catch up once subscribed: backfill over `GET /events`.
// Frames are processed strictly in order; while a backfill/snapshot is in flight, later frames wait.
// The cursors and the notification keys are saved together, so a restart resumes exactly where the
// user was and shows nothing twice (an announcement is also known by its id: one that comes both
// ways, absorbed into the user's stream for an older device and in the broadcast stream, shows once).
import {
  type Announcement,
  type ApiClient,
  ApiError,
  type BroadcastEvent,
  type BroadcastPage,
  type Cursor,
  type QueueSnapshot,
  type ServerFrame,
  type UserEvent,
} from '../../protocol';
import type { AccountState } from './account-state';
import { withAnnouncement } from './announcement-inbox';
import { heldFor } from './delegation-notices';
import type { NotificationPolicy } from './notification-policy';
import type { Logger } from './ports';
import type { QueueStore } from './queue-store';

const BACKFILL_PAGE = 1000;

/**
 * Queued like a frame, so a catch-up runs in order with the live frames around it: those that
 * arrive during the backfill wait and are then dropped as duplicates (seq ≤ cursor) or applied.
 */
const CATCH_UP = { type: 'catch-up' } as const;
type Work = ServerFrame | typeof CATCH_UP;

/**
 * Thrown by `prepare` (and by a snapshot mid-stream) when the server says the token is no longer
 * valid; a stream client that sees it from `prepare` ends the session instead of retrying.
 */
export class SessionEndedError extends Error {
  constructor(message = 'session ended') {
    super(message);
    this.name = 'SessionEndedError';
  }
}

export interface SyncEngineDeps {
  api: ApiClient;
  queue: QueueStore;
  state: AccountState;
  policy: NotificationPolicy;
  logger: Logger;
  /** The queue or cursor changed (snapshot listeners, reminders). */
  onChange(): void;
  /** Something went wrong that a fresh connection can fix (REST failure mid-backfill, a hole the server can't fill). */
  onBroken(reason: string): void;
  /** The server refused the token while catching up: no fresh connection can fix that. */
  onSessionEnded(): void;
}

export class SyncEngine {
  private busy = false;
  /** Set when the session ends: late REST answers must not touch the next session's queue. */
  private closed = false;
  private backlog: Work[] = [];
  /** During replay after `welcome`: notifications are batched until the cursor reaches this seq. */
  private catchUpTarget: number | null = null;
  /** The same for the broadcast cursor and `welcome.broadcastHead`. */
  private broadcastCatchUpTarget: number | null = null;
  /** Events applied (diagnostics, bench). */
  appliedEvents = 0;
  snapshotsTaken = 0;

  constructor(private readonly deps: SyncEngineDeps) {}

  get cursor(): Cursor | null {
    return this.deps.state.data.cursor;
  }

  /** The broadcast cursor; null when this client does not read the broadcast stream (yet). */
  get broadcastCursor(): Cursor | null {
    return this.deps.state.data.broadcastCursor;
  }

  /**
   * Before each connection attempt: the cursor to say hello with, taking the first snapshot if needed
   * (also when it is not known yet whether the server has a broadcast stream: the snapshot says).
   */
  async prepare(): Promise<Cursor | null> {
    const { data } = this.deps.state;
    if (!this.cursor || (!data.broadcastCursor && !data.broadcastUnsupported)) await this.takeSnapshot();
    return this.cursor;
  }

  /** The session is over; anything still in flight is discarded. */
  close(): void {
    this.closed = true;
    this.disconnected();
  }

  receive(frame: ServerFrame): void {
    this.enqueue(frame);
  }

  /**
   * A transport without replay (STOMP delivers live messages only) just subscribed: fetch whatever
   * was missed since the cursor over REST, as signoff.v1's hello/replay would have sent it.
   */
  catchUp(): void {
    this.enqueue(CATCH_UP);
  }

  private enqueue(frame: Work): void {
    if (this.closed) return;
    if (this.busy) {
      this.backlog.push(frame);
      return;
    }
    this.process(frame);
  }

  /** The socket is gone: frames of that socket not yet processed are dropped (the next hello replays them). */
  disconnected(): void {
    this.backlog = [];
    this.endCatchUp();
    this.deps.policy.connectionEnded();
  }

  private process(frame: Work): void {
    let work: Promise<void> | undefined;
    try {
      work = this.handle(frame);
    } catch (error) {
      this.deps.logger.error('sync: failed to apply a frame', { error: String(error) });
      this.deps.onBroken('failed to apply a frame');
      return;
    }
    if (!work) return;
    this.busy = true;
    work
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        this.busy = false;
        // Drain what queued up meanwhile, synchronously unless one of them goes async again.
        while (!this.busy && this.backlog.length > 0) this.process(this.backlog.shift()!);
      });
  }

  private handle(frame: Work): Promise<void> | undefined {
    switch (frame.type) {
      case 'catch-up':
        return this.cursor ? this.backfill() : this.takeSnapshot();
      case 'welcome': {
        const cursor = this.cursor;
        if (cursor && frame.head.epoch === cursor.epoch && frame.head.seq > cursor.seq) {
          this.catchUpTarget = frame.head.seq;
          this.deps.policy.beginBatch();
        }
        const broadcast = this.broadcastCursor;
        const head = frame.broadcastHead;
        if (broadcast && head && head.epoch === broadcast.epoch && head.seq > broadcast.seq) {
          this.broadcastCatchUpTarget = head.seq;
          this.deps.policy.beginBatch();
        }
        return undefined;
      }
      case 'reset':
        if (frame.stream === 'broadcast') return this.resetBroadcast(frame.cursor, frame.reason);
        this.deps.logger.info('sync: the server asked for a fresh snapshot', { reason: frame.reason });
        return this.takeSnapshot();
      case 'event':
        if (frame.stream === 'broadcast') return this.onBroadcastEvent(frame.epoch, frame.event);
        return this.onEvent(frame.epoch, frame.event);
      case 'pong':
      case 'error':
        return undefined;
    }
  }

  private onEvent(epoch: string, event: UserEvent): Promise<void> | undefined {
    const cursor = this.cursor;
    if (!cursor || epoch !== cursor.epoch) return this.takeSnapshot();
    if (event.seq <= cursor.seq) return undefined;
    if (event.seq === cursor.seq + 1) {
      this.applyAll([event]);
      return undefined;
    }
    return this.backfill().then(() => {
      const now = this.cursor;
      if (!now || now.epoch !== epoch || event.seq <= now.seq) return;
      if (event.seq === now.seq + 1) this.applyAll([event]);
      else this.deps.onBroken(`the server could not fill a gap up to ${event.seq}`);
    });
  }

  /**
   * A broadcast event: applied at broadcast cursor + 1, dropped at or below it; a gap or another epoch
   * is backfilled over REST first (where a `reset` of the broadcast stream moves the cursor on).
   */
  private onBroadcastEvent(epoch: string, event: UserEvent): Promise<void> | undefined {
    const cursor = this.broadcastCursor;
    // Sent only to a client that asked for the broadcast stream; anything else is not ours to apply.
    if (!cursor || event.type !== 'announcement') return undefined;
    if (epoch === cursor.epoch && event.seq <= cursor.seq) return undefined;
    if (epoch === cursor.epoch && event.seq === cursor.seq + 1) {
      this.applyBroadcasts([event]);
      return undefined;
    }
    return this.backfill().then(() => {
      const now = this.broadcastCursor;
      if (!now || now.epoch !== epoch || event.seq <= now.seq) return;
      if (event.seq === now.seq + 1) this.applyBroadcasts([event]);
      else this.deps.onBroken(`the server could not fill a broadcast gap up to ${event.seq}`);
    });
  }

  private async backfill(): Promise<void> {
    this.deps.policy.beginBatch();
    try {
      for (;;) {
        const broadcast = this.broadcastCursor ?? undefined;
        const page = await this.deps.api.events(this.cursor, { limit: BACKFILL_PAGE, broadcast });
        if (this.closed) return;
        const moreBroadcasts = page.broadcast ? await this.applyBroadcastPage(page.broadcast) : false;
        if (page.status === 'reset') {
          await this.takeSnapshot();
          return;
        }
        this.applyAll(page.events);
        const moreEvents = page.hasMore && page.events.length > 0;
        if (!moreEvents && !moreBroadcasts) return;
      }
    } finally {
      this.deps.policy.endBatch();
    }
  }

  /** Applies the broadcast half of a page; true when more broadcast events wait (ask again). */
  private async applyBroadcastPage(page: BroadcastPage): Promise<boolean> {
    if (page.status === 'reset') {
      await this.resetBroadcast(page.cursor, page.reason);
      return false;
    }
    this.applyBroadcasts(page.events);
    return page.hasMore && page.events.length > 0;
  }

  /**
   * The broadcast cursor cannot be resumed (another epoch, or older than the server keeps): continue
   * after the head the server names, and get back the latest announcements the gap may have held.
   */
  private async resetBroadcast(head: Cursor, reason: string): Promise<void> {
    if (!this.broadcastCursor) return;
    this.deps.logger.info('sync: the broadcast stream was reset', { reason });
    this.deps.state.data.broadcastCursor = { ...head };
    this.endCatchUp('broadcast');
    this.committed();
    const announcements = await this.latestAnnouncements();
    if (this.closed || announcements.length === 0) return;
    this.fileQuietly(announcements);
    this.committed();
  }

  private async takeSnapshot(): Promise<void> {
    // Replacing a cursor means events were lost (a reset, another epoch); the first snapshot loses none.
    const replacesCursor = this.cursor !== null;
    let snapshot: QueueSnapshot;
    try {
      snapshot = await this.deps.api.queue({ broadcast: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw new SessionEndedError();
      throw error;
    }
    // The announcements lost with the old cursor: the user's stream carried them on a server without a
    // broadcast stream; with one, only a broadcast head in another epoch (the cursor jumps) loses any.
    const held = this.broadcastCursor;
    const lostAnnouncements = snapshot.broadcast
      ? held !== null && held.epoch !== snapshot.broadcast.epoch
      : replacesCursor;
    const announcements = lostAnnouncements && !this.closed ? await this.latestAnnouncements() : [];
    if (this.closed) return;
    this.snapshotsTaken += 1;
    this.applySnapshot(snapshot, announcements);
  }

  /**
   * The announcements a reset may have cost us. Best effort: a server without `GET /announcements`
   * (older than it) or a failure here leaves the inbox as it was rather than failing the snapshot.
   */
  private async latestAnnouncements(): Promise<readonly Announcement[]> {
    try {
      return (await this.deps.api.announcements()).announcements;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw new SessionEndedError();
      this.deps.logger.info('sync: could not fetch announcements after a reset', { error: String(error) });
      return [];
    }
  }

  /**
   * Into the window's list (unread, counted in the tray), without a notification: they may be old.
   * Known and dismissed ids are skipped, so nothing shows twice or comes back.
   */
  private fileQuietly(announcements: readonly Announcement[]): void {
    const { state } = this.deps;
    for (const announcement of announcements) {
      state.data.announcements = withAnnouncement(state.data.announcements, announcement);
    }
  }

  private applySnapshot(snapshot: QueueSnapshot, announcements: readonly Announcement[]): void {
    const { policy, queue, state } = this.deps;
    policy.beginBatch();
    try {
      for (const id of queue.replaceAll(snapshot.claims)) policy.claimLeft(id);
      for (const claim of snapshot.claims) policy.claimWaiting(claim);
      state.data.cursor = snapshot.cursor;
      this.fileQuietly(announcements);
      this.adoptBroadcastHead(snapshot.broadcast);
    } finally {
      policy.endBatch();
    }
    this.checkCatchUp();
    this.committed();
  }

  /**
   * A snapshot names the broadcast head (a server with the broadcast stream) or not (an older one).
   * A cursor we already hold in that epoch is kept: what it has not applied yet is replayed to it.
   */
  private adoptBroadcastHead(head: Cursor | undefined): void {
    const { data } = this.deps.state;
    data.broadcastUnsupported = head === undefined;
    if (!head) data.broadcastCursor = null;
    else if (data.broadcastCursor?.epoch !== head.epoch) data.broadcastCursor = { ...head };
  }

  private applyBroadcasts(events: readonly BroadcastEvent[]): void {
    this.applyInOrder(this.broadcastCursor, events);
  }

  private applyAll(events: readonly UserEvent[]): void {
    this.applyInOrder(this.cursor, events);
  }

  /** Applies the events that continue `cursor` (one stream's), advancing it; stops at a hole. */
  private applyInOrder(cursor: Cursor | null, events: readonly UserEvent[]): void {
    if (!cursor) return;
    let applied = 0;
    for (const event of events) {
      if (event.seq <= cursor.seq) continue;
      if (event.seq !== cursor.seq + 1) break; // a hole in a page: the caller notices and recovers
      this.apply(event);
      cursor.seq = event.seq;
      applied += 1;
    }
    if (applied === 0) return;
    this.appliedEvents += applied;
    this.checkCatchUp();
    this.committed();
  }

  private apply(event: UserEvent): void {
    const { policy, queue } = this.deps;
    switch (event.type) {
      case 'claim.assigned':
        if (queue.upsert(event.claim)) policy.claimWaiting(event.claim);
        return;
      case 'claim.unassigned':
        if (queue.remove(event.claimId, event.claimVersion)) policy.claimLeft(event.claimId);
        return;
      case 'claim.approved':
        policy.ownClaimDecided(event.claim, 'approved', event.by, event.comment ?? '');
        return;
      case 'claim.rejected':
        policy.ownClaimDecided(event.claim, 'rejected', event.by, event.reason);
        return;
      case 'announcement':
        policy.announcement(event.announcement);
        // Kept for the window too; a replay neither duplicates it nor revives a dismissed one.
        this.deps.state.data.announcements = withAnnouncement(
          this.deps.state.data.announcements,
          event.announcement,
        );
        return;
      case 'claim.nudged':
        // To an approver: the queued claim now carries the nudge (same version), which the reminders
        // turn into one notification. To the submitter: only their lists change ('synced').
        if (queue.has(event.claim.id)) queue.upsert(event.claim);
        return;
      case 'claim.submitted':
      case 'claim.advanced':
      case 'claim.withdrawn':
        return;
      // ---- transfer, add approver, return for revision (issue 14) ----
      case 'claim.changed':
        // Still in my queue (say, an approver was added after me): keep its summary current. Gaining
        // or losing it comes as its own assigned/unassigned event, before this one.
        if (queue.has(event.claim.id)) queue.upsert(event.claim);
        return;
      case 'claim.returned':
        policy.ownClaimDecided(event.claim, 'returned', event.by, event.reason);
        return;
      // The queue moves by the claim events that come before them (the same transaction), so it says
      // how many claims came along; the window's Settings re-read the delegation when the snapshot's
      // listsRevision moves (every synced event moves it).
      case 'delegation.scheduled':
      case 'delegation.started':
      case 'delegation.ended':
        policy.delegationChanged(event, {
          waiting: queue.size,
          heldForDelegator: heldFor(queue.list(), event.delegation.delegator.id),
        });
        return;
    }
  }

  private checkCatchUp(): void {
    const cursor = this.cursor;
    if (this.catchUpTarget !== null && cursor && cursor.seq >= this.catchUpTarget) this.endCatchUp('user');
    const broadcast = this.broadcastCursor;
    const target = this.broadcastCatchUpTarget;
    if (target !== null && broadcast && broadcast.seq >= target) this.endCatchUp('broadcast');
  }

  private endCatchUp(which: 'user' | 'broadcast' | 'both' = 'both'): void {
    if (which !== 'broadcast' && this.catchUpTarget !== null) {
      this.catchUpTarget = null;
      this.deps.policy.endBatch();
    }
    if (which !== 'user' && this.broadcastCatchUpTarget !== null) {
      this.broadcastCatchUpTarget = null;
      this.deps.policy.endBatch();
    }
  }

  private committed(): void {
    void this.deps.state.save();
    this.deps.onChange();
  }

  private failed(error: unknown): void {
    if (error instanceof SessionEndedError || (error instanceof ApiError && error.status === 401)) {
      this.deps.onSessionEnded();
      return;
    }
    this.deps.logger.warn('sync: could not catch up; reconnecting', { error: String(error) });
    this.deps.onBroken(error instanceof Error ? error.message : String(error));
  }
}
