// Bulk approve (issue 14): several clean claims approved in one user action, as a batch of single
// approvals (docs/protocol.md, "Bulk approve"). Each claim goes through the same path as a one-off
// approve — its own quoted version, its own Idempotency-Key reused on its retry (actions.ts) — and
// gets its own result, so one conflict or failure never hides what happened to the others.
// Only claims without policy flags qualify: a flagged one is refused here, before anything is sent.
import type { ClaimSummary } from '../../protocol';
import type { Decision } from './actions';
import type { Messages } from './i18n';
import type { ActionResult, BulkApproveResult } from './ports';

export interface BulkApproveDeps {
  /** The claim as my queue has it, if it is waiting on me. */
  queued(id: string): ClaimSummary | undefined;
  act(id: string, version: number, decision: Decision): Promise<ActionResult>;
  messages: Messages;
}

/** Why a claim may not be bulk-approved, or null when it may. */
export function bulkRefusal(
  claim: ClaimSummary | undefined,
  version: number,
  m: Messages,
): BulkApproveResult | null {
  if (!claim) return { id: '', outcome: 'conflict', message: m.actionStale };
  // The window saw another version: its flags may not be the ones it showed.
  if (claim.version !== version) return { id: claim.id, outcome: 'conflict', message: m.conflictChanged };
  if (claim.flags.length > 0) return { id: claim.id, outcome: 'refused', message: m.bulkFlagged };
  return null;
}

/** Approves each item in turn; one result per item, in the order given. */
export async function bulkApprove(
  items: readonly { id: string; version: number }[],
  comment: string | undefined,
  deps: BulkApproveDeps,
): Promise<BulkApproveResult[]> {
  const m = deps.messages;
  const results: BulkApproveResult[] = [];
  // After the session ended or the network went, the rest would fail the same way: say so for each
  // without sending them (nothing is half-done silently, and nothing waits out timeouts in a row).
  let stopped: string | null = null;
  const decision: Decision = { kind: 'approve', ...(comment?.trim() ? { comment } : {}) };
  for (const { id, version } of items) {
    if (stopped !== null) {
      results.push({ id, outcome: 'failed', message: stopped });
      continue;
    }
    const refusal = bulkRefusal(deps.queued(id), version, m);
    if (refusal) {
      results.push({ ...refusal, id });
      continue;
    }
    const result = await deps.act(id, version, decision);
    if (result.ok) results.push({ id, outcome: 'approved', message: '' });
    else if (result.reason === 'conflict') {
      results.push({ id, outcome: 'conflict', message: result.message });
    } else {
      results.push({ id, outcome: 'failed', message: result.message });
      if (result.reason === 'offline' || result.reason === 'session-expired') stopped = result.message;
    }
  }
  return results;
}
