// "Open logs folder" and "Copy diagnostics" end to end below the window: the real IPC handlers, the
// real support actions on the fake electron's shell and clipboard, a real core signed in to a real
// (in-process) stub, and the real log file. The clipboard gets versions and counters, never the token.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSupportActions } from '../../../main/adapters/diagnostics';
import { type AppLog, createAppLog } from '../../../main/adapters/log-file';
import { createDesktopCore } from '../../../main/core/desktop-core';
import type { DesktopCoreWithDiagnostics, SecretStore } from '../../../main/core/ports';
import { createIpcHandlers, type IpcHandlers } from '../../../main/ipc/handlers';
import { clipboard, fake, resetFakeElectron, shell } from '../../support/fake-electron';
import { type InProcessStub, startInProcessStub } from '../../support/stub-fixtures';

const PASSWORD = 'demo';
let stub: InProcessStub;
let work: string;
let appLog: AppLog;
let core: DesktopCoreWithDiagnostics;
let handlers: IpcHandlers;
let token: string;
const values = new Map<string, string>();

const secrets: SecretStore = {
  kind: 'memory',
  get: async (account) => values.get(account) ?? null,
  set: async (account, secret) => {
    values.set(account, secret);
  },
  delete: async (account) => {
    values.delete(account);
  },
};

beforeAll(async () => {
  stub = await startInProcessStub();
  work = mkdtempSync(path.join(os.tmpdir(), 'signoff-support-'));
  appLog = createAppLog({
    logsDir: path.join(work, 'logs'),
    console: false,
    logId: `support-${process.pid}`,
  });
  core = createDesktopCore({
    userDataDir: path.join(work, 'userData'),
    secrets,
    notifier: { isSupported: () => false, show() {}, close() {} },
    logger: appLog.logger('core'),
    osLocale: 'zh-CN',
  });
  await core.start();
  const support = createSupportActions({
    shell,
    clipboard,
    log: appLog,
    core,
    environment: {
      appVersion: '9.8.7',
      versions: { electron: '45.5.0', chrome: '142.0.7444.0', node: process.versions.node },
      os: 'TestOS 1.0 (linux x64)',
      osLocale: 'zh-CN',
    },
  });
  handlers = createIpcHandlers(core, {
    openExternal: async () => {},
    openLogsFolder: () => support.openLogsFolder(),
    copyDiagnostics: () => support.copyDiagnostics(),
    logger: appLog.logger('main'),
  });
  expect(
    await handlers['session:sign-in']({ serverUrl: stub.url, username: 'bob', password: PASSWORD }),
  ).toEqual({ ok: true, value: null });
  token = [...values.values()][0] ?? '';
  expect(token.length).toBeGreaterThan(20);
  await vi.waitFor(() => expect(core.snapshot().connection.kind).toBe('online'), { timeout: 10_000 });
});

afterAll(async () => {
  await core?.stop();
  await stub?.dispose();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => resetFakeElectron());

describe('app:copy-diagnostics', () => {
  it('puts versions, OS, locale, connection history, counters and recent problems on the clipboard, never the token', async () => {
    // A careless log line with the token in it must not travel on into the report.
    appLog.logger('core').error(`stream: refused with Authorization: Bearer ${token}`);

    expect(await handlers['app:copy-diagnostics']({})).toEqual({ ok: true, value: null });
    const text = fake.clipboardText;
    expect(text).toContain('App version: 9.8.7');
    expect(text).toContain('Electron: 45.5.0');
    expect(text).toContain('Chrome: 142.0.7444.0');
    expect(text).toContain(`Node: ${process.versions.node}`);
    expect(text).toContain('OS: TestOS 1.0 (linux x64)');
    expect(text).toContain('Locale: OS zh-CN, window zh-CN');
    expect(text).toContain(`Server: ${stub.url}`);
    expect(text).toMatch(/User: .+ \(bob\)/);
    expect(text).toContain('Connection: online');
    expect(text).toMatch(
      /connects [1-9]\d*, events applied \d+, snapshots [1-9]\d*, notifications shown \d+/,
    );
    expect(text).toMatch(/frames dropped: not JSON 0, invalid 0, oversized 0, binary 0/);
    expect(text).toMatch(/Z signed-out\n.*Z connecting\n.*Z online/);
    expect(text).toContain('error [core] stream: refused with Authorization: [redacted]');
    expect(text).toContain(`Log file: ${appLog.file}`);

    expect(text).not.toContain(token);
    // The log file took the same line, redacted too.
    expect(readFileSync(appLog.file, 'utf8')).not.toContain(token);
  });

  it('refuses any argument: the page cannot steer what is copied', async () => {
    expect(await handlers['app:copy-diagnostics']({ text: 'pasted by the page' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request' },
    });
    expect(fake.clipboardText).toBe('');
  });
});

describe('app:open-logs-folder', () => {
  it('opens exactly the logs folder with shell.openPath', async () => {
    expect(await handlers['app:open-logs-folder']({})).toEqual({ ok: true, value: null });
    expect(fake.openedPaths).toEqual([path.join(work, 'logs')]);
    expect(existsSync(path.join(work, 'logs', 'main.log'))).toBe(true);
  });

  it('refuses a path from the page and opens nothing', async () => {
    for (const payload of [{ path: '/etc' }, { url: 'https://evil.example/' }, '/etc']) {
      expect(await handlers['app:open-logs-folder'](payload)).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request' },
      });
    }
    expect(fake.openedPaths).toEqual([]);
  });

  it('answers unavailable where the host has no logs folder (e.g. the browser preview without the hook)', async () => {
    const bare = createIpcHandlers(core, { openExternal: async () => {} });
    expect(await bare['app:open-logs-folder']({})).toMatchObject({
      ok: false,
      error: { kind: 'unavailable' },
    });
    expect(await bare['app:copy-diagnostics']({})).toMatchObject({
      ok: false,
      error: { kind: 'unavailable' },
    });
  });
});
