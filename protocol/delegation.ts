// Delegation ("out of office"): a user hands their approvals to another user for a time range.
// Rules (enforced by the server, documented in docs/protocol.md, "Delegation"): one delegation at a
// time per delegator, never to oneself, no chains or loops, finance only to finance, a bounded range.
import { z } from 'zod';
import { Timestamp } from './claims';
import { UserId, UserRef } from './users';

/** The longest a delegation may last: a quarter. Longer absences are an org change, not a delegation. */
export const MAX_DELEGATION_DAYS = 90;
export const MAX_DELEGATION_MS = MAX_DELEGATION_DAYS * 24 * 60 * 60 * 1000;

/** `scheduled`: starts later; `active`: in force now; `ended`: ran out or was ended early. */
export const DelegationStatus = z.enum(['scheduled', 'active', 'ended']);
export type DelegationStatus = z.infer<typeof DelegationStatus>;

export const Delegation = z.object({
  id: z.string().min(1).max(64),
  delegator: UserRef,
  delegate: UserRef,
  startsAt: Timestamp,
  endsAt: Timestamp,
  /** When the delegator ended it before `endsAt`; null otherwise. */
  endedAt: Timestamp.nullable(),
  status: DelegationStatus,
});
export type Delegation = z.infer<typeof Delegation>;

/** `GET /me/delegation`: the caller's own delegation (scheduled or active), and those they cover. */
export const MyDelegations = z.object({
  outgoing: Delegation.nullable(),
  /** Delegations to the caller that are scheduled or active, soonest end first. */
  incoming: z.array(Delegation),
});
export type MyDelegations = z.infer<typeof MyDelegations>;

/** `POST /me/delegation`. Without `startsAt` it starts now. Times in UTC (ISO 8601 with `Z`). */
export const DelegateRequest = z
  .object({ delegateId: UserId, startsAt: Timestamp.optional(), endsAt: Timestamp })
  .strict();
export type DelegateRequest = z.infer<typeof DelegateRequest>;

/**
 * Which rule a `409 delegation_refused` broke (the error body's `delegationRule`), so a client can say
 * it in its own language: one delegation at a time; finance only to finance; the delegate is away
 * themselves or someone delegates to the caller (a chain); the delegate delegates to the caller (a loop).
 */
export const DelegationRule = z.enum(['one_at_a_time', 'finance_only', 'no_chain', 'no_loop']);
export type DelegationRule = z.infer<typeof DelegationRule>;

/** `GET /me/delegation/candidates`: who the caller may delegate to (the finance rule applied). */
export const DelegationCandidates = z.object({ users: z.array(UserRef) });
export type DelegationCandidates = z.infer<typeof DelegationCandidates>;
