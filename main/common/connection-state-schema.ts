// The connection states the tray and the window show, as one zod discriminated union. The core
// produces them, the IPC contract validates them on the way to the window, and the catalogs name them.
// Imports zod: the renderer may import from here only with `import type`.
import { z } from 'zod';

export const ConnectionStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('signed-out') }),
  z.object({ kind: z.literal('connecting') }),
  // `via: 'long-poll'`: WebSocket upgrades are blocked (a proxy) and events come by `GET /events?wait=`.
  z.object({ kind: z.literal('online'), via: z.literal('long-poll').optional() }),
  z.object({
    kind: z.literal('reconnecting'),
    nextAttemptAt: z.number(),
    attempt: z.number().int().nonnegative(),
    reason: z.string(),
  }),
  z.object({ kind: z.literal('offline'), reason: z.string() }),
  z.object({ kind: z.literal('session-expired') }),
  z.object({ kind: z.literal('error'), reason: z.string() }),
]);

export type ConnectionState = z.infer<typeof ConnectionStateSchema>;
export type ConnectionKind = ConnectionState['kind'];
