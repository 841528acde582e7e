// Issue 14 items 5 and 6: transfer, add approver, return for revision, resubmit, and whom an approver
// may pick for the first two. The rules live in claims/chain-changes.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  AddApproverRequest,
  ClaimId,
  EligibleUsersQuery,
  type EligibleUsersResponse,
  ResubmitRequest,
  ReturnRequest,
  TransferRequest,
} from '../../../protocol';
import type { Backend } from '../backend';
import { parseOr400 } from '../http-error';
import { runMutation } from '../mutation';
import { sessionOf } from '../request-context';

const ClaimParams = z.object({ id: ClaimId }).strict();

export function registerChainRoutes(app: FastifyInstance, backend: Backend): void {
  const { chainChanges } = backend;

  app.post('/claims/:id/transfer', async (request, reply) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    const body = parseOr400(TransferRequest, request.body, 'transfer');
    return runMutation(backend, request, reply, 200, (actorId, emit) =>
      chainChanges.transfer(actorId, id, body, emit),
    );
  });

  app.post('/claims/:id/add-approver', async (request, reply) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    const body = parseOr400(AddApproverRequest, request.body, 'added approver');
    return runMutation(backend, request, reply, 200, (actorId, emit) =>
      chainChanges.addApprover(actorId, id, body, emit),
    );
  });

  app.post('/claims/:id/return', async (request, reply) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    const body = parseOr400(ReturnRequest, request.body, 'return');
    return runMutation(backend, request, reply, 200, (actorId, emit) =>
      chainChanges.returnClaim(actorId, id, body, emit),
    );
  });

  app.post('/claims/:id/resubmit', async (request, reply) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    const body = parseOr400(ResubmitRequest, request.body, 'resubmission');
    return runMutation(backend, request, reply, 200, (actorId, emit) =>
      chainChanges.resubmit(actorId, id, body, emit),
    );
  });

  app.get('/users', async (request): Promise<EligibleUsersResponse> => {
    const { eligibleFor, action } = parseOr400(EligibleUsersQuery, request.query, 'query');
    const userId = sessionOf(request).user.id;
    return backend.db.transaction(() => ({
      users: chainChanges.eligibleUsers(userId, eligibleFor, action),
    }))();
  });
}
