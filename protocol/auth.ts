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

/** `GET /info`, the only endpoint without auth: lets a client check compatibility before signing in. */
export const ServerInfo = z.object({
  service: z.string(),
  protocolVersion: z.number().int().positive(),
  serverTime: Timestamp,
  heartbeatSeconds: z.number().int().positive(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;
