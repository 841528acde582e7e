// Opening many client connections from a benchmark worker, a bounded number at a time, and what the
// worker tells its coordinator about it.
import { z } from 'zod';
import { preciseNow } from './stats';

export const ConnectOutcome = z.object({
  connected: z.number().int(),
  failed: z.number().int(),
  elapsedMs: z.number(),
  firstError: z.string().nullable(),
});
export type ConnectOutcome = z.infer<typeof ConnectOutcome>;

/**
 * Calls `open(0)`…`open(count - 1)` with at most `concurrency` pending; each resolves with null once
 * its client is ready, or with why it failed.
 */
export async function connectInLanes(
  count: number,
  concurrency: number,
  open: (index: number) => Promise<string | null>,
): Promise<ConnectOutcome> {
  const started = preciseNow();
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const lane = async () => {
    while (next < count) {
      const error = await open(next++);
      if (error) {
        failed++;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { connected: count - failed, failed, elapsedMs: preciseNow() - started, firstError };
}
