// Claims that the stub's demo policy (server-stub/claims/policy-config.ts) leaves clean or flags, dated
// relative to today so they stay that way whatever day the tests run.
import type { SubmitClaimRequest } from '../../protocol';
import { sampleClaim } from './stub-fixtures';

const DAY_MS = 86_400_000;

/** The most recent date (today or before, UTC) whose weekday passes `test` (0 = Sunday … 6 = Saturday). */
function recentDay(test: (weekday: number) => boolean, now = Date.now()): string {
  for (let back = 1; ; back += 1) {
    const date = new Date(now - back * DAY_MS);
    if (test(date.getUTCDay())) return date.toISOString().slice(0, 10);
  }
}

export const recentWeekday = () => recentDay((day) => day >= 1 && day <= 5);
export const recentSaturday = () => recentDay((day) => day === 6);

let distinct = 0;
/** A new amount each call, so two claims of one submitter are never each other's likely duplicate. */
const nextAmount = () => 12_800 + 101 * (distinct++ % 3000);

/** Under every demo limit and the receipt threshold, dated on a recent weekday: no flags. */
export function cleanClaim(title: string, amountMinor = nextAmount()): SubmitClaimRequest {
  return sampleClaim({
    title,
    category: 'meals',
    expenseDate: recentWeekday(),
    items: [{ description: 'Working lunch', amountMinor }],
    totalMinor: amountMinor,
  });
}

/** Dated on a Saturday: exactly one flag, `weekend_expense`. */
export function weekendClaim(title: string, amountMinor = nextAmount()): SubmitClaimRequest {
  return { ...cleanClaim(title, amountMinor), expenseDate: recentSaturday() };
}
