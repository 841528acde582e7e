// Per-request facts established by hooks (the caller's session), kept off the FastifyRequest type so
// we need no global module augmentation.
import type { FastifyRequest } from 'fastify';
import { IdempotencyKey } from '../../protocol';
import type { AuthenticatedSession } from '../ports';
import { HttpError, unauthorized } from './http-error';

const sessions = new WeakMap<FastifyRequest, AuthenticatedSession>();

export function setSession(request: FastifyRequest, session: AuthenticatedSession): void {
  sessions.set(request, session);
}

/** The caller's session; the auth hook guarantees one on every non-public route. */
export function sessionOf(request: FastifyRequest): AuthenticatedSession {
  const session = sessions.get(request);
  if (!session) throw unauthorized();
  return session;
}

/** The Idempotency-Key header if sent; 400 if sent but malformed. */
export function idempotencyKeyOf(request: FastifyRequest): string | null {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  const result = IdempotencyKey.safeParse(Array.isArray(raw) ? raw.join(',') : raw);
  if (!result.success) {
    throw new HttpError(400, 'bad_request', 'invalid Idempotency-Key header', {
      issues: result.error.issues.map((issue) => ({ path: 'Idempotency-Key', message: issue.message })),
    });
  }
  return result.data;
}
