// `demo-policy`: the demo data for policy flags and bulk approve (issue 14). Submits, as --user
// (alice by default), a handful of realistic claims dated relative to today: three clean ones an
// approver can bulk-approve, and one for each flag the demo policy raises (over the category limit,
// a likely duplicate, a weekend expense, a missing receipt, an expense too old).
import { randomUUID } from 'node:crypto';
import type { ClaimCategory, SubmitClaimRequest } from '../../protocol';
import type { CommandSpec } from './command';
import { asUser } from './commands';
import { flagsSuffix, money } from './format';

const DAY_MS = 86_400_000;

/** The latest date before today (UTC) whose weekday passes `test` (0 = Sunday … 6 = Saturday). */
export function recentDay(test: (weekday: number) => boolean, now = Date.now()): string {
  for (let back = 1; ; back += 1) {
    const date = new Date(now - back * DAY_MS);
    if (test(date.getUTCDay())) return date.toISOString().slice(0, 10);
  }
}

export const recentWeekday = (now?: number) => recentDay((day) => day >= 1 && day <= 5, now);
export const recentSaturday = (now?: number) => recentDay((day) => day === 6, now);

function claim(
  title: string,
  category: ClaimCategory,
  expenseDate: string,
  items: Array<[string, number]>,
): SubmitClaimRequest {
  const lines = items.map(([description, amountMinor]) => ({ description, amountMinor }));
  return {
    title,
    category,
    expenseDate,
    currency: 'CNY',
    items: lines,
    totalMinor: lines.reduce((sum, item) => sum + item.amountMinor, 0),
  };
}

/** The demo set, in submission order (the duplicate after the claim it repeats). */
export function demoPolicyClaims(now = Date.now()): SubmitClaimRequest[] {
  const weekday = recentWeekday(now);
  const longAgo = recentDay((day) => day >= 1 && day <= 5, now - 120 * DAY_MS);
  const taxi = claim('Taxi to the customer office', 'transport', weekday, [['Taxi, return', 4_650]]);
  return [
    claim('Working lunch with Acme', 'meals', weekday, [['Lunch for 3', 16_800]]),
    taxi,
    claim('Printer toner', 'supplies', weekday, [['Toner cartridge', 42_000]]),
    claim('Team dinner after the trade fair', 'meals', weekday, [
      ['Dinner for 8', 168_000],
      ['Drinks', 18_000],
    ]),
    { ...taxi, title: 'Taxi to the customer office (again)' },
    claim('Hotel on Saturday night', 'lodging', recentSaturday(now), [['Hotel, 1 night', 68_000]]),
    claim('Conference ticket, Shenzhen', 'training', weekday, [['Conference ticket', 240_000]]),
    claim('Train to Shenzhen in the summer', 'travel', longAgo, [['High-speed rail, return', 55_300]]),
  ];
}

export const demoPolicyCommand: CommandSpec = {
  name: 'demo-policy',
  summary: 'submit demo claims as --user (default alice): three clean, the rest one per policy flag',
  usage: '',
  details: [
    'then e.g. `queue --user bob` shows the flags and `bulk-approve --user bob --all-clean` the rest',
  ],
  options: {},
  positionals: [],
  defaultUser: 'alice',
  async run(context) {
    const client = await context.pool.as(asUser(context, demoPolicyCommand));
    const submitted = [];
    for (const request of demoPolicyClaims()) {
      submitted.push(await client.submitClaim(request, { idempotencyKey: randomUUID() }));
    }
    context.out.result(
      submitted,
      submitted.map(
        (claim) =>
          `${claim.id}  ${money(claim.totalMinor, claim.currency).padStart(14)}  ${claim.title}${flagsSuffix(claim)}`,
      ),
    );
  },
};
