// Keeps the local queue equal to the server's, exactly once per event:
// - no cursor yet → take the `GET /queue` snapshot, then resume the stream from its cursor;
// - an event at cursor+1 is applied; at or below the cursor it is a replay and ignored;
// - above cursor+1 there is a gap: backfill over `GET /events` first, then apply;
// - `reset` (frame or page) or a different epoch → re-take the snapshot;
// - a live-only transport (STOMP) asks to catch up once subscribed: backfill over `GET /events`.
// Frames are processed strictly in order; while a backfill/snapshot is in flight, later frames wait.
// The cursor and the notification keys are saved together, so a restart resumes exactly where the
// user was and shows nothing twice.
import {
  type ApiClient,
  ApiError,
  type Cursor,
  type QueueSnapshot,
  type ServerFrame,
  type UserEvent,
} from '../../protocol';
import type { AccountState } from './account-state';
import { withAnnouncement } from './announcement-inbox';
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
  /** Events applied (diagnostics, bench). */
  appliedEvents = 0;
  snapshotsTaken = 0;

  constructor(private readonly deps: SyncEngineDeps) {}

  get cursor(): Cursor | null {
    return this.deps.state.data.cursor;
  }

  /** Before each connection attempt: the cursor to say hello with, taking the first snapshot if needed. */
  async prepare(): Promise<Cursor | null> {
    if (!this.cursor) await this.takeSnapshot();
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
        return undefined;
      }
      case 'reset':
        this.deps.logger.info('sync: the server asked for a fresh snapshot', { reason: frame.reason });
        return this.takeSnapshot();
      case 'event':
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

  private async backfill(): Promise<void> {
    this.deps.policy.beginBatch();
    try {
      for (;;) {
        const page = await this.deps.api.events(this.cursor, { limit: BACKFILL_PAGE });
        if (this.closed) return;
        if (page.status === 'reset') {
          await this.takeSnapshot();
          return;
        }
        this.applyAll(page.events);
        if (!page.hasMore || page.events.length === 0) return;
      }
    } finally {
      this.deps.policy.endBatch();
    }
  }

  private async takeSnapshot(): Promise<void> {
    let snapshot: QueueSnapshot;
    try {
      snapshot = await this.deps.api.queue();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw new SessionEndedError();
      throw error;
    }
    if (this.closed) return;
    this.snapshotsTaken += 1;
    this.applySnapshot(snapshot);
  }

  private applySnapshot(snapshot: QueueSnapshot): void {
    const { policy, queue, state } = this.deps;
    policy.beginBatch();
    try {
      for (const id of queue.replaceAll(snapshot.claims)) policy.claimLeft(id);
      for (const claim of snapshot.claims) policy.claimWaiting(claim);
      state.data.cursor = snapshot.cursor;
    } finally {
      policy.endBatch();
    }
    this.checkCatchUp();
    this.committed();
  }

  private applyAll(events: readonly UserEvent[]): void {
    let applied = 0;
    for (const event of events) {
      const cursor = this.cursor;
      if (!cursor || event.seq <= cursor.seq) continue;
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
    }
  }

  private checkCatchUp(): void {
    const cursor = this.cursor;
    if (this.catchUpTarget !== null && cursor && cursor.seq >= this.catchUpTarget) this.endCatchUp();
  }

  private endCatchUp(): void {
    if (this.catchUpTarget === null) return;
    this.catchUpTarget = null;
    this.deps.policy.endBatch();
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
