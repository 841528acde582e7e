// When a claim may be nudged (催办): after it waited `afterMs` at its current step, and at most once per
// NUDGE_INTERVAL_MS. One function answers it for the reader (ClaimSummary.nudgeAllowedFrom) and for the
// action (claims/nudge.ts), so what a client is told and what the server enforces cannot differ.
import { NUDGE_AFTER_MS, NUDGE_INTERVAL_MS } from '../../protocol';
import { isoAt } from '../clock';
import type { ClaimRow } from './claim-reader';

export interface NudgeRules {
  /** How long a claim waits at its current step before its submitter may nudge. */
  afterMs: number;
}

export const DEFAULT_NUDGE_RULES: NudgeRules = { afterMs: NUDGE_AFTER_MS };

type NudgeTiming = Pick<ClaimRow, 'state' | 'current_step_since' | 'last_nudged_at'>;

/** The earliest instant (epoch ms) a nudge is allowed; null when the claim is not pending. */
export function nudgeAllowedAt(claim: NudgeTiming, rules: NudgeRules): number | null {
  if (claim.state !== 'pending' || claim.current_step_since === null) return null;
  const waited = claim.current_step_since + rules.afterMs;
  return claim.last_nudged_at === null ? waited : Math.max(waited, claim.last_nudged_at + NUDGE_INTERVAL_MS);
}

/** The ClaimSummary fields about nudges. */
export function nudgeFields(claim: NudgeTiming, rules: NudgeRules) {
  const allowed = nudgeAllowedAt(claim, rules);
  return {
    lastNudgedAt: claim.last_nudged_at === null ? null : isoAt(claim.last_nudged_at),
    nudgeAllowedFrom: allowed === null ? null : isoAt(allowed),
  };
}
