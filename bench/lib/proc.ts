// Linux /proc readings the benchmark needs: another process's resident memory and our fd limit.
import { readFileSync } from 'node:fs';

/** Resident set size of `pid` in bytes (VmRSS), or null if it cannot be read. */
export function residentBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The soft limit on open files of this process (children inherit it), or null if unknown. */
export function openFileLimit(): number | null {
  try {
    const match = /^Max open files\s+(\d+|unlimited)\s+/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (!match) return null;
    return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return null;
  }
}

/**
 * User + system CPU time in clock ticks from the text of /proc/<pid>/stat. The second field (the
 * command name) is in parentheses and may itself hold spaces and parentheses, so fields are counted
 * from the last `)`: utime and stime are fields 14 and 15 of the line.
 */
export function cpuTicksFromStat(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isInteger(utime) && Number.isInteger(stime) ? utime + stime : null;
}

/** Clock ticks per second of /proc times (sysconf CLK_TCK): 100 on every Linux kernel config in use. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) `pid` has used so far, in ms (10 ms resolution), or null if unreadable. */
export function cpuMillis(pid: number): number | null {
  try {
    const ticks = cpuTicksFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return ticks === null ? null : (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Sockets per process beyond the clients themselves: stdio, IPC, SQLite, HTTP clients. */
const FD_HEADROOM = 256;

/**
 * Whether this process (and the children it forks) may open one socket per client; if not, says how
 * to raise the limit and returns false.
 */
export function fileLimitAllows(clients: number): boolean {
  const limit = openFileLimit();
  const needed = clients + FD_HEADROOM;
  console.log(
    `fd limit (ulimit -n): ${limit ?? 'unknown'}; each side needs about ${needed} for ${clients} clients`,
  );
  if (limit === null || limit >= needed) return true;
  console.error(
    `\nThe open-file limit ${limit} is too low for ${clients} sockets per process.\n` +
      `Raise it first, e.g. \`ulimit -n ${Math.max(25_000, needed)}\` (or LimitNOFILE in systemd / nofile in limits.conf), ` +
      'or run with fewer --clients.',
  );
  return false;
}
