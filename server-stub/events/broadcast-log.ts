// The shared broadcast stream (announcements) in the database: one row per event whatever the number
// of users, its own gapless seq (`bseq`), epoch and retention floor. Appended to inside StoredEventLog's
// write transaction and published after its commit, like the per-user streams.
import type { BroadcastEvent, Cursor } from '../../protocol';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
import type { BroadcastLog, ResumeCheck } from '../ports';
import { continuation } from './live-continuation';
import { checkResumeAgainst, type StreamBounds } from './resume-check';

type Listener = (events: readonly BroadcastEvent[]) => void;

export class StoredBroadcastLog implements BroadcastLog {
  private readonly listeners = new Set<Listener>();
  private readonly bumpHead: Statement<[], number>;
  private readonly insert: Statement<[number, string]>;
  private readonly bounds: Statement<[], StreamBounds & { epoch: string }>;
  private readonly after: Statement<[number, number], string>;
  private readonly pruneEvents: Statement<[number]>;
  private readonly raiseFloor: Statement<[number, number]>;
  /** The last bseq handed to listeners: what this node's live readers have been told about. */
  private delivered: number;

  constructor(
    db: Db,
    /** Broadcast events kept; older ones are pruned and the floor moves up. */
    private readonly retention: number,
  ) {
    this.bumpHead = preparePluck(
      db,
      'UPDATE broadcast_stream SET head_seq = head_seq + 1 WHERE id = 1 RETURNING head_seq',
    );
    this.insert = db.prepare('INSERT INTO broadcast_events (seq, payload) VALUES (?, ?)');
    this.bounds = db.prepare(
      'SELECT epoch, head_seq AS head, floor_seq AS floor FROM broadcast_stream WHERE id = 1',
    );
    this.after = preparePluck(db, 'SELECT payload FROM broadcast_events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.pruneEvents = db.prepare('DELETE FROM broadcast_events WHERE seq <= ?');
    this.raiseFloor = db.prepare('UPDATE broadcast_stream SET floor_seq = ? WHERE id = 1 AND floor_seq < ?');
    this.delivered = this.head();
  }

  get epoch(): string {
    return this.stream().epoch;
  }

  head(): number {
    return this.stream().head;
  }

  cursor(): Cursor {
    const { epoch, head } = this.stream();
    return { epoch, seq: head };
  }

  /** Bounds of the stream now (epoch, head, floor): one read. */
  stream(): StreamBounds & { epoch: string } {
    const row = this.bounds.get();
    if (!row) throw new Error('store has no broadcast stream; migrations did not run');
    return row;
  }

  checkResume(resume: Cursor | null): ResumeCheck {
    const { epoch, ...bounds } = this.stream();
    return checkResumeAgainst(epoch, bounds, resume);
  }

  readAfter(afterSeq: number, limit: number): BroadcastEvent[] {
    return this.after.all(afterSeq, limit).map((payload) => JSON.parse(payload) as BroadcastEvent);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Only inside the event log's write transaction: takes the next bseq, writes one row, prunes. */
  append(build: (seq: number) => BroadcastEvent): BroadcastEvent {
    const seq = this.bumpHead.get();
    if (seq === undefined) throw new Error('store has no broadcast stream; migrations did not run');
    const event = build(seq);
    this.insert.run(seq, JSON.stringify(event));
    const floor = seq - this.retention;
    if (floor > 0) {
      this.pruneEvents.run(floor);
      this.raiseFloor.run(floor, floor);
    }
    return event;
  }

  /** After a local commit: hands the new events to every listener (which must not throw). */
  publish(events: readonly BroadcastEvent[]): void {
    if (events.length > 0) this.deliverCommitted(events.at(-1)!.seq, events);
  }

  /**
   * The stream is committed up to `head` (here or on another node); `events` are some or all of the
   * new ones. Listeners get exactly the events after the last ones they got, read from the store when
   * `events` do not continue them (see live-continuation.ts). False when there was nothing new.
   */
  deliverCommitted(head: number, events: readonly BroadcastEvent[]): boolean {
    const next = continuation(this.delivered, head, events, (after, limit) => this.readAfter(after, limit));
    if (next.length === 0) return false;
    this.delivered = next.at(-1)!.seq;
    for (const listener of [...this.listeners]) {
      try {
        listener(events);
      } catch {
        // The port says listeners must not throw; one that does must not starve the others.
      }
    }
    return true;
  }
}
