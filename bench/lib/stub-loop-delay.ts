// Reading a stub's own event-loop delay from outside: a stub started with --report-loop-delay prints
// it on SIGUSR2 (server-stub/loop-delay-report.ts). One SIGUSR2 opens a window, the next one closes
// it and prints the delay over it.
import { type LoopDelay, lastLoopDelayReport } from '../../server-stub/loop-delay-report';
import { ms } from './report';

/** Starts a new window in the stub `pid` (its report of the window before is not read). */
export function openLoopDelayWindow(pid: number): void {
  process.kill(pid, 'SIGUSR2');
}

/** Asks the stub for its event-loop delay since the last ask; null if it does not answer in 2 s. */
export async function stubLoopDelayReport(pid: number, output: () => string): Promise<LoopDelay | null> {
  const before = output().length;
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 2_000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (output().length > before) return lastLoopDelayReport(output().slice(before));
  }
  return null;
}

/** "p50 / p99 / max" of a loop delay, or why there is none. */
export const loopDelay = (d: LoopDelay | null) =>
  d ? `${ms(d.p50)} / ${ms(d.p99)} / ${ms(d.max)}` : 'not reported';

/** "count, longest, sum" of the GC pauses in a loop-delay window, or why there are none. */
export const gcPauses = (d: LoopDelay | null) =>
  d ? `${d.gcPauses}, longest ${ms(d.gcMaxMs)}, sum ${ms(d.gcTotalMs)}` : 'not reported';
