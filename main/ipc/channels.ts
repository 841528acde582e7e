// The names half of the IPC contract, kept free of zod so the sandboxed preload bundles to a few
// kilobytes. main/ipc/contract.ts pairs every name with its schemas (it fails to compile if the two
// ever disagree) and re-exports the names the rest of the app uses. Import from contract.ts unless you
// are a bridge (preload/preload.ts, or renderer/dev/preview-bridge.ts for the browser preview).

export const INVOKE_CHANNELS = [
  'session:sign-in',
  'session:sign-out',
  'state:get',
  'claim:get',
  'claim:approve',
  'claim:reject',
  'settings:update',
  'notifications:pause',
  'connection:retry',
  'app:open-external',
  // ---- support: log file and diagnostics (Settings) ----
  'app:open-logs-folder',
  'app:copy-diagnostics',
  // ---- announcements (issue 9) ----
  'announcements:read',
  'announcements:dismiss',
  // ---- claim lists (Done, My claims) ----
  'claims:list',
  // ---- single sign-on (issue 12) ----
  'session:identity-provider',
  'session:sign-in-sso',
  // ---- proxy credentials (issue 12) ----
  'settings:proxy-credentials',
  // ---- bulk approve (issue 14) ----
  'claims:bulk-approve',
  // ---- nudge (催办, issue 14) ----
  'claim:nudge',
  // ---- receipts (issue 14) ----
  'receipt:image',
  'receipt:open',
  'receipt:pick',
  // ---- delegation / out of office (issue 14) ----
  'delegation:get',
  'delegation:candidates',
  'delegation:start',
  'delegation:end',
  // ---- transfer, add approver, return for revision, resubmit (issue 14) ----
  'claim:chain-change',
  'claim:eligible-users',
] as const;
export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];

/** Main → renderer: a new snapshot, and "show this" (a notification click, the tray, a start-up). */
export const EVENT_CHANNELS = ['state:changed', 'navigate'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/**
 * Method name on window.signoff → invoke channel. The preload builds the bridge from exactly this table
 * plus `bridgeSubscriptions`, so adding an entry here is the only way to widen the bridge.
 */
export const bridgeMethods = {
  signIn: 'session:sign-in',
  signOut: 'session:sign-out',
  getState: 'state:get',
  getClaim: 'claim:get',
  approve: 'claim:approve',
  reject: 'claim:reject',
  updateSettings: 'settings:update',
  pauseNotifications: 'notifications:pause',
  retryConnection: 'connection:retry',
  openExternal: 'app:open-external',
  // ---- support: log file and diagnostics (Settings) ----
  openLogsFolder: 'app:open-logs-folder',
  copyDiagnostics: 'app:copy-diagnostics',
  // ---- announcements (issue 9) ----
  markAnnouncementsRead: 'announcements:read',
  dismissAnnouncement: 'announcements:dismiss',
  // ---- claim lists (Done, My claims) ----
  listClaims: 'claims:list',
  // ---- single sign-on (issue 12) ----
  identityProvider: 'session:identity-provider',
  signInWithSso: 'session:sign-in-sso',
  // ---- proxy credentials (issue 12) ----
  setProxyCredentials: 'settings:proxy-credentials',
  // ---- bulk approve (issue 14) ----
  bulkApprove: 'claims:bulk-approve',
  // ---- nudge (催办, issue 14) ----
  nudge: 'claim:nudge',
  // ---- receipts (issue 14) ----
  receiptImage: 'receipt:image',
  openReceipt: 'receipt:open',
  pickReceipts: 'receipt:pick',
  // ---- delegation / out of office (issue 14) ----
  getDelegations: 'delegation:get',
  delegationCandidates: 'delegation:candidates',
  startDelegation: 'delegation:start',
  endDelegation: 'delegation:end',
  // ---- transfer, add approver, return for revision, resubmit (issue 14) ----
  changeChain: 'claim:chain-change',
  eligibleUsers: 'claim:eligible-users',
} as const satisfies Record<string, InvokeChannel>;
export type BridgeMethodName = keyof typeof bridgeMethods;

/** The subscription methods on window.signoff; each returns an unsubscribe function. */
export const bridgeSubscriptions = ['onStateChanged', 'onNavigate'] as const;

/** Every name on window.signoff, for tests and documentation. */
export const bridgeApiNames: readonly string[] = [...Object.keys(bridgeMethods), ...bridgeSubscriptions];
