import { z } from 'zod';
import { Cursor, ResetReason, StreamName, UserEvent } from './events';

/**
 * WebSocket close codes. 1000–1015 are the standard ones; 4000–4999 are Signoff's own.
 * `retry` tells a client whether reconnecting with the same token can help.
 */
export const CloseCode = {
  normal: 1000,
  /** Server shutting down or restarting: reconnect with backoff and resume. */
  goingAway: 1001,
  /** A frame over MAX_FRAME_BYTES: client bug; reconnect with backoff. */
  tooBig: 1009,
  /** A frame that is not valid JSON or not a known client frame. */
  badFrame: 4000,
  /** Token expired or revoked while connected. Do not reconnect: sign in again. */
  sessionEnded: 4001,
  /** The client's `protocolVersion` is not spoken by this server. Do not reconnect. */
  unsupportedProtocol: 4002,
  /** No `hello` within the allowed time after the upgrade. */
  helloTimeout: 4003,
  /** The client did not read fast enough and its send buffer passed the limit; reconnect and resume. */
  slowConsumer: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Whether a client should reconnect after the socket closed with `code`. */
export function closeCodeAllowsRetry(code: number): boolean {
  return code !== CloseCode.sessionEnded && code !== CloseCode.unsupportedProtocol;
}

// ---- client → server ----

/**
 * First frame after the upgrade. `resume` is the last cursor the client applied; null means
 * "I have nothing, start from the current head" (take the queue snapshot first, then resume from its cursor).
 */
export const HelloFrame = z
  .object({
    type: z.literal('hello'),
    protocolVersion: z.number().int().positive(),
    // Strict like the frame itself: a misspelt field inside `resume` is a bad frame, not ignored.
    resume: Cursor.strict().nullable(),
    /**
     * Present = this client reads the broadcast stream itself: the last broadcast cursor it applied,
     * null for "from the broadcast head". Absent (every client before the extension): announcements
     * come in the user's own stream instead (docs/protocol.md, "The broadcast stream").
     */
    broadcast: Cursor.strict().nullable().optional(),
  })
  .strict();
export type HelloFrame = z.infer<typeof HelloFrame>;

/** Application-level ping for clients (browsers) that cannot see WebSocket ping frames. */
export const PingFrame = z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }).strict();
export type PingFrame = z.infer<typeof PingFrame>;

export const ClientFrame = z.discriminatedUnion('type', [HelloFrame, PingFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;

// ---- server → client ----

/**
 * Bounds on every number and string in a server frame that a client turns into a timer, a loop or
 * something it keeps: a frame outside them is invalid (dropped and counted), so no server can make a
 * client spin or grow. Integers are safe integers (`z.number().int()`); see docs/protocol.md, "Frame bounds".
 */
export const MAX_HEARTBEAT_SECONDS = 600;
export const MAX_ERROR_CODE_LENGTH = 64;
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

/**
 * Answer to `hello`. `head` is the last event in the stream now; the server sends every event
 * after the client's `resume.seq` (replay), in order, then streams live ones.
 */
export const WelcomeFrame = z.object({
  type: z.literal('welcome'),
  protocolVersion: z.number().int().positive(),
  head: Cursor,
  heartbeatSeconds: z.number().int().min(1).max(MAX_HEARTBEAT_SECONDS),
  sessionExpiresAt: z.iso.datetime(),
  /** The broadcast stream's head now; sent only when `hello` carried `broadcast`. */
  broadcastHead: Cursor.optional(),
});
export type WelcomeFrame = z.infer<typeof WelcomeFrame>;

/**
 * One event of a stream: the user's (`stream` absent or `user`) or the broadcast stream (`broadcast`:
 * `event.seq` is then the broadcast seq). Within one stream `event.seq` is the previous frame's + 1.
 */
export const EventFrame = z.object({
  type: z.literal('event'),
  stream: StreamName.optional(),
  epoch: Cursor.shape.epoch,
  event: UserEvent,
});
export type EventFrame = z.infer<typeof EventFrame>;

/**
 * The client's `resume` cursor cannot be replayed whole (other epoch, or older than retention).
 * Re-take the queue snapshot; live events continue after `cursor`.
 */
export const ResetFrame = z.object({
  type: z.literal('reset'),
  /** `broadcast`: the broadcast cursor cannot be resumed; continue after `cursor` (no snapshot to re-take). */
  stream: StreamName.optional(),
  cursor: Cursor,
  reason: ResetReason,
});
export type ResetFrame = z.infer<typeof ResetFrame>;

export const PongFrame = z.object({ type: z.literal('pong'), id: z.string().max(64).optional() });
export type PongFrame = z.infer<typeof PongFrame>;

/** Sent just before the server closes with a 4xxx code, saying why in words. */
export const ErrorFrame = z.object({
  type: z.literal('error'),
  code: z.string().max(MAX_ERROR_CODE_LENGTH),
  message: z.string().max(MAX_ERROR_MESSAGE_LENGTH),
});
export type ErrorFrame = z.infer<typeof ErrorFrame>;

export const ServerFrame = z.discriminatedUnion('type', [
  WelcomeFrame,
  EventFrame,
  ResetFrame,
  PongFrame,
  ErrorFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
