// The benchmarks' result tables: bench:fanout's (what was measured, the issue's target, PASS/MISS)
// and bench:cluster's (one column per setup).
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
  printColumns(
    title,
    ['metric', 'measured', 'target', 'result'],
    rows.map(([metric, measured, target, ok]) => [
      metric,
      measured,
      target,
      ok === null ? '' : ok ? 'PASS' : 'MISS',
    ]),
  );
  return rows.every(([, , , ok]) => ok !== false);
}

/** Prints `title`, then `header` and `rows` as left-aligned columns two spaces apart. */
export function printColumns(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  console.log(`\n${title}\n`);
  for (const line of formatColumns(header, rows)) console.log(line);
}

/** The lines of a text table: header, a rule under it, then one line per row (trailing blanks cut). */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(6, ...all.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((width, i) => (cells[i] ?? '').padEnd(width))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
