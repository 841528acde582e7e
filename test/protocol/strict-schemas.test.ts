// Request objects are strict at every depth, and a refusal lists each problem once.
import { describe, expect, it } from 'vitest';
import { HelloFrame, PROTOCOL_VERSION, SubmitClaimRequest, toValidationIssues } from '../../protocol';

const claim = {
  title: 'Client visit',
  category: 'travel',
  expenseDate: '2026-11-02',
  currency: 'CNY',
  items: [{ description: 'Train', amountMinor: 100 }],
  totalMinor: 100,
};

describe('strict request schemas', () => {
  it('refuses an unknown field inside a line item', () => {
    const result = SubmitClaimRequest.safeParse({
      ...claim,
      items: [{ description: 'Train', amountMinor: 100, vat: 1 }],
    });
    expect(result.success).toBe(false);
    expect(toValidationIssues(result.error!)).toEqual([expect.objectContaining({ path: 'items.0' })]);
  });

  it('refuses an unknown field inside hello.resume', () => {
    const result = HelloFrame.safeParse({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      resume: { epoch: 'e1', seq: 3, extra: true },
    });
    expect(result.success).toBe(false);
  });

  it('lists an amount over 2^53 − 1 once, not twice', () => {
    const huge = 2 ** 60;
    const result = SubmitClaimRequest.safeParse({
      ...claim,
      items: [{ description: 'Train', amountMinor: huge }],
      totalMinor: huge,
    });
    expect(result.success).toBe(false);
    const issues = toValidationIssues(result.error!);
    expect(issues.map((issue) => issue.path).sort()).toEqual(['items.0.amountMinor', 'totalMinor']);
  });
});
