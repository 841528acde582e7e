// What nodes of one cluster tell each other through the broker (docs/cluster.md): committed events,
// as hints (the database stays the truth), and sign-outs. One topic exchange; the routing key says
// whose stream a message is about, so a node could bind only the users it serves.
import { z } from 'zod';
import { BroadcastEvent, UserEvent } from '../../protocol';

export const EXCHANGE = 'signoff.events';
/** Every message of this exchange; what each node binds (see broker-relay.ts for why). */
export const BIND_ALL = '#';
export const BROADCAST_KEY = 'broadcast';
export const REVOKED_KEY = 'session.revoked';

/** `user.<id>`; ids are [a-z0-9]+ today, and a dot in one would only matter to per-user bindings. */
export function userKey(userId: string): string {
  return `user.${userId}`;
}

const Seq = z.number().int().nonnegative();

export const BrokerMessage = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    userId: z.string().min(1),
    epoch: z.string().min(1),
    /** The stream is committed up to here; `events` may be empty (a hint after an outage). */
    head: Seq,
    events: z.array(UserEvent),
  }),
  z.object({
    kind: z.literal('broadcast'),
    epoch: z.string().min(1),
    head: Seq,
    events: z.array(BroadcastEvent),
  }),
  z.object({ kind: z.literal('revoked'), sessionId: z.string().min(1) }),
]);
export type BrokerMessage = z.infer<typeof BrokerMessage>;
