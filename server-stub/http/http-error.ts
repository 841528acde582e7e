// The one way handlers say "answer with this error": thrown, caught by the app's error handler and
// rendered as the protocol's ErrorBody.
import type { z } from 'zod';
import { type ClaimDetail, type ErrorBody, type ErrorCode, toValidationIssues } from '../../protocol';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<ErrorBody, 'code' | 'message'> = {},
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): ErrorBody {
    return errorBody(this.code, this.message, this.extra);
  }
}

/**
 * The contract's error body. A `bad_request` always carries `issues`, so a client can show "what is
 * wrong" without a second code path; when no one field is to blame the issue's path is `(root)`.
 */
export function errorBody(
  code: ErrorCode,
  message: string,
  extra: Omit<ErrorBody, 'code' | 'message'> = {},
): ErrorBody {
  if (code !== 'bad_request' || extra.issues?.length) return { code, message, ...extra };
  return { code, message, ...extra, issues: [{ path: '(root)', message }] };
}

export const notFound = (what = 'not found') => new HttpError(404, 'not_found', what);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const unauthorized = () =>
  new HttpError(
    401,
    'unauthorized',
    'a valid bearer token is required',
    {},
    { 'www-authenticate': 'Bearer' },
  );
export const staleVersion = (claim: ClaimDetail) =>
  new HttpError(409, 'stale_version', `claim ${claim.id} is now at version ${claim.version}`, { claim });
export const invalidState = (claim: ClaimDetail, action: string) =>
  new HttpError(409, 'invalid_state', `cannot ${action} a claim that is ${claim.state}`, { claim });

/** Validates `value` with a protocol schema, or throws 400 `bad_request` saying where it is wrong. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError(400, 'bad_request', `invalid ${what}`, { issues: toValidationIssues(result.error) });
  }
  return result.data;
}
