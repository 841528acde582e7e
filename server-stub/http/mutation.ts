// Runs a state-changing request: one write transaction holding the change, its events and its
// idempotency record; the reply is sent only after the commit.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmitEvent } from '../events/event-log';
import type { Backend } from './backend';
import { requestFingerprint } from './idempotency';
import { idempotencyKeyOf, sessionOf } from './request-context';

export function runMutation(
  backend: Backend,
  request: FastifyRequest,
  reply: FastifyReply,
  successStatus: number,
  work: (actorId: string, emit: EmitEvent) => unknown,
): FastifyReply {
  const actorId = sessionOf(request).user.id;
  const key = idempotencyKeyOf(request);
  const scope = key
    ? {
        userId: actorId,
        key,
        // The concrete URL (with the claim id) is part of what was asked.
        fingerprint: requestFingerprint(request.method, request.url.split('?')[0] ?? '', request.body),
      }
    : null;
  const outcome = backend.eventLog.transact((emit) => {
    const previous = scope ? backend.idempotency.lookup(scope) : null;
    if (previous) return { ...previous, replayed: true };
    const result = { status: successStatus, body: work(actorId, emit) };
    if (scope) backend.idempotency.record(scope, result);
    return { ...result, replayed: false };
  });
  // How long the write transaction took, commit included, and handing its events to live
  // subscribers after it (W3C Server-Timing; diagnostics and bench:fanout; clients ignore it).
  const { commitMs, publishMs } = backend.eventLog.lastTiming;
  reply.header('server-timing', `commit;dur=${commitMs.toFixed(2)}, push;dur=${publishMs.toFixed(2)}`);
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(outcome.status).send(outcome.body);
}
