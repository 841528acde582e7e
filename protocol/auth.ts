import { z } from 'zod';
import { Timestamp } from './claims';
import { Me } from './users';

export const SignInRequest = z
  .object({ username: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequest>;

export const SignInResponse = z.object({
  /** Opaque bearer token; send as `Authorization: Bearer <token>`. Never logged by either side. */
  token: z.string().min(22).max(512),
  expiresAt: Timestamp,
  user: Me,
});
export type SignInResponse = z.infer<typeof SignInResponse>;

export const MeResponse = z.object({ user: Me, sessionExpiresAt: Timestamp });
export type MeResponse = z.infer<typeof MeResponse>;

/** A path on the server, e.g. `/ws` or `/api/v1/stream`. */
const TransportPath = z.string().startsWith('/').max(512);
/** A STOMP destination, e.g. `/user/queue/events`. */
const StompDestination = z.string().min(1).max(512);

/** The live-event transports a server offers; the client prefers signoff.v1, then STOMP, then long-poll. */
export const SignoffTransport = z.object({ kind: z.literal('signoff'), path: TransportPath });
/** STOMP over WebSocket (Spring backends): per-user events on `user`, everyone's on `broadcast`. */
export const StompTransport = z.object({
  kind: z.literal('stomp'),
  path: TransportPath,
  destinations: z.object({ user: StompDestination, broadcast: StompDestination }),
});
export const LongPollTransport = z.object({ kind: z.literal('long-poll'), path: TransportPath });
export const Transport = z.discriminatedUnion('kind', [SignoffTransport, StompTransport, LongPollTransport]);
export type Transport = z.infer<typeof Transport>;

/** `GET /info`, the only endpoint without auth: lets a client check compatibility before signing in. */
export const ServerInfo = z.object({
  service: z.string(),
  protocolVersion: z.number().int().positive(),
  serverTime: Timestamp,
  heartbeatSeconds: z.number().int().positive(),
  /**
   * Optional: older servers do not say (then they speak signoff.v1 only). Kinds this client does not
   * know are dropped rather than failing the whole answer, so a newer server stays compatible.
   */
  transports: z
    .array(z.unknown())
    .max(16)
    .transform((items) => items.flatMap((item) => Transport.safeParse(item).data ?? []))
    .optional(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;
