// Messages between the push-modes benchmark's coordinator and its two kinds of child process: the
// crowd of clients (one process per mode) and the bare `ws` push server (the CPU baseline).
import { z } from 'zod';
import { ConnectOutcome } from './connect-in-lanes';

export const PUSH_MODES = ['ajax', 'long-poll', 'signoff', 'stomp', 'bare-ws'] as const;
export const PushMode = z.enum(PUSH_MODES);
export type PushMode = z.infer<typeof PushMode>;

export const ToCrowd = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('open'),
    mode: PushMode,
    /** `http://host:port` of the stub, or `ws://host:port` of the bare server. */
    url: z.string(),
    /** One bearer token per user; client i belongs to user i mod tokens.length. Empty for bare-ws. */
    tokens: z.array(z.string()),
    clients: z.number().int().positive(),
    concurrency: z.number().int().positive(),
    pollSeconds: z.number().int().positive(),
    longPollSeconds: z.number().int().positive(),
  }),
  /** Report the counters and the receipts since the last sample. */
  z.object({ type: z.literal('sample') }),
  z.object({ type: z.literal('close') }),
]);
export type ToCrowd = z.infer<typeof ToCrowd>;

export const CrowdSample = z.object({
  type: z.literal('sample'),
  /** HTTP requests sent and WebSocket messages sent that are not heart-beats, since the start. */
  requests: z.number().int(),
  /** TCP payload bytes both ways on every client socket, since the start. */
  bytes: z.number(),
  /** This process's CPU time (user + system), ms since the start. */
  cpuMs: z.number(),
  /** Failed requests, errors and unexpected closes since the start. */
  errors: z.number().int(),
  firstError: z.string().nullable(),
  /** [event number, its `at` (commit), receipt instant] (ms since epoch) since the last sample. */
  receipts: z.array(z.tuple([z.number().int(), z.number(), z.number()])),
});
export type CrowdSample = z.infer<typeof CrowdSample>;

export const FromCrowd = z.discriminatedUnion('type', [
  ConnectOutcome.extend({ type: z.literal('opened') }),
  CrowdSample,
  z.object({ type: z.literal('closed') }),
]);
export type FromCrowd = z.infer<typeof FromCrowd>;

/** Events reach the bare server over HTTP, as they reach the stub (see bare-push-server.ts). */
export const ToBareServer = z.discriminatedUnion('type', [z.object({ type: z.literal('close') })]);
export type ToBareServer = z.infer<typeof ToBareServer>;

export const FromBareServer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('listening'), port: z.number().int() }),
]);
export type FromBareServer = z.infer<typeof FromBareServer>;
