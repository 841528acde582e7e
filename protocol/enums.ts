// Closed value lists of the contract, free of zod so the renderer can import them without bundling it.
// protocol/claims.ts builds its schemas from these.

export const CLAIM_CATEGORIES = [
  'travel',
  'lodging',
  'meals',
  'transport',
  'supplies',
  'training',
  'other',
] as const;
/**
 * `returned`: sent back to the submitter for revision (not final: they edit and resubmit, or withdraw).
 * `rejected` stays final.
 */
export const CLAIM_STATES = ['pending', 'approved', 'rejected', 'withdrawn', 'returned'] as const;
/**
 * Which kind of approver a step asks for. `finance` steps may be decided by any one listed approver.
 * `added`: a step a current approver inserted (加签), not computed from the org chart.
 */
export const STEP_KINDS = ['supervisor', 'manager', 'finance', 'added'] as const;
/** What changes a claim without deciding it (issue 14): audit actions, and `claim.changed` events. */
export const CHAIN_CHANGES = ['transferred', 'approver_added', 'returned', 'resubmitted'] as const;
/**
 * Policy flags a server raises on a claim at submission (issue 14): over the category limit, a likely
 * duplicate, an expense on a weekend, a receipt missing above a threshold, an expense date too old.
 */
export const POLICY_FLAG_CODES = [
  'over_category_limit',
  'possible_duplicate',
  'weekend_expense',
  'receipt_missing',
  'expense_too_old',
] as const;
