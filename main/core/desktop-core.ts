// The Electron-free heart of the desktop app behind the DesktopCore façade from ports.ts. The façade
// holds what outlives a session (settings, the TLS transport, the saved sign-in, the queue the tray
// shows, notifications, reminders, snapshot listeners); session.ts holds one signed-in account and
// its live stream. The composition root hands it real adapters; tests hand it fakes and a server.
import type { Configuration } from 'openid-client';
import type {
  ChainChangeAction,
  ClaimDetail,
  ClaimListResponse,
  DecidedClaimListResponse,
  DelegateRequest,
  FetchLike,
  MyDelegations,
  UserRef,
} from '../../protocol';
import type { ChainChange } from '../common/chain-change-schema';
import type { PickedReceipt } from '../common/picked-receipt-schema';
import { accountId } from './account-state';
import type { Decision } from './actions';
import { withDismissed, withRead } from './announcement-inbox';
import { DEFAULT_BACKOFF } from './backoff';
import { bulkApprove } from './bulk-approve';
import { consoleLogger } from './console-logger';
import type { CoreDeps } from './core-deps';
import { CoreSettings } from './core-settings';
import { delegationCandidates, endDelegation, readDelegations, startDelegation } from './delegation';
import { messagesFor, resolveLocale } from './i18n';
import type { NotificationPolicy } from './notification-policy';
import { createNotificationServices } from './notification-services';
import { pausedUntilFor } from './pause-presets';
import { PickedReceipts } from './picked-receipts';
import {
  type ActionResult,
  type BulkApproveItem,
  type BulkApproveResult,
  type Clock,
  type CoreDiagnostics,
  type CoreSnapshot,
  type DelegationOutcome,
  type DesktopCoreWithDiagnostics,
  type Locale,
  type Logger,
  NotSignedInError,
  type NudgeResult,
  type PauseCommand,
  type ProxyCredentials,
  type Settings,
  type SettingsPatch,
  SignInError,
  systemClock,
} from './ports';
import { QueueStore } from './queue-store';
import { ReceiptFiles, type ReceiptImage, receiptImage } from './receipts';
import type { ReminderScheduler } from './reminders';
import { SavedSignIns } from './saved-sign-in';
import { parseServerUrl, type ServerAddress } from './server-url';
import { Session, type SessionChange, type SessionEnvironment, type SessionLogin } from './session';
import { signInToServer } from './sign-in';
import { type SnapshotListener, SnapshotListeners } from './snapshot-listeners';
import type { SsoTokens } from './sso';
import { SsoUnreachableError } from './sso-credentials';
import { advertisedProvider, signInWithProvider, ssoCredentials } from './sso-sign-in';
import type { FrameCounters } from './stream-client';

export type { CoreDeps } from './core-deps';
export { trayModelOf } from './tray-model';

export function createDesktopCore(deps: CoreDeps): DesktopCoreWithDiagnostics {
  return new Core(deps);
}

class Core implements DesktopCoreWithDiagnostics {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly settingsStore: CoreSettings;
  private readonly saved: SavedSignIns;
  private session: Session | null = null;
  private readonly queue = new QueueStore();
  private readonly policy: NotificationPolicy;
  private readonly reminders: ReminderScheduler;
  private readonly listeners: SnapshotListeners;
  private readonly counters: FrameCounters = { notJson: 0, invalid: 0, oversized: 0, binary: 0 };
  private readonly sessionEnvironment: SessionEnvironment;
  private cachedSnapshot: CoreSnapshot | null = null;
  /** A saved sign-in was refused at start-up: the window shows "session expired" until the next sign-in. */
  private expiredAtStart = false;
  private listsRevision = 0; // CoreSnapshot.listsRevision: counts stream syncs and reflected decisions
  private started = false;
  private readonly receiptFiles: ReceiptFiles;
  private readonly pickedReceipts = new PickedReceipts();

  constructor(private readonly deps: CoreDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? consoleLogger;
    this.settingsStore = new CoreSettings(
      deps.userDataDir,
      deps.secrets,
      this.logger,
      () => this.clock.now(),
      deps,
    );
    this.saved = new SavedSignIns(deps.secrets, this.logger);
    this.receiptFiles = new ReceiptFiles(deps.tempDir);
    this.listeners = new SnapshotListeners(this.logger);
    ({ policy: this.policy, reminders: this.reminders } = createNotificationServices({
      clock: this.clock,
      logger: this.logger,
      notifier: deps.notifier,
      queue: this.queue,
      settings: () => this.settings,
      locale: () => this.locale,
      state: () => this.session?.state ?? null,
      liveState: () => this.activeSession()?.state ?? null,
      floodWindowMs: deps.liveFloodWindowMs,
      act: (id, version, decision) => this.act(id, version, decision),
      openClaim: deps.openClaim,
    }));
    this.sessionEnvironment = {
      userDataDir: deps.userDataDir,
      queue: this.queue,
      policy: this.policy,
      clock: this.clock,
      logger: this.logger,
      backoff: { ...DEFAULT_BACKOFF, ...deps.backoff },
      random: deps.random,
      counters: this.counters,
      createSocket: deps.createSocket,
      stompHeartbeatMs: deps.stompHeartbeatMs,
      longPollWaitSeconds: deps.longPollWaitSeconds,
      retryWebSocketMs: deps.retryWebSocketMs,
      hooks: {
        onChange: (change) => this.sessionChanged(change),
        onExpired: (account) => this.sessionExpired(account),
        onLinkDead: () => this.settingsStore.resetPool(),
      },
    };
  }

  private get locale(): Locale {
    return resolveLocale(this.settings.locale, this.deps.osLocale);
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const saved = await this.saved.restore(await this.settingsStore.load());
    if (saved?.token) await this.openSession({ ...saved, token: saved.token, user: null, advertised: null });
    else if (saved?.refreshToken) await this.restoreSso(saved.address, saved.username, saved.refreshToken);
    this.emit();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.reminders.dispose();
    await this.session?.stop();
    this.settingsStore.close();
    await this.receiptFiles.removeAll();
  }

  // ---- session ----

  async signIn(serverUrl: string, username: string, password: string): Promise<void> {
    const address = parseServerUrl(serverUrl, this.settings.allowInsecureServer);
    const { username: user, ...signedIn } = await signInToServer(address, username, password, this.fetch);
    const account = await this.switchTo(address, user);
    await this.saved.saveToken(account, signedIn.token);
    const { token, transports: advertised } = signedIn;
    await this.openSession({ address, username: user, token, user: signedIn.session.user, advertised });
    this.emit();
  }

  async identityProvider(serverUrl: string): Promise<{ name: string } | null> {
    try {
      const address = parseServerUrl(serverUrl, this.settings.allowInsecureServer);
      return { name: (await advertisedProvider(address, this.fetch)).provider.name };
    } catch {
      return null;
    }
  }

  async signInWithSso(serverUrl: string): Promise<void> {
    const address = parseServerUrl(serverUrl, this.settings.allowInsecureServer);
    if (!this.deps.browser) throw new SignInError('sso-failed', 'No browser to sign in with.');
    const signedIn = await signInWithProvider(address, this.fetch, this.deps.browser, this.clock);
    const { username, tokens, config } = signedIn;
    const account = await this.switchTo(address, username);
    if (tokens.refreshToken) await this.saved.saveRefreshToken(account, tokens.refreshToken);
    const credentials = this.ssoCredentials(address, account, tokens, config);
    const { transports: advertised } = signedIn.info;
    await this.openSession({
      address,
      username,
      token: tokens.accessToken,
      user: signedIn.user,
      advertised,
      credentials,
    });
    this.emit();
  }

  /** Signs out of another account, or closes this one's old session (its cursor is kept); remembers where. */
  private async switchTo(address: ServerAddress, username: string): Promise<string> {
    const account = accountId(address.origin, username);
    this.expiredAtStart = false;
    if (this.session && this.session.account !== account) await this.signOut();
    else if (this.session) {
      // Same account again (e.g. after expiry): the new session resumes from what this one saved.
      this.session.close();
      await this.session.flush();
    }
    await this.settingsStore.update({ serverUrl: address.baseUrl, username });
    return account;
  }

  /** A saved single-sign-on account: a fresh access token first; a refused refresh token means signed out. */
  private async restoreSso(address: ServerAddress, username: string, refreshToken: string): Promise<void> {
    const account = accountId(address.origin, username);
    const credentials = this.ssoCredentials(address, account, {
      accessToken: '',
      refreshToken,
      expiresAt: null,
    });
    let token = '';
    try {
      token = await credentials.fresh('');
    } catch (error) {
      if (!(error instanceof SsoUnreachableError)) {
        this.logger.warn('session: the saved company sign-in was refused', { error: String(error) });
        credentials.stop();
        // As a saved password token the server refuses: one notification, the form says why.
        this.expiredAtStart = true;
        this.sessionExpired(account);
        return;
      }
    }
    await this.openSession({ address, username, token, user: null, advertised: null, credentials });
  }

  private ssoCredentials(address: ServerAddress, account: string, tokens: SsoTokens, config?: Configuration) {
    return ssoCredentials(address, tokens, {
      ...(config ? { config } : {}),
      fetch: () => this.fetch,
      clock: this.clock,
      logger: this.logger,
      saveRefreshToken: (token) => this.saved.saveRefreshToken(account, token),
    });
  }

  async signOut(): Promise<void> {
    const session = this.session;
    if (!session) return;
    session.close();
    this.session = null;
    this.queue.clear();
    this.pickedReceipts.clear();
    this.policy.reset();
    this.reminders.cancel();
    this.emit();
    await session.signOutOnServer(this.fetch);
    await this.saved.deleteToken(session.account);
    await session.forget();
  }

  /** What a sign-in or a restored sign-in knows; the transport and stream settings are the façade's. */
  private async openSession(known: Omit<SessionLogin, 'fetch' | 'tls' | 'stream'>) {
    const login: SessionLogin = {
      ...known,
      fetch: this.fetch,
      tls: this.settingsStore.tls,
      stream: this.settings,
    };
    const session = await Session.open(this.sessionEnvironment, login);
    this.policy.reset();
    this.session = session;
    session.start();
    this.reminders.reschedule();
  }

  private sessionChanged(change: SessionChange): void {
    // Every claim event on my stream (my claim moved on or was decided; a claim left my queue because
    // I decided it here or elsewhere) arrives as 'synced', my own decision here as 'reflected'.
    if (change === 'synced' || change === 'reflected') this.listsRevision += 1;
    // A replay changes the queue a thousand times in a row: reschedule once after it.
    if (change === 'synced') this.reminders.rescheduleSoon();
    else if (change === 'reflected') this.reminders.reschedule();
    // 'profile' and 'connection' only change what the snapshot shows.
    this.emit();
  }

  /** The session already stopped reconnecting; say so once and forget the dead token. */
  private sessionExpired(account: string): void {
    this.reminders.cancel();
    this.policy.sessionExpired();
    void this.saved.deleteToken(account);
    this.emit();
  }

  // ---- reads and actions on the account ----

  snapshot(): CoreSnapshot {
    if (!this.cachedSnapshot) {
      this.cachedSnapshot = {
        connection: this.session?.connection ?? {
          kind: this.expiredAtStart ? 'session-expired' : 'signed-out',
        },
        user: this.session?.user ?? null,
        serverUrl: this.session?.address.baseUrl ?? this.settings.serverUrl,
        queue: this.queue.list(),
        secretStorage: this.deps.secrets.kind,
        settings: this.settings,
        proxyUser: this.settingsStore.proxyUser,
        locale: this.locale,
        announcements: this.session?.state.data.announcements.items ?? [],
        listsRevision: this.listsRevision,
      };
    }
    return this.cachedSnapshot;
  }

  subscribe(listener: SnapshotListener): () => void {
    return this.listeners.add(listener);
  }

  async getClaim(id: string): Promise<ClaimDetail> {
    return this.liveSession().getClaim(id);
  }

  async markAnnouncementsRead(ids: readonly string[]): Promise<void> {
    if (await this.session?.updateAnnouncements((inbox) => withRead(inbox, ids))) this.emit();
  }

  async dismissAnnouncement(id: string): Promise<void> {
    if (await this.session?.updateAnnouncements((inbox) => withDismissed(inbox, id))) this.emit();
  }

  listClaims(scope: 'decided', cursor?: string): Promise<DecidedClaimListResponse>;
  listClaims(scope: 'mine', cursor?: string): Promise<ClaimListResponse>;
  listClaims(scope: 'decided' | 'mine', cursor?: string) {
    return this.liveSession().listClaims(scope, cursor);
  }

  // ---- receipts (issue 14) ----
  async receiptImage(claimId: string, receiptId: string): Promise<ReceiptImage> {
    return receiptImage(await this.liveSession().getReceipt(claimId, receiptId));
  }

  async saveReceiptForViewer(claimId: string, receiptId: string): Promise<string> {
    return this.receiptFiles.save(await this.liveSession().getReceipt(claimId, receiptId));
  }

  pickReceiptFiles(paths: readonly string[]): Promise<PickedReceipt[]> {
    return this.pickedReceipts.add(paths);
  }

  approve(id: string, version: number, comment?: string): Promise<ActionResult> {
    return this.act(id, version, { kind: 'approve', ...(comment === undefined ? {} : { comment }) });
  }

  reject(id: string, version: number, reason: string): Promise<ActionResult> {
    return this.act(id, version, { kind: 'reject', reason });
  }

  bulkApprove(items: readonly BulkApproveItem[], comment?: string): Promise<BulkApproveResult[]> {
    return bulkApprove(items, comment, {
      queued: (id) => this.queue.get(id),
      act: (id, version, decision) => this.act(id, version, decision),
      messages: messagesFor(this.locale),
    });
  }

  async nudge(id: string): Promise<NudgeResult> {
    if (!this.session) {
      return { ok: false, reason: 'session-expired', message: messagesFor(this.locale).sessionExpired };
    }
    const result = await this.session.nudge(id, this.locale);
    // My claims shows "Nudged just now" at once; the stream's claim.nudged then moves it again, harmlessly.
    if (result.ok) {
      this.listsRevision += 1;
      this.emit();
    }
    return result;
  }

  // ---- transfer, add approver, return for revision, resubmit (issue 14) ----

  async changeChain(id: string, version: number, change: ChainChange): Promise<ActionResult> {
    if (change.kind !== 'resubmit') return this.act(id, version, change);
    // Picked receipts go up as uploads; their handles meant nothing outside this process.
    const { addReceipts = [], ...edits } = change;
    const receipts = this.pickedReceipts.uploads(addReceipts);
    if (!receipts) {
      return { ok: false, reason: 'invalid', message: messagesFor(this.locale).receiptPickExpired };
    }
    const result = await this.act(id, version, { ...edits, receipts });
    if (result.ok) this.pickedReceipts.forget(addReceipts);
    return result;
  }

  eligibleUsers(id: string, action: ChainChangeAction): Promise<UserRef[]> {
    return this.liveSession().eligibleUsers(id, action);
  }

  private async act(id: string, version: number, decision: Decision): Promise<ActionResult> {
    if (this.session) return this.session.act(id, version, decision, this.locale);
    return { ok: false, reason: 'session-expired', message: messagesFor(this.locale).sessionExpired };
  }

  // ---- delegation / out of office (issue 14) ----

  delegations(): Promise<MyDelegations> {
    return readDelegations(this.liveSession().client);
  }

  delegationCandidates(): Promise<UserRef[]> {
    return delegationCandidates(this.liveSession().client);
  }

  startDelegation(request: DelegateRequest): Promise<DelegationOutcome> {
    const client = this.liveSession().client;
    return this.policy.ownDelegationChange(['scheduled', 'started'], () => startDelegation(client, request));
  }

  endDelegation(): Promise<DelegationOutcome> {
    const client = this.liveSession().client;
    return this.policy.ownDelegationChange(['ended'], () => endDelegation(client));
  }

  // ---- settings ----

  pauseNotifications(preset: PauseCommand): Promise<Settings> {
    return this.updateSettings({ pausedUntil: pausedUntilFor(preset, this.clock.now()) });
  }

  async setProxyCredentials(credentials: ProxyCredentials | null): Promise<void> {
    await this.settingsStore.setProxyCredentials(credentials);
    this.emit();
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    // A new CA takes effect for requests from now on and for the next stream connection.
    const next = await this.settingsStore.update(patch);
    this.reminders.reschedule();
    this.emit();
    return next;
  }

  wake(reason: 'resume' | 'unlock' | 'online'): void {
    this.activeSession()?.wake(reason);
  }

  networkLost(): void {
    this.activeSession()?.networkLost();
  }

  diagnostics(): CoreDiagnostics {
    return {
      droppedFrames: { ...this.counters },
      ...(this.session?.counts() ?? { connects: 0, appliedEvents: 0, snapshotsTaken: 0 }),
      notificationsShown: this.policy.shownCount,
      nextReminderAt: this.reminders.nextCheckAt,
    };
  }

  // ---- plumbing ----

  private activeSession(): Session | null {
    return this.session?.expired === false ? this.session : null;
  }

  /** Reads need a token the server still accepts; without one say so in the user's language. */
  private liveSession(): Session {
    const session = this.activeSession();
    if (!session) throw new NotSignedInError(messagesFor(this.locale).sessionExpired);
    return session;
  }

  private get fetch(): FetchLike {
    return this.settingsStore.fetch;
  }

  private get settings(): Settings {
    return this.settingsStore.current;
  }

  private emit(): void {
    this.cachedSnapshot = null;
    this.listeners.notify(() => this.snapshot());
  }
}
