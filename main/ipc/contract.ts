// The one IPC contract between the main process and the queue window.
//
// Every channel, its request schema, its response schema and every main→renderer event live here, in a
// single typed map. Both sides derive their types from it: the handlers (main/ipc/handlers.ts) validate
// with these schemas, the preload exposes exactly `bridgeMethods`, and the renderer knows only
// `SignoffBridge` (renderer/bridge-types.ts re-exports it).
//
// This file imports only zod, protocol/ and main/common/ (never the rest of main/, Electron or Node),
// so the renderer's tsconfig (DOM libs, no Node types) can type-check code that imports its types.
import { z } from 'zod';
import { IdentityProvider } from '../../protocol/auth';
import {
  ClaimDetail,
  ClaimId,
  ClaimListCursor,
  ClaimListResponse,
  ClaimSummary,
  DecidedClaimListResponse,
  Timestamp,
} from '../../protocol/claims';
import { DelegateRequest, Delegation, MyDelegations } from '../../protocol/delegation';
import { IMAGE_RECEIPT_TYPES, ReceiptId } from '../../protocol/receipts';
import { Me, UserRef } from '../../protocol/users';
import {
  AnnouncementIdSchema,
  AnnouncementViewSchema,
  MAX_ANNOUNCEMENTS,
} from '../common/announcement-schema';
import { ChainChangeSchema, EligibleForSchema } from '../common/chain-change-schema';
import { ConnectionStateSchema } from '../common/connection-state-schema';
import { DELEGATION_PROBLEMS } from '../common/delegation-problems';
import { PAUSE_COMMANDS } from '../common/pause-presets';
import { PickedReceiptSchema } from '../common/picked-receipt-schema';
import {
  LocaleSchema,
  ProxyCredentialsSchema,
  SettingsSchema,
  WindowSettingsPatchSchema,
} from '../common/settings-schema';
import { SIGN_IN_FAILURES } from '../common/sign-in-failures';
import type { BridgeMethodName, bridgeMethods, EventChannel, InvokeChannel } from './channels';

export {
  type BridgeMethodName,
  bridgeApiNames,
  bridgeMethods,
  type EventChannel,
  INVOKE_CHANNELS,
  type InvokeChannel,
} from './channels';

// ---- shared shapes ----
// Settings, locales and connection states are defined once in main/common/ (the core persists and
// produces them with the same schemas); the contract only assembles them into messages.

export const SnapshotSchema = z.object({
  connection: ConnectionStateSchema,
  user: Me.nullable(),
  serverUrl: z.string().nullable(),
  queue: z.array(ClaimSummary),
  secretStorage: z.enum(['keychain', 'safe-storage', 'memory']),
  settings: SettingsSchema,
  /** The manual proxy's user name if credentials are saved; their password is never sent to the window. */
  proxyUser: z.string().nullable(),
  locale: LocaleSchema,
  /** The account's kept announcements, newest first, each read or not; empty when signed out. */
  announcements: z.array(AnnouncementViewSchema),
  // ---- claim lists (Done, My claims) ----
  /** Moves when a claim list may have changed; an open list re-fetches its first page. */
  listsRevision: z.number().int().nonnegative(),
});
export type SnapshotView = z.infer<typeof SnapshotSchema>;

export const SignInFailureSchema = z.enum(SIGN_IN_FAILURES);
export type SignInFailureKind = z.infer<typeof SignInFailureSchema>;

export const ActionResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), claim: ClaimDetail }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['conflict', 'forbidden', 'not-found', 'offline', 'session-expired', 'invalid']),
    message: z.string(),
    /** Present with `conflict`: the claim as it is now. */
    claim: ClaimDetail.optional(),
  }),
]);
export type ActionResultView = z.infer<typeof ActionResultSchema>;

// ---- bulk approve (issue 14) ----
/** The most claims one bulk approval takes (a queue page's worth; each is its own request). */
export const MAX_BULK_APPROVE = 200;

/** One claim's result: approved, a conflict (it moved on), refused (policy flags) or failed (why). */
export const BulkApproveResultSchema = z.object({
  id: ClaimId,
  outcome: z.enum(['approved', 'conflict', 'refused', 'failed']),
  message: z.string(),
});
export type BulkApproveResultView = z.infer<typeof BulkApproveResultSchema>;
// ---- nudge (催办, issue 14) ----
// Approve's answer with `too-soon` (and when) for `conflict`, which a nudge cannot meet (it quotes no version).
const [ActionDone, ActionFailed] = ActionResultSchema.options;
export const NudgeResultSchema = z.discriminatedUnion('ok', [
  ActionDone,
  ActionFailed.omit({ claim: true }).extend({
    reason: ActionFailed.shape.reason.exclude(['conflict']).or(z.literal('too-soon')),
    /** With `too-soon`: from when the server will accept a nudge. */
    nextAllowedAt: Timestamp.optional(),
  }),
]);
export type NudgeResultView = z.infer<typeof NudgeResultSchema>;
// ---- delegation / out of office (issue 14) ----
/** A delegation started or ended, or the problem the window words for the user (never server text). */
export const DelegationOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), delegation: Delegation }),
  z.object({ ok: z.literal(false), problem: z.enum(DELEGATION_PROBLEMS) }),
]);
export type DelegationOutcomeView = z.infer<typeof DelegationOutcomeSchema>;

// ---- claim lists (Done, My claims) ----
/** One page of a window claim list; Done items also carry my decision. */
// Decided first: a union keeps the first match, and the plain list schema would strip `decision`.
export const ClaimListPageSchema = z.union([DecidedClaimListResponse, ClaimListResponse]);
export type ClaimListPageView = z.infer<typeof ClaimListPageSchema>;

// ---- receipts (issue 14) ----
/** Which receipt: a claim id and one of its receipt ids, in the protocol's formats. */
const ReceiptRef = z.object({ claimId: ClaimId, receiptId: ReceiptId }).strict();
/**
 * An image receipt for an <img>: only a data: URL of an image type, base64 and nothing else, so no
 * other scheme (javascript:, a remote URL, a PDF or HTML data: URL) can reach the page from main.
 */
export const ReceiptImageSchema = z.object({
  mediaType: z.enum(IMAGE_RECEIPT_TYPES),
  dataUrl: z.string().regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/),
});
export type ReceiptImageView = z.infer<typeof ReceiptImageSchema>;

// ---- the uniform response envelope ----

/** Why an IPC call failed. Sign-in failures use their SignInFailure kind so the window can say exactly that. */
export const IpcErrorKind = z.enum([
  'invalid-request',
  'untrusted-sender',
  'not-found',
  'forbidden',
  'offline',
  'session-expired',
  'unavailable',
  'internal',
  ...SignInFailureSchema.options,
]);
export type IpcErrorKind = z.infer<typeof IpcErrorKind>;

export const IpcError = z.object({
  kind: IpcErrorKind,
  message: z.string(),
  /** `tls` sign-in failures: the issuer of the untrusted certificate chain (from the certificate: inert text). */
  issuer: z.string().max(200).optional(),
});
export type IpcError = z.infer<typeof IpcError>;

/** Every invoke answers `{ok:true, value}` or `{ok:false, error}`; nothing is ever thrown across IPC. */
export function ipcResponse<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: IpcError }),
  ]);
}
export type IpcResponse<T> = { ok: true; value: T } | { ok: false; error: IpcError };

const Empty = z.object({}).strict();

/** Compile-time check helper: fails to compile unless T is assignable to U. */
type Assignable<T extends U, U> = T;
const Nothing = z.null();

// ---- invoke channels: renderer → main, one answer each ----

/** A server address as typed in the sign-in form; main parses and checks it. */
const ServerUrlField = z.string().trim().min(1).max(2048);

export const invokeContract = {
  'session:sign-in': {
    request: z
      .object({
        serverUrl: ServerUrlField,
        username: z.string().trim().min(1).max(64),
        password: z.string().min(1).max(1024),
      })
      .strict(),
    response: ipcResponse(Nothing),
  },
  'session:sign-out': { request: Empty, response: ipcResponse(Nothing) },
  'state:get': { request: Empty, response: ipcResponse(SnapshotSchema) },
  'claim:get': { request: z.object({ id: ClaimId }).strict(), response: ipcResponse(ClaimDetail) },
  'claim:approve': {
    request: z
      .object({
        id: ClaimId,
        version: z.number().int().positive(),
        comment: z.string().trim().max(2000).optional(),
      })
      .strict(),
    response: ipcResponse(ActionResultSchema),
  },
  'claim:reject': {
    request: z
      .object({
        id: ClaimId,
        version: z.number().int().positive(),
        reason: z.string().trim().min(1, 'a reason is required to reject').max(2000),
      })
      .strict(),
    response: ipcResponse(ActionResultSchema),
  },
  'settings:update': { request: WindowSettingsPatchSchema, response: ipcResponse(SettingsSchema) },
  /** Pauses notifications by preset name (or resumes); the core turns the name into a time. */
  'notifications:pause': {
    request: z.object({ preset: z.enum(PAUSE_COMMANDS) }).strict(),
    response: ipcResponse(SettingsSchema),
  },
  /** "Retry now" in the offline banner: reconnect at once instead of waiting out the backoff. */
  'connection:retry': { request: Empty, response: ipcResponse(Nothing) },
  /**
   * Opens an https link in the user's browser; anything else (http:, file:, custom schemes that launch
   * other apps) is refused, in line with the window adapter's openHttpsExternally.
   */
  'app:open-external': {
    request: z.object({ url: z.url({ protocol: /^https$/ }).max(2048) }).strict(),
    response: ipcResponse(Nothing),
  },
  // ---- support: log file and diagnostics (Settings) ----
  // No arguments on purpose: main alone decides which folder opens and what goes on the clipboard,
  // so the page can neither name a path nor read the report.
  'app:open-logs-folder': { request: Empty, response: ipcResponse(Nothing) },
  'app:copy-diagnostics': { request: Empty, response: ipcResponse(Nothing) },
  // ---- announcements (issue 9) ----
  /** The window has shown these announcements to the user (ids in the protocol's format). */
  'announcements:read': {
    request: z.object({ ids: z.array(AnnouncementIdSchema).min(1).max(MAX_ANNOUNCEMENTS) }).strict(),
    response: ipcResponse(Nothing),
  },
  /** The user dismissed one announcement; it is gone for good, replays included. */
  'announcements:dismiss': {
    request: z.object({ id: AnnouncementIdSchema }).strict(),
    response: ipcResponse(Nothing),
  },
  // ---- claim lists (Done, My claims) ----
  /**
   * One page of Done (`decided`: what I approved or rejected, with my decision) or My claims (`mine`).
   * The cursor is the previous page's opaque `nextCursor`, checked here with the protocol's own rule.
   */
  'claims:list': {
    request: z.object({ scope: z.enum(['decided', 'mine']), cursor: ClaimListCursor.optional() }).strict(),
    response: ipcResponse(ClaimListPageSchema),
  },
  // ---- single sign-on (issue 12) ----
  /** Whether this server offers company sign-in, and its name for "Sign in with <name>" (inert text). */
  'session:identity-provider': {
    request: z.object({ serverUrl: ServerUrlField }).strict(),
    response: ipcResponse(z.object({ name: IdentityProvider.shape.name }).nullable()),
  },
  /** Company sign-in: main opens the system browser and waits for the loopback redirect. */
  'session:sign-in-sso': {
    request: z.object({ serverUrl: ServerUrlField }).strict(),
    response: ipcResponse(Nothing),
  },
  // ---- proxy credentials (issue 12) ----
  /** Write-only: main keeps them in the keychain; the snapshot says only the user name. null clears. */
  'settings:proxy-credentials': {
    request: z.object({ credentials: ProxyCredentialsSchema.nullable() }).strict(),
    response: ipcResponse(Nothing),
  },
  // ---- bulk approve (issue 14) ----
  /** Approves each claim at the version the window showed; one result per claim, in order. */
  'claims:bulk-approve': {
    request: z
      .object({
        items: z
          .array(z.object({ id: ClaimId, version: z.number().int().positive() }).strict())
          .min(1)
          .max(MAX_BULK_APPROVE)
          .refine((items) => new Set(items.map((item) => item.id)).size === items.length, 'a claim twice'),
        comment: z.string().trim().max(2000).optional(),
      })
      .strict(),
    response: ipcResponse(z.array(BulkApproveResultSchema)),
  },
  // ---- nudge (催办, issue 14) ----
  /** Nudges the current approvers of one of my claims (My claims' Nudge button). */
  'claim:nudge': { request: z.object({ id: ClaimId }).strict(), response: ipcResponse(NudgeResultSchema) },
  // ---- receipts (issue 14) ----
  /** An image receipt to show in the window; main fetches it and checks its bytes are that image type. */
  'receipt:image': { request: ReceiptRef, response: ipcResponse(ReceiptImageSchema) },
  /**
   * Opens a receipt (a PDF) in the system's viewer: main fetches and checks it, saves it to a private
   * temporary file and opens that. The page never gets the bytes or the path.
   */
  'receipt:open': { request: ReceiptRef, response: ipcResponse(Nothing) },
  /**
   * "Add receipt" on the resubmit form: main opens the native open-file dialog and reads the files the
   * user chose there. No arguments on purpose: the page cannot name a path. The answer says what each
   * file is (a handle to name it in `claim:chain-change`'s `addReceipts`, its name, sniffed type and
   * size) or why it cannot be a receipt; never its bytes or path. Empty when the dialog was cancelled.
   */
  'receipt:pick': { request: Empty, response: ipcResponse(z.array(PickedReceiptSchema)) },
  // ---- delegation / out of office (issue 14) ----
  /** My delegation (scheduled or active) and the ones I cover. */
  'delegation:get': { request: Empty, response: ipcResponse(MyDelegations) },
  /** Who I may delegate to: the Settings user picker. */
  'delegation:candidates': { request: Empty, response: ipcResponse(z.array(UserRef)) },
  /** Hand my approvals to `delegateId` until `endsAt` (from `startsAt`, default now); UTC instants. */
  'delegation:start': { request: DelegateRequest, response: ipcResponse(DelegationOutcomeSchema) },
  /** End my delegation now (claims still waiting come back), or cancel a scheduled one. */
  'delegation:end': { request: Empty, response: ipcResponse(DelegationOutcomeSchema) },
  // ---- transfer, add approver, return for revision, resubmit (issue 14) ----
  /** Like claim:approve: quotes the version; a conflict comes back as a value saying what happened. */
  'claim:chain-change': {
    request: z
      .object({ id: ClaimId, version: z.number().int().positive(), change: ChainChangeSchema })
      .strict(),
    response: ipcResponse(ActionResultSchema),
  },
  /** The people the user-picker may offer (the server decides, with the action's own rules). */
  'claim:eligible-users': {
    request: z.object({ id: ClaimId, action: EligibleForSchema }).strict(),
    response: ipcResponse(z.array(UserRef)),
  },
} as const satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

// Both directions: every named channel has schemas, and no schema lacks a name.
type _InvokeNamesMatch = Assignable<keyof typeof invokeContract, InvokeChannel>;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['request']>;
export type InvokeParsedRequest<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['response']>;

export function isInvokeChannel(channel: string): channel is InvokeChannel {
  return Object.hasOwn(invokeContract, channel);
}

// ---- event channels: main → renderer ----

/**
 * What the window should show, whoever asked: a clicked notification for one claim opens that claim;
 * a summary notification, the tray or a plain start-up opens the queue. The same shape travels from
 * the notification adapter through the window adapter and the preload to the page, unchanged.
 */
export const NavigateTargetSchema = z.discriminatedUnion('view', [
  /** `intent`: a notification's Reject… without a reason, or a deep link's /approve, /reject (issue 13). */
  z
    .object({ view: z.literal('claim'), claimId: ClaimId, intent: z.enum(['approve', 'reject']).optional() })
    .strict(),
  /** `focus: 'first'`: the global shortcut, the queue unfiltered with its first claim selected and focused. */
  z.object({ view: z.literal('queue'), focus: z.literal('first').optional() }).strict(),
  /** The tray's "Announcements" item: the queue with the announcements panel open. */
  z.object({ view: z.literal('announcements') }).strict(),
]);
export type NavigateTarget = z.infer<typeof NavigateTargetSchema>;

export const eventContract = {
  'state:changed': SnapshotSchema,
  navigate: NavigateTargetSchema,
} as const satisfies Record<EventChannel, z.ZodType>;

type _EventNamesMatch = Assignable<keyof typeof eventContract, EventChannel>;
export type EventPayload<C extends EventChannel> = z.output<(typeof eventContract)[C]>;

// ---- the bridge as the renderer sees it (window.signoff) ----

type InvokeMethods = {
  [M in BridgeMethodName]: (
    request: InvokeRequest<(typeof bridgeMethods)[M]>,
  ) => Promise<InvokeResponse<(typeof bridgeMethods)[M]>>;
};

export interface SignoffBridge extends InvokeMethods {
  onStateChanged(listener: (snapshot: SnapshotView) => void): () => void;
  onNavigate(listener: (target: NavigateTarget) => void): () => void;
}
