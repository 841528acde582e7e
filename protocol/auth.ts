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

/** An OAuth scope token (RFC 6749 §3.3). */
const Scope = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/);

/**
 * The company identity provider a server accepts access tokens from (docs/protocol.md, "Single sign-on"):
 * a client signs in there with the authorization code flow + PKCE and sends the access token as its bearer token.
 */
export const IdentityProvider = z.object({
  /** Shown as "Sign in with <name>"; plain text, never markup. */
  name: z.string().trim().min(1).max(64),
  /** The OpenID Provider's issuer identifier; discovery is `<issuer>/.well-known/openid-configuration`. */
  issuer: z.url({ protocol: /^https?$/ }).max(512),
  /** The public (native) client registered for Signoff at that provider. */
  clientId: z.string().min(1).max(256),
  /** Scopes to ask for; `openid` is always asked for. */
  scopes: z.array(Scope).max(32),
});
export type IdentityProvider = z.infer<typeof IdentityProvider>;

/** `GET /info`, the only endpoint without auth: lets a client check compatibility before signing in. */
export const ServerInfo = z.object({
  service: z.string(),
  protocolVersion: z.number().int().positive(),
  serverTime: Timestamp,
  heartbeatSeconds: z.number().int().positive(),
  /** The push transports on offer, most preferred first. Absent from older servers: assume `signoff` + long-poll. */
  transports: z.array(Transport).max(16).optional(),
  /** Present when the server accepts single sign-on through a company identity provider. */
  identityProvider: IdentityProvider.optional(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;
