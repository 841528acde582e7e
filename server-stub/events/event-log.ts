// Durable, gapless, per-user event streams in SQLite. Events are written inside the same transaction
// as the change they describe and handed to live subscribers only after that transaction commits, so
// nobody is ever told about something a crash could still undo.
import { type Cursor, UserEvent } from '../../protocol';
import { type Clock, isoAt } from '../clock';
import type { Db } from '../db/database';
import type { EventLog, ResumeCheck } from '../ports';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the log gives it its place in the stream. */
export type NewUserEvent = DistributiveOmit<UserEvent, 'seq' | 'at'>;
export type EmitEvent = (userId: string, event: NewUserEvent) => void;
type Listener = (events: readonly UserEvent[]) => void;

export class SqliteEventLog implements EventLog {
  readonly epoch: string;
  private readonly listeners = new Map<string, Set<Listener>>();
  private inTransaction = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Events kept per user; older ones are pruned and the stream's floor moves up. */
    private readonly retention: number,
  ) {
    const epoch = db.prepare("SELECT value FROM meta WHERE key = 'epoch'").pluck().get() as
      | string
      | undefined;
    if (!epoch) throw new Error('store has no epoch; migrations did not run');
    this.epoch = epoch;
  }

  /**
   * Runs `work` in one write transaction. `emit` appends to a user's stream within it; the new events
   * reach subscribers after the commit, and not at all if `work` throws (the transaction rolls back).
   */
  transact<T>(work: (emit: EmitEvent) => T): T {
    if (this.inTransaction) throw new Error('SqliteEventLog.transact does not nest');
    const written = new Map<string, UserEvent[]>();
    const bumpHead = this.db.prepare(
      'UPDATE event_streams SET head_seq = head_seq + 1 WHERE user_id = ? RETURNING head_seq',
    );
    const insert = this.db.prepare('INSERT INTO events (user_id, seq, payload) VALUES (?, ?, ?)');
    const emit: EmitEvent = (userId, draft) => {
      const seq = bumpHead.pluck().get(userId) as number | undefined;
      if (seq === undefined) throw new Error(`user ${userId} has no event stream`);
      const event = UserEvent.parse({ ...draft, seq, at: isoAt(this.clock()) });
      insert.run(userId, seq, JSON.stringify(event));
      const list = written.get(userId) ?? [];
      list.push(event);
      written.set(userId, list);
    };
    this.inTransaction = true;
    let result: T;
    try {
      result = this.db
        .transaction(() => {
          const value = work(emit);
          for (const userId of written.keys()) this.prune(userId);
          return value;
        })
        .immediate();
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
    const rows = this.db
      .prepare('SELECT payload FROM events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .pluck()
      .all(userId, afterSeq, limit) as string[];
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

  private stream(userId: string): { head: number; floor: number } {
    const row = this.db
      .prepare('SELECT head_seq AS head, floor_seq AS floor FROM event_streams WHERE user_id = ?')
      .get(userId) as { head: number; floor: number } | undefined;
    return row ?? { head: 0, floor: 0 };
  }

  private prune(userId: string): void {
    const { head, floor } = this.stream(userId);
    const newFloor = head - this.retention;
    if (newFloor <= floor) return;
    this.db.prepare('DELETE FROM events WHERE user_id = ? AND seq <= ?').run(userId, newFloor);
    this.db.prepare('UPDATE event_streams SET floor_seq = ? WHERE user_id = ?').run(newFloor, userId);
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
