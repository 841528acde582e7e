// Durable, gapless, per-user event streams in SQLite. Events are written inside the same transaction
// as the change they describe and handed to live subscribers only after that transaction commits, so
// nobody is ever told about something a crash could still undo.
import type { Statement } from 'better-sqlite3';
import { type Cursor, UserEvent } from '../../protocol';
import { type Clock, isoAt } from '../clock';
import type { Db } from '../db/database';
import { preparePluck } from '../db/statements';
import type { EventLog, ResumeCheck } from '../ports';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the log gives it its place in the stream. */
export type NewUserEvent = DistributiveOmit<UserEvent, 'seq' | 'at'>;
/**
 * Appends `event` to the user's stream. Emitting the same draft object to many users (a broadcast) is
 * cheap: it is built once. A draft must therefore not be changed after it was emitted.
 */
export type EmitEvent = (userId: string, event: Readonly<NewUserEvent>) => void;
type Listener = (events: readonly UserEvent[]) => void;
interface StreamBounds {
  head: number;
  floor: number;
}

export class SqliteEventLog implements EventLog {
  readonly epoch: string;
  private readonly listeners = new Map<string, Set<Listener>>();
  private inTransaction = false;
  private readonly bumpHead: Statement<[string], number>;
  private readonly insert: Statement<[string, number, string]>;
  private readonly bounds: Statement<[string], StreamBounds>;
  private readonly after: Statement<[string, number, number], string>;
  private readonly pruneEvents: Statement<[string, number]>;
  private readonly raiseFloor: Statement<[number, string]>;
  /** Runs a callback in BEGIN IMMEDIATE … COMMIT; built once rather than per transact(). */
  private readonly immediate: (run: () => unknown) => unknown;

  constructor(
    db: Db,
    private readonly clock: Clock,
    /** Events kept per user; older ones are pruned and the stream's floor moves up. */
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
    this.immediate = db.transaction((run: () => unknown) => run()).immediate;
  }

  /**
   * Runs `work` in one write transaction. `emit` appends to a user's stream within it; the new events
   * reach subscribers after the commit, and not at all if `work` throws (the transaction rolls back).
   */
  transact<T>(work: (emit: EmitEvent) => T): T {
    if (this.inTransaction) throw new Error('SqliteEventLog.transact does not nest');
    const written = new Map<string, UserEvent[]>();
    // One change, one instant: every event of the transaction carries the same time.
    let at: string | null = null;
    // An announcement emits the same draft to every user. It is built (and checked) once; the copies
    // differ only in `seq`, which the store hands out as a positive integer.
    let lastDraft: NewUserEvent | null = null;
    let lastEvent: UserEvent | null = null;
    const emit: EmitEvent = (userId, draft) => {
      const seq = this.bumpHead.get(userId);
      if (seq === undefined) throw new Error(`user ${userId} has no event stream`);
      at ??= isoAt(this.clock());
      let event: UserEvent;
      if (draft === lastDraft && lastEvent !== null) {
        event = { ...lastEvent, seq } as UserEvent;
      } else {
        const built = { ...draft, seq, at } as UserEvent;
        event = this.checkEvents ? UserEvent.parse(built) : built;
        lastDraft = draft;
        lastEvent = event;
      }
      this.insert.run(userId, seq, JSON.stringify(event));
      const list = written.get(userId);
      if (list) list.push(event);
      else written.set(userId, [event]);
    };
    this.inTransaction = true;
    let result: T;
    try {
      result = this.immediate(() => {
        const value = work(emit);
        for (const [userId, events] of written) {
          // A stream no longer than the retention has nothing to prune; skip the lookup.
          if (events[events.length - 1]!.seq > this.retention) this.prune(userId);
        }
        return value;
      }) as T;
    } finally {
      this.inTransaction = false;
    }
    this.publish(written);
    return result;
  }

  head(userId: string): number {
    return this.stream(userId).head;
  }

  cursor(userId: string): Cursor {
    return { epoch: this.epoch, seq: this.head(userId) };
  }

  checkResume(userId: string, resume: Cursor | null): ResumeCheck {
    const { head, floor } = this.stream(userId);
    const headCursor = { epoch: this.epoch, seq: head };
    if (resume === null) return { status: 'ok', afterSeq: head };
    if (resume.epoch !== this.epoch) return { status: 'reset', reason: 'epoch_changed', head: headCursor };
    if (resume.seq > head) return { status: 'reset', reason: 'ahead', head: headCursor };
    // Events up to `floor` were pruned: a cursor below it would silently skip them.
    if (resume.seq < floor) return { status: 'reset', reason: 'expired', head: headCursor };
    return { status: 'ok', afterSeq: resume.seq };
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
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(userId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(userId);
    };
  }

  /** Live listeners on a user's stream (diagnostics; lets tests await a held long-poll). */
  subscriberCount(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
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

  private publish(written: Map<string, UserEvent[]>): void {
    for (const [userId, events] of written) {
      for (const listener of [...(this.listeners.get(userId) ?? [])]) {
        try {
          listener(events);
        } catch {
          // The port says listeners must not throw; one that does must not starve the others.
        }
      }
    }
  }
}
