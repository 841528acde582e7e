// Delegation ("out of office"): a user hands their approvals to another user for a time range.
//
// The rules, in the order they are checked (docs/protocol.md, "Delegation"):
// - the delegate exists and is not the delegator (400);
// - the range: `startsAt` (default now; a little in the past is read as now) before `endsAt`, at most
//   MAX_DELEGATION_DAYS long, and not already over (400);
// - one delegation per delegator at a time: a scheduled or active one must be ended first (409);
// - finance delegates only to finance: a delegator with the finance role (whatever other roles they
//   have) must pick a finance member, because finance steps may only be decided by finance (409);
// - no chains or loops: the delegate must not be delegating themselves, and nobody may be delegating
//   to the delegator, in an overlapping range (A→B with B→C or B→A, or X→A with A→B). Refused, not
//   resolved transitively: a claim always lands on someone who is in (409).
//
// What a delegation does (materialised, not evaluated on read, so the queue, the events and the
// permission checks all read the same rows):
// - at its start every step currently waiting on the delegator is handed to the delegate: the
//   delegator's row in step_approvers becomes the delegate's with on_behalf_of = delegator (or, when
//   the delegate is already an approver of that step, e.g. a shared finance step, the delegator's row
//   is removed). A claim the delegate submitted stays with the delegator: nobody approves their own
//   claim. A scheduled delegation starts on the stub's timer (DelegationTimer), without a request.
// - while it lasts, a step that becomes current with the delegator on it is handed over the same way.
// - at its end (ends_at, or the delegator ending it early) every handed-over step that still waits is
//   handed back to the delegator. Steps decided meanwhile stay decided.
// - each hand-over or hand-back bumps the claim's version (its current approvers changed) and tells
//   both sides: claim.unassigned (reason delegated / delegation_ended) to the one who lost it,
//   claim.assigned to the one who gained it; delegation.* events to both people.
// - the delegator may still decide a claim handed over from them (they are back early, or the delegate
//   is busy); the audit then shows them acting in their own name.
// - a transfer (转交) hands on a place for good: the delegator's own (their stand-in loses it) or the one
//   a stand-in holds for them. That hand-over is dropped: the end gives nothing back, and the delegator
//   can no longer act on the step (chain-changes.ts, StandIns.handOn).
import {
  type DelegateRequest,
  type Delegation,
  type DelegationRule,
  type DelegationStatus,
  MAX_DELEGATION_DAYS,
  MAX_DELEGATION_MS,
  type MyDelegations,
  type UserRef,
} from '../../protocol';
import { type Clock, isoAt } from '../clock';
import type { Db } from '../db/database';
import type { EmitEvent } from '../events/event-log';
import { HttpError, notFound } from '../http/http-error';
import type { UserDirectory } from '../org/users';
import type { ClaimReader } from './claim-reader';
import { type DelegationRow, DelegationStatements } from './delegation-statements';
import type { StandIns } from './workflow';

/** A start this far in the past is read as "now" (clock skew between the client and the server). */
const START_SLACK_MS = 5 * 60 * 1000;

const refused = (rule: DelegationRule, message: string) =>
  new HttpError(409, 'delegation_refused', message, { delegationRule: rule });
const invalid = (path: string, message: string) =>
  new HttpError(400, 'bad_request', message, { issues: [{ path, message }] });

export class Delegations implements StandIns {
  private readonly sql: DelegationStatements;
  /** Called after a delegation was created or ended, so the timer can look at the next due instant. */
  onScheduleChanged: () => void = () => {};

  constructor(
    db: Db,
    private readonly users: UserDirectory,
    private readonly claims: ClaimReader,
    private readonly clock: Clock,
  ) {
    this.sql = new DelegationStatements(db);
  }

  // ---- reads ----

  mine(userId: string): MyDelegations {
    const outgoing = this.sql.unfinishedOf.get(userId);
    return {
      outgoing: outgoing ? this.toDelegation(outgoing) : null,
      incoming: this.sql.incomingOf.all(userId).map((row) => this.toDelegation(row)),
    };
  }

  /** Everyone the user may delegate to: not themselves; finance members only, if they are finance. */
  candidates(userId: string): UserRef[] {
    const financeOnly = this.isFinance(userId);
    return this.users
      .all()
      .filter((user) => user.id !== userId && (!financeOnly || user.roles.includes('finance')))
      .map((user) => ({ id: user.id, name: user.name }));
  }

  /** The earliest instant a delegation starts or ends, or null when none is pending. */
  nextDueAt(): number | null {
    return this.sql.nextDue.get() ?? null;
  }

  // ---- changes (each inside the caller's write transaction) ----

  create(delegatorId: string, request: DelegateRequest, emit: EmitEvent): Delegation {
    const now = this.clock();
    const delegate = this.users.find(request.delegateId);
    if (!delegate) throw invalid('delegateId', `no user ${request.delegateId}`);
    if (delegate.id === delegatorId) throw invalid('delegateId', 'you cannot delegate to yourself');
    const requestedStart = request.startsAt === undefined ? now : Date.parse(request.startsAt);
    if (requestedStart < now - START_SLACK_MS) throw invalid('startsAt', 'startsAt is in the past');
    const startsAt = Math.max(requestedStart, now);
    const endsAt = Date.parse(request.endsAt);
    if (endsAt <= startsAt) throw invalid('endsAt', 'endsAt must be after startsAt (and in the future)');
    if (endsAt - startsAt > MAX_DELEGATION_MS) {
      throw invalid('endsAt', `a delegation lasts at most ${MAX_DELEGATION_DAYS} days`);
    }
    if (this.sql.unfinishedOf.get(delegatorId)) {
      throw refused('one_at_a_time', 'you already have a delegation; end it before starting another');
    }
    if (this.isFinance(delegatorId) && !delegate.roles.includes('finance')) {
      throw refused('finance_only', 'finance approvals can only be delegated to another finance member');
    }
    const onward = this.sql.overlappingFrom.get(delegate.id, endsAt, startsAt);
    if (onward) {
      const loop = onward.delegate_id === delegatorId;
      throw refused(
        loop ? 'no_loop' : 'no_chain',
        loop
          ? `${delegate.name} is delegating to you in that period; delegations cannot form a loop`
          : `${delegate.name} is delegating to someone else in that period; delegations cannot be chained`,
      );
    }
    if (this.sql.overlappingTo.get(delegatorId, endsAt, startsAt)) {
      throw refused('no_chain', 'you are covering for someone in that period; delegations cannot be chained');
    }

    const id = `DEL-${String(this.sql.nextNumber.get() ?? 1).padStart(6, '0')}`;
    this.sql.insert.run(id, delegatorId, delegate.id, startsAt, endsAt, now);
    const row = this.requireRow(id);
    if (startsAt <= now) this.start(row, emit);
    else this.tell(row, 'delegation.scheduled', emit);
    this.onScheduleChanged();
    return this.toDelegation(this.requireRow(id));
  }

  /** Ends the delegator's delegation now: an active one hands its waiting claims back, a scheduled one never starts. */
  end(delegatorId: string, emit: EmitEvent): Delegation {
    const row = this.sql.unfinishedOf.get(delegatorId);
    if (!row) throw notFound('you have no delegation to end');
    this.finish(row, this.clock(), emit);
    this.onScheduleChanged();
    return this.toDelegation(this.requireRow(row.id));
  }

  /** Starts and ends whatever is due by now. Run by the timer, at start-up, and safe to run any time. */
  applyDue(emit: EmitEvent): number {
    const now = this.clock();
    let changed = 0;
    for (const row of this.sql.dueToFinish.all(now)) {
      this.finish(row, null, emit);
      changed += 1;
    }
    for (const row of this.sql.dueToStart.all(now)) {
      // Created in the past and already over (the stub was down for its whole range): start and end.
      this.start(row, emit);
      if (row.ends_at <= now) this.finish(this.requireRow(row.id), null, emit);
      changed += 1;
    }
    return changed;
  }

  // ---- StandIns: the workflow's view of delegations ----

  assign(claimId: string, stepIndex: number): void {
    const submitterId = this.sql.submitterOf.get(claimId);
    if (submitterId === undefined) return;
    this.claims.approverIds(claimId, stepIndex).forEach((approverId, position) => {
      const delegation = this.sql.activeOf.get(approverId);
      if (!delegation) return;
      this.handOver(delegation, {
        claim_id: claimId,
        step_index: stepIndex,
        position,
        submitter_id: submitterId,
      });
    });
  }

  isDelegatorAt(claimId: string, stepIndex: number, userId: string): boolean {
    return this.sql.isDelegatorAt.get(claimId, stepIndex, userId) !== undefined;
  }

  handOn(claimId: string, stepIndex: number, actorId: string): void {
    const own = this.sql.handoverOf.get(claimId, stepIndex, actorId);
    if (own) {
      // The delegator's place comes back to them, to be handed on from there.
      if (own.merged) this.sql.reinsertApprover.run(claimId, stepIndex, own.position, actorId);
      else this.sql.restoreApprover.run(actorId, claimId, stepIndex, own.delegate_id, actorId);
      this.sql.deleteHandover.run(own.delegation_id, claimId, stepIndex);
      return;
    }
    const held = this.sql.handoverHeldBy.get(claimId, stepIndex, actorId);
    if (held) this.sql.deleteHandover.run(held.delegation_id, claimId, stepIndex);
  }

  stepsShifted(claimId: string, from: number): void {
    for (const handover of this.sql.handoversFrom.all(claimId, from)) {
      this.sql.moveHandover.run(
        handover.step_index + 1,
        handover.delegation_id,
        claimId,
        handover.step_index,
      );
    }
  }

  activeDelegateOf(userId: string): string | null {
    return this.sql.activeDelegateOf.get(userId) ?? null;
  }

  recordDecision(claimId: string, stepIndex: number, actorId: string): void {
    const onBehalfOf = this.sql.standInFor.get(claimId, stepIndex, actorId);
    if (onBehalfOf) this.sql.stampLastAudit.run(onBehalfOf, claimId, actorId);
  }

  // ---- internals ----

  private start(row: DelegationRow, emit: EmitEvent): void {
    this.sql.markStarted.run(row.id);
    const moved = this.sql.waitingStepsOf.all(row.delegator_id).filter((step) => this.handOver(row, step));
    const now = this.clock();
    for (const claimId of new Set(moved.map((step) => step.claim_id))) {
      this.sql.bumpVersion.run(now, claimId);
      const summary = this.claims.summary(claimId);
      if (!summary) continue;
      const by = this.users.ref(row.delegator_id);
      emit(row.delegator_id, {
        type: 'claim.unassigned',
        claimId,
        claimVersion: summary.version,
        reason: 'delegated',
        by,
      });
      emit(row.delegate_id, { type: 'claim.assigned', claim: summary });
    }
    this.tell(this.requireRow(row.id), 'delegation.started', emit);
  }

  /** Hands one waiting step of the delegator's to the delegate; false when it must stay (own claim). */
  private handOver(
    row: DelegationRow,
    step: { claim_id: string; step_index: number; position: number; submitter_id: string },
  ): boolean {
    if (step.submitter_id === row.delegate_id) return false;
    const merged = this.sql.stepHas.get(step.claim_id, step.step_index, row.delegate_id) !== undefined;
    if (merged) this.sql.removeApprover.run(step.claim_id, step.step_index, row.delegator_id);
    else {
      this.sql.replaceApprover.run(
        row.delegate_id,
        row.delegator_id,
        step.claim_id,
        step.step_index,
        row.delegator_id,
      );
    }
    this.sql.recordHandover.run(row.id, step.claim_id, step.step_index, step.position, merged ? 1 : 0);
    // The delegate needs to see it; the delegator keeps seeing it (they may still decide it).
    this.sql.grantAccess.run(step.claim_id, row.delegate_id);
    this.sql.grantAccess.run(step.claim_id, row.delegator_id);
    return true;
  }

  /** `endedAt`: the early end's instant, or null when the delegation ran its course. */
  private finish(row: DelegationRow, endedAt: number | null, emit: EmitEvent): void {
    const wasStarted = row.started === 1;
    this.sql.markFinished.run(endedAt, row.id);
    if (wasStarted) {
      const now = this.clock();
      for (const handover of this.sql.stillWaiting.all(row.id)) {
        const { claim_id: claimId, step_index: stepIndex } = handover;
        if (handover.merged) {
          this.sql.reinsertApprover.run(claimId, stepIndex, handover.position, row.delegator_id);
        } else {
          const back = this.sql.restoreApprover.run(
            row.delegator_id,
            claimId,
            stepIndex,
            row.delegate_id,
            row.delegator_id,
          );
          if (back.changes === 0) continue;
        }
        this.sql.bumpVersion.run(now, claimId);
        const summary = this.claims.summary(claimId);
        if (!summary) continue;
        emit(row.delegator_id, { type: 'claim.assigned', claim: summary });
        // A shared step stays in the delegate's queue; they only learn its approvers changed.
        if (handover.merged) emit(row.delegate_id, { type: 'claim.assigned', claim: summary });
        else {
          emit(row.delegate_id, {
            type: 'claim.unassigned',
            claimId,
            claimVersion: summary.version,
            reason: 'delegation_ended',
            by: this.users.ref(row.delegator_id),
          });
        }
      }
    }
    this.tell(this.requireRow(row.id), 'delegation.ended', emit);
  }

  private tell(
    row: DelegationRow,
    type: 'delegation.scheduled' | 'delegation.started' | 'delegation.ended',
    emit: EmitEvent,
  ): void {
    const draft = { type, delegation: this.toDelegation(row) } as const;
    emit(row.delegator_id, draft);
    emit(row.delegate_id, draft);
  }

  private isFinance(userId: string): boolean {
    return this.users.find(userId)?.roles.includes('finance') ?? false;
  }

  private requireRow(id: string): DelegationRow {
    const row = this.sql.byId.get(id);
    if (!row) throw new Error(`delegation ${id} vanished inside its own transaction`);
    return row;
  }

  private status(row: DelegationRow): DelegationStatus {
    if (row.finished || row.ended_at !== null) return 'ended';
    return row.started ? 'active' : 'scheduled';
  }

  private toDelegation(row: DelegationRow): Delegation {
    return {
      id: row.id,
      delegator: this.users.ref(row.delegator_id),
      delegate: this.users.ref(row.delegate_id),
      startsAt: isoAt(row.starts_at),
      endsAt: isoAt(row.ends_at),
      endedAt: row.ended_at === null ? null : isoAt(row.ended_at),
      status: this.status(row),
    };
  }
}
