// Issue 14 items 5 and 6: transfer, add approver, return for revision, resubmit, and whom an approver
// may pick for the first two. The rules live in claims/chain-changes.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  AddApproverRequest,
  type ClaimDetail,
  ClaimId,
  EligibleUsersQuery,
  type EligibleUsersResponse,
  MAX_SUBMIT_BODY_BYTES,
  ResubmitRequest,
  ReturnRequest,
  TransferRequest,
} from '../../../protocol';
import type { ClaimChainChanges } from '../../claims/chain-changes';
import type { EmitEvent } from '../../events/event-log';
import type { Backend } from '../backend';
import { parseOr400 } from '../http-error';
import { runMutation } from '../mutation';
import { sessionOf } from '../request-context';

const ClaimParams = z.object({ id: ClaimId }).strict();

/** `POST /claims/{id}/<path>`: the body's schema and the transition. */
interface ChainAction<S extends z.ZodType> {
  path: string;
  body: S;
  /** Larger than the default for the one action that carries receipts (resubmit). */
  bodyLimit?: number;
  run(
    changes: ClaimChainChanges,
    actorId: string,
    id: string,
    body: z.output<S>,
    emit: EmitEvent,
  ): ClaimDetail;
}
const action = <S extends z.ZodType>(spec: ChainAction<S>) => spec as ChainAction<z.ZodType>;

const ACTIONS = [
  action({ path: 'transfer', body: TransferRequest, run: (c, ...a) => c.transfer(...a) }),
  action({ path: 'add-approver', body: AddApproverRequest, run: (c, ...a) => c.addApprover(...a) }),
  action({ path: 'return', body: ReturnRequest, run: (c, ...a) => c.returnClaim(...a) }),
  action({
    path: 'resubmit',
    body: ResubmitRequest,
    bodyLimit: MAX_SUBMIT_BODY_BYTES,
    run: (c, ...a) => c.resubmit(...a),
  }),
];

export function registerChainRoutes(app: FastifyInstance, backend: Backend): void {
  const { chainChanges } = backend;

  for (const spec of ACTIONS) {
    const options = spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit };
    app.post(`/claims/:id/${spec.path}`, options, async (request, reply) => {
      const { id } = parseOr400(ClaimParams, request.params, 'claim id');
      const body = parseOr400(spec.body, request.body, spec.path);
      return runMutation(backend, request, reply, 200, (actorId, emit) =>
        spec.run(chainChanges, actorId, id, body, emit),
      );
    });
  }

  app.get('/users', async (request): Promise<EligibleUsersResponse> => {
    const { eligibleFor, action: chosen } = parseOr400(EligibleUsersQuery, request.query, 'query');
    const userId = sessionOf(request).user.id;
    return backend.db.transaction(() => ({
      users: chainChanges.eligibleUsers(userId, eligibleFor, chosen),
    }))();
  });
}
