import type { SubmitClaimRequest } from '../../protocol';

/** A small valid claim (one taxi ride, today) titled `title`: what benchmarks submit. */
export function benchClaim(title: string): SubmitClaimRequest {
  return {
    title,
    category: 'transport',
    expenseDate: new Date().toISOString().slice(0, 10),
    currency: 'CNY',
    items: [{ description: 'Taxi', amountMinor: 4_250 }],
    totalMinor: 4_250,
  };
}
