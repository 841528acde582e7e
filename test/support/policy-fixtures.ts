// Claims that the stub's demo policy (server-stub/claims/policy-config.ts) leaves clean or flags, dated
// relative to today so they stay that way whatever day the tests run.
import type { SubmitClaimRequest } from '../../protocol';
import { recentSaturday, recentWeekday } from '../../server-stub/operator/demo-policy-command';
import { sampleClaim } from './stub-fixtures';

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
