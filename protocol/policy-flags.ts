// Policy flags: what a server found questionable about a claim when it was submitted. Each has a
// stable code (clients word it themselves, in the user's language) and, where useful, the numbers
// behind it. Flags belong to a claim version: only a resubmission (which bumps the version) recomputes
// them, so an action quoting a version acts on exactly the flags that version showed.
import { z } from 'zod';
import { POLICY_FLAG_CODES } from './enums';
import { CurrencyCode, PositiveMinorUnits } from './money';

export const PolicyFlagCode = z.enum(POLICY_FLAG_CODES);
export type PolicyFlagCode = z.infer<typeof PolicyFlagCode>;

// Same rule as ClaimId (protocol/claims.ts), restated here because claims.ts imports this module.
const OtherClaimId = z.string().min(1).max(64);

export const PolicyFlag = z.discriminatedUnion('code', [
  /** The total is above the configured limit for the claim's category in its currency. */
  z.object({
    code: z.literal('over_category_limit'),
    limitMinor: PositiveMinorUnits,
    currency: CurrencyCode,
  }),
  /** Same submitter, amount, currency and expense date as an earlier claim that was not withdrawn. */
  z.object({ code: z.literal('possible_duplicate'), duplicateOf: OtherClaimId }),
  /** The expense date is a Saturday or a Sunday. */
  z.object({ code: z.literal('weekend_expense'), day: z.enum(['saturday', 'sunday']) }),
  /** The total is above the amount from which a receipt is required, and none is attached. */
  z.object({
    code: z.literal('receipt_missing'),
    thresholdMinor: PositiveMinorUnits,
    currency: CurrencyCode,
  }),
  /** The expense date is more than `maxAgeDays` days before the submission date. */
  z.object({
    code: z.literal('expense_too_old'),
    ageDays: z.number().int().positive(),
    maxAgeDays: z.number().int().positive(),
  }),
]);
export type PolicyFlag = z.infer<typeof PolicyFlag>;

/**
 * A claim's flags, in POLICY_FLAG_CODES order, each code at most once. Always sent by this protocol
 * version's servers; a client reading an older server's claim (no field) sees none.
 */
export const PolicyFlags = z.array(PolicyFlag).max(POLICY_FLAG_CODES.length).default([]);
