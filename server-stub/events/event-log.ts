// Durable, gapless, per-user event streams in the database (SQLite or PostgreSQL), and the shared
// broadcast stream beside them (broadcast-log.ts). Events are written inside the same transaction as
// the change they describe and handed to live subscribers only after that transaction commits, so
// nobody is ever told about something a crash could still undo.
import { BroadcastEvent, type Cursor, UserEvent } from '../../protocol';
import { type Clock, isoAt } from '../clock';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
import type { CommitFeed, CommittedListener, EventLog, ResumeCheck } from '../ports';
import { StoredBroadcastLog } from './broadcast-log';
import { continuation } from './live-continuation';
import { checkResumeAgainst, type StreamBounds } from './resume-check';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the log gives it its place in the stream. */
export type NewUserEvent = DistributiveOmit<UserEvent, 'seq' | 'at'>;
export type NewBroadcastEvent = DistributiveOmit<BroadcastEvent, 'seq' | 'at'>;
/**
 * Appends `event` to the user's stream. Emitting the same draft object to many users (a broadcast) is
 * cheap: it is built once. A draft must therefore not be changed after it was emitted.
 */
export interface EmitEvent {
  (userId: string, event: Readonly<NewUserEvent>): void;
  /** Appends `event` to the shared broadcast stream: one row, whatever the number of users. */
  broadcast(event: Readonly<NewBroadcastEvent>): void;
}
type Listener = (events: readonly UserEvent[]) => void;

/**
 * The newest broadcast events one absorption copies into a user's stream for an old client; older
 * pending ones are skipped (the desktop keeps 50 announcements, and this bounds the write).
 */
export const ABSORB_LIMIT = 50;
/** Users absorbed per write transaction when followed users catch up after a broadcast. */
const ABSORB_CHUNK = 500;

/** What one write transaction appended, published after its commit. */
class WriteBatch {
  readonly users = new Map<string, UserEvent[]>();
  readonly broadcasts: BroadcastEvent[] = [];

  add(userId: string, event: UserEvent): void {
    const list = this.users.get(userId);
    if (list) list.push(event);
    else this.users.set(userId, [event]);
  }
}

export class StoredEventLog implements EventLog, CommitFeed {
  readonly epoch: string;
  readonly broadcasts: StoredBroadcastLog;
  private readonly listeners = new Map<string, Set<Listener>>();
  /**
   * For each user with live listeners, the last seq handed to them. Commits reach this node from its
   * own transactions and, in a cluster, from other nodes (deliverCommitted); this keeps them gapless
   * and without duplicates whichever arrives first.
   */
  private readonly delivered = new Map<string, number>();
  private readonly committedListeners = new Set<CommittedListener>();
  private inTransaction = false;
  private readonly bumpHead: Statement<[string], number>;
  private readonly insert: Statement<[string, number, string]>;
  private readonly bounds: Statement<[string], StreamBounds>;
  private readonly after: Statement<[string, number, number], string>;
  private readonly pruneEvents: Statement<[string, number]>;
  private readonly raiseFloor: Statement<[number, string]>;
  private readonly absorbed: Statement<[string], number>;
  private readonly markAbsorbed: Statement<[number, string]>;
  /** Users with a live old-style reader, and how many readers each. */
  private readonly followers = new Map<string, number>();
  /** A round of absorbing for followers is under way (or due), and whether another must follow it. */
  private absorbing = false;
  private absorbAgain = false;
  /**
   * The last write's stages, ms: the transaction (commit included) and the hand-over to live
   * subscribers after it (Server-Timing on mutations; bench:fanout's announcement write time).
   */
  lastTiming = { commitMs: 0, publishMs: 0 };
  /** Runs a callback in a writing (immediate) transaction; built once rather than per transact(). */
  private readonly immediate: (run: () => unknown) => unknown;

  constructor(
    db: Db,
    private readonly clock: Clock,
    /** Events kept per user, and in the broadcast stream; older ones are pruned and the floor moves up. */
    private readonly retention: number,
    /**
     * Re-validate every new event against the protocol schema (tests, development). Off, events are
     * built from their typed drafts as they are: the parse cost ~30 KB of garbage and a fifth of an
     * approval's CPU, and a test proves the drafts already match the schema exactly.
     */
    private readonly checkEvents = false,
  ) {
    const epoch = preparePluck<[], string>(db, "SELECT value FROM meta WHERE key = 'epoch'").get();
    if (!epoch) throw new Error('store has no epoch; migrations did not run');
    this.epoch = epoch;
    this.broadcasts = new StoredBroadcastLog(db, retention);
    this.bumpHead = preparePluck(
      db,
      'UPDATE event_streams SET head_seq = head_seq + 1 WHERE user_id = ? RETURNING head_seq',
    );
    this.insert = db.prepare('INSERT INTO events (user_id, seq, payload) VALUES (?, ?, ?)');
    this.bounds = db.prepare(
      'SELECT head_seq AS head, floor_seq AS floor FROM event_streams WHERE user_id = ?',
    );
    this.after = preparePluck(
      db,
      'SELECT payload FROM events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.pruneEvents = db.prepare('DELETE FROM events WHERE user_id = ? AND seq <= ?');
    this.raiseFloor = db.prepare('UPDATE event_streams SET floor_seq = ? WHERE user_id = ?');
    this.absorbed = preparePluck(db, 'SELECT broadcast_seq FROM event_streams WHERE user_id = ?');
    this.markAbsorbed = db.prepare('UPDATE event_streams SET broadcast_seq = ? WHERE user_id = ?');
    this.immediate = db.transaction((run: () => unknown) => run()).immediate;
  }

  /**
   * Runs `work` in one write transaction. `emit` appends to a user's stream (or, `emit.broadcast`,
   * to the broadcast stream) within it; the new events reach subscribers after the commit, and not
   * at all if `work` throws (the transaction rolls back).
   */
  transact<T>(work: (emit: EmitEvent) => T): T {
    return this.write((batch) => {
      // One change, one instant: every event of the transaction carries the same time.
      let at: string | null = null;
      // A draft emitted to many users is built (and checked) once; the copies differ only in `seq`,
      // which the store hands out as a positive integer.
      let lastDraft: NewUserEvent | null = null;
      let lastEvent: UserEvent | null = null;
      const emit = ((userId: string, draft: NewUserEvent) => {
        at ??= isoAt(this.clock());
        const stamp = at;
        this.append(batch, userId, (seq) => {
          if (draft === lastDraft && lastEvent !== null) return { ...lastEvent, seq } as UserEvent;
          lastDraft = draft;
          const built = { ...draft, seq, at: stamp } as UserEvent;
          lastEvent = this.checkEvents ? UserEvent.parse(built) : built;
          return lastEvent;
        });
      }) as EmitEvent;
      emit.broadcast = (draft) => {
        at ??= isoAt(this.clock());
        const stamp = at;
        batch.broadcasts.push(
          this.broadcasts.append((seq) => {
            const built = { ...draft, seq, at: stamp } as BroadcastEvent;
            return this.checkEvents ? BroadcastEvent.parse(built) : built;
          }),
        );
      };
      return work(emit);
    });
  }

  head(userId: string): number {
    return this.stream(userId).head;
  }

  cursor(userId: string): Cursor {
    return { epoch: this.epoch, seq: this.head(userId) };
  }

  checkResume(userId: string, resume: Cursor | null): ResumeCheck {
    return checkResumeAgainst(this.epoch, this.stream(userId), resume);
  }

  readAfter(userId: string, afterSeq: number, limit: number): UserEvent[] {
    const rows = this.after.all(userId, afterSeq, limit);
    return rows.map((payload) => JSON.parse(payload) as UserEvent);
  }

  subscribe(userId: string, listener: Listener): () => void {
    let set = this.listeners.get(userId);
    if (!set) {
      set = new Set();
      this.listeners.set(userId, set);
      // Whoever subscribes reads what is committed up to now by itself (replay, long-poll read).
      this.delivered.set(userId, this.head(userId));
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(userId);
      current?.delete(listener);
      if (current?.size === 0) {
        this.listeners.delete(userId);
        this.delivered.delete(userId);
      }
    };
  }

  /** Live listeners on a user's stream (diagnostics; lets tests await a held long-poll). */
  subscriberCount(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
  }

  absorbBroadcasts(userId: string): void {
    this.absorb([userId]);
  }

  followBroadcasts(userId: string): () => void {
    this.followers.set(userId, (this.followers.get(userId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.followers.get(userId) ?? 1) - 1;
      if (count > 0) this.followers.set(userId, count);
      else this.followers.delete(userId);
    };
  }

  /** Users with a live old-style reader (diagnostics, tests). */
  followerCount(): number {
    return this.followers.size;
  }

  /** Copies what each user's stream has not absorbed of the broadcast stream; one transaction. */
  private absorb(userIds: readonly string[]): void {
    const head = this.broadcasts.head();
    // Read outside the transaction first: almost always nothing is pending, and then nothing is written.
    const pending = userIds.filter((userId) => (this.absorbed.get(userId) ?? head) < head);
    if (pending.length === 0) return;
    this.write((batch) => {
      const bounds = this.broadcasts.stream();
      for (const userId of pending) {
        const absorbed = this.absorbed.get(userId);
        if (absorbed === undefined || absorbed >= bounds.head) continue;
        const from = Math.max(absorbed, bounds.floor, bounds.head - ABSORB_LIMIT);
        for (const event of this.broadcasts.readAfter(from, ABSORB_LIMIT)) {
          this.append(batch, userId, (seq) => ({ ...event, seq }));
        }
        this.markAbsorbed.run(bounds.head, userId);
      }
    });
  }

  /** After a broadcast commit: absorb it for every followed user, in chunks, off that request's path. */
  private absorbForFollowers(): void {
    if (this.followers.size === 0) return;
    if (this.absorbing) {
      this.absorbAgain = true;
      return;
    }
    this.absorbing = true;
    const round = (users: readonly string[], from: number) => {
      try {
        this.absorb(users.slice(from, from + ABSORB_CHUNK));
      } catch {
        // A failed chunk is retried at the next broadcast, or when the user's client reads again.
      }
      if (from + ABSORB_CHUNK < users.length) {
        setImmediate(round, users, from + ABSORB_CHUNK);
      } else if (this.absorbAgain) {
        this.absorbAgain = false;
        setImmediate(round, [...this.followers.keys()], 0);
      } else {
        this.absorbing = false;
      }
    };
    setImmediate(() => round([...this.followers.keys()], 0));
  }

  /** Runs `work` in a writing (immediate) transaction, prunes what grew past retention, then publishes. */
  private write<T>(work: (batch: WriteBatch) => T): T {
    if (this.inTransaction) throw new Error('StoredEventLog.transact does not nest');
    const batch = new WriteBatch();
    this.inTransaction = true;
    const started = performance.now();
    let result: T;
    try {
      result = this.immediate(() => {
        const value = work(batch);
        for (const [userId, events] of batch.users) {
          // A stream no longer than the retention has nothing to prune; skip the lookup.
          if (events[events.length - 1]!.seq > this.retention) this.prune(userId);
        }
        return value;
      }) as T;
    } finally {
      this.inTransaction = false;
    }
    const committed = performance.now();
    for (const [userId, events] of batch.users) this.deliverUser(userId, events.at(-1)!.seq, events);
    this.broadcasts.publish(batch.broadcasts);
    if (batch.broadcasts.length > 0) this.absorbForFollowers();
    if (this.committedListeners.size > 0) this.tellCommitted(batch);
    this.lastTiming = { commitMs: committed - started, publishMs: performance.now() - committed };
    return result;
  }

  private append(batch: WriteBatch, userId: string, build: (seq: number) => UserEvent): void {
    const seq = this.bumpHead.get(userId);
    if (seq === undefined) throw new Error(`user ${userId} has no event stream`);
    const event = build(seq);
    this.insert.run(userId, seq, JSON.stringify(event));
    batch.add(userId, event);
  }

  private stream(userId: string): StreamBounds {
    return this.bounds.get(userId) ?? { head: 0, floor: 0 };
  }

  private prune(userId: string): void {
    const { head, floor } = this.stream(userId);
    const newFloor = head - this.retention;
    if (newFloor <= floor) return;
    this.pruneEvents.run(userId, newFloor);
    this.raiseFloor.run(newFloor, userId);
  }

  /** Hands a user's newly committed events to its listeners, continuing exactly what they got. */
  private deliverUser(userId: string, head: number, events: readonly UserEvent[]): boolean {
    const delivered = this.delivered.get(userId);
    if (delivered === undefined) return false;
    const next = continuation(delivered, head, events, (after, limit) =>
      this.readAfter(userId, after, limit),
    );
    if (next.length === 0) return false;
    this.delivered.set(userId, next.at(-1)!.seq);
    for (const listener of [...(this.listeners.get(userId) ?? [])]) {
      try {
        listener(next);
      } catch {
        // The port says listeners must not throw; one that does must not starve the others.
      }
    }
    return true;
  }

  private tellCommitted(batch: WriteBatch): void {
    for (const listener of this.committedListeners) {
      try {
        listener(batch.users, batch.broadcasts);
      } catch {
        // The broker relay must not undo or delay a commit that already happened.
      }
    }
  }

  onCommitted(listener: CommittedListener): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  deliverCommitted(userId: string, head: number, events: readonly UserEvent[]): void {
    this.deliverUser(userId, head, events);
  }

  deliverCommittedBroadcasts(head: number, events: readonly BroadcastEvent[]): void {
    // Old-style readers connected here get it absorbed into their own stream, as after a local commit.
    if (this.broadcasts.deliverCommitted(head, events)) this.absorbForFollowers();
  }

  isWatched(userId: string): boolean {
    return this.delivered.has(userId);
  }

  catchUp(): void {
    for (const userId of [...this.delivered.keys()]) this.deliverUser(userId, this.head(userId), []);
    this.deliverCommittedBroadcasts(this.broadcasts.head(), []);
  }
}
