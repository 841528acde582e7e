// The only API the window knows: `window.signoff`, typed from the IPC contract. In Electron the
// sandboxed preload provides it; in `npm run preview` (and the browser tests) renderer/dev/preview-bridge.ts
// does, over HTTP to the same handlers. The renderer never imports anything else from main/.
import type { SignoffBridge } from '../main/ipc/contract';

export type {
  ActionResultView,
  ConnectionStateView,
  IpcError,
  IpcResponse,
  Locale,
  NavigateTarget,
  SettingsPatch,
  SettingsView,
  SignInFailureKind,
  SignoffBridge,
  SnapshotView,
} from '../main/ipc/contract';

declare global {
  interface Window {
    signoff?: SignoffBridge;
  }
}

/** The bridge, or null when the page was opened without one (e.g. dist/renderer/index.html in a browser). */
export function getBridge(): SignoffBridge | null {
  // globalThis, not window: this file is also type-checked by Node-side tests (no DOM lib there).
  return (globalThis as { signoff?: SignoffBridge }).signoff ?? null;
}
