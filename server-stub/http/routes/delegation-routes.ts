// Delegation ("out of office") endpoints: the caller's own delegation, who they may delegate to,
// starting one and ending it early. The rules live in claims/delegation.ts.
import type { FastifyInstance } from 'fastify';
import { DelegateRequest, type DelegationCandidates, type MyDelegations } from '../../../protocol';
import type { Backend } from '../backend';
import { parseOr400 } from '../http-error';
import { runMutation } from '../mutation';
import { sessionOf } from '../request-context';

export function registerDelegationRoutes(app: FastifyInstance, backend: Backend): void {
  const { delegations } = backend;

  app.get('/me/delegation', async (request): Promise<MyDelegations> => {
    const userId = sessionOf(request).user.id;
    return backend.db.transaction(() => delegations.mine(userId))();
  });

  app.get(
    '/me/delegation/candidates',
    async (request): Promise<DelegationCandidates> => ({
      users: delegations.candidates(sessionOf(request).user.id),
    }),
  );

  app.post('/me/delegation', async (request, reply) => {
    const body = parseOr400(DelegateRequest, request.body, 'delegation');
    return runMutation(backend, request, reply, 201, (actorId, emit) =>
      delegations.create(actorId, body, emit),
    );
  });

  app.delete('/me/delegation', async (request, reply) =>
    runMutation(backend, request, reply, 200, (actorId, emit) => delegations.end(actorId, emit)),
  );
}
