import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { execValueOf, parseDesktopEntryGroup, quoteExecArgument } from '../../../main/adapters/desktop-entry';
import {
  autostartFilePath,
  createLoginItems,
  launchCommandOf,
  shouldStartHidden,
} from '../../../main/adapters/login-items';
import { app, fake } from '../../support/fake-electron';
import { useFakeElectron } from '../../support/use-fake-electron';

const run = promisify(execFile);
const VALIDATOR = '/usr/bin/desktop-file-validate';

const home = useFakeElectron('signoff-login-');

/** Undoes the Desktop Entry escaping the way a launcher does: string unescape, then split and unquote. */
function execArgumentsOf(execValue: string): string[] {
  const unescaped = execValue.replace(/\\(.)/g, (_m, c: string) =>
    c === 's' ? ' ' : c === '\\' ? '\\' : `\\${c}`,
  );
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let inArgument = false;
  for (let i = 0; i < unescaped.length; i += 1) {
    const c = unescaped[i]!;
    if (quoted) {
      if (c === '\\') current += unescaped[++i];
      else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') {
      quoted = true;
      inArgument = true;
    } else if (c === ' ') {
      if (inArgument) args.push(current);
      current = '';
      inArgument = false;
    } else {
      current += c;
      inArgument = true;
    }
  }
  if (inArgument) args.push(current);
  return args.map((a) => a.replaceAll('%%', '%'));
}

describe('Linux XDG autostart', () => {
  const trickyPaths = [
    ['/opt/Signoff/signoff'],
    ['/home/mei/Applications/Signoff 1.2 (beta).AppImage'],
    ['/home/o\'brien/My "Apps"/sign$off`x`\\100%.AppImage'],
    ['/usr/lib/electron/electron', '/home/dev/src/signoff repo'],
  ];

  it.each(trickyPaths)(
    'writes a valid entry that starts %s --hidden, and removes it again',
    async (...command) => {
      const xdgConfig = path.join(home(), 'xdg config');
      const items = createLoginItems({
        platform: 'linux',
        app,
        command,
        env: { XDG_CONFIG_HOME: xdgConfig },
        homeDir: home(),
      });
      const file = path.join(xdgConfig, 'autostart', 'signoff.desktop');
      expect(items.isEnabled()).toBe(false);

      items.setEnabled(true);
      expect(items.isEnabled()).toBe(true);
      const { stdout, stderr } = await run(VALIDATOR, [file]);
      expect(`${stdout}${stderr}`).toBe('');

      const keys = parseDesktopEntryGroup(readFileSync(file, 'utf8'));
      expect(keys.get('Type')).toBe('Application');
      expect(keys.get('Name')).toBe('Signoff');
      expect(keys.get('X-GNOME-Autostart-enabled')).toBe('true');
      expect(execArgumentsOf(keys.get('Exec')!)).toEqual([...command, '--hidden']);

      items.setEnabled(false);
      expect(existsSync(file)).toBe(false);
      expect(items.isEnabled()).toBe(false);
      items.setEnabled(false); // disabling twice is fine
    },
  );

  it('defaults to ~/.config/autostart and ignores a relative XDG_CONFIG_HOME', () => {
    expect(autostartFilePath({}, '/home/mei')).toBe('/home/mei/.config/autostart/signoff.desktop');
    expect(autostartFilePath({ XDG_CONFIG_HOME: 'relative/dir' }, '/home/mei')).toBe(
      '/home/mei/.config/autostart/signoff.desktop',
    );
    expect(autostartFilePath({ XDG_CONFIG_HOME: '/cfg' }, '/home/mei')).toBe(
      '/cfg/autostart/signoff.desktop',
    );
  });

  it('reads the real state from disk: a switched-off or deleted entry is not enabled', () => {
    const items = createLoginItems({
      platform: 'linux',
      app,
      command: ['/opt/Signoff/signoff'],
      env: {},
      homeDir: home(),
    });
    const file = path.join(home(), '.config', 'autostart', 'signoff.desktop');
    items.setEnabled(true);
    expect(items.isEnabled()).toBe(true);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'),
    );
    expect(items.isEnabled()).toBe(false);
    writeFileSync(file, '[Desktop Entry]\nType=Application\nName=Signoff\nExec=signoff\nHidden=true\n');
    expect(items.isEnabled()).toBe(false);
    rmSync(file);
    expect(items.isEnabled()).toBe(false);
    mkdirSync(file); // unreadable as a file: still just "not enabled"
    expect(items.isEnabled()).toBe(false);
  });

  it('quotes per the spec: reserved characters force quotes, % is doubled, backslashes quadruple', () => {
    expect(quoteExecArgument('/usr/bin/signoff')).toBe('/usr/bin/signoff');
    expect(quoteExecArgument('a b')).toBe('"a b"');
    expect(quoteExecArgument('100%')).toBe('100%%');
    expect(quoteExecArgument('say "hi" $HOME `x`')).toBe('"say \\"hi\\" \\$HOME \\`x\\`"');
    expect(execValueOf(['C:\\x'])).toBe('"C:\\\\\\\\x"');
    expect(() => quoteExecArgument('line\nbreak')).toThrow();
  });

  it('starts through the AppImage file when run from one', () => {
    expect(
      launchCommandOf({
        execPath: '/tmp/.mount_Sign/signoff',
        isPackaged: true,
        appPath: '/x',
        env: { APPIMAGE: '/home/mei/Signoff.AppImage' },
      }),
    ).toEqual(['/home/mei/Signoff.AppImage']);
    expect(
      launchCommandOf({ execPath: '/opt/Signoff/signoff', isPackaged: true, appPath: '/x', env: {} }),
    ).toEqual(['/opt/Signoff/signoff']);
    expect(
      launchCommandOf({ execPath: '/usr/bin/electron', isPackaged: false, appPath: '/src/signoff', env: {} }),
    ).toEqual(['/usr/bin/electron', '/src/signoff']);
  });
});

describe('Windows and macOS login items', () => {
  it('Windows registers the executable with --hidden and reads it back with the same arguments', () => {
    const items = createLoginItems({
      platform: 'win32',
      app,
      command: ['C:\\Program Files\\Signoff\\Signoff.exe'],
    });
    expect(items.isEnabled()).toBe(false);
    items.setEnabled(true);
    expect(fake.loginItem).toMatchObject({
      openAtLogin: true,
      path: 'C:\\Program Files\\Signoff\\Signoff.exe',
      args: ['--hidden'],
    });
    expect(items.isEnabled()).toBe(true);
    const read = fake.calls.filter((c) => c.method === 'getLoginItemSettings');
    expect(read.length).toBeGreaterThan(0);
    items.setEnabled(false);
    expect(items.isEnabled()).toBe(false);
  });

  it('macOS uses the OS login item and starts hidden when the OS launched it at login', () => {
    const items = createLoginItems({
      platform: 'darwin',
      app,
      command: ['/Applications/Signoff.app/Contents/MacOS/Signoff'],
    });
    items.setEnabled(true);
    expect(fake.loginItem.openAtLogin).toBe(true);
    expect(items.isEnabled()).toBe(true);
    expect(existsSync(path.join(home(), '.config'))).toBe(false);

    expect(shouldStartHidden(['/Applications/Signoff.app/Contents/MacOS/Signoff'], 'darwin', app)).toBe(
      false,
    );
    fake.loginItem.wasOpenedAtLogin = true;
    expect(shouldStartHidden(['/Applications/Signoff.app/Contents/MacOS/Signoff'], 'darwin', app)).toBe(true);
    expect(shouldStartHidden(['signoff'], 'linux', app)).toBe(false);
    expect(shouldStartHidden(['signoff', '--hidden'], 'linux', app)).toBe(true);
  });
});
