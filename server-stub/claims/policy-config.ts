// The expense policy the stub checks claims against (policy-flags.ts): limits per category and
// currency, the amount from which a receipt is required, and how old an expense may be. Sane demo
// defaults; `--policy-file <json>` replaces any of the three parts (docs/protocol.md, "Policy flags").
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ClaimCategory, CurrencyCode, PositiveMinorUnits } from '../../protocol';

/** Amount per currency, in minor units. A currency without an entry is not checked. */
const PerCurrency = z.record(CurrencyCode, PositiveMinorUnits);

export const PolicyConfig = z
  .object({
    /** category → currency → the highest total allowed without a flag (a total equal to it is fine). */
    categoryLimits: z.partialRecord(ClaimCategory, PerCurrency),
    /** currency → totals above this need a receipt (a total equal to it does not). */
    receiptThresholds: PerCurrency,
    /** An expense dated more than this many days before submission is flagged (exactly this many is not). */
    maxExpenseAgeDays: z.number().int().positive().max(3650),
  })
  .strict();
export type PolicyConfig = z.infer<typeof PolicyConfig>;

/** Major units → minor units for the three demo currencies (all have two decimals). */
const money = (major: Record<string, number>) =>
  Object.fromEntries(Object.entries(major).map(([currency, amount]) => [currency, amount * 100]));

export const DEFAULT_POLICY: PolicyConfig = {
  categoryLimits: {
    travel: money({ CNY: 8000, USD: 1200, EUR: 1100 }),
    lodging: money({ CNY: 3000, USD: 450, EUR: 400 }),
    meals: money({ CNY: 1500, USD: 220, EUR: 200 }),
    transport: money({ CNY: 500, USD: 80, EUR: 70 }),
    supplies: money({ CNY: 2000, USD: 300, EUR: 270 }),
    training: money({ CNY: 6000, USD: 900, EUR: 800 }),
    other: money({ CNY: 1000, USD: 150, EUR: 130 }),
  },
  receiptThresholds: money({ CNY: 800, USD: 120, EUR: 100 }),
  maxExpenseAgeDays: 90,
};

/** The file's parts, each replacing the default part of the same name; absent parts keep the default. */
const PolicyFile = PolicyConfig.partial().strict();

/** Reads a policy file; throws an Error naming the file and the first problems. */
export function loadPolicyFile(path: string): PolicyConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`policy file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = PolicyFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
    );
    throw new Error(`policy file ${path}: ${problems.slice(0, 5).join('; ')}`);
  }
  return { ...DEFAULT_POLICY, ...parsed.data };
}
