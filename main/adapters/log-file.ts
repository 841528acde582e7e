// The main process's Logger: one file in the OS's usual log folder that a user or a support desk can
// find (main.log, rotated by size), plus the console while developing. Core and adapters share it.
//
// Written with electron-log's Node entry (`electron-log/node`), not `electron-log/main`: the main
// entry registers an `__ELECTRON_LOG__` ipcMain listener and invoke handler when imported, with no
// sender check and outside the app's one zod-validated IPC contract (main/ipc/contract.ts), and it can
// inject its own preload into sessions. The file and console transports are the same code in both
// entries; the app passes the folder Electron names for logs (`app.getPath('logs')`) itself.
//
// Nothing reaches a transport unredacted: fields are redacted by key and text by pattern here, and a
// hook on the electron-log instance scrubs every string once more, whoever logged it.
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import electronLog from 'electron-log/node';
import type { Logger } from '../core/ports';
import { redactText, redactValue } from './redaction';

export const LOG_FILE_NAME = 'main.log';
/** Rotate at 1 MiB: a day of a busy approver's log fits many times over, and a ticket can carry it. */
export const LOG_MAX_BYTES = 1024 * 1024;
/** Previous files kept next to main.log as main.1.log (newest) … main.3.log. */
export const LOG_KEEP_FILES = 3;
const RECENT_PROBLEMS = 10;

export interface LoggedProblem {
  at: string;
  level: 'warn' | 'error';
  scope: string;
  /** The message only, redacted: fields may carry server text, so they stay in the file. */
  message: string;
}

export interface AppLog {
  /** A Logger for one part of the app (`main`, `core`, …); every part writes to the same file. */
  logger(scope: string): Logger;
  readonly dir: string;
  readonly file: string;
  /** The latest warnings and errors, oldest first, for "Copy diagnostics". */
  recentProblems(): LoggedProblem[];
}

export interface AppLogOptions {
  /** Electron's `app.getPath('logs')`: ~/.config/Signoff/logs, ~/Library/Logs/Signoff, %APPDATA%\Signoff\logs. */
  logsDir: string;
  /** Also print to stdout/stderr (development, the boot test, a terminal). */
  console: boolean;
  maxBytes?: number;
  keepFiles?: number;
  /** electron-log keeps instances by id; tests give each log its own. */
  logId?: string;
}

/** Shifts main.log → main.1.log → … → main.N.log, dropping the oldest. Exported for tests. */
export function rotateLogFiles(file: string, keep: number): void {
  const { dir, name, ext } = path.parse(file);
  const numbered = (n: number) => path.join(dir, `${name}.${n}${ext}`);
  rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n -= 1) {
    try {
      renameSync(numbered(n), numbered(n + 1));
    } catch {
      // Not there yet: fewer old files than `keep` so far.
    }
  }
  renameSync(file, numbered(1));
}

function fieldsText(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  try {
    return ` ${JSON.stringify(redactValue(fields))}`;
  } catch {
    return ' [unserializable fields]';
  }
}

export function createAppLog(options: AppLogOptions): AppLog {
  const file = path.join(options.logsDir, LOG_FILE_NAME);
  const keep = options.keepFiles ?? LOG_KEEP_FILES;
  const log = electronLog.create({ logId: options.logId ?? 'signoff' });

  // The safety net: every string handed to any transport is scrubbed, whoever called electron-log.
  log.hooks.push((message) => ({
    ...message,
    data: message.data.map((item: unknown) =>
      typeof item === 'string' ? redactText(item) : redactValue(item),
    ),
  }));

  const fileTransport = log.transports.file;
  fileTransport.resolvePathFn = () => file;
  fileTransport.maxSize = options.maxBytes ?? LOG_MAX_BYTES;
  fileTransport.format = '[{iso}] [{level}] {text}';
  fileTransport.archiveLogFn = (old) => {
    try {
      rotateLogFiles(old.path, keep);
    } catch {
      // Could not rename (Windows: open elsewhere); start over rather than grow without bound.
      old.clear();
    }
  };
  log.transports.console.level = options.console ? 'info' : false;
  // Plain lines on the console too (no colour codes): greppable, and the boot test reads them.
  log.transports.console.format = '{iso} [{level}] {text}';
  log.transports.console.useStyles = false;
  // Main-process only: nothing is sent to windows, nothing leaves the machine. (The Node entry leaves
  // the ipc transport out altogether; the remote one exists but would need a URL.)
  for (const name of ['ipc', 'remote'] as const) {
    const transport = log.transports[name] as { level: unknown } | null | undefined;
    if (transport) transport.level = false;
  }

  const problems: LoggedProblem[] = [];
  const write = (level: 'info' | 'warn' | 'error', scope: string) => {
    return (message: string, fields?: Record<string, unknown>) => {
      const text = redactText(message);
      log[level](`[${scope}] ${text}${fieldsText(fields)}`);
      if (level === 'info') return;
      problems.push({ at: new Date().toISOString(), level, scope, message: text.slice(0, 200) });
      if (problems.length > RECENT_PROBLEMS) problems.shift();
    };
  };

  return {
    dir: options.logsDir,
    file,
    logger: (scope) => ({
      info: write('info', scope),
      warn: write('warn', scope),
      error: write('error', scope),
    }),
    recentProblems: () => problems.map((problem) => ({ ...problem })),
  };
}
