// The REST half of the contract as an OpenAPI 3.1 document, built from the protocol's zod schemas and
// a table of the endpoints. docs/protocol.md stays the prose; this is what tools and code generators read.
import type { z } from 'zod';
import {
  AddApproverRequest,
  Announcement,
  AnnouncementListQuery,
  AnnouncementListResponse,
  AnnounceRequest,
  API_PREFIX,
  ApproveRequest,
  AuditEntry,
  BroadcastPage,
  ChainStep,
  ClaimDecision,
  ClaimDetail,
  ClaimId,
  ClaimListQuery,
  ClaimListResponse,
  ClaimSummary,
  CurrentStep,
  Cursor,
  DecidedClaim,
  DecidedClaimListResponse,
  DelegateRequest,
  Delegation,
  DelegationCandidates,
  EligibleUsersQuery,
  EligibleUsersResponse,
  ErrorBody,
  EventsPage,
  EventsQuery,
  IdempotencyKey,
  LineItem,
  MAX_CLAIM_RECEIPT_BYTES,
  MAX_RECEIPT_BYTES,
  MAX_SUBMIT_BODY_BYTES,
  Me,
  MeResponse,
  MyDelegations,
  NudgeRequest,
  PolicyFlag,
  PROTOCOL_VERSION,
  QueueQuery,
  QueueSnapshot,
  RECEIPT_MEDIA_TYPES,
  RECEIPT_RESPONSE_HEADERS,
  Receipt,
  ReceiptId,
  ReceiptUpload,
  RejectRequest,
  ResubmitRequest,
  ReturnRequest,
  ServerInfo,
  SignInRequest,
  SignInResponse,
  STREAM_SUBPROTOCOL,
  StepApprover,
  SubmitClaimRequest,
  TransferRequest,
  UserRef,
  ValidationIssue,
  WithdrawRequest,
} from '../../protocol';
import { eventSchemas, inlineSchema, type JsonObject, jsonSchemas } from './json-schemas';

const REF = '#/components/schemas/';

const requestSchemas = {
  SignInRequest,
  ReceiptUpload,
  SubmitClaimRequest,
  ApproveRequest,
  RejectRequest,
  WithdrawRequest,
  AnnounceRequest,
  NudgeRequest,
  DelegateRequest,
  TransferRequest,
  AddApproverRequest,
  ReturnRequest,
  ResubmitRequest,
};

const responseSchemas = {
  ServerInfo,
  SignInResponse,
  MeResponse,
  Me,
  UserRef,
  LineItem,
  StepApprover,
  CurrentStep,
  PolicyFlag,
  ClaimSummary,
  ChainStep,
  AuditEntry,
  Receipt,
  ClaimDetail,
  ClaimListResponse,
  ClaimDecision,
  DecidedClaim,
  DecidedClaimListResponse,
  Cursor,
  QueueSnapshot,
  ...eventSchemas(),
  BroadcastPage,
  EventsPage,
  Announcement,
  AnnouncementListResponse,
  Delegation,
  MyDelegations,
  DelegationCandidates,
  ValidationIssue,
  ErrorBody,
  EligibleUsersResponse,
};

/** What each error status means on this API (docs/protocol.md, "Errors"). */
const ERROR_STATUS: Record<number, string> = {
  400: '`bad_request`: body, query, path or header failed validation, or the request is malformed; `issues` says where',
  401: '`unauthorized`: missing, unknown, expired or revoked bearer token',
  403: '`forbidden`: the caller may see the claim but may not do this to it',
  404: '`not_found`: no such resource, or one the caller may not see',
  413: `\`payload_too_large\`: body over 64 KiB (POST /claims and POST /claims/{id}/resubmit: ${MAX_SUBMIT_BODY_BYTES} bytes), or a receipt over ${MAX_RECEIPT_BYTES} bytes, or one claim's receipts over ${MAX_CLAIM_RECEIPT_BYTES} bytes`,
  409: '`stale_version` or `invalid_state`; `claim` is the claim as it is now (on delegation endpoints: `delegation_refused`)',
  415: '`unsupported_media_type`: a body that is not application/json',
  422: '`idempotency_key_reused`: the Idempotency-Key was used before with a different request; `ineligible_user`: transfer or add approver named someone who may not take the claim',
  429: '`too_many_attempts` (sign-in throttled) or `nudge_too_soon` (see `nextAllowedAt`); `retryAfterSeconds` and Retry-After',
  503: '`unavailable`: the server is shutting down or restarting',
};

interface Endpoint {
  method: 'get' | 'post' | 'delete';
  path: string;
  operationId: string;
  summary: string;
  /** False for the two endpoints that work without a token. */
  auth: boolean;
  body?: keyof typeof requestSchemas;
  query?: z.ZodObject;
  /** Takes `{id}`, a claim id. */
  claimId?: boolean;
  idempotent?: boolean;
  success: { status: number; description: string; schema?: keyof typeof responseSchemas };
  errors: number[];
}

const ENDPOINTS: Endpoint[] = [
  {
    method: 'get',
    path: '/info',
    operationId: 'getInfo',
    summary: 'Server and protocol version; the only endpoint without auth besides sign-in',
    auth: false,
    success: { status: 200, description: 'Server info', schema: 'ServerInfo' },
    errors: [],
  },
  {
    method: 'post',
    path: '/session',
    operationId: 'signIn',
    summary: 'Sign in; a throttled username or address gets 429 even with the right password',
    auth: false,
    body: 'SignInRequest',
    success: { status: 201, description: 'Signed in', schema: 'SignInResponse' },
    errors: [401, 429],
  },
  {
    method: 'delete',
    path: '/session',
    operationId: 'signOut',
    summary: 'Revoke the token used to call it; its streams close with 4001',
    auth: true,
    success: { status: 204, description: 'Signed out' },
    errors: [],
  },
  {
    method: 'get',
    path: '/me',
    operationId: 'getMe',
    summary: 'The signed-in user and when the session expires',
    auth: true,
    success: { status: 200, description: 'The caller', schema: 'MeResponse' },
    errors: [],
  },
  {
    method: 'post',
    path: '/claims',
    operationId: 'submitClaim',
    summary: 'Submit a claim',
    auth: true,
    body: 'SubmitClaimRequest',
    idempotent: true,
    success: { status: 201, description: 'The new claim', schema: 'ClaimDetail' },
    errors: [422],
  },
  {
    method: 'get',
    path: '/claims',
    operationId: 'listClaims',
    summary: 'One page of a claim list; unknown or repeated query parameters are a 400',
    auth: true,
    query: ClaimListQuery,
    success: {
      status: 200,
      description: 'A page; `DecidedClaimListResponse` for `scope=decided`',
      schema: 'ClaimListResponse',
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/claims/{id}',
    operationId: 'getClaim',
    summary: 'One claim with its items, chain and audit trail',
    auth: true,
    claimId: true,
    success: { status: 200, description: 'The claim', schema: 'ClaimDetail' },
    errors: [404],
  },
  ...(['approve', 'reject', 'withdraw'] as const).map(
    (action): Endpoint => ({
      method: 'post',
      path: `/claims/{id}/${action}`,
      operationId: `${action}Claim`,
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} the claim at the quoted version`,
      auth: true,
      claimId: true,
      body:
        action === 'approve' ? 'ApproveRequest' : action === 'reject' ? 'RejectRequest' : 'WithdrawRequest',
      idempotent: true,
      success: { status: 200, description: 'The claim after the action', schema: 'ClaimDetail' },
      errors: [403, 404, 409, 422],
    }),
  ),
  // ---- transfer, add approver, return for revision, resubmit (issue 14) ----
  ...(
    [
      [
        'transfer',
        'transferClaim',
        'Hand the caller’s place at the current step to another user',
        'TransferRequest',
      ],
      [
        'add-approver',
        'addApprover',
        'Insert an approver step before or after the current one',
        'AddApproverRequest',
      ],
      ['return', 'returnClaim', 'Return the claim to its submitter for revision', 'ReturnRequest'],
      [
        'resubmit',
        'resubmitClaim',
        'Resubmit a returned claim (submitter; optional edits, receipts added and removed); the chain restarts',
        'ResubmitRequest',
      ],
    ] as const
  ).map(
    ([action, operationId, summary, body]): Endpoint => ({
      method: 'post',
      path: `/claims/{id}/${action}`,
      operationId,
      summary,
      auth: true,
      claimId: true,
      body,
      idempotent: true,
      success: { status: 200, description: 'The claim after the action', schema: 'ClaimDetail' },
      // Resubmit alone carries receipts, so it alone can be too large.
      errors: action === 'resubmit' ? [403, 404, 409, 413, 422] : [403, 404, 409, 422],
    }),
  ),
  {
    method: 'get',
    path: '/users',
    operationId: 'eligibleUsers',
    summary: 'The users the caller may transfer a claim to or add as its approver',
    auth: true,
    query: EligibleUsersQuery,
    success: { status: 200, description: 'Eligible users by name', schema: 'EligibleUsersResponse' },
    errors: [403, 404, 409],
  },
  {
    method: 'post',
    path: '/claims/{id}/nudge',
    operationId: 'nudgeClaim',
    summary:
      'Nudge (催办) the current approvers of your own pending claim; once it waited long enough, at most once per 24 h; does not change `version`',
    auth: true,
    claimId: true,
    body: 'NudgeRequest',
    idempotent: true,
    success: { status: 200, description: 'The claim with `lastNudgedAt` set', schema: 'ClaimDetail' },
    errors: [403, 404, 409, 422, 429],
  },
  {
    method: 'get',
    path: '/queue',
    operationId: 'getQueue',
    summary: 'The claims waiting on the caller and the event cursor this snapshot is consistent with',
    auth: true,
    query: QueueQuery,
    success: { status: 200, description: 'Queue snapshot', schema: 'QueueSnapshot' },
    errors: [],
  },
  {
    method: 'get',
    path: '/events',
    operationId: 'getEvents',
    summary: 'Backfill and long-poll of the caller’s event stream; unknown query parameters are ignored',
    auth: true,
    query: EventsQuery,
    success: { status: 200, description: 'Events after the cursor, or a reset', schema: 'EventsPage' },
    errors: [],
  },
  {
    method: 'post',
    path: '/announcements',
    operationId: 'announce',
    summary: 'Post an announcement to everyone (admin only)',
    auth: true,
    body: 'AnnounceRequest',
    idempotent: true,
    success: { status: 201, description: 'The announcement', schema: 'Announcement' },
    errors: [403, 422],
  },
  {
    method: 'get',
    path: '/announcements',
    operationId: 'listAnnouncements',
    summary:
      'The latest announcements, newest first (any signed-in user); unknown query parameters are a 400',
    auth: true,
    query: AnnouncementListQuery,
    success: {
      status: 200,
      description: 'At most `limit` announcements',
      schema: 'AnnouncementListResponse',
    },
    errors: [],
  },
  ...(
    [
      [
        '',
        'getMyDelegations',
        'The caller’s own delegation (scheduled or active) and the ones they cover',
        'MyDelegations',
      ],
      [
        '/candidates',
        'getDelegationCandidates',
        'Who the caller may delegate to (finance only to finance)',
        'DelegationCandidates',
      ],
    ] as const
  ).map(
    ([tail, operationId, summary, schema]): Endpoint => ({
      method: 'get',
      path: `/me/delegation${tail}`,
      operationId,
      summary,
      auth: true,
      success: { status: 200, description: summary, schema },
      errors: [],
    }),
  ),
  {
    method: 'post',
    path: '/me/delegation',
    operationId: 'delegate',
    summary: 'Hand the caller’s approvals to another user for a time range (out of office)',
    auth: true,
    body: 'DelegateRequest',
    idempotent: true,
    success: { status: 201, description: 'The delegation', schema: 'Delegation' },
    errors: [409, 422],
  },
  {
    method: 'delete',
    path: '/me/delegation',
    operationId: 'endDelegation',
    summary: 'End the caller’s delegation now (claims still waiting go back), or cancel a scheduled one',
    auth: true,
    idempotent: true,
    success: { status: 200, description: 'The ended delegation', schema: 'Delegation' },
    errors: [404, 422],
  },
];

const errorResponse = (description: string, headers?: JsonObject): JsonObject => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: `${REF}ErrorBody` } } },
});

const header = (description: string, schema: JsonObject = { type: 'string' }): JsonObject => ({
  description,
  schema,
});

function errorResponses(endpoint: Endpoint): JsonObject {
  const statuses = new Set([400, ...endpoint.errors, 503]);
  if (endpoint.auth) statuses.add(401);
  if (endpoint.body) {
    statuses.add(413);
    statuses.add(415);
  }
  const out: JsonObject = {};
  for (const status of [...statuses].sort((a, b) => a - b)) {
    let description = ERROR_STATUS[status] ?? '';
    let headers: JsonObject | undefined;
    if (status === 401 && endpoint.auth) headers = { 'WWW-Authenticate': header('`Bearer`') };
    if (status === 401 && !endpoint.auth) description = '`invalid_credentials`: wrong username or password';
    if (status === 429)
      headers = { 'Retry-After': header('Seconds to wait', { type: 'integer', minimum: 1 }) };
    out[String(status)] = errorResponse(description, headers);
  }
  out.default = errorResponse(
    'Any other error, in the same shape: 408 `bad_request` (request too slow), 431 `bad_request` (headers too large), 500 `internal`',
  );
  return out;
}

function queryParameters(query: z.ZodObject): JsonObject[] {
  const schema = inlineSchema(query, 'input') as {
    properties: Record<string, JsonObject>;
    required?: string[];
  };
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function operation(endpoint: Endpoint): JsonObject {
  const parameters: JsonObject[] = [];
  if (endpoint.claimId) {
    parameters.push({
      name: 'id',
      in: 'path',
      required: true,
      description: 'Claim id; over 64 characters is a 400, an unknown or invisible id a 404',
      schema: inlineSchema(ClaimId, 'input'),
    });
  }
  if (endpoint.query) parameters.push(...queryParameters(endpoint.query));
  if (endpoint.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes the request safe to retry: a replay with the same request returns the first 2xx result',
      schema: inlineSchema(IdempotencyKey, 'input'),
    });
  }
  const { success } = endpoint;
  const successResponse: JsonObject = { description: success.description };
  if (success.schema) {
    const schema =
      endpoint.operationId === 'listClaims'
        ? { oneOf: [{ $ref: `${REF}ClaimListResponse` }, { $ref: `${REF}DecidedClaimListResponse` }] }
        : { $ref: `${REF}${success.schema}` };
    successResponse.content = { 'application/json': { schema } };
  }
  if (endpoint.idempotent) {
    successResponse.headers = { 'Idempotent-Replayed': header('`true` when this is a stored replay') };
  }
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    ...(endpoint.auth ? {} : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: `${REF}${endpoint.body}` } } },
          },
        }
      : {}),
    responses: { [String(success.status)]: successResponse, ...errorResponses(endpoint) },
  };
}

/** `GET /stream` is a WebSocket upgrade; OpenAPI can only describe its HTTP refusals. */
function streamOperation(): JsonObject {
  return {
    operationId: 'openStream',
    summary: `WebSocket upgrade to the push stream (frames: stream-frames.schema.json); subprotocol ${STREAM_SUBPROTOCOL}`,
    parameters: [
      {
        name: 'Sec-WebSocket-Protocol',
        in: 'header',
        required: false,
        description: `Offer ${STREAM_SUBPROTOCOL}; an offer without it is a 400, no offer at all is accepted`,
        schema: { type: 'string' },
      },
    ],
    responses: {
      '101': { description: `Switching Protocols; the server selects ${STREAM_SUBPROTOCOL} if offered` },
      '400': errorResponse('`bad_request`: malformed handshake, or subprotocol offered without signoff.v1'),
      '401': errorResponse(ERROR_STATUS[401]!, { 'WWW-Authenticate': header('`Bearer`') }),
      '404': errorResponse('`not_found`: not GET, or not this path'),
      '503': errorResponse(ERROR_STATUS[503]!),
    },
  };
}

/** `GET /claims/{id}/receipts/{receiptId}`: the one response that is not JSON (on success). */
function receiptOperation(): JsonObject {
  const binary = { type: 'string', format: 'binary' };
  return {
    operationId: 'getReceipt',
    summary:
      "A receipt's bytes, with the claim's visibility (an invisible claim is a 404); Content-Type is the type sniffed from the content at upload",
    parameters: [
      {
        name: 'id',
        in: 'path',
        required: true,
        description: 'Claim id',
        schema: inlineSchema(ClaimId, 'input'),
      },
      {
        name: 'receiptId',
        in: 'path',
        required: true,
        description: 'A receipt id from ClaimDetail.receipts of this claim',
        schema: inlineSchema(ReceiptId, 'input'),
      },
    ],
    responses: {
      '200': {
        description: 'The receipt, as a download',
        headers: {
          'Content-Disposition': header("`attachment` with the submitter's file name (RFC 6266 / 5987)"),
          ...Object.fromEntries(
            Object.entries(RECEIPT_RESPONSE_HEADERS).map(([name, value]) => [name, header(`\`${value}\``)]),
          ),
        },
        content: Object.fromEntries(RECEIPT_MEDIA_TYPES.map((type) => [type, { schema: binary }])),
      },
      ...errorResponses({
        method: 'get',
        path: '',
        operationId: '',
        summary: '',
        auth: true,
        success: { status: 200, description: '' },
        errors: [404],
      }),
    },
  };
}

export function buildOpenApi(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const endpoint of ENDPOINTS) {
    const path = `${API_PREFIX}${endpoint.path}`;
    paths[path] = { ...paths[path], [endpoint.method]: operation(endpoint) };
  }
  paths[`${API_PREFIX}/claims/{id}/receipts/{receiptId}`] = { get: receiptOperation() };
  paths[`${API_PREFIX}/stream`] = { get: streamOperation() };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Signoff approval backend',
      version: String(PROTOCOL_VERSION),
      description:
        'Generated from protocol/ by `npm run contract`; do not edit. The prose contract, including the rules ' +
        'a schema cannot express (totals, ordering, authorization, resume), is docs/protocol.md. Every non-2xx ' +
        'answer is an ErrorBody. Request objects are strict; clients ignore unknown response fields.',
    },
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'Opaque token from POST /session, sent as `Authorization: Bearer <token>`',
        },
      },
      schemas: {
        ...jsonSchemas(responseSchemas, 'output', REF),
        ...jsonSchemas(requestSchemas, 'input', REF),
      },
    },
  };
}
