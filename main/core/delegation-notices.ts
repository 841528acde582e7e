// What a delegation event (out of office, docs/protocol.md "Delegation") tells the signed-in user, as
// one notification or none. Both people get every event; each hears what changes for them:
// - the delegate: scheduled ("Grace Chen hands you their approvals", with the range), started (with how
//   many waiting claims came along), ended (what they still held went back), or cancelled before it
//   started;
// - the delegator: started and ended (or cancelled), which happen without them when the server's timer
//   runs or they act on another device; not scheduled (only they can schedule it). What they do on this
//   device is not news to them (NotificationPolicy.ownDelegationChange).
// Every stage of one delegation shares one notification id, so a later stage replaces an earlier one
// on screen, and within one catch-up only the latest stage is shown.
import type { ClaimSummary, Delegation, UserEvent } from '../../protocol';
import { formatLocalTime, messagesFor } from './i18n';
import { delegationKey } from './notification-keys';
import type { Locale, NotificationRequest } from './ports';

export type DelegationEvent = Extract<
  UserEvent,
  { type: 'delegation.scheduled' | 'delegation.started' | 'delegation.ended' }
>;
export type DelegationStage = 'scheduled' | 'started' | 'ended';

export function stageOf(event: DelegationEvent): DelegationStage {
  return event.type === 'delegation.scheduled'
    ? 'scheduled'
    : event.type === 'delegation.started'
      ? 'started'
      : 'ended';
}

/** What the user's own queue says when the event is applied. */
export interface DelegationContext {
  /** The signed-in user's id. */
  me: string;
  /** Claims waiting on the user now (after the claims the event moved). */
  waiting: number;
  /** Of those, the ones the user holds for the delegator (they came with the delegation). */
  heldForDelegator: number;
}

/** Queued claims whose current step someone holds for `delegatorId`: in the delegate's queue, theirs. */
export function heldFor(claims: readonly ClaimSummary[], delegatorId: string): number {
  return claims.filter((claim) =>
    claim.currentStep?.approvers.some((approver) => approver.onBehalfOf?.id === delegatorId),
  ).length;
}

export interface DelegationNotice {
  key: string;
  request: NotificationRequest;
  /** The user gave this delegation (rather than covering it). */
  mine: boolean;
}

/** Ended before it ever started: the delegator cancelled a scheduled one. */
function cancelledBeforeStart(delegation: Delegation): boolean {
  return delegation.endedAt !== null && Date.parse(delegation.endedAt) <= Date.parse(delegation.startsAt);
}

export function delegationNotice(
  event: DelegationEvent,
  context: DelegationContext,
  locale: Locale,
): DelegationNotice | null {
  const { delegation } = event;
  const stage = stageOf(event);
  const m = messagesFor(locale);
  const from = formatLocalTime(delegation.startsAt, locale);
  const until = formatLocalTime(delegation.endsAt, locale);
  const delegator = delegation.delegator.name;
  const delegate = delegation.delegate.name;
  const cancelled = stage === 'ended' && cancelledBeforeStart(delegation);
  // Where claims came to the user (the delegate at the start, the delegator at the end), a click opens the queue.
  const notice = (title: string, body: string, mine: boolean, opensQueue = false): DelegationNotice => ({
    key: delegationKey(delegation.id, stage),
    request: { id: `delegation:${delegation.id}`, title, body, ...(opensQueue ? { opensQueue } : {}) },
    mine,
  });

  if (delegation.delegate.id === context.me) {
    if (stage === 'scheduled') {
      return notice(m.coverScheduledTitle(delegator), m.coverScheduledBody(delegator, from, until), false);
    }
    if (stage === 'started') {
      const moved = context.heldForDelegator;
      return notice(m.coverStartedTitle(delegator), m.coverStartedBody(delegator, until, moved), false, true);
    }
    return cancelled
      ? notice(m.delegationCancelledTitle, m.coverCancelledBody(delegator, from, until), false)
      : notice(m.coverEndedTitle(delegator), m.coverEndedBody(delegator), false);
  }
  if (delegation.delegator.id === context.me) {
    if (stage === 'scheduled') return null;
    if (stage === 'started')
      return notice(m.awayStartedTitle(delegate), m.awayStartedBody(delegate, until), true);
    return cancelled
      ? notice(m.delegationCancelledTitle, m.awayCancelledBody(delegate, from, until), true)
      : notice(m.awayEndedTitle, m.awayEndedBody(delegate, context.waiting), true, true);
  }
  return null;
}
