// A typed client for the REST half of the contract. Every response body is validated with the same
// zod schema the server uses, so a drifting server fails loudly here rather than deep in the app.
// Used by the desktop core, the operator CLI, benchmarks and tests; `fetch` is injectable so the
// desktop app can supply one with its own TLS settings.
import type { z } from 'zod';
import { AnnouncementListResponse } from './announcement-list';
import { MeResponse, ServerInfo, SignInResponse } from './auth';
import {
  type AddApproverRequest,
  type ApproveRequest,
  type ChainChangeAction,
  ClaimDetail,
  type ClaimListPaging,
  ClaimListResponse,
  type ClaimListScope,
  DecidedClaimListResponse,
  EligibleUsersResponse,
  type RejectRequest,
  type ResubmitRequest,
  type ReturnRequest,
  type SubmitClaimRequest,
  type TransferRequest,
  type WithdrawRequest,
} from './claims';
import { type DelegateRequest, Delegation, DelegationCandidates, MyDelegations } from './delegation';
import { ErrorBody, type ErrorCode } from './errors';
import { Announcement, type AnnounceRequest, type Cursor, EventsPage, QueueSnapshot } from './events';
import type { NudgeRequest } from './nudge';
import { MAX_RECEIPT_BYTES, RECEIPT_MEDIA_TYPES, ReceiptMediaType } from './receipts';
import { API_PREFIX } from './version';

/** A non-2xx answer from the server, with its parsed `{code, message}` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`${status} ${body.code}: ${body.message}`);
    this.name = 'ApiError';
  }
  get code(): ErrorCode {
    return this.body.code;
  }
}

/** The server answered, but not in the contract's shape (wrong server, proxy page, version drift). */
export class ProtocolMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolMismatchError';
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  baseUrl: string;
  token?: string | null;
  fetch?: FetchLike;
  /** Per-request timeout in ms (long-polls add their wait on top). */
  timeoutMs?: number;
}

export interface MutationOptions {
  /** Makes the request safe to retry: a replay returns the first result. */
  idempotencyKey?: string;
}

/** A receipt's bytes as downloaded, with the type the server stated (clients check it against the bytes). */
export interface ReceiptDownload {
  mediaType: ReceiptMediaType;
  bytes: Uint8Array;
}

type RequestOptions = { body?: unknown; extraTimeoutMs?: number; signal?: AbortSignal } & MutationOptions;

function withTimeout(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}

export class ApiClient {
  readonly baseUrl: string;
  token: string | null;
  private readonly fetchImpl: FetchLike;
  private readonly timeoutMs: number;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token ?? null;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  info(): Promise<ServerInfo> {
    return this.request('GET', '/info', ServerInfo);
  }

  async signIn(username: string, password: string): Promise<SignInResponse> {
    const session = await this.request('POST', '/session', SignInResponse, { body: { username, password } });
    this.token = session.token;
    return session;
  }

  async signOut(): Promise<void> {
    await this.request('DELETE', '/session', null);
    this.token = null;
  }

  me(): Promise<MeResponse> {
    return this.request('GET', '/me', MeResponse);
  }

  submitClaim(claim: SubmitClaimRequest, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.request('POST', '/claims', ClaimDetail, { body: claim, ...options });
  }

  getClaim(id: string): Promise<ClaimDetail> {
    return this.request('GET', `/claims/${encodeURIComponent(id)}`, ClaimDetail);
  }

  /**
   * One page of a claim list. `decided` items also carry the caller's decision, so that scope is
   * validated against its own, richer schema.
   */
  listClaims(scope: 'decided', paging?: ClaimListPaging): Promise<DecidedClaimListResponse>;
  listClaims(scope: Exclude<ClaimListScope, 'decided'>, paging?: ClaimListPaging): Promise<ClaimListResponse>;
  listClaims(
    scope: ClaimListScope,
    paging: ClaimListPaging = {},
  ): Promise<ClaimListResponse | DecidedClaimListResponse> {
    const query = new URLSearchParams({ scope });
    if (paging.limit !== undefined) query.set('limit', String(paging.limit));
    if (paging.cursor !== undefined) query.set('cursor', paging.cursor);
    const schema = scope === 'decided' ? DecidedClaimListResponse : ClaimListResponse;
    return this.request('GET', `/claims?${query}`, schema);
  }

  approve(id: string, body: ApproveRequest, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.request('POST', `/claims/${encodeURIComponent(id)}/approve`, ClaimDetail, {
      body,
      ...options,
    });
  }

  reject(id: string, body: RejectRequest, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.request('POST', `/claims/${encodeURIComponent(id)}/reject`, ClaimDetail, {
      body,
      ...options,
    });
  }

  withdraw(id: string, body: WithdrawRequest, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.request('POST', `/claims/${encodeURIComponent(id)}/withdraw`, ClaimDetail, {
      body,
      ...options,
    });
  }

  /** Nudges (催办) the current approvers of the caller's own pending claim; `429 nudge_too_soon` when early. */
  nudge(id: string, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.request('POST', `/claims/${encodeURIComponent(id)}/nudge`, ClaimDetail, {
      body: {} satisfies NudgeRequest,
      ...options,
    });
  }

  /**
   * A receipt's bytes (`GET /claims/{id}/receipts/{receiptId}`). Errors come as JSON like everywhere
   * else; a success must be one of the receipt types and no larger than MAX_RECEIPT_BYTES.
   */
  async getReceipt(claimId: string, receiptId: string): Promise<ReceiptDownload> {
    const path = `/claims/${encodeURIComponent(claimId)}/receipts/${encodeURIComponent(receiptId)}`;
    const response = await this.send('GET', path, {
      accept: `${RECEIPT_MEDIA_TYPES.join(', ')}, application/json`,
    });
    if (!response.ok) return this.fail('GET', path, response.status, await response.text());
    const mediaType = ReceiptMediaType.safeParse(response.headers.get('content-type')?.split(';')[0]?.trim());
    if (!mediaType.success) throw new ProtocolMismatchError(`GET ${path}: not a receipt type`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_RECEIPT_BYTES) throw new ProtocolMismatchError(`GET ${path}: receipt too large`);
    return { mediaType: mediaType.data, bytes };
  }

  /** With `broadcast`, asks for the broadcast stream's head too (a server without that stream leaves it out). */
  queue(options: { broadcast?: boolean } = {}): Promise<QueueSnapshot> {
    return this.request('GET', options.broadcast ? '/queue?broadcast=1' : '/queue', QueueSnapshot);
  }

  /**
   * Events after `cursor` (and, with `broadcast`, broadcast events after that cursor); with
   * `waitSeconds` > 0 the server holds the request until one arrives.
   * `signal` ends a held long-poll early (the client is stopping or starting over).
   */
  events(
    cursor: Cursor | null,
    options: { waitSeconds?: number; limit?: number; signal?: AbortSignal; broadcast?: Cursor } = {},
  ): Promise<EventsPage> {
    const query = new URLSearchParams();
    if (cursor) {
      query.set('epoch', cursor.epoch);
      query.set('after', String(cursor.seq));
    }
    // The broadcast cursor, when the client reads that stream itself (the page then has `broadcast`).
    if (options.broadcast) {
      query.set('bepoch', options.broadcast.epoch);
      query.set('bafter', String(options.broadcast.seq));
    }
    if (options.waitSeconds) query.set('wait', String(options.waitSeconds));
    if (options.limit) query.set('limit', String(options.limit));
    return this.request('GET', `/events?${query}`, EventsPage, {
      extraTimeoutMs: (options.waitSeconds ?? 0) * 1000,
      signal: options.signal,
    });
  }

  announce(body: AnnounceRequest, options: MutationOptions = {}): Promise<Announcement> {
    return this.request('POST', '/announcements', Announcement, { body, ...options });
  }

  /** The latest announcements, newest first; `limit` defaults to (and is at most) 50. */
  announcements(limit?: number): Promise<AnnouncementListResponse> {
    const query = limit === undefined ? '' : `?${new URLSearchParams({ limit: String(limit) })}`;
    return this.request('GET', `/announcements${query}`, AnnouncementListResponse);
  }

  /** The caller's own delegation (scheduled or active) and the ones they cover. */
  myDelegations(): Promise<MyDelegations> {
    return this.request('GET', '/me/delegation', MyDelegations);
  }

  delegate(body: DelegateRequest, options: MutationOptions = {}): Promise<Delegation> {
    return this.request('POST', '/me/delegation', Delegation, { body, ...options });
  }

  /** Ends the caller's active delegation early, or cancels a scheduled one. */
  endDelegation(options: MutationOptions = {}): Promise<Delegation> {
    return this.request('DELETE', '/me/delegation', Delegation, options);
  }

  delegationCandidates(): Promise<DelegationCandidates> {
    return this.request('GET', '/me/delegation/candidates', DelegationCandidates);
  }

  // ---- transfer, add approver, return for revision, resubmit (issue 14) ----

  transfer(id: string, body: TransferRequest, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.claimAction(id, 'transfer', body, options);
  }

  addApprover(id: string, body: AddApproverRequest, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.claimAction(id, 'add-approver', body, options);
  }

  returnClaim(id: string, body: ReturnRequest, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.claimAction(id, 'return', body, options);
  }

  resubmit(id: string, body: ResubmitRequest, options: MutationOptions = {}): Promise<ClaimDetail> {
    return this.claimAction(id, 'resubmit', body, options);
  }

  /** The users the caller may transfer claim `id` to, or add as an approver of it. */
  eligibleUsers(id: string, action: ChainChangeAction): Promise<EligibleUsersResponse> {
    const query = new URLSearchParams({ eligibleFor: id, action });
    return this.request('GET', `/users?${query}`, EligibleUsersResponse);
  }

  private claimAction(id: string, action: string, body: unknown, options: MutationOptions) {
    return this.request('POST', `/claims/${encodeURIComponent(id)}/${action}`, ClaimDetail, {
      body,
      ...options,
    });
  }

  private async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options?: RequestOptions,
  ): Promise<z.infer<S>>;
  private async request(method: string, path: string, schema: null, options?: RequestOptions): Promise<void>;
  private async request(
    method: string,
    path: string,
    schema: z.ZodType | null,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const response = await this.send(method, path, headers, options);
    const text = await response.text();
    if (!response.ok) return this.fail(method, path, response.status, text);
    const json = this.parseJson(method, path, response.status, text);
    if (schema === null) return undefined;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ProtocolMismatchError(
        `${method} ${path}: response does not match the protocol: ${parsed.error.message}`,
      );
    }
    return parsed.data;
  }

  private send(
    method: string,
    path: string,
    headers: Record<string, string>,
    options: RequestOptions = {},
  ): Promise<Response> {
    const all: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.token) all.authorization = `Bearer ${this.token}`;
    return this.fetchImpl(`${this.baseUrl}${API_PREFIX}${path}`, {
      method,
      headers: all,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: withTimeout(this.timeoutMs + (options.extraTimeoutMs ?? 0), options.signal),
    });
  }

  private parseJson(method: string, path: string, status: number, text: string): unknown {
    try {
      return text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      throw new ProtocolMismatchError(`${method} ${path}: ${status} with a body that is not JSON`);
    }
  }

  /** A non-2xx answer: the contract's error body as an ApiError, or a mismatch when it is not one. */
  private fail(method: string, path: string, status: number, text: string): never {
    const parsed = ErrorBody.safeParse(this.parseJson(method, path, status, text));
    if (!parsed.success) {
      throw new ProtocolMismatchError(`${method} ${path}: ${status} without a Signoff error body`);
    }
    throw new ApiError(status, parsed.data);
  }
}
