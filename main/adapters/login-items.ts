// Start at login, per platform. macOS and Windows keep the login item in the OS (Electron's
// setLoginItemSettings); Linux has no such API, so we write an XDG autostart entry. `isEnabled()`
// always asks the OS or the disk, never our settings, because the user can change it behind our back
// (System Settings, Task Manager's Startup tab, deleting the file).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';
import { APP_NAME, AUTOSTART_FILE_NAME, HIDDEN_SWITCH } from './app-identity';
import { isAutostartEntryActive, renderAutostartEntry } from './desktop-entry';

export interface LoginItems {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

type LoginItemApp = Pick<App, 'setLoginItemSettings' | 'getLoginItemSettings'>;

export interface LoginItemsOptions {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  /** What starts this app: see `launchCommandOf`. */
  command: readonly string[];
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/**
 * The program (and, in development, the app folder) to start at login. An AppImage must be started
 * through its own file: process.execPath points into a mount that disappears when it exits.
 */
export function launchCommandOf(options: {
  execPath: string;
  isPackaged: boolean;
  appPath: string;
  env?: NodeJS.ProcessEnv;
}): string[] {
  const appImage = options.env?.APPIMAGE;
  if (appImage) return [appImage];
  return options.isPackaged ? [options.execPath] : [options.execPath, options.appPath];
}

export function createLoginItems(options: LoginItemsOptions): LoginItems {
  switch (options.platform) {
    case 'linux':
      return new XdgAutostart(
        autostartFilePath(options.env ?? process.env, options.homeDir ?? os.homedir()),
        options.command,
      );
    case 'win32':
      return new WindowsLoginItem(options.app, options.command);
    default:
      return new MacLoginItem(options.app);
  }
}

/** `$XDG_CONFIG_HOME/autostart/signoff.desktop`; XDG says a relative XDG_CONFIG_HOME is to be ignored. */
export function autostartFilePath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configured = env.XDG_CONFIG_HOME;
  const configHome = configured && path.isAbsolute(configured) ? configured : path.join(homeDir, '.config');
  return path.join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

export class XdgAutostart implements LoginItems {
  constructor(
    readonly filePath: string,
    private readonly command: readonly string[],
  ) {}

  isEnabled(): boolean {
    try {
      return isAutostartEntryActive(readFileSync(this.filePath, 'utf8'));
    } catch {
      return false;
    }
  }

  setEnabled(enabled: boolean): void {
    if (!enabled) {
      rmSync(this.filePath, { force: true });
      return;
    }
    mkdirSync(path.dirname(this.filePath), { recursive: true });
    const text = renderAutostartEntry({
      name: APP_NAME,
      comment: 'Tells you when an expense claim waits for your approval',
      command: [...this.command, HIDDEN_SWITCH],
    });
    // Write-then-rename: a session manager reading the folder at login never sees half a file.
    const temporary = `${this.filePath}.tmp`;
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, this.filePath);
  }

  /** Whether a file is there at all, even a disabled one (for tests and diagnostics). */
  exists(): boolean {
    return existsSync(this.filePath);
  }
}

/** Windows keys the Run entry by executable and arguments, so reads must pass the same ones. */
class WindowsLoginItem implements LoginItems {
  private readonly path: string;
  private readonly args: string[];
  constructor(
    private readonly app: LoginItemApp,
    command: readonly string[],
  ) {
    this.path = command[0] ?? process.execPath;
    this.args = [...command.slice(1), HIDDEN_SWITCH];
  }
  isEnabled(): boolean {
    return this.app.getLoginItemSettings({ path: this.path, args: this.args }).openAtLogin;
  }
  setEnabled(enabled: boolean): void {
    this.app.setLoginItemSettings({ openAtLogin: enabled, path: this.path, args: this.args });
  }
}

/**
 * macOS 13+ registers the app itself (SMAppService) and ignores launch arguments, so there is no
 * --hidden: main.ts starts hidden when `wasOpenedAtLogin` says the OS launched it.
 */
class MacLoginItem implements LoginItems {
  constructor(private readonly app: LoginItemApp) {}
  isEnabled(): boolean {
    return this.app.getLoginItemSettings().openAtLogin;
  }
  setEnabled(enabled: boolean): void {
    this.app.setLoginItemSettings({ openAtLogin: enabled });
  }
}

/** Whether to start in the tray only: --hidden anywhere, or on macOS a launch by the login item. */
export function shouldStartHidden(
  argv: readonly string[],
  platform: NodeJS.Platform,
  app: LoginItemApp,
): boolean {
  if (argv.includes(HIDDEN_SWITCH)) return true;
  if (platform !== 'darwin') return false;
  try {
    return app.getLoginItemSettings().wasOpenedAtLogin;
  } catch {
    return false;
  }
}

interface StartAtLoginCore {
  snapshot(): { settings: { startAtLogin: boolean } };
  subscribe(listener: (snapshot: { settings: { startAtLogin: boolean } }) => void): () => void;
  updateSettings(patch: { startAtLogin: boolean }): Promise<unknown>;
}

/**
 * Keeps the OS login item and the `startAtLogin` setting in step. At start the OS is the truth (the
 * user may have removed the entry by hand); afterwards the setting drives the OS, whether it was
 * changed from the tray or from the window. If the OS refuses, the setting is put back to what the
 * OS really does, so neither the menu nor the window ever shows a state that is not real.
 */
export function followStartAtLoginSetting(
  core: StartAtLoginCore,
  loginItems: LoginItems,
  onChange: () => void,
  onError: (what: string, error: unknown) => void,
): () => void {
  let applied = loginItems.isEnabled();
  const adopt = (enabled: boolean) =>
    core
      .updateSettings({ startAtLogin: enabled })
      .catch((error: unknown) => onError('save start-at-login', error));
  if (core.snapshot().settings.startAtLogin !== applied) void adopt(applied);
  return core.subscribe(({ settings }) => {
    if (settings.startAtLogin === applied) return;
    try {
      loginItems.setEnabled(settings.startAtLogin);
    } catch (error) {
      onError('change the login item', error);
    }
    applied = loginItems.isEnabled();
    if (applied !== settings.startAtLogin) void adopt(applied);
    onChange();
  });
}
