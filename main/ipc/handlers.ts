// The IPC handlers, free of Electron: one function per contract channel that validates its payload,
// calls the core and answers in the contract's `{ok, value} | {ok:false, error}` envelope.
//
// Used by main/ipc/register-electron.ts (real Electron) and scripts/preview.ts (HTTP, no Electron), so
// the window behaves the same in both. Nothing thrown by the core crosses IPC as-is: errors are mapped
// to a small set of kinds with messages that never include tokens, passwords or stack traces.
import type { z } from 'zod';
import { ApiError } from '../../protocol/api-client';
import { classifyNetworkError } from '../core/network-errors';
import type { CoreSnapshot, DesktopCore, Logger } from '../core/ports';
import {
  INVOKE_CHANNELS,
  type InvokeChannel,
  type InvokeResponse,
  type IpcError,
  type IpcErrorKind,
  type IpcResponse,
  invokeContract,
  SignInFailureSchema,
  type SnapshotView,
} from './contract';

/** What the handlers need beyond the core; supplied by the composition root (or the preview harness). */
export interface IpcHooks {
  /** Opens an already-validated https URL in the user's browser (Electron: shell.openExternal). */
  openExternal(url: string): Promise<void>;
  /** Opens the app's own logs folder (Electron: shell.openPath); absent where there is none. */
  openLogsFolder?(): Promise<void>;
  /** Puts the diagnostics report on the clipboard; absent where there is no clipboard. */
  copyDiagnostics?(): Promise<void>;
  /**
   * Opens a file the core wrote (a receipt in its private temporary folder) with the OS's default app
   * (Electron: shell.openPath); absent where there is none. Never given a path from the page.
   */
  openFile?(file: string): Promise<void>;
  /**
   * Shows the native open-file dialog for receipts and resolves with the paths the user chose ([] when
   * cancelled); absent where there is no dialog. The paths go to the core, never to the page.
   */
  chooseReceiptFiles?(): Promise<string[]>;
  logger?: Logger;
}

/** Thrown for a hook this host does not provide; answered as `unavailable`. */
class Unavailable extends Error {
  override readonly name = 'Unavailable';
}

/** One handler per channel. Takes the raw (untrusted) payload; always resolves, never rejects. */
export type IpcHandlers = { [C in InvokeChannel]: (payload: unknown) => Promise<InvokeResponse<C>> };

// Compile-time guard: the core's snapshot (ports.ts) must fit the contract's. Settings, locales and
// connection states need no guard: both sides take them from main/common/.
type Assignable<T extends U, U> = T;
export type _SnapshotFits = Assignable<CoreSnapshot, SnapshotView>;

const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
const fail = (kind: IpcErrorKind, message: string): { ok: false; error: IpcError } => ({
  ok: false,
  error: { kind, message },
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(request)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Turns anything the core threw into a contract error. Only messages we know are safe to show are
 * passed on; anything unexpected is logged here and reported as `internal` with a generic text.
 */
export function toIpcError(error: unknown, logger?: Logger): IpcError {
  if (error instanceof Error && error.name === 'SignInError') {
    const kind = SignInFailureSchema.safeParse((error as { kind?: unknown }).kind);
    const { issuer } = error as { issuer?: string };
    if (kind.success) return { kind: kind.data, message: error.message, ...(issuer ? { issuer } : {}) };
  }
  // No live session: the window shows sign-in next; the core's message is already in the user's language.
  if (error instanceof Error && error.name === 'NotSignedInError') {
    return { kind: 'session-expired', message: error.message };
  }
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'not_found':
        return { kind: 'not-found', message: error.body.message };
      case 'forbidden':
        return { kind: 'forbidden', message: error.body.message };
      case 'unauthorized':
        return { kind: 'session-expired', message: error.body.message };
      case 'bad_request':
        return { kind: 'invalid-request', message: error.body.message };
      default:
        break;
    }
  }
  if (error instanceof Unavailable) return { kind: 'unavailable', message: error.message };
  // A receipt whose bytes are not what the server said (or not an image where one was asked for).
  if (error instanceof Error && error.name === 'ReceiptRefusedError') {
    return { kind: 'invalid-request', message: error.message };
  }
  const network = classifyNetworkError(error);
  if (network) return { kind: 'offline', message: 'The server cannot be reached right now.' };
  if (error instanceof Error && error.name === 'ZodError') {
    return { kind: 'invalid-request', message: describeIssues(error as z.ZodError) };
  }
  logger?.error('ipc: unexpected error from the core', {
    name: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
  });
  return { kind: 'internal', message: 'Something went wrong inside Signoff; the details are in the log.' };
}

export function createIpcHandlers(core: DesktopCore, hooks: IpcHooks): IpcHandlers {
  const { logger } = hooks;

  /**
   * Wraps a channel's implementation: parse the payload with the contract schema, run it, map errors.
   * The response is parsed with the contract's response schema too, so a drifting core is caught here
   * (and logged) rather than surfacing as a confusing renderer bug.
   */
  function channel<C extends InvokeChannel>(
    name: C,
    run: (request: z.output<(typeof invokeContract)[C]['request']>) => Promise<unknown>,
  ): (payload: unknown) => Promise<InvokeResponse<C>> {
    const { request: requestSchema, response: responseSchema } = invokeContract[name];
    return async (payload) => {
      // An absent payload means "no arguments" for the channels that take none.
      const parsed = requestSchema.safeParse(payload ?? {});
      if (!parsed.success) {
        return fail('invalid-request', describeIssues(parsed.error)) as InvokeResponse<C>;
      }
      let answer: IpcResponse<unknown>;
      try {
        answer = ok(await run(parsed.data as z.output<(typeof invokeContract)[C]['request']>));
      } catch (error) {
        answer = { ok: false, error: toIpcError(error, logger) };
      }
      const checked = responseSchema.safeParse(answer);
      if (!checked.success) {
        logger?.error('ipc: response does not match the contract', {
          channel: name,
          problem: describeIssues(checked.error),
        });
        return fail(
          'internal',
          'Signoff produced an unexpected answer; the details are in the log.',
        ) as InvokeResponse<C>;
      }
      return checked.data as InvokeResponse<C>;
    };
  }

  const handlers: IpcHandlers = {
    'session:sign-in': channel('session:sign-in', async ({ serverUrl, username, password }) => {
      await core.signIn(serverUrl, username, password);
      return null;
    }),
    'session:identity-provider': channel('session:identity-provider', async ({ serverUrl }) =>
      core.identityProvider(serverUrl),
    ),
    'session:sign-in-sso': channel('session:sign-in-sso', async ({ serverUrl }) => {
      await core.signInWithSso(serverUrl);
      return null;
    }),
    'session:sign-out': channel('session:sign-out', async () => {
      await core.signOut();
      return null;
    }),
    'state:get': channel('state:get', async () => core.snapshot()),
    'claim:get': channel('claim:get', async ({ id }) => core.getClaim(id)),
    // An empty comment is the same as none: the audit trail should not show a blank note.
    'claim:approve': channel('claim:approve', async ({ id, version, comment }) =>
      core.approve(id, version, comment || undefined),
    ),
    'claim:reject': channel('claim:reject', async ({ id, version, reason }) =>
      core.reject(id, version, reason),
    ),
    'claims:bulk-approve': channel('claims:bulk-approve', async ({ items, comment }) =>
      core.bulkApprove(items, comment || undefined),
    ),
    // Nested groups may arrive partial (e.g. only quietHours.start); the core's merge fills them in.
    'settings:update': channel('settings:update', async (patch) => core.updateSettings(patch)),
    'settings:proxy-credentials': channel('settings:proxy-credentials', async ({ credentials }) => {
      await core.setProxyCredentials(credentials);
      return null;
    }),
    'notifications:pause': channel('notifications:pause', async ({ preset }) =>
      core.pauseNotifications(preset),
    ),
    'connection:retry': channel('connection:retry', async () => {
      core.wake('online');
      return null;
    }),
    'app:open-external': channel('app:open-external', async ({ url }) => {
      await hooks.openExternal(url);
      return null;
    }),
    // ---- support: log file and diagnostics (Settings) ----
    'app:open-logs-folder': channel('app:open-logs-folder', async () => {
      if (!hooks.openLogsFolder) throw new Unavailable('There is no logs folder to open here.');
      await hooks.openLogsFolder();
      return null;
    }),
    'app:copy-diagnostics': channel('app:copy-diagnostics', async () => {
      if (!hooks.copyDiagnostics) throw new Unavailable('Diagnostics cannot be copied here.');
      await hooks.copyDiagnostics();
      return null;
    }),
    // ---- announcements (issue 9) ----
    'announcements:read': channel('announcements:read', async ({ ids }) => {
      await core.markAnnouncementsRead(ids);
      return null;
    }),
    'announcements:dismiss': channel('announcements:dismiss', async ({ id }) => {
      await core.dismissAnnouncement(id);
      return null;
    }),
    // ---- claim lists (Done, My claims) ----
    'claims:list': channel('claims:list', async ({ scope, cursor }) =>
      scope === 'decided' ? core.listClaims('decided', cursor) : core.listClaims('mine', cursor),
    ),
    // ---- nudge (催办, issue 14) ----
    'claim:nudge': channel('claim:nudge', async ({ id }) => core.nudge(id)),
    // ---- receipts (issue 14) ----
    'receipt:image': channel('receipt:image', async ({ claimId, receiptId }) =>
      core.receiptImage(claimId, receiptId),
    ),
    'receipt:open': channel('receipt:open', async ({ claimId, receiptId }) => {
      if (!hooks.openFile) throw new Unavailable('Receipts cannot be opened here.');
      await hooks.openFile(await core.saveReceiptForViewer(claimId, receiptId));
      return null;
    }),
    'receipt:pick': channel('receipt:pick', async () => {
      if (!hooks.chooseReceiptFiles) throw new Unavailable('Files cannot be picked here.');
      return core.pickReceiptFiles(await hooks.chooseReceiptFiles());
    }),
    // ---- delegation / out of office (issue 14) ----
    'delegation:get': channel('delegation:get', async () => core.delegations()),
    'delegation:candidates': channel('delegation:candidates', async () => core.delegationCandidates()),
    'delegation:start': channel('delegation:start', async (request) => core.startDelegation(request)),
    'delegation:end': channel('delegation:end', async () => core.endDelegation()),
    // ---- transfer, add approver, return for revision, resubmit (issue 14) ----
    'claim:chain-change': channel('claim:chain-change', async ({ id, version, change }) =>
      core.changeChain(id, version, change),
    ),
    'claim:eligible-users': channel('claim:eligible-users', async ({ id, action }) =>
      core.eligibleUsers(id, action),
    ),
  };

  // Guards against a channel added to the contract but forgotten here.
  for (const name of INVOKE_CHANNELS) {
    if (typeof handlers[name] !== 'function') throw new Error(`ipc: no handler for ${name}`);
  }
  return handlers;
}
