// In-memory stand-ins for the HTTP side's SessionAuthority and EventLog, with the same contracts
// (synchronous commit listeners, gapless seqs), so the push module can be driven precisely.
import { randomUUID } from 'node:crypto';
import type { BroadcastEvent, Cursor, Me, UserEvent } from '../../protocol';
import { checkResumeAgainst } from '../../server-stub/events/resume-check';
import type {
  AuthenticatedSession,
  BroadcastLog,
  EventLog,
  ResumeCheck,
  SessionAuthority,
} from '../../server-stub/ports';

export function demoUser(id: string): Me {
  return {
    id,
    name: id[0]!.toUpperCase() + id.slice(1),
    department: 'Engineering',
    roles: ['employee'],
    supervisor: null,
  };
}

export class FakeSessions implements SessionAuthority {
  private readonly byToken = new Map<string, AuthenticatedSession>();
  private readonly listeners = new Set<(sessionId: string) => void>();

  signIn(userId: string, ttlMs = 3_600_000): string {
    const token = `tok_${randomUUID()}`;
    this.byToken.set(token, {
      sessionId: randomUUID(),
      user: demoUser(userId),
      expiresAt: Date.now() + ttlMs,
    });
    return token;
  }

  verify(token: string): AuthenticatedSession | null {
    const session = this.byToken.get(token);
    return session && session.expiresAt > Date.now() ? session : null;
  }

  revoke(token: string): void {
    const session = this.byToken.get(token);
    if (!session) return;
    this.byToken.delete(token);
    for (const listener of this.listeners) listener(session.sessionId);
  }

  onRevoked(listener: (sessionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** An in-memory broadcast stream (no retention). */
export class FakeBroadcastLog implements BroadcastLog {
  readonly epoch = 'ep-broadcast';
  private readonly events: BroadcastEvent[] = [];
  private readonly listeners = new Set<(events: readonly BroadcastEvent[]) => void>();

  head(): number {
    return this.events.length;
  }

  cursor(): Cursor {
    return { epoch: this.epoch, seq: this.head() };
  }

  checkResume(resume: Cursor | null): ResumeCheck {
    return checkResumeAgainst(this.epoch, { head: this.head(), floor: 0 }, resume);
  }

  readAfter(afterSeq: number, limit: number): BroadcastEvent[] {
    return this.events.slice(afterSeq, afterSeq + limit);
  }

  subscribe(listener: (events: readonly BroadcastEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class FakeEventLog implements EventLog {
  readonly epoch = 'ep-test';
  readonly broadcasts = new FakeBroadcastLog();
  /** Old-style readers following the broadcast stream, by user. */
  readonly followed = new Map<string, number>();
  private readonly streams = new Map<string, UserEvent[]>();
  private readonly listeners = new Map<string, Set<(events: readonly UserEvent[]) => void>>();
  /** Events at or below this seq are treated as pruned (retention). */
  oldestRetained = new Map<string, number>();
  readCalls = 0;

  head(userId: string): number {
    return this.streams.get(userId)?.length ?? 0;
  }

  checkResume(userId: string, resume: Cursor | null): ResumeCheck {
    const head = this.head(userId);
    const headCursor = { epoch: this.epoch, seq: head };
    if (resume === null) return { status: 'ok', afterSeq: head };
    if (resume.epoch !== this.epoch) return { status: 'reset', reason: 'epoch_changed', head: headCursor };
    if (resume.seq > head) return { status: 'reset', reason: 'ahead', head: headCursor };
    if (resume.seq < (this.oldestRetained.get(userId) ?? 0)) {
      return { status: 'reset', reason: 'expired', head: headCursor };
    }
    return { status: 'ok', afterSeq: resume.seq };
  }

  readAfter(userId: string, afterSeq: number, limit: number): UserEvent[] {
    this.readCalls++;
    return (this.streams.get(userId) ?? []).slice(afterSeq, afterSeq + limit);
  }

  subscribe(userId: string, listener: (events: readonly UserEvent[]) => void): () => void {
    let set = this.listeners.get(userId);
    if (!set) {
      set = new Set();
      this.listeners.set(userId, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  absorbBroadcasts(): void {}

  followBroadcasts(userId: string): () => void {
    this.followed.set(userId, (this.followed.get(userId) ?? 0) + 1);
    return () => this.followed.set(userId, (this.followed.get(userId) ?? 1) - 1);
  }

  listenerCount(userId: string): number {
    return this.listeners.get(userId)?.size ?? 0;
  }

  /** Commits `count` announcement events to the user's stream and notifies listeners synchronously. */
  commit(userId: string, count = 1, bodyChars = 20): UserEvent[] {
    let stream = this.streams.get(userId);
    if (!stream) {
      stream = [];
      this.streams.set(userId, stream);
    }
    const added: UserEvent[] = [];
    for (let i = 0; i < count; i++) {
      const seq = stream.length + 1;
      const event: UserEvent = {
        seq,
        at: new Date().toISOString(),
        type: 'announcement',
        announcement: {
          id: `ann-${seq}`,
          title: `Announcement ${seq}`,
          body: 'x'.repeat(bodyChars),
          author: { id: 'admin', name: 'Admin' },
          at: new Date().toISOString(),
        },
      };
      stream.push(event);
      added.push(event);
    }
    for (const listener of this.listeners.get(userId) ?? []) listener(added);
    return added;
  }
}
