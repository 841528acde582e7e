// The only API the window knows: `window.signoff`, typed from the IPC contract. In Electron the
// sandboxed preload provides it; in `npm run preview` (and the browser tests) renderer/dev/preview-bridge.ts
// does, over HTTP to the same handlers. From main/ the renderer imports only this contract (types only)
// and the zod-free modules of main/common/ (test/layering.test.ts enforces it).
import type { SignoffBridge } from '../main/ipc/contract';

// The window's names for the shared shapes of main/common/ (types only: their schemas are zod).
export type { ConnectionState as ConnectionStateView } from '../main/common/connection-state-schema';
export type { Locale } from '../main/common/locale';
export type {
  Settings as SettingsView,
  WindowSettingsPatch,
} from '../main/common/settings-schema';
export type {
  ActionResultView,
  BulkApproveResultView,
  ClaimListPageView,
  DelegationOutcomeView,
  IpcError,
  IpcResponse,
  NavigateTarget,
  NudgeResultView,
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
