// Issue 14 items 5 and 6 as the window asks for them: transfer (转交), add approver (加签), return for
// revision (退回) and resubmit. One schema for the IPC contract and the core (which turns each into its
// protocol request), so the two cannot drift.
import { z } from 'zod';
import { AddApproverPosition, ChainChangeAction, LineItem, MAX_LINE_ITEMS } from '../../protocol/claims';
import { MAX_RECEIPTS_PER_CLAIM, ReceiptId } from '../../protocol/receipts';
import { UserId } from '../../protocol/users';
import { PickedReceiptIdSchema } from './picked-receipt-schema';

const Comment = z.string().trim().max(2000);

export const ChainChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transfer'), to: UserId, comment: Comment.optional() }).strict(),
  z
    .object({
      kind: z.literal('add-approver'),
      user: UserId,
      position: AddApproverPosition,
      comment: Comment.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('return'), reason: Comment.min(1, 'a reason is required to return') }).strict(),
  /**
   * The submitter's edits; the core sends the total as the sum of `items` (one rule, no second field).
   * Receipts: files picked through main's dialog, named by their handles (main sends their bytes), and
   * ids of the claim's own receipts to remove.
   */
  z
    .object({
      kind: z.literal('resubmit'),
      title: z.string().trim().min(1).max(200).optional(),
      items: z.array(LineItem.strict()).min(1).max(MAX_LINE_ITEMS).optional(),
      comment: Comment.optional(),
      addReceipts: z.array(PickedReceiptIdSchema).max(MAX_RECEIPTS_PER_CLAIM).optional(),
      removeReceipts: z.array(ReceiptId).max(MAX_RECEIPTS_PER_CLAIM).optional(),
    })
    .strict(),
]);
export type ChainChange = z.infer<typeof ChainChangeSchema>;
export type ChainChangeKind = ChainChange['kind'];

/** Whom the window may offer in its user picker, as the server's `GET /users?eligibleFor=&action=`. */
export const EligibleForSchema = ChainChangeAction;
