import { z } from 'zod';
import { CHAIN_CHANGES, CLAIM_CATEGORIES, CLAIM_STATES, STEP_KINDS } from './enums';
import { CurrencyCode, PositiveMinorUnits } from './money';
import { PolicyFlags } from './policy-flags';
import { MAX_RECEIPTS_PER_CLAIM, Receipt, ReceiptId, ReceiptUploads } from './receipts';
import { UserId, UserRef } from './users';

/** Opaque claim identifier chosen by the server (the stub uses `EXP-000042`). */
export const ClaimId = z.string().min(1).max(64);
export type ClaimId = z.infer<typeof ClaimId>;

/** Calendar date without a time zone, `YYYY-MM-DD`. */
export const IsoDate = z.iso.date();
/** Instant in UTC, ISO 8601 with `Z`. */
export const Timestamp = z.iso.datetime();

export const ClaimCategory = z.enum(CLAIM_CATEGORIES);
export type ClaimCategory = z.infer<typeof ClaimCategory>;

export const ClaimState = z.enum(CLAIM_STATES);
export type ClaimState = z.infer<typeof ClaimState>;

export const StepKind = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKind>;

/** `returned`: the step whose approver sent the claim back to the submitter (退回). */
export const StepStatus = z.enum(['waiting', 'current', 'approved', 'rejected', 'cancelled', 'returned']);
export type StepStatus = z.infer<typeof StepStatus>;

export const LineItem = z.object({
  description: z.string().trim().min(1).max(200),
  amountMinor: PositiveMinorUnits,
});
export type LineItem = z.infer<typeof LineItem>;

/**
 * A line item as a request sends it: strict, like every request object at every depth. The response
 * shape (`LineItem`) stays open so clients ignore fields a server adds within a version.
 */
const LineItemRequest = LineItem.strict();

/**
 * An approver of a step. `onBehalfOf` is present when they stand in for someone out of office (a
 * delegation, see docs/protocol.md): "Dave Liu for Grace Chen". Old servers never send it.
 */
export const StepApprover = UserRef.extend({ onBehalfOf: UserRef.optional() });
export type StepApprover = z.infer<typeof StepApprover>;

/** The step a pending claim waits at. */
export const CurrentStep = z.object({
  index: z.number().int().nonnegative(),
  kind: StepKind,
  approvers: z.array(StepApprover).min(1),
});
export type CurrentStep = z.infer<typeof CurrentStep>;

/**
 * How many line-item descriptions a summary carries. Bounded so an event carrying a summary stays well
 * inside MAX_FRAME_BYTES whatever the items say (20 × 200 characters); the detail has every item.
 */
export const SUMMARY_ITEM_DESCRIPTIONS = 20;

/**
 * Everything a queue or a notification needs. `version` increases by one on every transition;
 * actions must quote it (optimistic concurrency).
 */
export const ClaimSummary = z.object({
  id: ClaimId,
  version: z.number().int().positive(),
  state: ClaimState,
  title: z.string().min(1).max(200),
  category: ClaimCategory,
  expenseDate: IsoDate,
  currency: CurrencyCode,
  totalMinor: PositiveMinorUnits,
  submitter: UserRef,
  submittedAt: Timestamp,
  updatedAt: Timestamp,
  /** When the claim reached its current step; what "waiting since" means for the current approvers. */
  currentStepSince: Timestamp.nullable(),
  stepCount: z.number().int().nonnegative(),
  currentStep: CurrentStep.nullable(),
  /**
   * The descriptions of the first SUMMARY_ITEM_DESCRIPTIONS line items, in item order, so a queue can be
   * searched by them without fetching each claim. Optional: servers before this field send none.
   */
  itemDescriptions: z.array(LineItem.shape.description).max(SUMMARY_ITEM_DESCRIPTIONS).optional(),
  /** Policy flags raised at submission (protocol/policy-flags.ts); empty when the claim is clean. */
  flags: PolicyFlags,
  // ---- nudge (催办); absent from servers without nudges ----
  /** When the submitter last nudged the approvers (at any step); null if never. */
  lastNudgedAt: Timestamp.nullable().optional(),
  /**
   * The earliest instant the submitter may nudge (the claim waited long enough at its current step and
   * was not nudged within the interval); null unless the claim is pending. Only the submitter may nudge.
   */
  nudgeAllowedFrom: Timestamp.nullable().optional(),
  /**
   * How many receipts the claim carries (see `ClaimDetail.receipts`). Always sent by servers that
   * accept receipts; absent from older ones, where clients read it as "unknown", not as 0.
   */
  receiptCount: z.number().int().nonnegative().optional(),
});
export type ClaimSummary = z.infer<typeof ClaimSummary>;

export const ChainStep = z.object({
  index: z.number().int().nonnegative(),
  kind: StepKind,
  approvers: z.array(StepApprover).min(1),
  status: StepStatus,
  decidedBy: UserRef.nullable(),
  decidedAt: Timestamp.nullable(),
  /** Whom `decidedBy` decided for, when they stood in for someone (delegation); absent otherwise. */
  decidedOnBehalfOf: UserRef.optional(),
  // ---- transfer and add approver (issue 14); always sent by this server version, absent from older ones ----
  /** Who inserted this step (加签); null for a step computed from the org chart. */
  addedBy: UserRef.nullable().default(null),
  /** The approver who last handed this step over (转交) to one of `approvers`; null if never transferred. */
  transferredFrom: UserRef.nullable().default(null),
});
export type ChainStep = z.infer<typeof ChainStep>;

// Issue 14 appends the chain changes: transfer, add approver, return for revision, resubmit.
export const AuditAction = z.enum([
  'submitted',
  'approved',
  'rejected',
  'withdrawn',
  'nudged',
  ...CHAIN_CHANGES,
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  at: Timestamp,
  actor: UserRef,
  action: AuditAction,
  /** Step the action was taken at (for `nudged`, the step whose approvers were nudged); null for submit and withdraw. */
  stepIndex: z.number().int().nonnegative().nullable(),
  comment: z.string().nullable(),
  /** The approver `actor` stood in for (delegation): "approved by Dave Liu on behalf of Grace Chen". */
  onBehalfOf: UserRef.optional(),
  /** The other person of a `transferred` (who got it) or `approver_added` (who was added); else null. */
  subject: UserRef.nullable().default(null),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const ClaimDetail = ClaimSummary.extend({
  items: z.array(LineItem).min(1),
  chain: z.array(ChainStep),
  audit: z.array(AuditEntry),
  /** Attachments in submission order; always sent by servers that accept receipts (then maybe empty). */
  receipts: z.array(Receipt).optional(),
});
export type ClaimDetail = z.infer<typeof ClaimDetail>;

// ---- requests ----

export const MAX_LINE_ITEMS = 100;

/** `totalMinor` must equal the sum of `items` (submit, and a resubmission that changes the items). */
function checkItemsTotal(
  claim: { items: ReadonlyArray<{ amountMinor: number }>; totalMinor: number },
  ctx: z.RefinementCtx,
): void {
  // zod runs this even when fields already failed; an amount that is itself out of range (or not a
  // number) has its own issue, and a sum or comparison built on it would only repeat that.
  const amounts = [...claim.items.map((item) => item.amountMinor), claim.totalMinor];
  if (!amounts.every(Number.isSafeInteger)) return;
  const sum = claim.items.reduce((acc, item) => acc + item.amountMinor, 0);
  if (!Number.isSafeInteger(sum)) {
    ctx.addIssue({ code: 'custom', path: ['items'], message: 'sum of items is too large' });
  } else if (sum !== claim.totalMinor) {
    ctx.addIssue({
      code: 'custom',
      path: ['totalMinor'],
      message: `totalMinor ${claim.totalMinor} does not equal the sum of items ${sum}`,
    });
  }
}

/** What a submitter fills in: submitted whole, and (but the currency) edited before a resubmission. */
const ClaimFields = z.object({
  title: z.string().trim().min(1).max(200),
  category: ClaimCategory,
  expenseDate: IsoDate,
  currency: CurrencyCode.default('CNY'),
  items: z.array(LineItemRequest).min(1).max(MAX_LINE_ITEMS),
  totalMinor: PositiveMinorUnits,
});

export const SubmitClaimRequest = ClaimFields.extend({
  /** Attached in the same transaction as the claim: it is never visible with only some of them. */
  receipts: ReceiptUploads.optional(),
})
  .strict()
  .superRefine(checkItemsTotal);
export type SubmitClaimRequest = z.input<typeof SubmitClaimRequest>;

const Comment = z.string().trim().max(2000);

export const ApproveRequest = z
  .object({ version: z.number().int().positive(), comment: Comment.optional() })
  .strict();
export type ApproveRequest = z.infer<typeof ApproveRequest>;

export const RejectRequest = z
  .object({ version: z.number().int().positive(), reason: Comment.min(1, 'a reason is required to reject') })
  .strict();
export type RejectRequest = z.infer<typeof RejectRequest>;

export const WithdrawRequest = z
  .object({ version: z.number().int().positive(), comment: Comment.optional() })
  .strict();
export type WithdrawRequest = z.infer<typeof WithdrawRequest>;

// ---- transfer (转交), add approver (加签), return for revision (退回), resubmit (issue 14) ----

/** Which users an approver may hand a claim to or add (`GET /users?eligibleFor=&action=`). */
export const ChainChangeAction = z.enum(['transfer', 'add_approver']);
export type ChainChangeAction = z.infer<typeof ChainChangeAction>;

/** A current approver hands their place at the current step to `to`. */
export const TransferRequest = z
  .object({ version: z.number().int().positive(), to: UserId, comment: Comment.optional() })
  .strict();
export type TransferRequest = z.infer<typeof TransferRequest>;

/** Where an added approver's step goes relative to the current step. */
export const AddApproverPosition = z.enum(['before', 'after']);
export type AddApproverPosition = z.infer<typeof AddApproverPosition>;

/**
 * A current approver inserts a step for `user`: `before` their own step (the claim waits on `user`
 * first, then comes back) or `after` it (they decide first, then `user`).
 */
export const AddApproverRequest = z
  .object({
    version: z.number().int().positive(),
    user: UserId,
    position: AddApproverPosition,
    comment: Comment.optional(),
  })
  .strict();
export type AddApproverRequest = z.infer<typeof AddApproverRequest>;

/** A current approver sends the claim back to the submitter for revision; the reason is required. */
export const ReturnRequest = z
  .object({ version: z.number().int().positive(), reason: Comment.min(1, 'a reason is required to return') })
  .strict();
export type ReturnRequest = z.infer<typeof ReturnRequest>;

/**
 * The submitter resubmits a returned claim, optionally edited. Fields left out keep their value;
 * `items` and `totalMinor` go together (the total must equal the sum of the items). `receipts` are
 * added (as at submit) and `removeReceipts` (ids of the claim's own receipts) removed in the same
 * transaction; the receipt limits apply to the claim as it is after both.
 */
export const ResubmitRequest = ClaimFields.omit({ currency: true })
  .partial()
  .extend({
    version: z.number().int().positive(),
    comment: Comment.optional(),
    receipts: ReceiptUploads.optional(),
    removeReceipts: z.array(ReceiptId).max(MAX_RECEIPTS_PER_CLAIM).optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    const removed = request.removeReceipts ?? [];
    if (new Set(removed).size !== removed.length) {
      ctx.addIssue({ code: 'custom', path: ['removeReceipts'], message: 'a receipt id is named twice' });
    }
    if ((request.items === undefined) !== (request.totalMinor === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'items and totalMinor go together' });
      return;
    }
    if (request.items && request.totalMinor !== undefined) {
      checkItemsTotal({ items: request.items, totalMinor: request.totalMinor }, ctx);
    }
  });
export type ResubmitRequest = z.infer<typeof ResubmitRequest>;

/** `GET /users?eligibleFor=&action=`: whom the caller may pick, as the action would accept them. */
export const EligibleUsersQuery = z.object({ eligibleFor: ClaimId, action: ChainChangeAction }).strict();
export type EligibleUsersQuery = z.infer<typeof EligibleUsersQuery>;

export const EligibleUsersResponse = z.object({ users: z.array(UserRef) });
export type EligibleUsersResponse = z.infer<typeof EligibleUsersResponse>;

// ---- lists: `GET /claims?scope=&limit=&cursor=` ----

/**
 * Which list `GET /claims` answers with. `mine`: claims the caller submitted ("My claims").
 * `waiting`: pending claims whose current step lists the caller. `visible`: every claim the caller may
 * see. `decided`: claims the caller approved or rejected at some step ("Done"), each with that decision.
 */
export const ClaimListScope = z.enum(['mine', 'waiting', 'visible', 'decided']);
export type ClaimListScope = z.infer<typeof ClaimListScope>;

/** Page size when `limit` is not given, and the most a server hands out in one page. */
export const CLAIM_LIST_DEFAULT_LIMIT = 50;
export const CLAIM_LIST_MAX_LIMIT = 200;

/**
 * Where the next page starts. Opaque to clients (the server chooses the encoding) and URL-safe, so it
 * can be put in a query string as it is. Valid only with the scope whose page returned it.
 */
export const ClaimListCursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, 'cursor must be the nextCursor of an earlier page of the same scope');
export type ClaimListCursor = z.infer<typeof ClaimListCursor>;

/**
 * A list's `limit` query parameter. Query strings arrive as text; only plain decimal digits count as a
 * number here, so "1e2", " 5" or "0x10" are a 400 rather than silently read as something the client
 * did not mean.
 */
export function listLimit(max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d{1,4}$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .default(fallback);
}
const ListLimit = listLimit(CLAIM_LIST_MAX_LIMIT, CLAIM_LIST_DEFAULT_LIMIT);

/** The query of `GET /claims`. Strict: an unknown parameter is a 400, like an unknown body field. */
export const ClaimListQuery = z
  .object({
    scope: ClaimListScope.default('visible'),
    limit: ListLimit,
    cursor: ClaimListCursor.optional(),
  })
  .strict();
export type ClaimListQuery = z.input<typeof ClaimListQuery>;

/** Paging options of the typed client; `cursor` is a previous page's `nextCursor`. */
export type ClaimListPaging = Partial<Pick<z.output<typeof ClaimListQuery>, 'limit' | 'cursor'>>;

export const ClaimListResponse = z.object({
  claims: z.array(ClaimSummary),
  /** Pass as `cursor` for the next page; null when this page is the last. */
  nextCursor: ClaimListCursor.nullable(),
});
export type ClaimListResponse = z.infer<typeof ClaimListResponse>;

/** What the caller decided on a claim, as the `decided` list reports it. */
export const ClaimDecision = z.object({
  action: z.enum(['approved', 'rejected']),
  at: Timestamp,
  /** The approval comment, or the rejection reason; null for an approval without a comment. */
  comment: z.string().nullable(),
});
export type ClaimDecision = z.infer<typeof ClaimDecision>;

/** A `decided` list item: the claim as it is now, plus the caller's own decision on it. */
export const DecidedClaim = ClaimSummary.extend({ decision: ClaimDecision });
export type DecidedClaim = z.infer<typeof DecidedClaim>;

export const DecidedClaimListResponse = z.object({
  claims: z.array(DecidedClaim),
  nextCursor: ClaimListCursor.nullable(),
});
export type DecidedClaimListResponse = z.infer<typeof DecidedClaimListResponse>;
