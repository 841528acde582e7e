// The heart-beat wheel on a manual clock: each member visited once per period at a fixed phase,
// whoever joins or leaves; few wake-ups however many members; no batch longer than VISITS_PER_TURN
// before pending I/O; no timer at all while empty.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatWheel, VISITS_PER_TURN, WHEEL_SLOTS } from '../../../server-stub/push/heartbeat-wheel';

const PERIOD_MS = 15_000;

describe('HeartbeatWheel', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function wheelWithLog(periodMs = PERIOD_MS) {
    const visits = new Map<number, number[]>();
    const batches: number[] = [];
    let inBatch = 0;
    const wheel = new HeartbeatWheel<number>(periodMs, (member, now) => {
      const times = visits.get(member) ?? [];
      times.push(now);
      visits.set(member, times);
      // Visits of one synchronous batch share `now`; a new batch starts after a timer or setImmediate.
      if (inBatch === 0)
        queueMicrotask(() => {
          batches.push(inBatch);
          inBatch = 0;
        });
      inBatch++;
    });
    return { wheel, visits, batches };
  }

  it('visits every member once per period, one period apart, while others come and go', async () => {
    const { wheel, visits } = wheelWithLog();
    for (let member = 0; member < 300; member++) wheel.join(member);
    await vi.advanceTimersByTimeAsync(PERIOD_MS);
    // Half of them leave and new ones join: the stayers keep their phase.
    for (let member = 0; member < 300; member += 2) wheel.leave(member);
    for (let member = 300; member < 500; member++) wheel.join(member);
    await vi.advanceTimersByTimeAsync(3 * PERIOD_MS);
    for (let member = 1; member < 300; member += 2) {
      const times = visits.get(member)!;
      expect(times).toHaveLength(4);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(PERIOD_MS);
    }
    // Those that left were visited in the first period only.
    for (let member = 0; member < 300; member += 2) expect(visits.get(member)).toHaveLength(1);
    for (let member = 300; member < 500; member++)
      expect(visits.get(member)!.length).toBeGreaterThanOrEqual(2);
    wheel.stop();
  });

  it('wakes at most WHEEL_SLOTS times per period for 1,000 members, at most VISITS_PER_TURN visits per batch', async () => {
    const { wheel, batches } = wheelWithLog();
    for (let member = 0; member < 1_000; member++) wheel.join(member);
    await vi.advanceTimersByTimeAsync(PERIOD_MS);
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(1_000);
    expect(Math.max(...batches)).toBeLessThanOrEqual(VISITS_PER_TURN);
    // 1,000 over 50 slots: 20 a slot, one batch each.
    expect(batches.length).toBe(WHEEL_SLOTS);
    wheel.stop();
  });

  it('splits a crowded slot into batches of VISITS_PER_TURN', async () => {
    const { wheel, batches } = wheelWithLog();
    for (let member = 0; member < 100 * WHEEL_SLOTS; member++) wheel.join(member);
    // (A little more: the last slot's later batches run after its turn.)
    await vi.advanceTimersByTimeAsync(PERIOD_MS + 50);
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(100 * WHEEL_SLOTS);
    expect(Math.max(...batches)).toBe(VISITS_PER_TURN);
    wheel.stop();
  });

  it('keeps no timer while it has no members, and stops visiting after stop()', async () => {
    const { wheel, visits } = wheelWithLog();
    expect(vi.getTimerCount()).toBe(0);
    wheel.join(1);
    expect(vi.getTimerCount()).toBe(1);
    wheel.leave(1);
    expect(vi.getTimerCount()).toBe(0);
    wheel.join(2);
    wheel.stop();
    await vi.advanceTimersByTimeAsync(2 * PERIOD_MS);
    expect(visits.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
