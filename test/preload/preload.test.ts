// The BUILT sandboxed preload (dist/preload/preload.js): one CommonJS file whose only require is
// electron, exposing exactly the contract as window.signoff, with no way to reach ipcRenderer itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeApiNames, bridgeMethods, type SignoffBridge } from '../../main/ipc/contract';

const PRELOAD = path.resolve(import.meta.dirname, '../../dist/preload/preload.js');

interface Loaded {
  exposed: Map<string, unknown>;
  invoked: [string, unknown[]][];
  listeners: Map<string, Set<(...args: unknown[]) => void>>;
  requested: string[];
}

/** Runs the bundle the way Electron's sandbox does: CommonJS with a `require` that only knows electron. */
function loadPreload(): Loaded {
  const code = readFileSync(PRELOAD, 'utf8');
  const loaded: Loaded = { exposed: new Map(), invoked: [], listeners: new Map(), requested: [] };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => loaded.exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        loaded.invoked.push([channel, args]);
        return { ok: true, value: null };
      },
      on: (channel: string, listener: (...args: unknown[]) => void) => {
        const set = loaded.listeners.get(channel) ?? new Set();
        set.add(listener);
        loaded.listeners.set(channel, set);
      },
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => {
        loaded.listeners.get(channel)?.delete(listener);
      },
      send: () => {
        throw new Error('the preload must not use ipcRenderer.send');
      },
    },
  };
  const fakeRequire = (name: string) => {
    loaded.requested.push(name);
    if (name !== 'electron') throw new Error(`the sandboxed preload required ${name}`);
    return electron;
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', code)(fakeRequire, module, module.exports);
  return loaded;
}

function emit(loaded: Loaded, channel: string, payload: unknown): void {
  const fakeEvent = { sender: { secret: 'ipcRenderer' }, senderId: 0 };
  for (const listener of loaded.listeners.get(channel) ?? []) listener(fakeEvent, payload);
}

describe('the built preload', () => {
  it('is one CommonJS file whose only require() is require("electron")', () => {
    const code = readFileSync(PRELOAD, 'utf8');
    const requires = [...code.matchAll(/\brequire\s*\(([^)]*)\)/g)].map((match) => match[1]);
    expect(requires.length).toBeGreaterThan(0);
    expect(new Set(requires)).toEqual(new Set(['"electron"']));
    expect(code).not.toMatch(/\bimport\s*\(/);
    // Small enough to audit: no validation library or app code rides along.
    expect(code.length).toBeLessThan(10_000);
  });

  it('exposes exactly the contract as window.signoff and nothing else', () => {
    const loaded = loadPreload();
    expect([...loaded.exposed.keys()]).toEqual(['signoff']);
    const api = loaded.exposed.get('signoff') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...bridgeApiNames].sort());
    for (const name of bridgeApiNames) expect(typeof api[name]).toBe('function');
    expect(loaded.requested).toEqual(['electron']);
  });

  it('maps each method to its fixed channel and forwards only the request', async () => {
    const loaded = loadPreload();
    const api = loaded.exposed.get('signoff') as SignoffBridge;
    await api.approve({ id: 'EXP-000001', version: 3, comment: 'ok' });
    await (api.getState as (...args: unknown[]) => Promise<unknown>)({}, 'claim:approve', { sneaky: true });
    expect(loaded.invoked).toEqual([
      ['claim:approve', [{ id: 'EXP-000001', version: 3, comment: 'ok' }]],
      ['state:get', [{}]],
    ]);
    for (const [name, channel] of Object.entries(bridgeMethods)) {
      loaded.invoked.length = 0;
      await (api as unknown as Record<string, (request: unknown) => Promise<unknown>>)[name]!({});
      expect(loaded.invoked[0]?.[0]).toBe(channel);
    }
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const loaded = loadPreload();
    const api = loaded.exposed.get('signoff') as SignoffBridge;
    const received: unknown[][] = [];
    const offState = api.onStateChanged((...args: unknown[]) => received.push(['state', ...args]));
    const offNavigate = api.onNavigate((...args: unknown[]) => received.push(['navigate', ...args]));

    emit(loaded, 'state:changed', { locale: 'en' });
    emit(loaded, 'navigate', { view: 'claim', claimId: 'EXP-000002' });
    emit(loaded, 'navigate', { view: 'queue' });
    expect(received).toEqual([
      ['state', { locale: 'en' }],
      ['navigate', { view: 'claim', claimId: 'EXP-000002' }],
      ['navigate', { view: 'queue' }],
    ]);

    offState();
    offNavigate();
    for (const set of loaded.listeners.values()) expect(set.size).toBe(0);
  });
});
