import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  AnnounceRequest,
  ApproveRequest,
  ClaimId,
  ClaimListQuery,
  type ClaimListResponse,
  type DecidedClaimListResponse,
  MAX_SUBMIT_BODY_BYTES,
  QueueQuery,
  type QueueSnapshot,
  RejectRequest,
  SubmitClaimRequest,
  WithdrawRequest,
} from '../../../protocol';
import { decodeListCursor } from '../../claims/list-cursor';
import { checkReceiptUploads } from '../../claims/receipts';
import type { Backend } from '../backend';
import { notFound, parseOr400 } from '../http-error';
import { runMutation } from '../mutation';
import { sessionOf } from '../request-context';

const ClaimParams = z.object({ id: ClaimId }).strict();

export function registerClaimRoutes(app: FastifyInstance, backend: Backend): void {
  const { claims, workflow } = backend;

  // The one route whose body may carry receipts (base64), so the one with a larger body limit.
  app.post('/claims', { bodyLimit: MAX_SUBMIT_BODY_BYTES }, async (request, reply) => {
    const body = parseOr400(SubmitClaimRequest, request.body, 'claim');
    const receipts = checkReceiptUploads(body.receipts);
    return runMutation(backend, request, reply, 201, (actorId, emit) =>
      workflow.submit(actorId, body, emit, receipts),
    );
  });

  app.get('/claims', async (request): Promise<ClaimListResponse | DecidedClaimListResponse> => {
    const { scope, limit, cursor } = parseOr400(ClaimListQuery, request.query, 'query');
    const userId = sessionOf(request).user.id;
    const page = { limit, after: cursor === undefined ? null : decodeListCursor(cursor, scope) };
    // One read transaction: the page and the summaries in it come from the same snapshot.
    return backend.db.transaction(() =>
      scope === 'decided' ? claims.listDecided(userId, page) : claims.listPage(scope, userId, page),
    )();
  });

  app.get('/claims/:id', async (request) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    // Invisible and nonexistent answer the same, so ids cannot be probed.
    if (!claims.isVisibleTo(id, sessionOf(request).user.id)) throw notFound(`no claim ${id}`);
    const detail = claims.detail(id);
    if (!detail) throw notFound(`no claim ${id}`);
    return detail;
  });

  app.post('/claims/:id/approve', async (request, reply) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    const body = parseOr400(ApproveRequest, request.body, 'approval');
    return runMutation(backend, request, reply, 200, (actorId, emit) =>
      workflow.approve(actorId, id, body, emit),
    );
  });

  app.post('/claims/:id/reject', async (request, reply) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    const body = parseOr400(RejectRequest, request.body, 'rejection');
    return runMutation(backend, request, reply, 200, (actorId, emit) =>
      workflow.reject(actorId, id, body, emit),
    );
  });

  app.post('/claims/:id/withdraw', async (request, reply) => {
    const { id } = parseOr400(ClaimParams, request.params, 'claim id');
    const body = parseOr400(WithdrawRequest, request.body, 'withdrawal');
    return runMutation(backend, request, reply, 200, (actorId, emit) =>
      workflow.withdraw(actorId, id, body, emit),
    );
  });

  app.get('/queue', async (request): Promise<QueueSnapshot> => {
    const userId = sessionOf(request).user.id;
    const { eventLog } = backend;
    const withBroadcasts = parseOr400(QueueQuery, request.query, 'query').broadcast !== undefined;
    // A client from before the broadcast stream: announcements it has not had go into its stream
    // before the cursor, so the snapshot covers them as it always did.
    if (!withBroadcasts) eventLog.absorbBroadcasts(userId);
    // One synchronous read: no commit can land between the list and the cursor.
    return backend.db.transaction(() => ({
      cursor: eventLog.cursor(userId),
      claims: claims.listWaitingOn(userId),
      ...(withBroadcasts ? { broadcast: eventLog.broadcasts.cursor() } : {}),
    }))();
  });

  app.post('/announcements', async (request, reply) => {
    const body = parseOr400(AnnounceRequest, request.body, 'announcement');
    return runMutation(backend, request, reply, 201, (actorId, emit) =>
      backend.announcements.post(actorId, body, emit),
    );
  });
}
