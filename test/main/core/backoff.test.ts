// Full-jitter reconnect backoff: windows, cap, jitter spread, reset after a stable connection.
import { describe, expect, test } from 'vitest';
import { Backoff } from '../../../main/core/backoff';

describe('backoff', () => {
  const options = { baseMs: 1_000, capMs: 30_000, stableMs: 30_000 };

  test('windows double from the base and stop at the cap (≤ 30 s)', () => {
    const top = new Backoff(options, () => 0.999_999);
    const delays = Array.from({ length: 10 }, () => top.next().delayMs);
    expect(delays).toEqual([999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999, 29_999, 29_999]);
    expect(() => new Backoff({ ...options, capMs: 60_000 })).toThrow();
  });

  test('full jitter: every delay in [0, window), spread over the whole window', () => {
    const backoff = new Backoff(options);
    const samples = Array.from({ length: 2_000 }, () => {
      backoff.reset();
      for (let i = 0; i < 3; i += 1) backoff.next();
      return backoff.next().delayMs; // attempt 3: window 8 s
    });
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(8_000);
    expect(Math.min(...samples)).toBeLessThan(800);
    expect(Math.max(...samples)).toBeGreaterThan(7_200);
  });

  test('resets only after a connection that stayed up for stableMs', () => {
    const backoff = new Backoff(options, () => 0.5);
    for (let i = 0; i < 5; i += 1) backoff.next();
    backoff.connectionEnded(29_999);
    expect(backoff.attempts).toBe(5);
    backoff.connectionEnded(null);
    expect(backoff.attempts).toBe(5);
    backoff.connectionEnded(30_000);
    expect(backoff.attempts).toBe(0);
    expect(backoff.next().delayMs).toBe(500);
  });
});
