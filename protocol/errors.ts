import { z } from 'zod';
import { ClaimDetail, Timestamp } from './claims';
import { DelegationRule } from './delegation';

/**
 * Every non-2xx answer carries `{ code, message }`. Clients branch on `code`, never on `message`
 * (which is for humans and may change).
 */
export const ErrorCode = z.enum([
  'bad_request', // 400 (and 408, 431): request failed validation or could not be read; `issues` says where
  'unauthorized', // 401: missing, unknown, expired or revoked bearer token
  'invalid_credentials', // 401: sign-in with a wrong username or password
  'forbidden', // 403: the caller may see the claim but not do this to it (e.g. not the current approver)
  'not_found', // 404: no such resource, or one the caller may not see (the two are indistinguishable)
  'stale_version', // 409: the claim changed since the quoted version; `claim` is its current state
  'invalid_state', // 409: the action does not apply in the claim's state (e.g. withdraw an approved claim)
  'payload_too_large', // 413
  'unsupported_media_type', // 415: bodies must be application/json
  'idempotency_key_reused', // 422: the Idempotency-Key was used before with a different request
  'ineligible_user', // 422: transfer / add approver to someone the rules exclude (see docs/protocol.md)
  'too_many_attempts', // 429: sign-in throttled; see `retryAfterSeconds` and the Retry-After header
  'nudge_too_soon', // 429: a nudge before the claim waited long enough or within 24 h of the last; see `nextAllowedAt`
  'delegation_refused', // 409: a delegation breaks a rule (chain, loop, overlap, finance); `message` says which
  'internal', // 500: a server bug; never expected
  'unavailable', // 503: the server is shutting down or restarting; retry with backoff
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ValidationIssue = z.object({ path: z.string(), message: z.string() });
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Present on every `bad_request`, never on other codes; `(root)` when no single field is to blame. */
  issues: z.array(ValidationIssue).optional(),
  /** With `stale_version` and `invalid_state`: the claim as it is now. */
  claim: ClaimDetail.optional(),
  retryAfterSeconds: z.number().int().positive().optional(),
  /** With `nudge_too_soon`: the earliest instant a nudge of this claim will be accepted. */
  nextAllowedAt: Timestamp.optional(),
  /** With `delegation_refused`: which rule the delegation broke. */
  delegationRule: DelegationRule.optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Flattens zod issues into `{path, message}` pairs with dotted paths. */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
