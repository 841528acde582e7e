// Policy flags (issue 14): each rule at its boundaries as a pure function, then through the real stub
// over HTTP — stored with the claim at submission, on every read, across submitters and withdrawals.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SubmitClaimRequest } from '../../../protocol';
import { DEFAULT_POLICY, loadPolicyFile, type PolicyConfig } from '../../../server-stub/claims/policy-config';
import { evaluatePolicyFlags, type PolicyFlagInput } from '../../../server-stub/claims/policy-flags';
import { parseCliOptions } from '../../../server-stub/cli-options';
import { clientsFor, sampleClaim, tempDir } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const POLICY: PolicyConfig = {
  categoryLimits: { meals: { CNY: 150_000, USD: 20_000 } },
  receiptThresholds: { CNY: 80_000 },
  maxExpenseAgeDays: 90,
};
// 2026-12-02 is a Wednesday.
const TODAY = '2026-12-02';

function input(overrides: Partial<PolicyFlagInput> = {}): PolicyFlagInput {
  return {
    claimId: 'EXP-000001',
    submitterId: 'alice',
    category: 'meals',
    expenseDate: '2026-11-30', // a Monday
    currency: 'CNY',
    totalMinor: 10_000,
    ...overrides,
  };
}

const codes = (claim: PolicyFlagInput, duplicateOf: string | null = null) =>
  evaluatePolicyFlags(claim, POLICY, TODAY, duplicateOf).map((flag) => flag.code);

describe('policy flag rules', () => {
  it('leaves a clean claim unflagged', () => {
    expect(evaluatePolicyFlags(input(), POLICY, TODAY, null)).toEqual([]);
  });

  it('flags a total above the category limit in that currency, not one exactly at it', () => {
    expect(codes(input({ totalMinor: 150_000, receiptCount: 1 }))).toEqual([]);
    expect(evaluatePolicyFlags(input({ totalMinor: 150_001, receiptCount: 1 }), POLICY, TODAY, null)).toEqual(
      [{ code: 'over_category_limit', limitMinor: 150_000, currency: 'CNY' }],
    );
    // The limit is per currency: 20,001 cents is over the USD limit, 20,001 fen far under the CNY one.
    expect(codes(input({ currency: 'USD', totalMinor: 20_001 }))).toEqual(['over_category_limit']);
    expect(codes(input({ currency: 'CNY', totalMinor: 20_001 }))).toEqual([]);
    // No limit configured for the category or the currency: nothing to break.
    expect(codes(input({ category: 'travel', totalMinor: 150_001, receiptCount: 1 }))).toEqual([]);
    expect(codes(input({ currency: 'JPY', totalMinor: 9_999_999 }))).toEqual([]);
  });

  it('flags Saturday and Sunday expense dates, and no weekday', () => {
    expect(evaluatePolicyFlags(input({ expenseDate: '2026-11-28' }), POLICY, TODAY, null)).toEqual([
      { code: 'weekend_expense', day: 'saturday' },
    ]);
    expect(evaluatePolicyFlags(input({ expenseDate: '2026-11-29' }), POLICY, TODAY, null)).toEqual([
      { code: 'weekend_expense', day: 'sunday' },
    ]);
    for (const weekday of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']) {
      expect(codes(input({ expenseDate: weekday }))).toEqual([]);
    }
  });

  it('flags a missing receipt only above the threshold, and not once one is attached', () => {
    expect(codes(input({ totalMinor: 80_000 }))).toEqual([]);
    expect(evaluatePolicyFlags(input({ totalMinor: 80_001 }), POLICY, TODAY, null)).toEqual([
      { code: 'receipt_missing', thresholdMinor: 80_000, currency: 'CNY' },
    ]);
    expect(codes(input({ totalMinor: 80_001, receiptCount: 1 }))).toEqual([]);
    expect(codes(input({ totalMinor: 80_001, currency: 'USD', category: 'other' }))).toEqual([]);
  });

  it('flags an expense more than the allowed days old; exactly that many days is fine', () => {
    // 2026-09-03 is 90 days before 2026-12-02 (a Thursday); 2026-09-02, 91 days (a Wednesday).
    expect(codes(input({ expenseDate: '2026-09-03' }))).toEqual([]);
    expect(evaluatePolicyFlags(input({ expenseDate: '2026-09-02' }), POLICY, TODAY, null)).toEqual([
      { code: 'expense_too_old', ageDays: 91, maxAgeDays: 90 },
    ]);
    // A future date is not old.
    expect(codes(input({ expenseDate: '2026-12-09' }))).toEqual([]);
  });

  it('names the claim a duplicate is of, and lists several flags in code order', () => {
    const flags = evaluatePolicyFlags(
      input({ totalMinor: 200_000, expenseDate: '2026-08-01' }),
      POLICY,
      TODAY,
      'EXP-000007',
    );
    expect(flags).toEqual([
      { code: 'over_category_limit', limitMinor: 150_000, currency: 'CNY' },
      { code: 'possible_duplicate', duplicateOf: 'EXP-000007' },
      { code: 'weekend_expense', day: 'saturday' },
      { code: 'receipt_missing', thresholdMinor: 80_000, currency: 'CNY' },
      { code: 'expense_too_old', ageDays: 123, maxAgeDays: 90 },
    ]);
  });
});

describe('policy file', () => {
  it('replaces the parts it gives and keeps the demo defaults for the rest', () => {
    const dir = tempDir();
    try {
      const file = dir.file('policy.json');
      writeFileSync(file, JSON.stringify({ maxExpenseAgeDays: 30, receiptThresholds: { USD: 5000 } }));
      const policy = loadPolicyFile(file);
      expect(policy).toEqual({ ...DEFAULT_POLICY, maxExpenseAgeDays: 30, receiptThresholds: { USD: 5000 } });
      const command = parseCliOptions(['--policy-file', file], {});
      expect(command.kind === 'run' && command.server.policy).toEqual(policy);
      const fromEnv = parseCliOptions([], { SIGNOFF_STUB_POLICY_FILE: file });
      expect(fromEnv.kind === 'run' && fromEnv.server.policy).toEqual(policy);
    } finally {
      dir.remove();
    }
  });

  it('refuses a file with a typo, a float amount or an unknown currency, naming the problem', () => {
    const dir = tempDir();
    try {
      const file = dir.file('policy.json');
      writeFileSync(file, JSON.stringify({ maxExpenseAgeDay: 30 }));
      expect(() => loadPolicyFile(file)).toThrow(/policy file .*maxExpenseAgeDay/);
      writeFileSync(file, JSON.stringify({ categoryLimits: { meals: { CNY: 12.5 } } }));
      expect(() => loadPolicyFile(file)).toThrow(/categoryLimits\.meals\.CNY/);
      writeFileSync(file, JSON.stringify({ receiptThresholds: { RMB: 100 } }));
      expect(() => loadPolicyFile(file)).toThrow(/policy file/);
      writeFileSync(file, '{not json');
      expect(() => parseCliOptions(['--policy-file', file], {})).toThrow(/policy file/);
    } finally {
      dir.remove();
    }
  });
});

describe('policy flags through the stub', () => {
  // The stub's clock is pinned to a Wednesday so "too old" and the weekend are deterministic.
  const stub = useInProcessStub({ clock: () => Date.parse(`${TODAY}T09:00:00Z`), policy: POLICY });

  const meal = (overrides: Partial<SubmitClaimRequest> = {}) =>
    sampleClaim({
      category: 'meals',
      expenseDate: '2026-11-30',
      items: [{ description: 'Team lunch', amountMinor: 31_415 }],
      totalMinor: 31_415,
      ...overrides,
    });

  it('stores the flags at submission and shows them in the detail, the queue and the lists', async () => {
    const api = await clientsFor(stub().url, ['alice', 'bob'] as const);
    const clean = await api.alice.submitClaim(meal({ title: 'Clean lunch' }));
    expect(clean.flags).toEqual([]);
    const flagged = await api.alice.submitClaim(
      meal({
        title: 'Saturday banquet',
        expenseDate: '2026-11-28',
        items: [{ description: 'Banquet', amountMinor: 160_000 }],
        totalMinor: 160_000,
      }),
    );
    const expected = [
      { code: 'over_category_limit', limitMinor: 150_000, currency: 'CNY' },
      { code: 'weekend_expense', day: 'saturday' },
      { code: 'receipt_missing', thresholdMinor: 80_000, currency: 'CNY' },
    ];
    expect(flagged.flags).toEqual(expected);
    expect((await api.bob.getClaim(flagged.id)).flags).toEqual(expected);
    const queued = (await api.bob.queue()).claims.find((claim) => claim.id === flagged.id);
    expect(queued?.flags).toEqual(expected);
    const mine = await api.alice.listClaims('mine');
    expect(mine.claims.find((claim) => claim.id === clean.id)?.flags).toEqual([]);
    // Approval does not recompute them: the flags are the submission's.
    const approved = await api.bob.approve(flagged.id, { version: flagged.version });
    expect(approved.flags).toEqual(expected);
  });

  it('flags a likely duplicate of the same submitter only, and never of a withdrawn claim', async () => {
    const api = await clientsFor(stub().url, ['alice', 'erin'] as const);
    const same = { expenseDate: '2026-11-26', items: [{ description: 'Taxi', amountMinor: 4_242 }] };
    const first = await api.alice.submitClaim(meal({ ...same, totalMinor: 4_242 }));
    expect(first.flags).toEqual([]);
    // Same amount, currency and date, another submitter: not a duplicate.
    const erins = await api.erin.submitClaim(meal({ ...same, totalMinor: 4_242 }));
    expect(erins.flags).toEqual([]);
    // Another currency, or another date: not a duplicate either.
    expect(
      (await api.alice.submitClaim(meal({ ...same, totalMinor: 4_242, currency: 'USD' }))).flags,
    ).toEqual([]);
    const second = await api.alice.submitClaim(meal({ ...same, totalMinor: 4_242, title: 'Taxi again' }));
    expect(second.flags).toEqual([{ code: 'possible_duplicate', duplicateOf: first.id }]);
    // The newest earlier match is named; withdrawn ones are skipped.
    await api.alice.withdraw(second.id, { version: second.version });
    const third = await api.alice.submitClaim(meal({ ...same, totalMinor: 4_242, title: 'Taxi, third' }));
    expect(third.flags).toEqual([{ code: 'possible_duplicate', duplicateOf: first.id }]);
  });

  it('flags an expense dated more than 90 days before the stub’s today', async () => {
    const api = await clientsFor(stub().url, ['alice'] as const);
    expect((await api.alice.submitClaim(meal({ expenseDate: '2026-09-03' }))).flags).toEqual([]);
    expect((await api.alice.submitClaim(meal({ expenseDate: '2026-09-02' }))).flags).toEqual([
      { code: 'expense_too_old', ageDays: 91, maxAgeDays: 90 },
    ]);
  });
});
