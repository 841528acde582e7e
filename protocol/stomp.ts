// The STOMP mapping of the push channel (docs/protocol.md, "STOMP mapping"): the names a STOMP client
// and a STOMP backend must agree on. The framing itself is STOMP 1.0–1.2; nothing here re-states it.
import { z } from 'zod';
import { Cursor } from './events';

/** WebSocket endpoint on the backend's HTTP port (Spring's usual `registerStompEndpoints("/ws")`). */
export const STOMP_PATH = '/ws';

/** WebSocket subprotocols, most preferred first (the names Spring and RabbitMQ's web-stomp use). */
export const STOMP_SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'] as const;

export const StompVersion = z.enum(['1.0', '1.1', '1.2']);
export type StompVersion = z.infer<typeof StompVersion>;

export const STOMP_DESTINATIONS = {
  /** The subscriber's own events (every event of their stream), as with Spring's user destinations. */
  userEvents: '/user/queue/events',
  /** Every announcement, to every subscriber. */
  announcements: '/topic/announcements',
} as const;

/**
 * MESSAGE headers carrying the event's cursor, so a client can merge without parsing the body first.
 * `signoff-stream: broadcast` marks a topic message that carries the broadcast stream's epoch and seq.
 */
export const STOMP_EVENT_HEADERS = {
  epoch: 'signoff-epoch',
  seq: 'signoff-seq',
  stream: 'signoff-stream',
} as const;

/**
 * CONNECT header by which a client says it reads the broadcast stream itself (topic messages with
 * `signoff-stream: broadcast`, REST backfill with `bafter`): the server then keeps announcements out
 * of its user queue. Without it a server copies them into the user's stream, as before the extension.
 */
export const STOMP_STREAMS_HEADER = { name: 'signoff-streams', broadcast: 'broadcast' } as const;

/** Largest STOMP frame (command, headers and body) a client may send; larger ones get ERROR. */
export const STOMP_MAX_FRAME_BYTES = 64 * 1024;

/** Subscriptions one connection may hold at once. */
export const STOMP_MAX_SUBSCRIPTIONS = 8;

/** Heart-beat the reference backend offers in both directions (ms); the negotiated value may be larger. */
export const STOMP_SERVER_HEART_BEAT_MS = 10_000;

/** The headers of an event MESSAGE that matter to a client; STOMP header values are strings. */
export const StompEventHeaders = z.object({
  [STOMP_EVENT_HEADERS.epoch]: Cursor.shape.epoch,
  /** Repeated from the body; a mismatch marks the message invalid. */
  [STOMP_EVENT_HEADERS.seq]: z.coerce.number().int().positive().optional(),
  [STOMP_EVENT_HEADERS.stream]: z.string().max(32).optional(),
});
