// Nudges (催办) as the desktop reads them from a ClaimSummary. Zod-free (types only), so the window and
// the core share one rule: a nudge addresses the approvers of the step that was current then, so it is
// "the current step's nudge" only while the claim has not moved on since.
import type { ClaimSummary } from '../../protocol/claims';

type NudgeView = Pick<ClaimSummary, 'state' | 'currentStepSince' | 'lastNudgedAt'>;

/** When the claim's current approvers were nudged (ISO), or null if they were not. */
export function nudgedAtCurrentStep(claim: NudgeView): string | null {
  const at = claim.lastNudgedAt;
  if (!at || claim.state !== 'pending' || !claim.currentStepSince) return null;
  return Date.parse(at) >= Date.parse(claim.currentStepSince) ? at : null;
}
