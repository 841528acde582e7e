import { z } from 'zod';
import { ClaimId, ClaimSummary, Timestamp } from './claims';
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
 * Why a claim left the recipient's queue. Issue 14: `transferred` (handed to someone else),
 * `approver_added` (an approver was added before the step; it comes back after them), `returned` (sent
 * back to the submitter for revision).
 */
export const UnassignReason = z.enum([
  'approved',
  'rejected',
  'withdrawn',
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

export const UserEvent = z.discriminatedUnion('type', [
  ClaimAssignedEvent,
  ClaimUnassignedEvent,
  ClaimSubmittedEvent,
  ClaimAdvancedEvent,
  ClaimApprovedEvent,
  ClaimRejectedEvent,
  ClaimWithdrawnEvent,
  AnnouncementEvent,
  ClaimChangedEvent,
  ClaimReturnedEvent,
]);
export type UserEvent = z.infer<typeof UserEvent>;
export type UserEventType = UserEvent['type'];

/** `GET /queue`: the claims waiting on the caller, and the cursor this snapshot is consistent with. */
export const QueueSnapshot = z.object({ cursor: Cursor, claims: z.array(ClaimSummary) });
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

/**
 * `GET /events`: either the events after the asked-for cursor (possibly none, after a long-poll
 * timed out) with the cursor to ask from next, or `reset` when the gap cannot be replayed whole.
 */
export const EventsPage = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    events: z.array(UserEvent),
    cursor: Cursor,
    /** True when more events follow than `limit` allowed; ask again from `cursor` at once. */
    hasMore: z.boolean(),
  }),
  z.object({
    status: z.literal('reset'),
    /** Head of the stream now; re-take the queue snapshot and continue from its cursor. */
    cursor: Cursor,
    reason: ResetReason,
  }),
]);
export type EventsPage = z.infer<typeof EventsPage>;

export const EventsQuery = z.object({
  epoch: z.string().min(1).max(64).optional(),
  after: z.coerce.number().int().nonnegative().default(0),
  /** Seconds to hold the request when nothing is new yet (long-poll); 0 answers at once. */
  wait: z.coerce.number().int().min(0).max(25).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

export const AnnounceRequest = z
  .object({ title: z.string().trim().min(1).max(200), body: z.string().trim().max(4000).default('') })
  .strict();
export type AnnounceRequest = z.input<typeof AnnounceRequest>;
