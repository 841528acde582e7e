// Issue 14 items 5 and 6: turns the window's transfer / add approver / return / resubmit into the
// protocol's requests. Sent through actions.ts `decide`, so they get the same Idempotency-Key, retry,
// token renewal and conflict wording as approve and reject.
import type { ApiClient, ClaimDetail, MutationOptions, ReceiptUpload } from '../../protocol';
import type { ChainChange } from '../common/chain-change-schema';

/**
 * A chain change as the core sends it: the window's, but a resubmission carries the picked receipts'
 * uploads (main read them; see picked-receipts.ts) instead of their handles.
 */
export type ChainDecision =
  | Exclude<ChainChange, { kind: 'resubmit' }>
  | (Omit<Extract<ChainChange, { kind: 'resubmit' }>, 'addReceipts'> & { receipts?: ReceiptUpload[] });

/** A comment of only spaces is none (as for approve): the audit should not show a blank note. */
function commentOf(comment: string | undefined): { comment?: string } {
  return comment?.trim() ? { comment } : {};
}

export function sendChainChange(
  api: ApiClient,
  claimId: string,
  version: number,
  change: ChainDecision,
  once: MutationOptions,
): Promise<ClaimDetail> {
  switch (change.kind) {
    case 'transfer':
      return api.transfer(claimId, { version, to: change.to, ...commentOf(change.comment) }, once);
    case 'add-approver':
      return api.addApprover(
        claimId,
        { version, user: change.user, position: change.position, ...commentOf(change.comment) },
        once,
      );
    case 'return':
      return api.returnClaim(claimId, { version, reason: change.reason }, once);
    case 'resubmit': {
      const items = change.items
        ? { items: change.items, totalMinor: change.items.reduce((sum, item) => sum + item.amountMinor, 0) }
        : {};
      const title = change.title === undefined ? {} : { title: change.title };
      const receipts = change.receipts?.length ? { receipts: change.receipts } : {};
      const removeReceipts = change.removeReceipts?.length ? { removeReceipts: change.removeReceipts } : {};
      return api.resubmit(
        claimId,
        { version, ...title, ...items, ...receipts, ...removeReceipts, ...commentOf(change.comment) },
        once,
      );
    }
  }
}
