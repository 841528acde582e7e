// "Is this claim waiting on me?": the core asks it to decide whether a claim the user just acted on
// stays in their queue, the window to decide whether to offer approve/reject. One rule for both.
import type { ClaimSummary } from '../../protocol/claims';

/** Pending at a step `userId` is one of the approvers of (on a finance step, any one of them). */
export function isWaitingOn(
  claim: Pick<ClaimSummary, 'state' | 'currentStep'>,
  userId: string | null | undefined,
): boolean {
  return claim.state === 'pending' && (claim.currentStep?.approvers.some((a) => a.id === userId) ?? false);
}
