// Approve and reject. Each user action gets one Idempotency-Key, reused for the automatic retry, so
// a response lost on the way back can never make the server act twice. Failures come back as
// values the window can show: a conflict says what happened ("Already approved by Grace Chen").
import { randomUUID } from 'node:crypto';
import { type ApiClient, ApiError, type ClaimDetail, ProtocolMismatchError } from '../../protocol';
import { type ChainDecision, sendChainChange } from './chain-actions';
import { type Messages, messagesFor } from './i18n';
import { classifyNetworkError } from './network-errors';
import type { ActionResult, Locale } from './ports';

export type Decision =
  | { kind: 'approve'; comment?: string }
  | { kind: 'reject'; reason: string }
  // ---- transfer, add approver, return for revision, resubmit (issue 14) ----
  | ChainDecision;

/** Explains, in the user's language, why an action hit a claim that had moved on. */
export function describeConflict(claim: ClaimDetail, m: Messages): string {
  // A nudge is not a decision: it says nothing about who moved the claim on.
  const last = claim.audit.findLast((entry) => entry.action !== 'nudged');
  const by = last?.actor.name ?? claim.submitter.name;
  switch (claim.state) {
    case 'approved':
      return m.conflictApproved(by);
    case 'rejected':
      return m.conflictRejected(by);
    case 'withdrawn':
      return m.conflictWithdrawn(by);
    case 'returned':
      return m.conflictReturned(by);
    case 'pending':
      if (last?.action === 'approved' && claim.currentStep) {
        return m.conflictMovedOn(by, claim.currentStep.approvers.map((a) => a.name).join(', '));
      }
      return m.conflictChanged;
  }
}

/** What renewing the sign-in after a 401 came to (single sign-on only; a password session has no renewal). */
export type Renewal = 'renewed' | 'refused' | 'unreachable';

export async function decide(
  api: ApiClient,
  claimId: string,
  version: number,
  decision: Decision,
  locale: Locale,
  /** Gets a fresh access token after a 401, for one more try with the same Idempotency-Key. */
  renew?: () => Promise<Renewal>,
): Promise<ActionResult> {
  const m = messagesFor(locale);
  if (decision.kind === 'reject' && decision.reason.trim().length === 0) {
    return { ok: false, reason: 'invalid', message: m.rejectNeedsReason };
  }
  if (decision.kind === 'return' && decision.reason.trim().length === 0) {
    return { ok: false, reason: 'invalid', message: m.returnNeedsReason };
  }
  const idempotencyKey = randomUUID();
  const send = () =>
    decision.kind === 'approve'
      ? api.approve(
          claimId,
          decision.comment?.trim() ? { version, comment: decision.comment } : { version },
          { idempotencyKey },
        )
      : decision.kind === 'reject'
        ? api.reject(claimId, { version, reason: decision.reason }, { idempotencyKey })
        : sendChainChange(api, claimId, version, decision, { idempotencyKey });

  let renewal: Renewal | null = null;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return { ok: true, claim: await send() };
    } catch (error) {
      const network = classifyNetworkError(error);
      // One silent retry with the same key covers a dropped response; after that, say "offline".
      if (network && attempt === 0) continue;
      // An access token that expired under the action: renew it once and send the same request again.
      if (renew && renewal === null && error instanceof ApiError && error.status === 401) {
        renewal = await renew();
        if (renewal === 'renewed') continue;
        if (renewal === 'unreachable') return { ok: false, reason: 'offline', message: m.offline };
      }
      return failureOf(error, m);
    }
  }
}

/** A resubmission's receipt edits refused: too large together (413) or a 400 about `receipts…`. */
function refusedReceipts(error: ApiError): boolean {
  if (error.code === 'payload_too_large') return true;
  return (
    error.code === 'bad_request' &&
    !!error.body.issues?.some((i) => /^(receipts|removeReceipts)\b/.test(i.path))
  );
}

function failureOf(error: unknown, m: Messages): ActionResult {
  if (error instanceof ApiError) {
    if (error.status === 409 && error.body.claim) {
      return {
        ok: false,
        reason: 'conflict',
        claim: error.body.claim,
        message: describeConflict(error.body.claim, m),
      };
    }
    switch (error.status) {
      case 401:
        return { ok: false, reason: 'session-expired', message: m.sessionExpired };
      case 403:
        return { ok: false, reason: 'forbidden', message: m.forbidden };
      case 404:
        return { ok: false, reason: 'not-found', message: m.notFound };
      default:
        // Not the server's `message`: it is English whatever the user's language (clients branch on
        // `code`, protocol/errors.ts), and the window shows this text as it is.
        return {
          ok: false,
          reason: 'invalid',
          message:
            error.code === 'invalid_state'
              ? m.notDecidable
              : error.code === 'ineligible_user'
                ? m.ineligibleUser
                : refusedReceipts(error)
                  ? m.receiptsRefused
                  : m.refused,
        };
    }
  }
  if (error instanceof ProtocolMismatchError)
    return { ok: false, reason: 'invalid', message: m.incompatible };
  return { ok: false, reason: 'offline', message: m.offline };
}
