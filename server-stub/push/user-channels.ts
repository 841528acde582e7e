// Fan-out per user: all of one user's connections share one event-log subscription, so each event
// is read and encoded once however many devices (or STOMP sockets) that user has connected.
import type { UserEvent } from '../../protocol';
import type { EventLog } from '../ports';

interface Channel<T> {
  readonly members: Set<T>;
  readonly unsubscribe: () => void;
}

export class UserChannels<T> {
  private readonly channels = new Map<string, Channel<T>>();

  constructor(
    private readonly events: EventLog,
    /** An EventLog listener: must not throw. */
    private readonly fanOut: (members: ReadonlySet<T>, batch: readonly UserEvent[]) => void,
  ) {}

  /** Subscribes to the user's events when the first member joins. */
  join(userId: string, member: T): void {
    let channel = this.channels.get(userId);
    if (!channel) {
      const members = new Set<T>();
      const unsubscribe = this.events.subscribe(userId, (batch) => this.fanOut(members, batch));
      channel = { members, unsubscribe };
      this.channels.set(userId, channel);
    }
    channel.members.add(member);
  }

  /** Unsubscribes when the last member leaves. */
  leave(userId: string, member: T): void {
    const channel = this.channels.get(userId);
    if (channel?.members.delete(member) && channel.members.size === 0) {
      channel.unsubscribe();
      this.channels.delete(userId);
    }
  }
}
