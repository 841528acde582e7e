// The Electron wiring with a recording ipcMain: every contract channel (and nothing else) gets a
// handler, calls from any page but the app's own are refused before the core sees them, and events
// are validated before they are sent.
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, type NavigateTarget, type SnapshotView } from '../../../main/ipc/contract';
import type { IpcHandlers } from '../../../main/ipc/handlers';
import { isTrustedSender, registerIpcHandlers, sendToRenderer } from '../../../main/ipc/register-electron';

const APP_PAGE = 'app://signoff/index.html';

type Handler = (event: unknown, payload: unknown) => Promise<unknown>;

type IpcMainParam = Parameters<typeof registerIpcHandlers>[0];

function recordingIpcMain(): IpcMainParam & { handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>();
  const fake = {
    handlers,
    handle(channel: string, handler: Handler) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
  // Electron's listener type names IpcMainInvokeEvent; this fake takes any event-shaped object.
  return fake as unknown as IpcMainParam & { handlers: Map<string, Handler> };
}

function fakeHandlers(calls: [string, unknown][]): IpcHandlers {
  return Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => [
      channel,
      async (payload: unknown) => {
        calls.push([channel, payload]);
        return { ok: true, value: null };
      },
    ]),
  ) as unknown as IpcHandlers;
}

const eventFrom = (url: string | null) => ({ senderFrame: url === null ? null : { url } });

describe('isTrustedSender', () => {
  it.each([
    [APP_PAGE, true],
    [`${APP_PAGE}#/claim/EXP-1`, true],
    [`${APP_PAGE}?lang=zh`, true],
    ['file:///opt/Signoff/resources/app.asar/dist/renderer/other.html', false],
    // The page's former file:// URL is refused outright now that the page comes from app://.
    ['file:///opt/Signoff/resources/app.asar/dist/renderer/index.html', false],
    ['file:///tmp/index.html', false],
    ['app://other/index.html', false],
    ['app://signoff.evil.example/index.html', false],
    ['app://signoff:8080/index.html', false],
    ['app://user:pw@signoff/index.html', false],
    ['other://signoff/index.html', false],
    ['https://signoff/index.html', false],
    ['https://evil.example/dist/renderer/index.html', false],
    ['about:blank', false],
    ['', false],
    ['not a url', false],
  ])('%s → %s', (url, trusted) => {
    expect(isTrustedSender(url, APP_PAGE)).toBe(trusted);
  });

  it('trusts exactly the origin of a custom app protocol, and never a web origin', () => {
    expect(isTrustedSender('app://signoff/index.html', 'app://signoff/index.html')).toBe(true);
    expect(isTrustedSender('app://signoff/other', 'app://signoff/index.html')).toBe(true);
    expect(isTrustedSender('app://evil/index.html', 'app://signoff/index.html')).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5178/', 'http://127.0.0.1:5178/')).toBe(false);
  });

  it('never trusts a file: page, even when asked to compare against one', () => {
    const file = 'file:///opt/Signoff/resources/app.asar/dist/renderer/index.html';
    expect(isTrustedSender(file, file)).toBe(false);
  });
});

describe('registerIpcHandlers', () => {
  it('registers exactly the contract channels and removes them again', () => {
    const ipcMain = recordingIpcMain();
    const unregister = registerIpcHandlers(ipcMain, fakeHandlers([]), (url) =>
      isTrustedSender(url, APP_PAGE),
    );
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('passes calls from the app page through and refuses every other sender', async () => {
    const ipcMain = recordingIpcMain();
    const calls: [string, unknown][] = [];
    const warnings: string[] = [];
    registerIpcHandlers(ipcMain, fakeHandlers(calls), (url) => isTrustedSender(url, APP_PAGE), {
      info() {},
      error() {},
      warn: (message) => warnings.push(message),
    });
    const approve = ipcMain.handlers.get('claim:approve')!;

    expect(await approve(eventFrom(APP_PAGE), { id: 'EXP-1', version: 1 })).toEqual({
      ok: true,
      value: null,
    });
    expect(calls).toEqual([['claim:approve', { id: 'EXP-1', version: 1 }]]);

    for (const url of ['https://evil.example/', 'file:///tmp/index.html', null]) {
      expect(await approve(eventFrom(url), { id: 'EXP-1', version: 1 })).toMatchObject({
        ok: false,
        error: { kind: 'untrusted-sender' },
      });
    }
    expect(calls).toHaveLength(1);
    expect(warnings).toHaveLength(3);
  });
});

describe('sendToRenderer', () => {
  const snapshot: SnapshotView = {
    connection: { kind: 'online' },
    user: null,
    serverUrl: null,
    queue: [],
    secretStorage: 'memory',
    settings: {
      serverUrl: null,
      username: null,
      notificationsEnabled: true,
      notificationActions: true,
      globalShortcut: 'CommandOrControl+Alt+S',
      pausedUntil: null,
      quietHours: { enabled: false, start: '22:00', end: '08:00' },
      reminders: { enabled: true, afterHours: 24 },
      startAtLogin: false,
      locale: null,
      allowInsecureServer: false,
      extraCaFile: null,
      transport: 'auto',
      stompPath: '/ws',
      stompUserDestination: '/user/queue/events',
      stompBroadcastDestination: '/topic/announcements',
      stompUrl: null,
      proxy: { mode: 'system', url: null },
    },
    locale: 'en',
    announcements: [],
    listsRevision: 0,
    proxyUser: null,
  };

  function recordingWebContents(destroyed = false) {
    const sent: [string, unknown][] = [];
    return {
      sent,
      isDestroyed: () => destroyed,
      send: (channel: string, payload: unknown) => sent.push([channel, payload]),
    };
  }

  it('sends contract-valid events', () => {
    const contents = recordingWebContents();
    expect(sendToRenderer(contents, 'state:changed', snapshot)).toBe(true);
    expect(sendToRenderer(contents, 'navigate', { view: 'claim', claimId: 'EXP-000001' })).toBe(true);
    expect(sendToRenderer(contents, 'navigate', { view: 'queue' })).toBe(true);
    expect(contents.sent).toEqual([
      ['state:changed', snapshot],
      ['navigate', { view: 'claim', claimId: 'EXP-000001' }],
      ['navigate', { view: 'queue' }],
    ]);
  });

  it('drops an invalid event and anything for a destroyed window', () => {
    const contents = recordingWebContents();
    const broken = { ...snapshot, connection: { kind: 'teleporting' } } as unknown as SnapshotView;
    expect(sendToRenderer(contents, 'state:changed', broken)).toBe(false);
    expect(sendToRenderer(contents, 'navigate', { view: 'claim', claimId: '' })).toBe(false);
    // A target is one shape or the other: a queue carries no claim, a claim needs one.
    const mixed = { view: 'queue', claimId: 'EXP-000001' } as unknown as NavigateTarget;
    expect(sendToRenderer(contents, 'navigate', mixed)).toBe(false);
    expect(sendToRenderer(contents, 'navigate', { view: 'claim' } as unknown as NavigateTarget)).toBe(false);
    expect(contents.sent).toEqual([]);
    expect(sendToRenderer(recordingWebContents(true), 'navigate', { view: 'queue' })).toBe(false);
  });
});
