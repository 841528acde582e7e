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

const path = z.string().startsWith('/').max(200);

/** The v1 JSON stream (`signoff.v1` subprotocol). */
export const SignoffTransport = z.object({ kind: z.literal('signoff'), path });
/** STOMP over WebSocket (docs/protocol.md, "STOMP mapping"). */
export const StompTransport = z.object({
  kind: z.literal('stomp'),
  path,
  destinations: z.object({ user: path, broadcast: path }),
});
export type StompTransport = z.infer<typeof StompTransport>;
/** `GET /events` with `wait`, for networks that block WebSockets. */
export const LongPollTransport = z.object({ kind: z.literal('long-poll'), path });
const KNOWN_TRANSPORTS: readonly string[] = ['signoff', 'stomp', 'long-poll'];
/** A kind a newer server offers that this client does not know: kept so the list still parses, then ignored. */
export const OtherTransport = z.looseObject({
  kind: z.string().refine((kind) => !KNOWN_TRANSPORTS.includes(kind), 'malformed known transport'),
});
export const Transport = z.union([SignoffTransport, StompTransport, LongPollTransport, OtherTransport]);
export type Transport = z.infer<typeof Transport>;

/** `GET /info`, the only endpoint without auth: lets a client check compatibility before signing in. */
export const ServerInfo = z.object({
  service: z.string(),
  protocolVersion: z.number().int().positive(),
  serverTime: Timestamp,
  heartbeatSeconds: z.number().int().positive(),
  /** The push transports on offer, most preferred first. Absent from older servers: assume `signoff` + long-poll. */
  transports: z.array(Transport).max(16).optional(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;
