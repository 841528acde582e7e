// Turns whatever a command failed with into one sentence an operator can act on, and an exit code.
import { ApiError, type ClaimDetail, ProtocolMismatchError } from '../../protocol';
import { AmountError } from './amounts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const ExitCode = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

export interface DescribedError {
  message: string;
  exitCode: number;
  code: string;
}

export function describeError(error: unknown, context: { server: string; user?: string }): DescribedError {
  if (error instanceof UsageError || error instanceof AmountError) {
    return { message: error.message, exitCode: ExitCode.usage, code: 'usage' };
  }
  if (error instanceof ApiError) {
    return { message: describeApiError(error, context.user), exitCode: ExitCode.failed, code: error.code };
  }
  if (error instanceof ProtocolMismatchError) {
    return {
      message: `${context.server} did not answer like a Signoff server: ${error.message}`,
      exitCode: ExitCode.failed,
      code: 'protocol_mismatch',
    };
  }
  if (isNetworkError(error)) {
    return {
      message: `cannot reach the server at ${context.server} (${networkCause(error)}); is it running? (--server or SIGNOFF_SERVER)`,
      exitCode: ExitCode.unreachable,
      code: 'unreachable',
    };
  }
  return { message: String((error as Error)?.message ?? error), exitCode: ExitCode.failed, code: 'error' };
}

function describeApiError(error: ApiError, user: string | undefined): string {
  const body = error.body;
  switch (body.code) {
    case 'invalid_credentials':
      return `sign-in refused for "${user ?? '?'}": wrong username or password (--user, --password or SIGNOFF_PASSWORD)`;
    case 'unauthorized':
      return 'the server no longer accepts this session (expired or signed out); run the command again';
    case 'too_many_attempts':
      return `too many sign-in attempts; try again in ${body.retryAfterSeconds ?? 'a few'} seconds`;
    case 'forbidden':
      return `not allowed: ${body.message}`;
    case 'not_found':
      return `not found: ${body.message} (or you may not see it)`;
    case 'stale_version':
    case 'invalid_state':
      return body.claim ? describeConflict(body.claim, body.code) : `conflict: ${body.message}`;
    case 'bad_request': {
      const issues = body.issues?.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return `the server refused the request: ${issues || body.message}`;
    }
    case 'idempotency_key_reused':
      return `the idempotency key was already used for a different request: ${body.message}`;
    case 'payload_too_large':
      return `the request is too large for the server: ${body.message}`;
    case 'unsupported_media_type':
      return `the server expected JSON: ${body.message}`;
    case 'nudge_too_soon':
      return `too soon to nudge: allowed from ${body.nextAllowedAt ?? 'later'}${body.retryAfterSeconds ? ` (in ${body.retryAfterSeconds} s)` : ''}`;
    case 'delegation_refused':
      return `delegation refused: ${body.message}`;
    case 'internal':
      return `the server failed (a server bug, not your input): ${body.message}`;
    case 'unavailable':
      return `the server is shutting down or restarting; try again shortly: ${body.message}`;
    case 'ineligible_user':
      return `that user cannot take this claim: ${body.message}`;
  }
}

/** "already approved by Grace Chen", "changed meanwhile: now waits on Carol Wang (manager)". */
export function describeConflict(claim: ClaimDetail, code: 'stale_version' | 'invalid_state'): string {
  const last = claim.audit.at(-1);
  if (claim.state !== 'pending') {
    const by = last ? ` by ${last.actor.name}` : '';
    return `${claim.id} is already ${claim.state}${by}`;
  }
  const step = claim.currentStep;
  const waitsOn = step
    ? ` and now waits on ${step.approvers.map((a) => a.name).join(' or ')} (${step.kind})`
    : '';
  const lead = code === 'stale_version' ? 'changed meanwhile' : 'cannot be acted on now';
  return `${claim.id} ${lead}: it is at version ${claim.version}${waitsOn}`;
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'TimeoutError' || (error instanceof TypeError && error.message === 'fetch failed');
}

function networkCause(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}
