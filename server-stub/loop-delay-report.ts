// `--report-loop-delay` (benchmarks): on SIGUSR2 the stub prints how late its main thread's event loop
// ran since the previous SIGUSR2 (or since start), then starts a new window. A stalled loop delays
// every request and push at once, so this is the stub's own view of the tail a benchmark measures
// from outside; the benchmark signals before and after the phase it times and reads the last line.
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { z } from 'zod';

/** Sampling period: each turn of a 1 ms timer records how long it took to come round again. */
const RESOLUTION_MS = 1;
const LINE_PREFIX = 'signoff-stub: event-loop delay ';

/**
 * Lateness beyond the sampling period, in ms, and how many turns were sampled; and the garbage
 * collector's pauses of this thread in the same window (count, longest and sum, ms): one young-generation
 * collection stops every request and push for its length, so a few of them are a benchmark's p99.
 */
const LoopDelay = z.object({
  p50: z.number(),
  p99: z.number(),
  max: z.number(),
  samples: z.number(),
  gcPauses: z.number(),
  gcMaxMs: z.number(),
  gcTotalMs: z.number(),
});
export type LoopDelay = z.infer<typeof LoopDelay>;

export interface LoopDelayMonitor {
  /** The delay since start or the last reset. */
  read(): LoopDelay;
  reset(): void;
  stop(): void;
}

/** Samples this thread's event-loop delay until stopped. */
export function monitorLoopDelay(): LoopDelayMonitor {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // The histogram records the time between timer turns (≥ the period); the delay is the excess.
  const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const gc = { pauses: 0, maxMs: 0, totalMs: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // A collection asked for (a benchmark's own gc() between its rounds) is not the kind meant here.
      const flags = (entry as { detail?: { flags?: number } }).detail?.flags ?? 0;
      if (flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) continue;
      gc.pauses++;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      gc.totalMs += entry.duration;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  return {
    read: () => ({
      p50: late(histogram.percentile(50)),
      p99: late(histogram.percentile(99)),
      max: late(histogram.max),
      samples: histogram.count,
      gcPauses: gc.pauses,
      gcMaxMs: gc.maxMs,
      gcTotalMs: gc.totalMs,
    }),
    reset: () => {
      histogram.reset();
      Object.assign(gc, { pauses: 0, maxMs: 0, totalMs: 0 });
    },
    stop: () => {
      histogram.disable();
      gcObserver.disconnect();
    },
  };
}

/** Starts sampling; returns the function that stops it and removes the signal handler. */
export function reportLoopDelayOnSignal(print: (line: string) => void): () => void {
  const monitor = monitorLoopDelay();
  const onSignal = () => {
    print(`${LINE_PREFIX}${JSON.stringify(monitor.read())}`);
    monitor.reset();
  };
  process.on('SIGUSR2', onSignal);
  return () => {
    process.off('SIGUSR2', onSignal);
    monitor.stop();
  };
}

/** The last report in a stub's output, or null if there is none. */
export function lastLoopDelayReport(output: string): LoopDelay | null {
  const start = output.lastIndexOf(LINE_PREFIX);
  if (start < 0) return null;
  const end = output.indexOf('\n', start);
  const json = output.slice(start + LINE_PREFIX.length, end < 0 ? undefined : end);
  try {
    return LoopDelay.parse(JSON.parse(json));
  } catch {
    return null;
  }
}
