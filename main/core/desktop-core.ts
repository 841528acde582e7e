// The Electron-free heart of the desktop app: settings, session, the live stream, the queue,
// notifications, reminders and actions, behind the DesktopCore façade from ports.ts. The composition
// root hands it real adapters; tests hand it fakes and talk to a real server.
import { promises as fs } from 'node:fs';
import tls from 'node:tls';
import { API_PREFIX, ApiClient, ApiError, type ClaimDetail, type FetchLike, type Me } from '../../protocol';
import { AccountState, accountId } from './account-state';
import { type Decision, decide } from './actions';
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff';
import { createHttpTransport, type HttpTransport } from './http-transport';
import { messagesFor, resolveLocale } from './i18n';
import { NotificationPolicy } from './notification-policy';
import { pausedUntilFor } from './pause-presets';
import {
  type ActionResult,
  type Clock,
  type ConnectionState,
  type CoreDiagnostics,
  type CoreSnapshot,
  type DesktopCoreWithDiagnostics,
  type Locale,
  type Logger,
  type Notifier,
  type PauseCommand,
  type SecretStore,
  type Settings,
  type SettingsPatch,
  SignInError,
  systemClock,
} from './ports';
import { QueueStore } from './queue-store';
import { ReminderScheduler } from './reminders';
import { parseServerUrl, type ServerAddress } from './server-url';
import { defaultSettings, mergeSettings, SettingsFile } from './settings';
import { signInToServer } from './sign-in';
import { type FrameCounters, type SocketFactory, StreamConnection } from './stream-connection';
import { SyncEngine } from './sync-engine';

export { trayModelOf } from './tray-model';

export interface CoreDeps {
  userDataDir: string;
  secrets: SecretStore;
  notifier: Notifier;
  clock?: Clock;
  logger?: Logger;
  /** e.g. `app.getLocale()`; used when settings.locale is null. */
  osLocale: string;
  /** Replaces the built-in node:http(s) transport for REST (its TLS settings are then the caller's). */
  fetch?: FetchLike;
  /** Replaces `new WebSocket(...)` for the stream. */
  createSocket?: SocketFactory;
  /** Reconnect timing; defaults: 1 s base, 30 s cap, reset after 30 s online. */
  backoff?: Partial<BackoffOptions>;
  /** Jitter source, [0, 1). */
  random?: () => number;
}

const SIGN_OUT_TIMEOUT_MS = 3_000;

const consoleLogger: Logger = {
  info: (message, fields) => console.info(`[core] ${message}`, fields ?? ''),
  warn: (message, fields) => console.warn(`[core] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[core] ${message}`, fields ?? ''),
};

interface Session {
  address: ServerAddress;
  username: string;
  account: string;
  api: ApiClient;
  state: AccountState;
  sync: SyncEngine;
  connection: StreamConnection;
  expired: boolean;
}

export function createDesktopCore(deps: CoreDeps): DesktopCoreWithDiagnostics {
  return new Core(deps);
}

class Core implements DesktopCoreWithDiagnostics {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly settingsFile: SettingsFile;
  private settings: Settings = defaultSettings();
  private transport: HttpTransport | null = null;
  private session: Session | null = null;
  private connection: ConnectionState = { kind: 'signed-out' };
  private readonly queue = new QueueStore();
  private readonly policy: NotificationPolicy;
  private readonly reminders: ReminderScheduler;
  private readonly listeners = new Set<(snapshot: CoreSnapshot) => void>();
  private readonly counters: FrameCounters = { notJson: 0, invalid: 0, oversized: 0, binary: 0 };
  private readonly backoffOptions: BackoffOptions;
  private cachedSnapshot: CoreSnapshot | null = null;
  private started = false;

  constructor(private readonly deps: CoreDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? consoleLogger;
    this.settingsFile = new SettingsFile(deps.userDataDir, this.logger, () => this.clock.now());
    this.backoffOptions = { ...DEFAULT_BACKOFF, ...deps.backoff };
    this.policy = new NotificationPolicy({
      notifier: deps.notifier,
      clock: this.clock,
      logger: this.logger,
      settings: () => this.settings,
      locale: () => this.locale,
      state: () => this.session?.state ?? null,
      queueSize: () => this.queue.size,
    });
    this.reminders = new ReminderScheduler({
      clock: this.clock,
      policy: this.policy,
      settings: () => this.settings,
      locale: () => this.locale,
      state: () => (this.session && !this.session.expired ? this.session.state : null),
      queue: () => this.queue.list(),
    });
  }

  private get locale(): Locale {
    return resolveLocale(this.settings.locale, this.deps.osLocale);
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.settings = await this.settingsFile.load();
    this.transport = await this.buildTransport();
    const { serverUrl, username } = this.settings;
    if (serverUrl && username) {
      let address: ServerAddress | null = null;
      try {
        address = parseServerUrl(serverUrl, this.settings.allowInsecureServer);
      } catch (error) {
        this.logger.warn('session: the saved server address is no longer acceptable', {
          error: String(error),
        });
      }
      const token = address ? await this.readSecret(accountId(address.origin, username)) : null;
      if (address && token) await this.openSession(address, username, token, null);
    }
    this.emit();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.reminders.dispose();
    const session = this.session;
    if (session) {
      session.connection.stop();
      await session.state.flush();
    }
    this.transport?.close();
  }

  // ---- session ----

  async signIn(serverUrl: string, username: string, password: string): Promise<void> {
    const address = parseServerUrl(serverUrl, this.settings.allowInsecureServer);
    const user = username.trim().toLowerCase();
    if (user.length === 0 || password.length === 0) {
      throw new SignInError('invalid-credentials', 'Enter your user name and password.');
    }
    const signedIn = await signInToServer(address, user, password, this.fetch);
    const account = accountId(address.origin, user);
    if (this.session && this.session.account !== account) await this.signOut();
    else if (this.session) {
      // Same account again (e.g. after expiry): the new session resumes from what this one saved.
      this.closeSession(this.session);
      await this.session.state.flush();
    }
    try {
      await this.deps.secrets.set(account, signedIn.token);
    } catch (error) {
      // Still signed in for this run; the user signs in again after a restart.
      this.logger.error('session: could not store the token', { error: String(error) });
    }
    this.settings = mergeSettings(this.settings, { serverUrl: address.baseUrl, username: user });
    await this.settingsFile.save(this.settings);
    await this.openSession(address, user, signedIn.token, signedIn.session.user);
    this.emit();
  }

  async signOut(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.closeSession(session);
    this.session = null;
    this.queue.clear();
    this.policy.reset();
    this.reminders.cancel();
    this.connection = { kind: 'signed-out' };
    this.emit();
    if (!session.expired) {
      const api = new ApiClient({
        baseUrl: session.address.baseUrl,
        token: session.api.token,
        fetch: this.fetch,
        timeoutMs: SIGN_OUT_TIMEOUT_MS,
      });
      await api.signOut().catch((error: unknown) => {
        this.logger.info('session: the server did not confirm sign-out', { error: String(error) });
      });
    }
    await this.deleteSecret(session.account);
    session.state.clearCursor();
    session.state.queueSource = null;
    await session.state.save();
  }

  private async openSession(address: ServerAddress, username: string, token: string, user: Me | null) {
    const account = accountId(address.origin, username);
    const state = new AccountState(this.deps.userDataDir, account, this.logger);
    await state.load();
    if (user) state.data.user = user;
    this.queue.replaceAll(state.data.queue);
    // Keys look like `EXP-1#0`, `EXP-1@approved`, `announcement:…`: keep those of queued claims.
    state.prune(this.clock.now(), (key) => this.queue.has(key.split(/[#@]/)[0] ?? key));
    state.queueSource = () => this.queue.list();
    this.policy.reset();
    const api = new ApiClient({ baseUrl: address.baseUrl, token, fetch: this.fetch });
    const backoff = new Backoff(this.backoffOptions, this.deps.random);
    // Assigned below; the hooks only run after start().
    let session!: Session;
    const sync = new SyncEngine({
      api,
      queue: this.queue,
      state,
      policy: this.policy,
      logger: this.logger,
      onChange: () => {
        this.reminders.rescheduleSoon();
        this.emit();
      },
      onBroken: (reason) => {
        if (reason === 'session-ended') this.expire(session);
        else session.connection.restart(reason);
      },
    });
    const connection = new StreamConnection({
      url: `${address.wsBase}${API_PREFIX}/stream`,
      token,
      tls: this.transport?.tls ?? {},
      clock: this.clock,
      logger: this.logger,
      backoff,
      counters: this.counters,
      createSocket: this.deps.createSocket,
      hooks: {
        prepare: () => sync.prepare(),
        onFrame: (frame) => sync.receive(frame),
        onState: (state) => {
          if (this.session !== session || session.expired) return;
          this.connection = state;
          this.emit();
        },
        onDisconnected: () => sync.disconnected(),
        onSessionEnded: () => this.expire(session),
        onLinkDead: () => this.transport?.resetPool(),
      },
    });
    session = { address, username, account, api, state, sync, connection, expired: false };
    this.session = session;
    this.connection = { kind: 'connecting' };
    connection.start();
    this.reminders.reschedule();
    // The profile may have changed (or was never fetched on this machine); refresh it quietly.
    api.me().then(
      (me) => {
        if (this.session !== session) return;
        state.data.user = me.user;
        void state.save();
        this.emit();
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) this.expire(session);
      },
    );
  }

  private closeSession(session: Session): void {
    session.connection.stop();
    session.sync.close();
  }

  /** The token is dead: say so once, stop reconnecting, keep the cursor so signing in again resumes. */
  private expire(session: Session): void {
    if (session.expired || this.session !== session) return;
    session.expired = true;
    session.connection.stop();
    session.api.token = null;
    this.reminders.cancel();
    this.connection = { kind: 'session-expired' };
    this.policy.sessionExpired();
    void this.deleteSecret(session.account);
    void session.state.save();
    this.emit();
  }

  // ---- reads and actions ----

  snapshot(): CoreSnapshot {
    if (!this.cachedSnapshot) {
      this.cachedSnapshot = {
        connection: this.connection,
        user: this.session?.state.data.user ?? null,
        serverUrl: this.session?.address.baseUrl ?? this.settings.serverUrl,
        queue: this.queue.list(),
        secretStorage: this.deps.secrets.kind,
        settings: this.settings,
        locale: this.locale,
      };
    }
    return this.cachedSnapshot;
  }

  subscribe(listener: (snapshot: CoreSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async getClaim(id: string): Promise<ClaimDetail> {
    const session = this.activeSession();
    if (!session) throw new Error('not signed in');
    return session.api.getClaim(id);
  }

  approve(id: string, version: number, comment?: string): Promise<ActionResult> {
    return this.act(id, version, comment === undefined ? { kind: 'approve' } : { kind: 'approve', comment });
  }

  reject(id: string, version: number, reason: string): Promise<ActionResult> {
    return this.act(id, version, { kind: 'reject', reason });
  }

  private async act(id: string, version: number, decision: Decision): Promise<ActionResult> {
    const session = this.session;
    const m = messagesFor(this.locale);
    if (!session || session.expired)
      return { ok: false, reason: 'session-expired', message: m.sessionExpired };
    // The OS says there is no network: say so at once instead of waiting for a request to time out.
    if (this.connection.kind === 'offline') return { ok: false, reason: 'offline', message: m.offline };
    const result = await decide(session.api, id, version, decision, this.locale);
    if (this.session !== session) return result;
    if (result.ok || result.reason === 'conflict') this.reflect(session, result.claim);
    if (!result.ok && result.reason === 'session-expired') this.expire(session);
    return result;
  }

  /** Shows the outcome at once; the stream's event for it then arrives as a harmless duplicate. */
  private reflect(session: Session, claim: ClaimDetail): void {
    const me = session.state.data.user?.id ?? session.username;
    const stillMine = claim.state === 'pending' && claim.currentStep?.approvers.some((a) => a.id === me);
    const { items: _items, chain: _chain, audit: _audit, ...summary } = claim;
    const changed = stillMine ? this.queue.upsert(summary) : this.queue.remove(claim.id, claim.version);
    if (!stillMine && changed) this.policy.claimLeft(claim.id);
    if (changed) {
      this.reminders.reschedule();
      this.emit();
    }
  }

  // ---- settings ----

  pauseNotifications(preset: PauseCommand): Promise<Settings> {
    return this.updateSettings({ pausedUntil: pausedUntilFor(preset, this.clock.now()) });
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    const next = mergeSettings(this.settings, patch);
    const caChanged = next.extraCaFile !== this.settings.extraCaFile;
    this.settings = next;
    await this.settingsFile.save(next);
    if (caChanged) {
      // Takes effect for requests from now on and for the next stream connection.
      this.transport?.close();
      this.transport = await this.buildTransport();
    }
    this.reminders.reschedule();
    this.emit();
    return next;
  }

  wake(reason: 'resume' | 'unlock' | 'online'): void {
    const session = this.activeSession();
    if (!session) return;
    this.logger.info('stream: wake', { reason });
    session.connection.wake();
  }

  networkLost(): void {
    this.activeSession()?.connection.networkLost();
  }

  diagnostics(): CoreDiagnostics {
    return {
      droppedFrames: { ...this.counters },
      connects: this.session?.connection.connects ?? 0,
      appliedEvents: this.session?.sync.appliedEvents ?? 0,
      snapshotsTaken: this.session?.sync.snapshotsTaken ?? 0,
      notificationsShown: this.policy.shownCount,
      nextReminderAt: this.reminders.nextCheckAt,
    };
  }

  // ---- plumbing ----

  private activeSession(): Session | null {
    return this.session && !this.session.expired ? this.session : null;
  }

  private get fetch(): FetchLike {
    if (this.deps.fetch) return this.deps.fetch;
    if (!this.transport) throw new Error('core not started');
    return this.transport.fetch;
  }

  private async buildTransport(): Promise<HttpTransport> {
    const file = this.settings.extraCaFile;
    if (!file) return createHttpTransport();
    try {
      const extra = await fs.readFile(file, 'utf8');
      return createHttpTransport({ ca: [...tls.rootCertificates, extra] });
    } catch (error) {
      this.logger.error('tls: cannot read the extra CA file; using the system CAs only', {
        file,
        error: String(error),
      });
      return createHttpTransport();
    }
  }

  private async readSecret(account: string): Promise<string | null> {
    try {
      return await this.deps.secrets.get(account);
    } catch (error) {
      this.logger.error('session: could not read the saved token', { error: String(error) });
      return null;
    }
  }

  private async deleteSecret(account: string): Promise<void> {
    try {
      await this.deps.secrets.delete(account);
    } catch (error) {
      this.logger.warn('session: could not delete the saved token', { error: String(error) });
    }
  }

  private emit(): void {
    this.cachedSnapshot = null;
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.logger.error('core: a snapshot listener threw', { error: String(error) });
      }
    }
  }
}
