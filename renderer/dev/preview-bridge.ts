// window.signoff for `npm run preview` and the browser tests: the same contract as the Electron
// preload, carried over HTTP to scripts/preview.ts, which runs the real createIpcHandlers on a real
// core. Loaded as a classic script before app.js, so the bridge exists when the app starts.
import { type BridgeMethodName, bridgeMethods, EVENT_CHANNELS } from '../../main/ipc/channels';
import type { NavigateTarget, SignoffBridge, SnapshotView } from '../../main/ipc/contract';

type Deliver = (channel: string, payload: unknown) => void;

const listeners = new Set<Deliver>();
let source: EventSource | null = null;

/** One EventSource for all subscribers, opened on first use; the browser reconnects it on its own. */
function listen(deliver: Deliver): () => void {
  listeners.add(deliver);
  if (!source) {
    source = new EventSource('/events');
    for (const channel of EVENT_CHANNELS) {
      source.addEventListener(channel, (event) => {
        let payload: unknown;
        try {
          payload = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of listeners) listener(channel, payload);
      });
    }
  }
  return () => {
    listeners.delete(deliver);
  };
}

async function invoke(channel: string, request: unknown): Promise<unknown> {
  try {
    const response = await fetch(`/ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request ?? {}),
    });
    return await response.json();
  } catch (error) {
    // The preview server itself is gone: answer like the contract does, never throw.
    return {
      ok: false,
      error: { kind: 'unavailable', message: `preview server unreachable: ${String(error)}` },
    };
  }
}

const methods = {} as Record<BridgeMethodName, (request?: unknown) => Promise<unknown>>;
for (const [name, channel] of Object.entries(bridgeMethods) as [BridgeMethodName, string][]) {
  methods[name] = (request?: unknown) => invoke(channel, request);
}

const bridge: SignoffBridge = {
  ...(methods as unknown as Omit<SignoffBridge, 'onStateChanged' | 'onNavigate'>),
  onStateChanged: (listener: (snapshot: SnapshotView) => void) =>
    listen((channel, payload) => {
      if (channel === 'state:changed') listener(payload as SnapshotView);
    }),
  onNavigate: (listener: (target: NavigateTarget) => void) =>
    listen((channel, payload) => {
      if (channel === 'navigate') listener(payload as NavigateTarget);
    }),
};

Object.defineProperty(window, 'signoff', {
  value: Object.freeze(bridge),
  writable: false,
  configurable: false,
});
