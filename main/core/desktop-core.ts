// The Electron-free heart of the desktop app behind the DesktopCore façade from ports.ts. The façade
// holds what outlives a session (settings, the TLS transport, the saved sign-in, the queue the tray
// shows, notifications, reminders, snapshot listeners); session.ts holds one signed-in account and
// its live stream. The composition root hands it real adapters; tests hand it fakes and a server.
import type { ClaimDetail, ClaimListResponse, DecidedClaimListResponse, FetchLike, Me } from '../../protocol';
import { accountId } from './account-state';
import type { Decision } from './actions';
import { type AnnouncementInbox, withDismissed, withRead } from './announcement-inbox';
import { DEFAULT_BACKOFF } from './backoff';
import { consoleLogger } from './console-logger';
import type { CoreDeps } from './core-deps';
import type { HttpTransport } from './http-transport';
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
  NotSignedInError,
  type PauseCommand,
  type Settings,
  type SettingsPatch,
  SignInError,
  systemClock,
} from './ports';
import { QueueStore } from './queue-store';
import { ReminderScheduler } from './reminders';
import { SavedSignIns } from './saved-sign-in';
import { parseServerUrl, type ServerAddress } from './server-url';
import { Session, type SessionChange, type SessionEnvironment, type SessionLogin } from './session';
import { defaultSettings, mergeSettings, SettingsFile } from './settings';
import { signInToServer } from './sign-in';
import { type SnapshotListener, SnapshotListeners } from './snapshot-listeners';
import type { FrameCounters } from './stream-client';
import { createTrustedTransport } from './trusted-transport';

export type { CoreDeps } from './core-deps';
export { trayModelOf } from './tray-model';

const SIGNED_OUT: ConnectionState = { kind: 'signed-out' };

export function createDesktopCore(deps: CoreDeps): DesktopCoreWithDiagnostics {
  return new Core(deps);
}

class Core implements DesktopCoreWithDiagnostics {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly settingsFile: SettingsFile;
  private readonly saved: SavedSignIns;
  private settings: Settings = defaultSettings();
  private transport: HttpTransport | null = null;
  private session: Session | null = null;
  private readonly queue = new QueueStore();
  private readonly policy: NotificationPolicy;
  private readonly reminders: ReminderScheduler;
  private readonly listeners: SnapshotListeners;
  private readonly counters: FrameCounters = { notJson: 0, invalid: 0, oversized: 0, binary: 0 };
  private readonly sessionEnvironment: SessionEnvironment;
  private cachedSnapshot: CoreSnapshot | null = null;
  /** CoreSnapshot.listsRevision: counts stream syncs and reflected decisions. */
  private listsRevision = 0;
  private started = false;

  constructor(private readonly deps: CoreDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? consoleLogger;
    this.settingsFile = new SettingsFile(deps.userDataDir, this.logger, () => this.clock.now());
    this.saved = new SavedSignIns(deps.secrets, this.logger);
    this.listeners = new SnapshotListeners(this.logger);
    const now = { clock: this.clock, settings: () => this.settings, locale: () => this.locale };
    this.policy = new NotificationPolicy({
      ...now,
      notifier: deps.notifier,
      logger: this.logger,
      state: () => this.session?.state ?? null,
      queueSize: () => this.queue.size,
      floodWindowMs: deps.liveFloodWindowMs,
    });
    this.reminders = new ReminderScheduler({
      ...now,
      policy: this.policy,
      state: () => this.activeSession()?.state ?? null,
      queue: () => this.queue.list(),
    });
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
      hooks: {
        onChange: (change) => this.sessionChanged(change),
        onExpired: (account) => this.sessionExpired(account),
        onLinkDead: () => this.transport?.resetPool(),
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
    this.settings = await this.settingsFile.load();
    this.transport = await createTrustedTransport(this.settings.extraCaFile, this.logger);
    const saved = await this.saved.restore(this.settings);
    if (saved) await this.openSession(saved.address, saved.username, saved.token, null, null);
    this.emit();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.reminders.dispose();
    await this.session?.stop();
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
      this.session.close();
      await this.session.flush();
    }
    await this.saved.saveToken(account, signedIn.token);
    this.settings = mergeSettings(this.settings, { serverUrl: address.baseUrl, username: user });
    await this.settingsFile.save(this.settings);
    await this.openSession(address, user, signedIn.token, signedIn.session.user, signedIn.transports);
    this.emit();
  }

  async signOut(): Promise<void> {
    const session = this.session;
    if (!session) return;
    session.close();
    this.session = null;
    this.queue.clear();
    this.policy.reset();
    this.reminders.cancel();
    this.emit();
    await session.signOutOnServer(this.fetch);
    await this.saved.deleteToken(session.account);
    await session.forget();
  }

  private async openSession(
    address: ServerAddress,
    username: string,
    token: string,
    user: Me | null,
    advertised: SessionLogin['advertised'],
  ) {
    const tls = this.transport?.tls ?? {};
    const stream = this.settings;
    const login: SessionLogin = {
      address,
      username,
      token,
      user,
      fetch: this.fetch,
      tls,
      stream,
      advertised,
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

  // ---- reads and actions ----

  snapshot(): CoreSnapshot {
    if (!this.cachedSnapshot) {
      this.cachedSnapshot = {
        connection: this.session?.connection ?? SIGNED_OUT,
        user: this.session?.user ?? null,
        serverUrl: this.session?.address.baseUrl ?? this.settings.serverUrl,
        queue: this.queue.list(),
        secretStorage: this.deps.secrets.kind,
        settings: this.settings,
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

  approve(id: string, version: number, comment?: string): Promise<ActionResult> {
    return this.act(id, version, comment === undefined ? { kind: 'approve' } : { kind: 'approve', comment });
  }

  reject(id: string, version: number, reason: string): Promise<ActionResult> {
    return this.act(id, version, { kind: 'reject', reason });
  }

  private async act(id: string, version: number, decision: Decision): Promise<ActionResult> {
    if (this.session) return this.session.act(id, version, decision, this.locale);
    return { ok: false, reason: 'session-expired', message: messagesFor(this.locale).sessionExpired };
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
      this.transport = await createTrustedTransport(this.settings.extraCaFile, this.logger);
    }
    this.reminders.reschedule();
    this.emit();
    return next;
  }

  wake(reason: 'resume' | 'unlock' | 'online'): void {
    const session = this.activeSession();
    if (!session) return;
    this.logger.info('stream: wake', { reason });
    session.wake();
  }

  networkLost(): void {
    this.activeSession()?.networkLost();
  }

  // ---- announcements (issue 9) ----

  markAnnouncementsRead(ids: readonly string[]): Promise<void> {
    return this.changeAnnouncements((inbox) => withRead(inbox, ids));
  }

  dismissAnnouncement(id: string): Promise<void> {
    return this.changeAnnouncements((inbox) => withDismissed(inbox, id));
  }

  private async changeAnnouncements(change: (inbox: AnnouncementInbox) => AnnouncementInbox): Promise<void> {
    if (await this.session?.updateAnnouncements(change)) this.emit();
  }

  // ---- claim lists (Done, My claims) ----

  listClaims(scope: 'decided', cursor?: string): Promise<DecidedClaimListResponse>;
  listClaims(scope: 'mine', cursor?: string): Promise<ClaimListResponse>;
  listClaims(
    scope: 'decided' | 'mine',
    cursor?: string,
  ): Promise<DecidedClaimListResponse | ClaimListResponse> {
    const session = this.liveSession();
    return scope === 'decided' ? session.listClaims('decided', cursor) : session.listClaims('mine', cursor);
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
    if (this.deps.fetch) return this.deps.fetch;
    if (!this.transport) throw new Error('core not started');
    return this.transport.fetch;
  }

  private emit(): void {
    this.cachedSnapshot = null;
    this.listeners.notify(() => this.snapshot());
  }
}
