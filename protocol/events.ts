import { z } from 'zod';
import { ClaimId, ClaimSummary, Timestamp } from './claims';
import { Delegation } from './delegation';
import { CHAIN_CHANGES } from './enums';
import { UserRef } from './users';

/**
 * Position in one user's event stream. `epoch` names the stream's lifetime (it changes only if the
 * server's store was recreated); `seq` is the last event the holder has applied, 0 for "none yet".
 */
export const Cursor = z.object({ epoch: z.string().min(1).max(64), seq: z.number().int().nonnegative() });
export type Cursor = z.infer<typeof Cursor>;

/**
 * Why a resume cursor cannot be replayed whole: the store was recreated (`epoch_changed`), the events
 * after it were pruned (`expired`), or it names a seq the stream has not reached (`ahead`).
 */
export const ResetReason = z.enum(['epoch_changed', 'expired', 'ahead']);
export type ResetReason = z.infer<typeof ResetReason>;

export const Announcement = z.object({
  id: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().max(4000),
  author: UserRef,
  at: Timestamp,
});
export type Announcement = z.infer<typeof Announcement>;

/**
 * `delegated`: the recipient's delegation started and the claim went to their delegate;
 * `delegation_ended`: the delegation the recipient covered ended and the claim went back.
 * Issue 14's chain changes: `transferred` (handed to someone else), `approver_added` (an approver was
 * added before the step; it comes back after them), `returned` (sent back to the submitter for revision).
 */
export const UnassignReason = z.enum([
  'approved',
  'rejected',
  'withdrawn',
  'delegated',
  'delegation_ended',
  'transferred',
  'approver_added',
  'returned',
]);
export type UnassignReason = z.infer<typeof UnassignReason>;

const base = { seq: z.number().int().positive(), at: Timestamp };

/** A claim now waits on the recipient (it reached a step they approve). */
export const ClaimAssignedEvent = z.object({
  ...base,
  type: z.literal('claim.assigned'),
  claim: ClaimSummary,
});
/** A claim left the recipient's queue: they or a co-approver decided it, or the submitter withdrew it. */
export const ClaimUnassignedEvent = z.object({
  ...base,
  type: z.literal('claim.unassigned'),
  claimId: ClaimId,
  claimVersion: z.number().int().positive(),
  reason: UnassignReason,
  by: UserRef,
});
/** The recipient's own claim was submitted (lets their other devices know). */
export const ClaimSubmittedEvent = z.object({
  ...base,
  type: z.literal('claim.submitted'),
  claim: ClaimSummary,
});
/** The recipient's own claim passed a step and moved on to the next approver. */
export const ClaimAdvancedEvent = z.object({
  ...base,
  type: z.literal('claim.advanced'),
  claim: ClaimSummary,
  by: UserRef,
  comment: z.string().nullable(),
});
/** The recipient's own claim was approved at its last step. */
export const ClaimApprovedEvent = z.object({
  ...base,
  type: z.literal('claim.approved'),
  claim: ClaimSummary,
  by: UserRef,
  comment: z.string().nullable(),
});
/** The recipient's own claim was rejected. */
export const ClaimRejectedEvent = z.object({
  ...base,
  type: z.literal('claim.rejected'),
  claim: ClaimSummary,
  by: UserRef,
  reason: z.string(),
});
/** The recipient's own claim was withdrawn (by them, possibly from another device). */
export const ClaimWithdrawnEvent = z.object({
  ...base,
  type: z.literal('claim.withdrawn'),
  claim: ClaimSummary,
});
/**
 * The submitter nudged (催办) a pending claim: sent to each approver of its current step (a reminder)
 * and to the submitter (their other devices, "Nudged 2 h ago"). `claim` carries `lastNudgedAt`; the
 * claim's `version` does not change, since a nudge is not a transition.
 */
export const ClaimNudgedEvent = z.object({
  ...base,
  type: z.literal('claim.nudged'),
  claim: ClaimSummary,
  by: UserRef,
});
/** What changed a claim's chain or state without deciding it (issue 14). */
export const ClaimChange = z.enum(CHAIN_CHANGES);
export type ClaimChange = z.infer<typeof ClaimChange>;

/**
 * Someone changed a claim the recipient may see (its chain, or it was returned or resubmitted): an open
 * window re-reads it. Sent to everyone with access, the actor included; gaining or losing the claim
 * comes as `claim.assigned` / `claim.unassigned` besides.
 */
export const ClaimChangedEvent = z.object({
  ...base,
  type: z.literal('claim.changed'),
  claim: ClaimSummary,
  change: ClaimChange,
  by: UserRef,
  /** The comment of a transfer or an added approver, the reason of a return; null without one. */
  comment: z.string().nullable(),
});
/** The recipient's own claim was returned to them for revision (退回); they edit and resubmit it. */
export const ClaimReturnedEvent = ClaimRejectedEvent.extend({ type: z.literal('claim.returned') });
/** An announcement to everyone. */
export const AnnouncementEvent = z.object({
  ...base,
  type: z.literal('announcement'),
  announcement: Announcement,
});

/** A delegation event: the same payload for the delegator and the delegate (docs/protocol.md). */
const delegationEvent = <T extends string>(type: T) =>
  z.object({ ...base, type: z.literal(type), delegation: Delegation });
/** A delegation the recipient gives or covers was created for a later start. */
export const DelegationScheduledEvent = delegationEvent('delegation.scheduled');
/** A delegation the recipient gives or covers is now in force (waiting claims moved with it). */
export const DelegationStartedEvent = delegationEvent('delegation.started');
/** A delegation the recipient gives or covers ran out or was ended early (claims went back). */
export const DelegationEndedEvent = delegationEvent('delegation.ended');

export const UserEvent = z.discriminatedUnion('type', [
  ClaimAssignedEvent,
  ClaimUnassignedEvent,
  ClaimSubmittedEvent,
  ClaimAdvancedEvent,
  ClaimApprovedEvent,
  ClaimRejectedEvent,
  ClaimWithdrawnEvent,
  AnnouncementEvent,
  ClaimNudgedEvent,
  DelegationScheduledEvent,
  DelegationStartedEvent,
  DelegationEndedEvent,
  ClaimChangedEvent,
  ClaimReturnedEvent,
]);
export type UserEvent = z.infer<typeof UserEvent>;
export type UserEventType = UserEvent['type'];

/**
 * An event of the **broadcast stream**: one shared, gapless stream for everyone (docs/protocol.md,
 * "The broadcast stream"). Its `seq` is the broadcast seq (`bseq`), not a seq of the user's stream.
 */
export const BroadcastEvent = z.discriminatedUnion('type', [AnnouncementEvent]);
export type BroadcastEvent = z.infer<typeof BroadcastEvent>;

/** Which stream a frame belongs to; absent means the user's own stream (every v1 frame before the extension). */
export const StreamName = z.enum(['user', 'broadcast']);
export type StreamName = z.infer<typeof StreamName>;

/**
 * One stream's half of a `GET /events` answer: the events after the asked-for cursor with the cursor
 * to ask from next and whether more follow than `limit` allowed (ask again at once); or `reset` with
 * the stream's head now, when the gap cannot be replayed whole.
 */
function streamPage<E extends z.ZodType, X extends z.ZodRawShape>(event: E, extra: X) {
  return z.discriminatedUnion('status', [
    z.object({
      status: z.literal('ok'),
      events: z.array(event),
      cursor: Cursor,
      hasMore: z.boolean(),
      ...extra,
    }),
    z.object({ status: z.literal('reset'), cursor: Cursor, reason: ResetReason, ...extra }),
  ]);
}

/**
 * The broadcast half of a `GET /events` answer, present when the request carried `bafter`. On `reset`
 * continue after its cursor: there is nothing to re-take (see the resume rules).
 */
export const BroadcastPage = streamPage(BroadcastEvent, {});
export type BroadcastPage = z.infer<typeof BroadcastPage>;

/**
 * `GET /queue`: the claims waiting on the caller, and the cursor this snapshot is consistent with.
 * With `?broadcast=1` a server that has the broadcast stream adds its head as `broadcast`.
 */
export const QueueSnapshot = z.object({
  cursor: Cursor,
  claims: z.array(ClaimSummary),
  broadcast: Cursor.optional(),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

/**
 * `GET /events`: either the events after the asked-for cursor (possibly none, after a long-poll
 * timed out) with the cursor to ask from next, or `reset` when the gap cannot be replayed whole: then
 * re-take the queue snapshot and continue from its cursor.
 */
export const EventsPage = streamPage(UserEvent, {
  /** The broadcast stream after `bafter`, when asked for; its own status, cursor and `hasMore`. */
  broadcast: BroadcastPage.optional(),
});
export type EventsPage = z.infer<typeof EventsPage>;

export const EventsQuery = z.object({
  epoch: z.string().min(1).max(64).optional(),
  after: z.coerce.number().int().nonnegative().default(0),
  /** Seconds to hold the request when nothing is new yet (long-poll); 0 answers at once. */
  wait: z.coerce.number().int().min(0).max(25).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  /** The broadcast cursor's epoch (default: the broadcast stream's current one). */
  bepoch: z.string().min(1).max(64).optional(),
  /** The broadcast cursor's seq; present = the client reads the broadcast stream itself. */
  bafter: z.coerce.number().int().nonnegative().optional(),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

/** `GET /queue?broadcast=1`: the client reads the broadcast stream itself (and wants its head). */
export const QueueQuery = z.object({
  /** Present (any value; send `1`) = the client reads the broadcast stream itself. */
  broadcast: z.string().max(16).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const AnnounceRequest = z
  .object({ title: z.string().trim().min(1).max(200), body: z.string().trim().max(4000).default('') })
  .strict();
export type AnnounceRequest = z.input<typeof AnnounceRequest>;
