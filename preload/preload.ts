// The sandboxed preload: exposes exactly the IPC contract as `window.signoff`, and nothing else.
//
// The page gets one method per entry of `bridgeMethods` (each invoking its fixed channel) plus two
// subscriptions. It never sees ipcRenderer, Node, or a way to name a channel itself, so a compromised
// page can only do what the contract already allows, and main validates every payload anyway.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
// Names from the zod-free half of the contract, types from the whole: the bundle stays tiny.
import { type BridgeMethodName, bridgeMethods, type EventChannel } from '../main/ipc/channels';
import type { NavigateTarget, SignoffBridge, SnapshotView } from '../main/ipc/contract';

type Listener = (event: IpcRendererEvent, payload: unknown) => void;

/** Subscribes to a main→renderer channel and returns the unsubscribe function the page gets. */
function subscribe(channel: EventChannel, deliver: (payload: unknown) => void): () => void {
  // The IPC event object is dropped: it carries `sender` (the ipcRenderer), which must not leak.
  const listener: Listener = (_event, payload) => deliver(payload);
  ipcRenderer.on(channel, listener);
  return () => {
    ipcRenderer.removeListener(channel, listener);
  };
}

function buildBridge(): SignoffBridge {
  const methods = {} as Record<BridgeMethodName, (request?: unknown) => Promise<unknown>>;
  for (const [name, channel] of Object.entries(bridgeMethods) as [BridgeMethodName, string][]) {
    // Only the request crosses: extra arguments from the page are ignored.
    methods[name] = (request?: unknown) => ipcRenderer.invoke(channel, request ?? {});
  }
  return {
    ...(methods as unknown as Omit<SignoffBridge, 'onStateChanged' | 'onNavigate'>),
    onStateChanged: (listener: (snapshot: SnapshotView) => void) =>
      subscribe('state:changed', (payload) => listener(payload as SnapshotView)),
    // Main validated the target against the contract before sending; it passes through as is.
    onNavigate: (listener: (target: NavigateTarget) => void) =>
      subscribe('navigate', (payload) => listener(payload as NavigateTarget)),
  };
}

contextBridge.exposeInMainWorld('signoff', buildBridge());
