// "Copy diagnostics" and "Open logs folder" for Settings: what a support desk asks for first, gathered
// in main (the renderer never names a path or sees the text). The report says which versions run where,
// how the connection has been doing and what went wrong lately, and never a token, password or
// server-supplied text that could carry one: connection reasons and log fields are left out, the
// user's name and server URL are in, and the whole text is scrubbed once more before it leaves.
import { mkdir } from 'node:fs/promises';
import type { Clipboard, Shell } from 'electron';
import { connectionLabelOf } from '../common/connection-label';
import type {
  ConnectionState,
  CoreDiagnostics,
  CoreSnapshot,
  DesktopCoreWithDiagnostics,
} from '../core/ports';
import type { AppLog, LoggedProblem } from './log-file';
import { redactText } from './redaction';

const HISTORY_LENGTH = 20;

export interface ConnectionChange {
  at: string;
  kind: ConnectionState['kind'];
  /** Reconnect attempt number, when reconnecting. The reason text is left out: it may quote the server. */
  attempt?: number;
}

/** Remembers the last connection-state changes (kind only), fed from the core's snapshots. */
export class ConnectionHistory {
  private readonly changes: ConnectionChange[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  record(state: ConnectionState): void {
    const last = this.changes.at(-1);
    const attempt = state.kind === 'reconnecting' ? state.attempt : undefined;
    if (last && last.kind === state.kind && last.attempt === attempt) return;
    this.changes.push({
      at: new Date(this.now()).toISOString(),
      kind: state.kind,
      ...(attempt !== undefined ? { attempt } : {}),
    });
    if (this.changes.length > HISTORY_LENGTH) this.changes.shift();
  }

  entries(): ConnectionChange[] {
    return this.changes.map((change) => ({ ...change }));
  }
}

export interface DiagnosticsSources {
  appVersion: string;
  /** `process.versions`: electron, chrome and node are read from it. */
  versions: Partial<Record<'electron' | 'chrome' | 'node', string>>;
  /** e.g. "Linux 6.8.0 (linux x64)". */
  os: string;
  osLocale: string;
  logFile: string;
  snapshot: CoreSnapshot;
  counters: CoreDiagnostics;
  connectionHistory: ConnectionChange[];
  recentProblems: LoggedProblem[];
  now: Date;
}

const onOff = (value: boolean) => (value ? 'on' : 'off');

/** The plain-text report put on the clipboard. Pure: every input is passed in. */
export function buildDiagnosticsReport(sources: DiagnosticsSources): string {
  const { snapshot, counters } = sources;
  const { settings } = snapshot;
  const paused =
    settings.pausedUntil === null
      ? 'no'
      : settings.pausedUntil === 'indefinite'
        ? 'until resumed'
        : `until ${new Date(settings.pausedUntil).toISOString()}`;
  const lines = [
    `Signoff diagnostics — ${sources.now.toISOString()}`,
    '',
    `App version: ${sources.appVersion}`,
    `Electron: ${sources.versions.electron ?? 'not Electron'}`,
    `Chrome: ${sources.versions.chrome ?? 'n/a'}`,
    `Node: ${sources.versions.node ?? 'n/a'}`,
    `OS: ${sources.os}`,
    `Locale: OS ${sources.osLocale}, window ${snapshot.locale}${settings.locale ? ' (chosen in Settings)' : ''}`,
    `Log file: ${sources.logFile}`,
    '',
    `Server: ${snapshot.serverUrl ?? settings.serverUrl ?? 'none'}`,
    `User: ${snapshot.user ? `${snapshot.user.name} (${snapshot.user.id})` : 'signed out'}`,
    `Secret storage: ${snapshot.secretStorage}`,
    `Connection: ${connectionLabelOf(snapshot.connection)}`,
    `Claims waiting: ${snapshot.queue.length}`,
    `Notifications: ${onOff(settings.notificationsEnabled)}, paused: ${paused}, quiet hours: ${
      settings.quietHours.enabled ? `${settings.quietHours.start}–${settings.quietHours.end}` : 'off'
    }, reminders: ${settings.reminders.enabled ? `after ${settings.reminders.afterHours} h` : 'off'}`,
    `Start at login: ${onOff(settings.startAtLogin)}; extra CA file: ${settings.extraCaFile ? 'set' : 'none'}; proxy: ${settings.proxy.mode}`,
    '',
    'Counters:',
    `  connects ${counters.connects}, events applied ${counters.appliedEvents}, snapshots ${counters.snapshotsTaken}, notifications shown ${counters.notificationsShown}`,
    `  frames dropped: not JSON ${counters.droppedFrames.notJson}, invalid ${counters.droppedFrames.invalid}, oversized ${counters.droppedFrames.oversized}, binary ${counters.droppedFrames.binary}`,
    `  next reminder: ${counters.nextReminderAt === null ? 'none' : new Date(counters.nextReminderAt).toISOString()}`,
    '',
    'Connection history (oldest first):',
    ...(sources.connectionHistory.length === 0
      ? ['  (no changes yet)']
      : sources.connectionHistory.map(
          (change) =>
            `  ${change.at} ${change.kind}${change.attempt !== undefined ? ` #${change.attempt}` : ''}`,
        )),
    '',
    'Recent warnings and errors (oldest first; details in the log file):',
    ...(sources.recentProblems.length === 0
      ? ['  (none)']
      : sources.recentProblems.map((p) => `  ${p.at} ${p.level} [${p.scope}] ${p.message}`)),
  ];
  // Defence in depth: nothing above should carry a secret, and if a message ever did, it goes no further.
  return `${redactText(lines.join('\n'))}\n`;
}

export interface SupportActions {
  openLogsFolder(): Promise<void>;
  copyDiagnostics(): Promise<void>;
}

/** What the report says about the process itself; the rest is read from the core and log when copied. */
export type DiagnosticsEnvironment = Pick<DiagnosticsSources, 'appVersion' | 'versions' | 'os' | 'osLocale'>;

/**
 * The two Settings actions, on Electron's shell and clipboard (fakes in tests). Keeps the connection
 * history from now on: the state the core is in, then every change.
 */
export function createSupportActions(deps: {
  shell: Pick<Shell, 'openPath'>;
  clipboard: Pick<Clipboard, 'writeText'>;
  log: Pick<AppLog, 'dir' | 'file' | 'recentProblems'>;
  core: Pick<DesktopCoreWithDiagnostics, 'snapshot' | 'subscribe' | 'diagnostics'>;
  environment: DiagnosticsEnvironment;
}): SupportActions {
  const { log, core } = deps;
  const history = new ConnectionHistory();
  history.record(core.snapshot().connection);
  core.subscribe((snapshot) => history.record(snapshot.connection));
  return {
    async openLogsFolder() {
      // The folder may not exist yet on a fresh install with nothing logged; the OS would refuse it.
      await mkdir(log.dir, { recursive: true });
      // Only this fixed folder is ever opened: the renderer sends no path, and openPath runs no URL.
      const problem = await deps.shell.openPath(log.dir);
      if (problem) throw new Error(`could not open the logs folder: ${problem}`);
    },
    async copyDiagnostics() {
      const report = buildDiagnosticsReport({
        ...deps.environment,
        logFile: log.file,
        snapshot: core.snapshot(),
        counters: core.diagnostics(),
        connectionHistory: history.entries(),
        recentProblems: log.recentProblems(),
        now: new Date(),
      });
      await deps.clipboard.writeText(report);
    },
  };
}
