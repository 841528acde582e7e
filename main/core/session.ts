// One signed-in account on one server, from sign-in (or a restored token) until sign-out or expiry:
// its REST client, its persisted state, the sync engine and the stream client feeding it. What
// outlives a session (settings, the HTTP transport, the queue the window shows, notifications,
// reminders, the keychain) stays with the façade in desktop-core.ts, which hears from the session
// only through SessionHooks. A closed or expired session never reaches the façade again, so late
// answers from the network cannot touch the next session.

import type { ChainChangeAction, UserRef } from '../../protocol';
import {
  ApiClient,
  ApiError,
  type ClaimDetail,
  type ClaimListResponse,
  type DecidedClaimListResponse,
  type FetchLike,
  type Me,
  type ReceiptDownload,
  type Transport,
} from '../../protocol';
import { isWaitingOn } from '../common/waiting-on';
import { AccountState, accountId } from './account-state';
import { type Decision, decide, type Renewal } from './actions';
import type { AnnouncementInbox } from './announcement-inbox';
import { Backoff, type BackoffOptions } from './backoff';
import { messagesFor } from './i18n';
import type { NotificationPolicy } from './notification-policy';
import { sendNudge } from './nudge';
import type {
  ActionResult,
  Clock,
  ConnectionState,
  CoreDiagnostics,
  Locale,
  Logger,
  NudgeResult,
} from './ports';
import type { QueueStore } from './queue-store';
import type { ServerAddress } from './server-url';
import { type SsoCredentials, SsoUnreachableError } from './sso-credentials';
import type { StreamClient } from './stream-client';
import { createStreamClient, type StreamClientSetup, type StreamSettings } from './stream-client-factory';
import { SyncEngine } from './sync-engine';

const SIGN_OUT_TIMEOUT_MS = 3_000;
/** How long to wait before asking an unreachable identity provider again. */
const SSO_RETRY_MS = 10_000;
/** Token renewals in a row that never got the stream online: past this the server refuses us for good. */
const MAX_RENEWALS_WITHOUT_ONLINE = 2;
/** Restoring a saved token with transport `auto`: how long to wait for `GET /info` before assuming signoff.v1. */
const INFO_TIMEOUT_MS = 5_000;

export type SessionChange =
  /** The queue or cursor moved through the stream; comes in bursts during a replay. */
  | 'synced'
  /** The user's own approve/reject changed the queue. */
  | 'reflected'
  /** The user's profile was refreshed. */
  | 'profile'
  /** The connection state changed. */
  | 'connection';

export interface SessionHooks {
  onChange(change: SessionChange): void;
  /** Once per session: the token is dead (the session already stopped reconnecting). */
  onExpired(account: string): void;
  /** The stream found the link silent; pooled REST sockets are suspect too. */
  onLinkDead(): void;
}

/** What every session of the app shares; fixed when the core is built. */
export interface SessionEnvironment {
  userDataDir: string;
  queue: QueueStore;
  policy: NotificationPolicy;
  clock: Clock;
  logger: Logger;
  /** Reconnect timing and its jitter source. */
  backoff: BackoffOptions;
  random?: () => number;
  counters: StreamClientSetup['counters'];
  createSocket?: StreamClientSetup['createSocket'];
  stompHeartbeatMs?: number;
  longPollWaitSeconds?: number;
  retryWebSocketMs?: number;
  hooks: SessionHooks;
}

/** Who signs in where, and how the server is reached as of now (the CA file may change between sessions). */
export interface SessionLogin {
  address: ServerAddress;
  username: string;
  token: string;
  /** The profile from sign-in; null when restoring a saved token (it is then refreshed quietly). */
  user: Me | null;
  fetch: FetchLike;
  tls: StreamClientSetup['tls'];
  /** Which transport, and where STOMP lives; from the settings as of now. */
  stream: StreamSettings;
  /**
   * What `GET /info` advertised at sign-in: a list, undefined (the server did not say), or null when
   * it was not asked (a restored token); then it is asked here if the choice depends on it.
   */
  advertised: readonly Transport[] | undefined | null;
  /** Single sign-on: where fresh access tokens come from; absent for a password session. */
  credentials?: SsoCredentials | null;
}

export class Session {
  readonly address: ServerAddress;
  readonly username: string;
  readonly account: string;
  readonly state: AccountState;
  private readonly queue: QueueStore;
  private readonly policy: NotificationPolicy;
  private readonly logger: Logger;
  private readonly api: ApiClient;
  private readonly sync: SyncEngine;
  private readonly stream: StreamClient;
  private readonly hooks: SessionHooks;
  private readonly credentials: SsoCredentials | null;
  private readonly clock: Clock;
  private renewals = 0;
  private connectionState: ConnectionState = { kind: 'connecting' };
  private expiredFlag = false;
  /** Signed out, or replaced by a new sign-in. */
  private closed = false;

  /** Loads the account's saved state into the shared queue and builds the session; `start()` connects. */
  static async open(env: SessionEnvironment, login: SessionLogin): Promise<Session> {
    const account = accountId(login.address.origin, login.username);
    const state = new AccountState(env.userDataDir, account, env.logger);
    await state.load();
    if (login.user) state.data.user = login.user;
    const { queue } = env;
    queue.replaceAll(state.data.queue);
    state.prune(env.clock.now(), (claimId) => queue.has(claimId));
    state.queueSource = () => queue.list();
    const advertised = login.advertised === null ? await askTransports(env, login) : login.advertised;
    return new Session(env, { ...login, advertised }, account, state);
  }

  private constructor(env: SessionEnvironment, login: SessionLogin, account: string, state: AccountState) {
    const { address, token } = login;
    const { queue, policy, clock, logger, hooks } = env;
    this.address = address;
    this.username = login.username;
    this.account = account;
    this.state = state;
    this.hooks = hooks;
    this.queue = queue;
    this.policy = policy;
    this.logger = logger;
    this.api = new ApiClient({ baseUrl: address.baseUrl, token, fetch: login.fetch });
    this.credentials = login.credentials ?? null;
    this.clock = clock;
    if (this.credentials) {
      this.credentials.onRenewed = (renewed) => {
        if (this.live) this.api.token = renewed;
      };
    }
    this.sync = new SyncEngine({
      api: this.api,
      queue,
      state,
      policy,
      logger,
      onChange: () => hooks.onChange('synced'),
      onBroken: (reason) => this.stream.restart(reason),
      onSessionEnded: () => this.sessionEnded(),
    });
    const {
      backoff,
      random,
      counters,
      createSocket,
      stompHeartbeatMs,
      longPollWaitSeconds,
      retryWebSocketMs,
    } = env;
    this.stream = createStreamClient(
      {
        address,
        // With single sign-on each connection takes the token current then.
        token: this.credentials ? () => this.api.token ?? '' : token,
        fetch: login.fetch,
        tls: login.tls,
        clock,
        logger,
        backoff: new Backoff(backoff, random),
        counters,
        createSocket,
        settings: login.stream,
        advertised: login.advertised ?? undefined,
        stompHeartbeatMs,
        longPollWaitSeconds,
        retryWebSocketMs,
      },
      {
        prepare: () => this.sync.prepare(),
        broadcastCursor: () => this.sync.broadcastCursor ?? undefined,
        onFrame: (frame) => this.sync.receive(frame),
        onState: (connection) => {
          if (!this.live) return;
          if (connection.kind === 'online') this.renewals = 0;
          this.connectionState = connection;
          hooks.onChange('connection');
        },
        onDisconnected: () => this.sync.disconnected(),
        catchUp: () => this.sync.catchUp(),
        onSessionEnded: () => this.sessionEnded(),
        onLinkDead: () => hooks.onLinkDead(),
      },
    );
  }

  /** What the tray shows; session-expired sticks once reached. */
  get connection(): ConnectionState {
    return this.connectionState;
  }

  get expired(): boolean {
    return this.expiredFlag;
  }

  /** Neither expired nor closed: may still change what the user sees. */
  get live(): boolean {
    return !this.expiredFlag && !this.closed;
  }

  get user(): Me | null {
    return this.state.data.user;
  }

  /** Counters for CoreDiagnostics. */
  counts(): Pick<CoreDiagnostics, 'connects' | 'appliedEvents' | 'snapshotsTaken'> {
    return {
      connects: this.stream.connects,
      appliedEvents: this.sync.appliedEvents,
      snapshotsTaken: this.sync.snapshotsTaken,
    };
  }

  start(): void {
    this.stream.start();
    this.refreshProfile();
  }

  /** The app is quitting: stop connecting and get the saved state onto disk. */
  async stop(): Promise<void> {
    this.credentials?.stop();
    this.stream.stop();
    await this.state.flush();
  }

  /** Signed out or replaced: nothing still in flight may touch the queue afterwards. */
  close(): void {
    this.closed = true;
    this.credentials?.stop();
    this.stream.stop();
    this.sync.close();
  }

  flush(): Promise<void> {
    return this.state.flush();
  }

  wake(reason: 'resume' | 'unlock' | 'online'): void {
    this.logger.info('stream: wake', { reason });
    this.stream.wake();
  }

  networkLost(): void {
    this.stream.networkLost();
  }

  /** The token is dead: say so once, stop reconnecting, keep the cursor so signing in again resumes. */
  expire(): void {
    if (!this.live) return;
    this.expiredFlag = true;
    this.credentials?.stop();
    this.connectionState = { kind: 'session-expired' };
    this.stream.stop();
    this.api.token = null;
    this.hooks.onExpired(this.account);
    void this.state.save();
  }

  /**
   * The server refused the token (a 4001 close, a 401). A password session is over; a single-sign-on
   * one gets a fresh access token and reconnects, resuming from its cursor, unless the provider refuses
   * the refresh token (then it is over too) or fresh tokens keep being refused.
   */
  private sessionEnded(): void {
    if (!this.live) return;
    const credentials = this.credentials;
    if (!credentials || this.renewals >= MAX_RENEWALS_WITHOUT_ONLINE) {
      this.expire();
      return;
    }
    this.renewals += 1;
    this.stream.stop();
    credentials.fresh(this.api.token ?? '').then(
      (token) => {
        if (!this.live) return;
        this.api.token = token;
        this.stream.start();
      },
      (error: unknown) => {
        if (!this.live) return;
        if (error instanceof SsoUnreachableError) {
          // Offline, not refused: the stream's backoff tries again, and its next refusal asks again.
          this.renewals -= 1;
          this.logger.warn('session: could not reach the identity provider', { error: error.message });
          this.clock.setTimeout(() => {
            if (this.live) this.stream.start();
          }, SSO_RETRY_MS);
          return;
        }
        this.refreshRefused(error);
      },
    );
  }

  /** The provider will not renew the sign-in (revoked, expired refresh token): the session is over. */
  private refreshRefused(error: unknown): void {
    this.logger.warn('session: the identity provider refused to refresh the sign-in', {
      error: String(error),
    });
    this.expire();
  }

  /**
   * A single-sign-on action (or read) met a 401: a fresh access token for its one retry. `used` is the token the
   * action was sent with, so a renewal the stream already made is taken as it is.
   */
  private async renewForAction(credentials: SsoCredentials, used: string): Promise<Renewal> {
    try {
      const token = await credentials.fresh(used);
      if (!this.live) return 'refused';
      this.api.token = token;
      return 'renewed';
    } catch (error) {
      if (error instanceof SsoUnreachableError) return 'unreachable';
      if (this.live) this.refreshRefused(error);
      return 'refused';
    }
  }

  /** Whom I may transfer a claim to or add as its approver (issue 14). */
  async eligibleUsers(id: string, action: ChainChangeAction): Promise<UserRef[]> {
    return (await this.api.eligibleUsers(id, action)).users;
  }

  getClaim(id: string): Promise<ClaimDetail> {
    return this.read(() => this.api.getClaim(id));
  }

  getReceipt(claimId: string, receiptId: string): Promise<ReceiptDownload> {
    return this.api.getReceipt(claimId, receiptId);
  }

  /** The REST client, for reads and changes outside the claim workflow (delegation, main/core/delegation.ts). */
  get client(): ApiClient {
    return this.api;
  }

  /** One page of my Done (`decided`) or My claims (`mine`) list, at the server's default page size. */
  listClaims(scope: 'decided', cursor?: string): Promise<DecidedClaimListResponse>;
  listClaims(scope: 'mine', cursor?: string): Promise<ClaimListResponse>;
  listClaims(
    scope: 'decided' | 'mine',
    cursor?: string,
  ): Promise<DecidedClaimListResponse | ClaimListResponse>;
  listClaims(
    scope: 'decided' | 'mine',
    cursor?: string,
  ): Promise<DecidedClaimListResponse | ClaimListResponse> {
    const paging = cursor === undefined ? {} : { cursor };
    return this.read(() =>
      scope === 'decided' ? this.api.listClaims('decided', paging) : this.api.listClaims('mine', paging),
    );
  }

  /**
   * A read the window asked for, treating a 401 as an action does: a single-sign-on session renews its
   * access token and reads once more; otherwise (or when the provider refuses) the session ends, so the
   * tray and every view say "session expired", not just the view that asked. The read still fails.
   */
  private async read<T>(call: () => Promise<T>): Promise<T> {
    const used = this.api.token ?? '';
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401) || !this.live) throw error;
      const { credentials } = this;
      if (!credentials) this.sessionEnded();
      else if ((await this.renewForAction(credentials, used)) === 'renewed') return call();
      throw error;
    }
  }

  async act(id: string, version: number, decision: Decision, locale: Locale): Promise<ActionResult> {
    const m = messagesFor(locale);
    if (this.expiredFlag) return { ok: false, reason: 'session-expired', message: m.sessionExpired };
    // The OS says there is no network: say so at once instead of waiting for a request to time out.
    if (this.connectionState.kind === 'offline') return { ok: false, reason: 'offline', message: m.offline };
    const { credentials } = this;
    const used = this.api.token ?? '';
    const renew = credentials ? () => this.renewForAction(credentials, used) : undefined;
    const result = await decide(this.api, id, version, decision, locale, renew);
    if (this.closed) return result;
    if (result.ok || result.reason === 'conflict') this.reflect(result.claim);
    if (!result.ok && result.reason === 'session-expired') this.sessionEnded();
    return result;
  }

  /** Nudges (催办) the approvers of my claim; no token renewal here: a 401 ends the session as for reads. */
  async nudge(id: string, locale: Locale): Promise<NudgeResult> {
    const m = messagesFor(locale);
    if (this.expiredFlag) return { ok: false, reason: 'session-expired', message: m.sessionExpired };
    if (this.connectionState.kind === 'offline') return { ok: false, reason: 'offline', message: m.offline };
    const result = await sendNudge(this.api, id, locale);
    if (!this.closed && !result.ok && result.reason === 'session-expired') this.sessionEnded();
    return result;
  }

  /** Shows the outcome of an action at once; the stream's event for it then arrives as a harmless duplicate. */
  reflect(claim: ClaimDetail): void {
    const { queue, policy } = this;
    const stillMine = isWaitingOn(claim, this.state.data.user?.id ?? this.username);
    const { items: _items, chain: _chain, audit: _audit, ...summary } = claim;
    const changed = stillMine ? queue.upsert(summary) : queue.remove(claim.id, claim.version);
    if (!stillMine && changed) policy.claimLeft(claim.id);
    if (changed) this.hooks.onChange('reflected');
  }

  /**
   * Tells the server the token is done with, unless it already is; a short timeout, never an error.
   * `fetch` is the transport's as of now: the CA file may have changed since the session opened.
   */
  async signOutOnServer(fetch: FetchLike): Promise<void> {
    await this.credentials?.revoke();
    if (this.expiredFlag) return;
    const api = new ApiClient({
      baseUrl: this.address.baseUrl,
      token: this.api.token,
      fetch,
      timeoutMs: SIGN_OUT_TIMEOUT_MS,
    });
    await api.signOut().catch((error: unknown) => {
      this.logger.info('session: the server did not confirm sign-out', { error: String(error) });
    });
  }

  /** Signed out: forget where the stream was; keep notification history so nothing is shown twice later. */
  async forget(): Promise<void> {
    this.state.clearCursor();
    this.state.queueSource = null;
    await this.state.save();
  }

  /**
   * Applies the user's change to the kept announcements and writes it to disk before resolving (so a
   * crash right after cannot show a dismissed one again); false when nothing changed.
   */
  async updateAnnouncements(change: (inbox: AnnouncementInbox) => AnnouncementInbox): Promise<boolean> {
    const before = this.state.data.announcements;
    const after = change(before);
    if (after === before) return false;
    this.state.data.announcements = after;
    await this.state.save();
    return true;
  }

  /** The profile may have changed (or was never fetched on this machine); refresh it quietly. */
  private refreshProfile(): void {
    this.api.me().then(
      (me) => {
        if (this.closed) return;
        this.state.data.user = me.user;
        void this.state.save();
        this.hooks.onChange('profile');
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) this.sessionEnded();
      },
    );
  }
}

/**
 * `auto` depends on what the server offers, which a restored session has not heard yet. Unreachable
 * now → signoff.v1 (what every server spoke before transports were advertised); a later sign-in asks again.
 */
async function askTransports(
  env: SessionEnvironment,
  login: SessionLogin,
): Promise<readonly Transport[] | undefined> {
  if (login.stream.transport !== 'auto') return undefined;
  const api = new ApiClient({
    baseUrl: login.address.baseUrl,
    fetch: login.fetch,
    timeoutMs: INFO_TIMEOUT_MS,
  });
  try {
    return (await api.info()).transports;
  } catch (error) {
    env.logger.warn('session: could not ask the server for its transports; using signoff.v1', {
      error: String(error),
    });
    return undefined;
  }
}
