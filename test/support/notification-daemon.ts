// A private D-Bus session bus, and on it (optionally) a real notification server: Debian's dunst on a
// private Xvfb display, driven headlessly. dunst's context menu (`dunstctl context`) pipes the
// notifications' actions, one line each (`#Approve (New claim from Alice) [3,approve]`), to the
// `dmenu` command of its config and invokes the line that command prints. Our `dmenu` is a script
// that records what it was offered and prints the line holding the `[id,key]` the test chose, so the
// daemon itself emits ActionInvoked to the app's connection, as a user's click would.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './stub-fixtures';

const run = promisify(execFile);

/** Why the daemon tests cannot run here (missing programs), or null when they can. */
export function notificationDaemonMissing(): string | null {
  for (const program of ['dbus-daemon', 'dunst', 'dunstctl', 'Xvfb']) {
    if (!['/usr/bin', '/bin', '/usr/local/bin'].some((dir) => existsSync(path.join(dir, program)))) {
      return `${program} is not installed (scripts/install-system-packages.sh installs it)`;
    }
  }
  return null;
}

function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, fd3 = false) {
  return spawn(command, args, {
    env,
    stdio: fd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
  });
}

/** Reads the first line a child writes to `stream` (dbus-daemon's address, Xvfb's display). */
function firstLine(child: ChildProcess, stream: NodeJS.ReadableStream, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within 10 s`)), 10_000);
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code})`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface PrivateBus {
  /** The bus's address, for DBUS_SESSION_BUS_ADDRESS or dbus-next's `busAddress`. */
  address: string;
  dispose(): Promise<void>;
}

/** A session bus of its own (`dbus-daemon --session`), so tests never meet the desktop's server. */
export async function startPrivateBus(): Promise<PrivateBus> {
  const child = startChild(
    'dbus-daemon',
    ['--session', '--nofork', '--nopidfile', '--print-address=1'],
    process.env,
  );
  const address = await firstLine(child, child.stdout!, 'dbus-daemon');
  return { address, dispose: () => stopChild(child) };
}

export interface Dunst {
  bus: PrivateBus;
  /** Clicks the button `key` of the server's notification `id` through dunst's context menu. */
  invoke(id: number, key: string): Promise<void>;
  /** The action lines dunst offered in its last context menu. */
  lastMenu(): string[];
  /** How many notifications dunst shows now. */
  displayed(): Promise<number>;
  dispose(): Promise<void>;
}

/** A private bus with dunst on it, showing on a private Xvfb display. */
export async function startDunst(): Promise<Dunst> {
  const dir = tempDir('signoff-dunst-');
  const choice = dir.file('choice');
  const offered = dir.file('offered');
  const dmenu = dir.file('dmenu.sh');
  writeFileSync(
    dmenu,
    `#!/bin/sh\ntee ${JSON.stringify(offered)} | grep -F -- "$(cat ${JSON.stringify(choice)})" | head -n 1\n`,
  );
  chmodSync(dmenu, 0o755);
  const config = dir.file('dunstrc');
  // No markup, so text reaches the screen as given; the context menu shows every action. Nothing
  // expires by itself, so a notification that leaves the screen was closed by someone.
  writeFileSync(
    config,
    `[global]\n    dmenu = ${dmenu}\n    markup = no\n[urgency_normal]\n    timeout = 0\n`,
  );

  const bus = await startPrivateBus();
  const xvfb = startChild(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '800x600x24', '-nolisten', 'tcp'],
    process.env,
    true,
  );
  const display = `:${await firstLine(xvfb, xvfb.stdio[3] as NodeJS.ReadableStream, 'Xvfb')}`;
  const env = { ...process.env, DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: bus.address };
  const dunst = startChild('dunst', ['-config', config], env);
  const ctl = (...args: string[]) => run('dunstctl', args, { env });
  // dunst owns the name once it answers.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await ctl('count');
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    bus,
    async invoke(id, key) {
      writeFileSync(choice, `[${id},${key}]`);
      await ctl('context');
    },
    lastMenu: () => (existsSync(offered) ? readFileSync(offered, 'utf8').split('\n').filter(Boolean) : []),
    async displayed() {
      const { stdout } = await ctl('count', 'displayed');
      return Number(stdout.trim());
    },
    async dispose() {
      await stopChild(dunst);
      await stopChild(xvfb);
      await bus.dispose();
      dir.remove();
    },
  };
}
