// Policy flags (issue 14): computed when a claim is submitted and stored with it, so every read shows
// the flags the claim was submitted with. computePolicyFlags is the one entry point — the submit path
// calls it, and so must a resubmission (it recomputes; the claim is never its own duplicate).
import type { ClaimCategory, PolicyFlag } from '../../protocol';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
import type { PolicyConfig } from './policy-config';

/** What the rules look at. */
export interface PolicyFlagInput {
  /** The claim being checked: excluded from the duplicate search (it matters on resubmission). */
  claimId: string;
  submitterId: string;
  category: ClaimCategory;
  /** `YYYY-MM-DD`. */
  expenseDate: string;
  currency: string;
  totalMinor: number;
  /** Receipts attached to the claim; none until the receipts capability supplies the count. */
  receiptCount?: number;
}

const DAY_MS = 86_400_000;

/** Whole days from `expenseDate` to `today` (both `YYYY-MM-DD`, calendar days, no time zone). */
export function daysBetween(expenseDate: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${expenseDate}T00:00:00Z`)) / DAY_MS);
}

/**
 * The rules themselves, without the store: `today` is the submission date (UTC), `duplicateOf` the
 * earlier matching claim if the store found one. Flags come out in POLICY_FLAG_CODES order.
 */
export function evaluatePolicyFlags(
  claim: PolicyFlagInput,
  policy: PolicyConfig,
  today: string,
  duplicateOf: string | null,
): PolicyFlag[] {
  const flags: PolicyFlag[] = [];
  const { currency, totalMinor } = claim;
  const limitMinor = policy.categoryLimits[claim.category]?.[currency];
  if (limitMinor !== undefined && totalMinor > limitMinor) {
    flags.push({ code: 'over_category_limit', limitMinor, currency });
  }
  if (duplicateOf !== null) flags.push({ code: 'possible_duplicate', duplicateOf });
  const weekday = new Date(`${claim.expenseDate}T00:00:00Z`).getUTCDay();
  if (weekday === 6 || weekday === 0) {
    flags.push({ code: 'weekend_expense', day: weekday === 6 ? 'saturday' : 'sunday' });
  }
  const thresholdMinor = policy.receiptThresholds[currency];
  if (thresholdMinor !== undefined && totalMinor > thresholdMinor && (claim.receiptCount ?? 0) === 0) {
    flags.push({ code: 'receipt_missing', thresholdMinor, currency });
  }
  const ageDays = daysBetween(claim.expenseDate, today);
  if (ageDays > policy.maxExpenseAgeDays) {
    flags.push({ code: 'expense_too_old', ageDays, maxAgeDays: policy.maxExpenseAgeDays });
  }
  return flags;
}

/** Reads and replaces a claim's stored flags (table claim_flags, migration 4). */
export class PolicyFlagStore {
  private readonly select: Statement<[string], string>;
  private readonly clear: Statement<[string]>;
  private readonly insert: Statement<[string, number, string, string]>;

  constructor(db: Db) {
    this.select = preparePluck(db, 'SELECT flag FROM claim_flags WHERE claim_id = ? ORDER BY position');
    this.clear = db.prepare('DELETE FROM claim_flags WHERE claim_id = ?');
    this.insert = db.prepare('INSERT INTO claim_flags (claim_id, position, code, flag) VALUES (?, ?, ?, ?)');
  }

  read(claimId: string): PolicyFlag[] {
    // Written only by `replace` from checked PolicyFlag values, so the JSON is trusted as it is.
    return this.select.all(claimId).map((json) => JSON.parse(json) as PolicyFlag);
  }

  /** Inside the caller's transaction: the claim's flags become exactly `flags`. */
  replace(claimId: string, flags: readonly PolicyFlag[]): void {
    this.clear.run(claimId);
    flags.forEach((flag, position) => {
      this.insert.run(claimId, position, flag.code, JSON.stringify(flag));
    });
  }
}

/** The rules with the store behind them: the duplicate search and the stored result. */
export class PolicyFlags {
  private readonly store: PolicyFlagStore;
  private readonly duplicate: Statement<[string, number, string, string, string], string>;

  constructor(
    db: Db,
    private readonly policy: PolicyConfig,
  ) {
    this.store = new PolicyFlagStore(db);
    // The newest earlier match wins; a withdrawn claim was taken back, so it duplicates nothing.
    this.duplicate = preparePluck(
      db,
      `SELECT id FROM claims
        WHERE submitter_id = ? AND total_minor = ? AND currency = ? AND expense_date = ?
          AND state <> 'withdrawn' AND id <> ?
        ORDER BY number DESC LIMIT 1`,
    );
  }

  /** The flags `claim` earns when (re)submitted at `at` (epoch ms); stores nothing. */
  computePolicyFlags(claim: PolicyFlagInput, at: number): PolicyFlag[] {
    const duplicateOf =
      this.duplicate.get(
        claim.submitterId,
        claim.totalMinor,
        claim.currency,
        claim.expenseDate,
        claim.claimId,
      ) ?? null;
    return evaluatePolicyFlags(claim, this.policy, new Date(at).toISOString().slice(0, 10), duplicateOf);
  }

  /** Computes and stores the flags of a claim being (re)submitted, inside the caller's transaction. */
  recompute(claim: PolicyFlagInput, at: number): PolicyFlag[] {
    const flags = this.computePolicyFlags(claim, at);
    this.store.replace(claim.claimId, flags);
    return flags;
  }
}
