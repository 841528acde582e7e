// Boots the BUILT main bundle (dist/main/main.js, what ships) under plain Node with `electron` swapped
// for the fake, to catch what unit tests cannot: bundling mistakes, wrong asset paths, wiring order.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../main/ipc/contract';

const root = path.resolve(import.meta.dirname, '../..');
const mainBundle = path.join(root, 'dist/main/main.js');
const MARKER = '@@fake-electron';
const WAIT_MS = 15_000;

let workDir: string;
let harness: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'signoff-boot-'));
  harness = path.join(workDir, 'boot-harness.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'test/support/boot-harness.ts')],
    outfile: harness,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface HarnessEvent {
  event: string;
  data: unknown;
}

/** One run of the app: its output lines, awaitable, and a way to send harness commands. */
class BootedApp {
  readonly lines: string[] = [];
  readonly events: HarnessEvent[] = [];
  readonly exited: Promise<number | null>;
  private waiters: Array<() => void> = [];

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    const onLine = (line: string) => {
      this.lines.push(line);
      if (line.startsWith(`${MARKER} `))
        this.events.push(JSON.parse(line.slice(MARKER.length + 1)) as HarnessEvent);
      for (const wake of this.waiters) wake();
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** Resolves with the first line/event matching, failing after WAIT_MS with everything seen so far. */
  async waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`timed out waiting for ${what}; output:\n${this.lines.join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250); // only to re-check the deadline and exit
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  waitForLine(text: string): Promise<string> {
    return this.waitFor(
      () => this.lines.find((l) => l.includes(text)),
      `a line containing ${JSON.stringify(text)}`,
    );
  }

  waitForEvent(event: string, data?: unknown, after = 0): Promise<HarnessEvent> {
    return this.waitFor(
      () =>
        this.events
          .slice(after)
          .find(
            (e) =>
              e.event === event && (data === undefined || JSON.stringify(e.data) === JSON.stringify(data)),
          ),
      `harness event ${event} ${JSON.stringify(data)}`,
    );
  }

  async state(): Promise<BootState> {
    const after = this.events.length;
    this.send({ cmd: 'state' });
    return (await this.waitForEvent('state', undefined, after)).data as BootState;
  }
}

interface BootState {
  trays: {
    image: string;
    toolTip: string;
    destroyed: boolean;
    menu: string[] | null;
    contextMenuSetCount: number;
  }[];
  windows: {
    visible: boolean;
    destroyed: boolean;
    loaded: unknown;
    loadStatus: number | null;
    webPreferences: Record<string, unknown>;
  }[];
  ipcChannels: string[];
  protocolClients: Array<{ protocol: string; path?: string; args?: string[] }>;
  navigations: unknown[][];
  permissionHandlerSet: boolean;
  privilegedSchemes: Array<{ schemes: unknown[]; afterReady: boolean }>;
  handledSchemes: string[];
  openedPaths: string[];
  clipboardText: string;
}

interface Fetched {
  url: string;
  status: number | null;
  contentType: string | null;
  csp: string | null;
  body: string | null;
}

const APP_PAGE = 'app://signoff/index.html';

const running: BootedApp[] = [];
afterEach(() => {
  for (const app of running.splice(0)) if (app.child.exitCode === null) app.child.kill();
});

function boot(
  args: string[],
  extraEnv: Record<string, string> = {},
): { app: BootedApp; userData: string; configDir: string } {
  expect(existsSync(mainBundle), 'dist/main/main.js must be built (vitest global setup does it)').toBe(true);
  const runDir = mkdtempSync(path.join(workDir, 'run-'));
  const userData = path.join(runDir, 'userData');
  const configDir = path.join(runDir, 'config');
  const child = spawn(process.execPath, ['--require', harness, mainBundle, ...args], {
    cwd: root,
    env: {
      ...process.env,
      FAKE_ELECTRON_USER_DATA: userData,
      XDG_CONFIG_HOME: configDir,
      ...extraEnv,
    },
    stdio: 'pipe',
  });
  const app = new BootedApp(child);
  running.push(app);
  return { app, userData, configDir };
}

describe('booting dist/main/main.js against the fake electron', () => {
  it('starts --hidden into the tray, comes forward on a second launch, and quits cleanly from the menu', async () => {
    const { app, userData, configDir } = boot(['--hidden']);
    await app.waitForLine('signoff: ready');

    // keytar is external to the bundle: with a Secret Service it must load and be chosen.
    const storage = app.lines.find((l) => l.includes('secret storage selected')) ?? '';
    expect(storage).toContain(process.env.DBUS_SESSION_BUS_ADDRESS ? '"kind":"keychain"' : '"kind":');

    const ready = await app.state();
    expect(ready.trays).toHaveLength(1);
    const tray = ready.trays[0]!;
    // Signed out on a fresh profile: the attention icon, a real file from assets/.
    expect(path.basename(tray.image)).toBe(
      process.platform === 'linux' ? 'tray-attention-32-light.png' : path.basename(tray.image),
    );
    expect(existsSync(tray.image)).toBe(true);
    expect(tray.menu).toEqual([
      'Open approvals (0)',
      'Pause notifications',
      'Start at login',
      'Sign in…',
      'Quit',
    ]);
    expect(tray.toolTip).toContain('Signed out');
    expect(ready.windows).toHaveLength(0); // --hidden: no window at all
    expect(ready.permissionHandlerSet).toBe(true);

    app.send({ cmd: 'second-instance', argv: ['signoff'] });
    await app.waitForEvent('call', 'BrowserWindow.show');
    const shown = await app.state();
    expect(shown.windows).toHaveLength(1);
    expect(shown.windows[0]).toMatchObject({
      visible: true,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    expect(shown.windows[0]!.loaded).toEqual({ kind: 'url', target: APP_PAGE });
    // Answered by the app:// handler, registered in time (the load finishes a moment after show()).
    let loadStatus = shown.windows[0]!.loadStatus;
    for (let tries = 0; loadStatus === null && tries < 50; tries += 1) {
      loadStatus = (await app.state()).windows[0]!.loadStatus;
    }
    expect(loadStatus).toBe(200);

    // Start at login, through the real menu, login-items adapter and core settings.
    const beforeToggle = app.events.length;
    app.send({ cmd: 'click-menu', label: 'Start at login' });
    await app.waitForEvent('call', 'Tray.setContextMenu', beforeToggle);
    if (process.platform === 'linux') {
      const autostart = path.join(configDir, 'autostart', 'signoff.desktop');
      // The menu changes the setting; the login-items adapter follows it a moment later.
      await app.waitFor(() => (existsSync(autostart) ? true : undefined), 'the autostart entry');
      const entry = readFileSync(autostart, 'utf8');
      expect(entry).toContain(`Exec=${process.execPath} ${root} --hidden`);
    }

    app.send({ cmd: 'click-menu', label: 'Quit' });
    expect(await app.exited).toBe(0);
    expect(app.lines).toContain('signoff: stopped');
    expect(app.events.some((e) => e.event === 'quit')).toBe(true);
    // Quitting closed the window for real and its bounds were flushed on the way out.
    expect(JSON.parse(readFileSync(path.join(userData, 'window-state.json'), 'utf8'))).toMatchObject({
      version: 1,
    });
  });

  it('opens claim links from a cold start, a second launch and open-url; a hostile link opens nothing', async () => {
    const { app } = boot(['signoff://claim/EXP-000007']);
    await app.waitForLine('signoff: ready');
    // The page asks for a navigation held for it once it has loaded, a moment after start.
    // Bounded by time, not by a number of polls: on a loaded machine 50 quick polls ended before the
    // page had loaded (a CI failure under load average 11).
    const navigationsOnceThere = async (count: number) => {
      const deadline = Date.now() + 10_000;
      let state = await app.state();
      while ((state.navigations[0]?.length ?? 0) < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        state = await app.state();
      }
      return state;
    };
    // The bundled D-Bus client ran: this bus has no notification server, so Electron's notifications.
    if (process.platform === 'linux') {
      expect(app.lines.some((line) => line.includes('using Electron notifications'))).toBe(true);
    }
    let state = await navigationsOnceThere(1);
    expect(state.protocolClients).toEqual([{ protocol: 'signoff' }]);
    expect(state.navigations).toEqual([[{ view: 'claim', claimId: 'EXP-000007' }]]);

    const hostile = [
      'signoff://claim/../../etc/passwd',
      'signoff://claim/EXP%2F..%2Fx',
      `signoff://claim/${'A'.repeat(300)}`,
      'signoff://claim/EXP-000001/delete',
      'signoff://settings/EXP-000001',
      'https://evil.example/claim/EXP-000001',
    ];
    for (const link of hostile) {
      app.send({ cmd: 'second-instance', argv: ['signoff', link] });
      app.send({ cmd: 'open-url', url: link });
    }
    app.send({
      cmd: 'second-instance',
      argv: ['signoff', '--no-sandbox', 'signoff://claim/EXP-000008/reject'],
    });
    app.send({ cmd: 'open-url', url: 'signoff://claim/EXP-000009/approve' });
    await app.waitFor(
      () =>
        app.events.filter((e) => e.event === 'open-url').length === hostile.length + 1 ? true : undefined,
      'every open-url',
    );
    state = await navigationsOnceThere(3);
    expect(state.navigations[0]).toEqual([
      { view: 'claim', claimId: 'EXP-000007' },
      { view: 'claim', claimId: 'EXP-000008', intent: 'reject' },
      { view: 'claim', claimId: 'EXP-000009', intent: 'approve' },
    ]);
    expect(app.events.filter((e) => e.event === 'open-url').map((e) => e.data)).toEqual(
      Array(hostile.length + 1).fill({ prevented: true }),
    );
    app.send({ cmd: 'click-menu', label: 'Quit' });
    expect(await app.exited).toBe(0);
  });

  it('opens the window at once without --hidden, and the tray click toggles it', async () => {
    const { app } = boot([]);
    await app.waitForLine('signoff: ready');
    expect((await app.state()).windows.map((w) => w.visible)).toEqual([true]);
    const before = app.events.length;
    app.send({ cmd: 'click-tray' });
    await app.waitForEvent('call', 'BrowserWindow.hide', before);
    expect((await app.state()).windows.map((w) => w.visible)).toEqual([false]);
    app.send({ cmd: 'click-menu', label: 'Quit' });
    expect(await app.exited).toBe(0);
  });

  it('answers the window over IPC only when the call comes from the app page', async () => {
    const { app } = boot(['--hidden']);
    await app.waitForLine('signoff: ready');
    const { ipcChannels } = await app.state();
    expect(ipcChannels).toEqual([...INVOKE_CHANNELS].sort());

    const invoke = async (senderUrl: string | null) => {
      const after = app.events.length;
      app.send({ cmd: 'invoke', channel: 'state:get', payload: {}, senderUrl });
      return (await app.waitForEvent('invoked', undefined, after)).data as { result: { ok: boolean } };
    };
    const trusted = await invoke(APP_PAGE);
    expect(trusted.result).toMatchObject({ ok: true, value: { connection: { kind: 'signed-out' } } });
    expect((await invoke(`${APP_PAGE}#/claim/EXP-1`)).result).toMatchObject({ ok: true });
    // The page's former file:// URL is a stranger now, like any other local file or app:// host.
    const oldFilePage = pathToFileURL(path.join(root, 'dist/renderer/index.html')).href;
    for (const stranger of [
      'https://evil.example/',
      'file:///tmp/index.html',
      oldFilePage,
      'app://other/index.html',
      'app://signoff.evil.example/index.html',
      null,
    ]) {
      expect((await invoke(stranger)).result).toMatchObject({
        ok: false,
        error: { kind: 'untrusted-sender' },
      });
    }
    app.send({ cmd: 'click-menu', label: 'Quit' });
    expect(await app.exited).toBe(0);
  });

  it('serves the page from app://signoff: privileged before ready, built files with types and CSP, no traversal', async () => {
    const { app } = boot(['--hidden']);
    await app.waitForLine('signoff: ready');
    const state = await app.state();
    expect(state.privilegedSchemes).toEqual([
      {
        schemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
        afterReady: false,
      },
    ]);
    expect(state.handledSchemes).toEqual(['app']);

    const fetch = async (url: string, method?: string) => {
      const after = app.events.length;
      app.send({ cmd: 'fetch', url, method });
      return (await app.waitForEvent('fetched', undefined, after)).data as Fetched;
    };
    const built = (file: string) => readFileSync(path.join(root, 'dist/renderer', file), 'utf8');
    const metaCsp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(built('index.html'))?.[1];
    expect(metaCsp).toBeTruthy();

    const page = await fetch(APP_PAGE);
    expect(page).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8', csp: metaCsp });
    expect(page.body).toBe(built('index.html'));
    const script = await fetch('app://signoff/app.js');
    expect(script).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8', csp: null });
    expect(script.body).toBe(built('app.js'));
    const styles = await fetch('app://signoff/styles.css');
    expect(styles).toMatchObject({ status: 200, contentType: 'text/css; charset=utf-8' });
    expect(styles.body).toBe(built('styles.css'));

    for (const url of [
      'app://signoff/../../etc/passwd',
      'app://signoff/%2e%2e/%2e%2e/package.json',
      'app://signoff/..%2f..%2fpackage.json',
      'app://signoff/..\\..\\package.json',
      `app://signoff/${encodeURIComponent(path.join(root, 'package.json'))}`,
      'app://signoff//etc/passwd',
      'app://other/index.html',
      'app://signoff/missing.js',
    ]) {
      const refused = await fetch(url);
      expect([403, 404], url).toContain(refused.status);
      expect(refused.body, url).toBe('');
    }
    expect((await fetch(APP_PAGE, 'POST')).status).toBe(403);
    app.send({ cmd: 'click-menu', label: 'Quit' });
    expect(await app.exited).toBe(0);
  });

  it('writes main.log in the logs folder, opens that folder and copies diagnostics for the app page only', async () => {
    const { app, userData } = boot(['--hidden']);
    await app.waitForLine('signoff: ready');
    const logsDir = path.join(userData, 'logs'); // the fake's app.getPath('logs')
    const log = readFileSync(path.join(logsDir, 'main.log'), 'utf8');
    expect(log).toMatch(/\[info\] +\[main\] secret storage selected \{"kind":/);

    const invoke = async (channel: string, senderUrl: string) => {
      const after = app.events.length;
      app.send({ cmd: 'invoke', channel, payload: {}, senderUrl });
      return (await app.waitForEvent('invoked', undefined, after)).data as { result: { ok: boolean } };
    };
    for (const channel of ['app:open-logs-folder', 'app:copy-diagnostics']) {
      expect((await invoke(channel, 'https://evil.example/')).result).toMatchObject({
        ok: false,
        error: { kind: 'untrusted-sender' },
      });
    }
    let state = await app.state();
    expect(state.openedPaths).toEqual([]);
    expect(state.clipboardText).toBe('');

    expect((await invoke('app:open-logs-folder', APP_PAGE)).result).toEqual({ ok: true, value: null });
    expect((await invoke('app:copy-diagnostics', APP_PAGE)).result).toEqual({ ok: true, value: null });
    state = await app.state();
    expect(state.openedPaths).toEqual([logsDir]);
    expect(state.clipboardText).toContain('App version: 0.1.0-fake');
    expect(state.clipboardText).toContain(`Node: ${process.versions.node}`);
    expect(state.clipboardText).toContain('Connection: signed-out');
    expect(state.clipboardText).toContain('connects 0, events applied 0, snapshots 0, notifications shown 0');
    expect(state.clipboardText).toContain(`Log file: ${path.join(logsDir, 'main.log')}`);
    app.send({ cmd: 'click-menu', label: 'Quit' });
    expect(await app.exited).toBe(0);
  });

  it('a second instance that cannot get the lock exits without creating a tray', async () => {
    const { app } = boot(['--hidden'], { FAKE_ELECTRON_NO_LOCK: '1' });
    expect(await app.exited).toBe(0);
    expect(app.events.some((e) => e.event === 'call' && e.data === 'Tray.constructor')).toBe(false);
    expect(app.lines.some((l) => l.includes('signoff: ready'))).toBe(false);
  });
});
