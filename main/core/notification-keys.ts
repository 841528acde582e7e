// Keys under which the account state remembers what was already notified (and reminded), so
// nothing is shown twice across reconnects and restarts. Built and parsed only here: the formats
// are persisted in every account file, so changing one means changing how old files are read too.
//   `${claimId}#${stepIndex}`   a claim waiting on the user at that step (also the reminder key);
//   `${claimId}@${outcome}`     the user's own claim was approved or rejected;
//   `announcement:${id}`        an announcement;
//   `${claimId}@nudged:${ms}`   the submitter's nudge of that instant (epoch ms) was notified;
//   `delegation:${id}:${stage}` a delegation the user gives or covers was scheduled, started or ended.
import type { ClaimSummary } from '../../protocol';

const ANNOUNCEMENT_PREFIX = 'announcement:';
const DELEGATION_PREFIX = 'delegation:';

/** The key of a claim waiting at its current step; null when it has no current step. */
export function claimStepKey(claim: ClaimSummary): string | null {
  return claim.currentStep ? `${claim.id}#${claim.currentStep.index}` : null;
}

/** `version`: for an outcome that may happen more than once (returned, issue 14): `${claimId}@returned.7`. */
export function outcomeKey(
  claimId: string,
  outcome: 'approved' | 'rejected' | 'returned',
  version?: number,
): string {
  return version === undefined ? `${claimId}@${outcome}` : `${claimId}@${outcome}.${version}`;
}

export function nudgeKey(claimId: string, nudgedAtMs: number): string {
  return `${claimId}@nudged:${nudgedAtMs}`;
}

export function announcementKey(announcementId: string): string {
  return `${ANNOUNCEMENT_PREFIX}${announcementId}`;
}

/** One per stage of a delegation: each stage is news once. */
export function delegationKey(delegationId: string, stage: 'scheduled' | 'started' | 'ended'): string {
  return `${DELEGATION_PREFIX}${delegationId}:${stage}`;
}

/** The claim a key is about; null for keys about no claim (announcements, delegations). */
export function claimIdOfKey(key: string): string | null {
  if (key.startsWith(ANNOUNCEMENT_PREFIX) || key.startsWith(DELEGATION_PREFIX)) return null;
  return key.split(/[#@]/)[0] ?? key;
}
