// The push-modes benchmark reads the server's CPU time from /proc/<pid>/stat; a misread field would
// report another number (a page-fault count, a start time) as CPU.
import { describe, expect, it } from 'vitest';
import { cpuMillis, cpuTicksFromStat } from '../../../bench/lib/proc';

/** A /proc/<pid>/stat line with utime 1234 and stime 56 (fields 14 and 15). */
const stat = (comm: string) =>
  `4242 (${comm}) S 1 4242 4242 0 -1 4194560 8123 0 17 0 1234 56 0 0 20 0 11 0 99887 1171341312 21005 18446744073709551615`;

describe('cpuTicksFromStat', () => {
  it('adds utime and stime', () => {
    expect(cpuTicksFromStat(stat('node'))).toBe(1290);
  });

  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    expect(cpuTicksFromStat(stat('a) b (c) 1 2 3'))).toBe(1290);
  });

  it('answers null for a line it cannot read', () => {
    expect(cpuTicksFromStat('garbage')).toBeNull();
  });
});

describe('cpuMillis', () => {
  it('reads the CPU time of this process in ms, as process.cpuUsage counts it', () => {
    const used = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    const before = cpuMillis(process.pid)!;
    const usedBefore = used();
    // Burn 200 ms of CPU (not of wall time: the machine may be busy).
    while (used() - usedBefore < 200) {}
    const burnt = used() - usedBefore;
    // /proc counts in 10 ms ticks, at each end.
    expect(Math.abs(cpuMillis(process.pid)! - before - burnt)).toBeLessThanOrEqual(25);
  });

  it('answers null for a process that does not exist', () => {
    expect(cpuMillis(2 ** 30)).toBeNull();
  });
});
