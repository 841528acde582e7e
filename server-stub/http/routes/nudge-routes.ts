// `POST /claims/{id}/nudge` (催办): see claims/nudge.ts for the rules.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ClaimId, NudgeRequest } from '../../../protocol';
import type { Backend } from '../backend';
import { parseOr400 } from '../http-error';
import { runMutation } from '../mutation';

const ClaimParams = z.object({ id: ClaimId }).strict();

export function registerNudgeRoutes(app: FastifyInstance, backend: Backend): void {
  app.post('/claims/:id/nudge', async (request, reply) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    // The body has no fields; an absent one means the same as `{}`.
    parseOr400(NudgeRequest, request.body ?? {}, 'nudge');
    return runMutation(backend, request, reply, 200, (actorId, emit) =>
      backend.nudges.nudge(actorId, id, emit),
    );
  });
}
