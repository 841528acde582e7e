// Messages between the fan-out benchmark's coordinator and its client worker process (IPC).
import { z } from 'zod';
import { ConnectOutcome } from './connect-in-lanes';

export const ToWorker = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    /** Stream URLs (one per node): client i connects to urls[i % urls.length], evenly split. */
    urls: z.array(z.string()).min(1),
    tokens: z.array(z.string()).min(1),
    clients: z.number().int().positive(),
    concurrency: z.number().int().positive(),
    /** Say hello as a client from before the broadcast stream (no `broadcast` cursor). */
    legacyHello: z.boolean().optional(),
  }),
  /** Start timing the first frame containing `marker` on every client. */
  z.object({ type: z.literal('arm'), marker: z.string().min(1) }),
  /** Report receipt times once every client got the marked frame, or after `timeoutMs`. */
  z.object({ type: z.literal('collect'), timeoutMs: z.number().int().positive() }),
  z.object({ type: z.literal('close') }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

export const FromWorker = z.discriminatedUnion('type', [
  ConnectOutcome.extend({
    type: z.literal('connected'),
    /** Clients welcomed per entry of `urls`. */
    connectedByUrl: z.array(z.number().int()),
  }),
  z.object({ type: z.literal('armed') }),
  /**
   * Receipt instants (ms since epoch, sub-ms precision) of the clients that got the frame, all of them
   * and per entry of `urls`.
   */
  z.object({
    type: z.literal('received'),
    times: z.array(z.number()),
    timesByUrl: z.array(z.array(z.number())),
    dropped: z.number().int(),
  }),
  z.object({ type: z.literal('closed') }),
]);
export type FromWorker = z.infer<typeof FromWorker>;
