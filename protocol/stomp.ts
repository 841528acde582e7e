// The STOMP mapping of the event stream (Spring backends, or a broker relaying for one). A MESSAGE on
// the user destination carries one UserEvent as its JSON body and names its stream position in
// headers, so a client can order and de-duplicate without parsing first. STOMP delivers live messages
// only: after subscribing, a client catches up over `GET /events` (REST is the durable path).
import { z } from 'zod';
import { Cursor } from './events';

/** WebSocket subprotocols of STOMP 1.2/1.1/1.0, in preference order (what Spring and RabbitMQ accept). */
export const STOMP_SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

export const STOMP_HEADER = {
  /** The event's stream epoch (the body's event carries its seq). */
  epoch: 'signoff-epoch',
  /** The event's seq, repeated from the body; a mismatch marks the message invalid. */
  seq: 'signoff-seq',
} as const;

/** The headers of an event MESSAGE that matter to a client; STOMP header values are strings. */
export const StompEventHeaders = z.object({
  [STOMP_HEADER.epoch]: Cursor.shape.epoch,
  [STOMP_HEADER.seq]: z.coerce.number().int().positive().optional(),
});
