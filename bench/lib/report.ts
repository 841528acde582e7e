// The fan-out benchmark's result table: what was measured, the target, PASS/MISS.
import type { Summary } from './stats';

export const TARGETS = {
  announcementMaxMs: 250,
  bytesPerConnection: 30 * 1024,
  // Issue 10: approve → push p99 within 2.5 ms (a commit floor of p99 0.35–0.9 ms leaves room for it).
  approvalP99Ms: 2.5,
};

/** metric, measured, target, verdict (null: informational). */
export type ReportRow = [string, string, string, boolean | null];

export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const spread = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;

/** Prints the table; true when no row missed its target. */
export function printTable(title: string, rows: readonly ReportRow[]): boolean {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => String(row[i]).length), 6));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${title}\n`);
  console.log(line(['metric', 'measured', 'target']), ' result');
  console.log(line(widths.map((w) => '-'.repeat(w))), ' ------');
  for (const [metric, measured, target, ok] of rows) {
    console.log(line([metric, measured, target]), ok === null ? '' : ok ? ' PASS' : ' MISS');
  }
  return rows.every(([, , , ok]) => ok !== false);
}
