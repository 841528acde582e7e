// `--report-loop-delay`: a benchmark signals the real stub process (SIGUSR2) and reads back how late
// its event loop ran, one window per signal.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { lastLoopDelayReport, monitorLoopDelay } from '../../server-stub/loop-delay-report';
import { stubsPerTest } from '../support/use-stub';

const stubs = stubsPerTest();

async function report(output: () => string, signal: () => void) {
  const before = output().length;
  signal();
  await expect.poll(() => output().length, { timeout: 5_000 }).toBeGreaterThan(before);
  return lastLoopDelayReport(output().slice(before));
}

describe('event-loop delay report', () => {
  it('prints the delay since the previous SIGUSR2 as one parseable line, and keeps running', async () => {
    const stub = await stubs.process({ args: ['--report-loop-delay'] });
    const signal = () => stub.process.kill('SIGUSR2');
    const first = await report(stub.output, signal);
    expect(first).not.toBeNull();
    expect(first!.samples).toBeGreaterThan(0);
    expect(first!.p50).toBeGreaterThanOrEqual(0);
    expect(first!.max).toBeGreaterThanOrEqual(first!.p99);

    // Without the handler SIGUSR2 would have ended the process; it reports again and still serves.
    // Requests in between make garbage (each body is parsed, then refused), so the window's GC pauses
    // are counted too.
    const body = JSON.stringify({ username: 'x'.repeat(30_000), password: 'y' });
    for (let i = 0; i < 300; i++) {
      const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
      await (await fetch(`${stub.url}/api/v1/session`, init)).arrayBuffer();
    }
    const second = await report(stub.output, signal);
    expect(second).not.toBeNull();
    expect(second!.gcPauses).toBeGreaterThan(0);
    expect(second!.gcMaxMs).toBeGreaterThan(0);
    expect(second!.gcTotalMs).toBeGreaterThanOrEqual(second!.gcMaxMs);
    const health = await fetch(`${stub.url}/api/v1/info`);
    expect(health.status).toBeLessThan(500);
  });

  it('counts the garbage collector pauses of its window, and starts again from none on reset', async () => {
    const monitor = monitorLoopDelay();
    try {
      let kept: number[][] = [];
      for (let i = 0; i < 200_000; i++) kept = i % 1000 === 0 ? [] : [...kept.slice(-10), [i]];
      // GC entries reach the observer asynchronously.
      await expect.poll(() => monitor.read().gcPauses, { timeout: 5_000 }).toBeGreaterThan(0);
      const read = monitor.read();
      expect(read.gcTotalMs).toBeGreaterThanOrEqual(read.gcMaxMs);
      monitor.reset();
      expect(monitor.read()).toMatchObject({ gcPauses: 0, gcMaxMs: 0, gcTotalMs: 0 });
      // Collections asked for (bench:fanout's own, between rounds) are left out.
      v8.setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;
      for (let i = 0; i < 3; i++) gc({ type: 'minor' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(monitor.read().gcPauses).toBe(0);
    } finally {
      monitor.stop();
    }
  });
});
