// Issue 14 items 5 and 6 in `simulate`: now and then an approver transfers a claim (转交), adds an
// approver before or after themselves (加签) or returns it for revision (退回); a returned claim is
// resubmitted by its submitter with an edited title and the itemised receipt asked for. At most one such change per claim, so every
// claim still ends approved, rejected or withdrawn.
import { randomUUID } from 'node:crypto';
import { type ApiClient, type ClaimDetail, type ClaimSummary, MAX_RECEIPTS_PER_CLAIM } from '../../protocol';
import type { SeededRandom } from './claim-generator';
import { receiptPdf, receiptUpload } from './receipt-files';

/** How often an approver returns, transfers or adds an approver instead of deciding (each). */
const CHANGE_PROBABILITY = 0.06;

export type ChainChangeCounts = Record<'transferred' | 'approversAdded' | 'returned' | 'resubmitted', number>;

export class SimulatedChainChanges {
  readonly counts: ChainChangeCounts = { transferred: 0, approversAdded: 0, returned: 0, resubmitted: 0 };
  private readonly changed = new Set<string>();

  constructor(private readonly rng: SeededRandom) {}

  /**
   * Maybe changes the claim's chain instead of deciding it; null when the approver should decide as
   * usual (no roll, already changed once, or nobody eligible).
   */
  async maybeChange(client: ApiClient, claim: ClaimSummary): Promise<ClaimDetail | null> {
    if (this.changed.has(claim.id)) return null;
    const roll = this.rng.next();
    const { version } = claim;
    const once = { idempotencyKey: randomUUID() };
    if (roll < CHANGE_PROBABILITY) {
      this.changed.add(claim.id);
      const result = await client.returnClaim(
        claim.id,
        { version, reason: 'Please attach the itemised receipt' },
        once,
      );
      this.counts.returned++;
      return result;
    }
    const transfer = roll < 2 * CHANGE_PROBABILITY;
    if (!transfer && roll >= 3 * CHANGE_PROBABILITY) return null;
    const people = (await client.eligibleUsers(claim.id, transfer ? 'transfer' : 'add_approver')).users;
    if (people.length === 0) return null;
    this.changed.add(claim.id);
    const to = this.rng.pick(people).id;
    if (transfer) {
      const result = await client.transfer(
        claim.id,
        { version, to, comment: 'Better placed to check this' },
        once,
      );
      this.counts.transferred++;
      return result;
    }
    const position = this.rng.next() < 0.5 ? 'before' : 'after';
    const result = await client.addApprover(
      claim.id,
      { version, user: to, position, comment: 'Second opinion, please' },
      once,
    );
    this.counts.approversAdded++;
    return result;
  }

  /** The submitter fixes what was asked (attaches the itemised receipt) and resubmits; the chain starts again. */
  async resubmit(client: ApiClient, claim: ClaimSummary): Promise<ClaimDetail> {
    const title = claim.title.endsWith(' (revised)') ? claim.title : `${claim.title.slice(0, 189)} (revised)`;
    const room = (claim.receiptCount ?? 0) < MAX_RECEIPTS_PER_CLAIM;
    const itemised = receiptPdf(['ITEMISED RECEIPT', claim.title.slice(0, 60), `Claim ${claim.id}`]);
    const result = await client.resubmit(
      claim.id,
      {
        version: claim.version,
        title,
        comment: 'Receipt attached',
        ...(room ? { receipts: [receiptUpload('itemised-receipt.pdf', itemised)] } : {}),
      },
      { idempotencyKey: randomUUID() },
    );
    this.counts.resubmitted++;
    return result;
  }
}
