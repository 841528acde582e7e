// Connections grouped by the session (token) that authenticated them, so that all of a session's
// connections end together when it expires or is signed out (the v1 stream and STOMP alike).
import type { AuthenticatedSession } from '../ports';
import type { DeadlineQueue } from './deadline-queue';

interface Group<T> {
  readonly members: Set<T>;
  cancelExpiry: () => void;
}

export class SessionGroups<T> {
  private readonly groups = new Map<string, Group<T>>();

  constructor(
    private readonly deadlines: DeadlineQueue,
    private readonly endMember: (member: T, message: string) => void,
  ) {}

  join(session: AuthenticatedSession, member: T): void {
    const { sessionId, expiresAt } = session;
    let group = this.groups.get(sessionId);
    if (!group) {
      const expiry = this.deadlines.schedule(expiresAt, () =>
        this.end(sessionId, 'your session expired; sign in again'),
      );
      group = { members: new Set(), cancelExpiry: expiry.cancel };
      this.groups.set(sessionId, group);
    }
    group.members.add(member);
  }

  leave(session: AuthenticatedSession, member: T): void {
    const { sessionId } = session;
    const group = this.groups.get(sessionId);
    if (group?.members.delete(member) && group.members.size === 0) {
      group.cancelExpiry();
      this.groups.delete(sessionId);
    }
  }

  /** Ends every connection of the session (each leaves the group as it ends). */
  end(sessionId: string, message: string): void {
    const group = this.groups.get(sessionId);
    if (!group) return;
    for (const member of [...group.members]) this.endMember(member, message);
  }
}
