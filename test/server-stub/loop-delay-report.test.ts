// `--report-loop-delay`: a benchmark signals the real stub process (SIGUSR2) and reads back how late
// its event loop ran, one window per signal.
import { describe, expect, it } from 'vitest';
import { lastLoopDelayReport } from '../../server-stub/loop-delay-report';
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
    expect(await report(stub.output, signal)).not.toBeNull();
    const health = await fetch(`${stub.url}/api/v1/info`);
    expect(health.status).toBeLessThan(500);
  });
});
