// The approval workflow's state transitions. Every method runs inside the caller's write transaction
// (StoredEventLog.transact) and either completes the whole transition — claim row, chain, audit,
// access, events — or throws an HttpError and leaves nothing behind.
//
// Check order for actions: visibility (404, so existence is not revealed) → quoted version (409
// stale_version) → permission / state. Approve and reject check the state first (a decided claim
// has no current approver, so "invalid_state" is the useful answer), then whether the caller is a
// current approver (403). Withdraw is the submitter's right alone, so a non-submitter gets 403 in
// every state and the submitter gets invalid_state once the claim is no longer pending.
import type {
  ApproveRequest,
  ClaimDetail,
  ClaimSummary,
  RejectRequest,
  SubmitClaimRequest,
  UnassignReason,
  WithdrawRequest,
} from '../../protocol';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { EmitEvent } from '../events/event-log';
import { forbidden, invalidState, notFound, staleVersion } from '../http/http-error';
import { buildApprovalChain, type PlannedStep } from '../org/chain';
import type { UserDirectory } from '../org/users';
import type { ClaimReader, ClaimRow } from './claim-reader';
import { DEFAULT_POLICY, type PolicyConfig } from './policy-config';
import { PolicyFlags } from './policy-flags';
import { type CheckedReceipt, ReceiptStore } from './receipts';
import { WorkflowStatements } from './workflow-statements';

/** A submit request after zod parsing (defaults applied; receipts stay optional). */
export type ParsedSubmitClaim = Required<Omit<SubmitClaimRequest, 'receipts'>> &
  Pick<SubmitClaimRequest, 'receipts'>;

/**
 * Who stands in for whom (delegation, claims/delegation.ts), as the workflow needs it. Kept to three
 * calls so the transitions read as before: hand a step that just became current to the delegates of
 * its out-of-office approvers; let a delegator still decide a step handed over from them; stamp a
 * stand-in's decision with whom they acted for.
 */
export interface StandIns {
  assign(claimId: string, stepIndex: number): void;
  isDelegatorAt(claimId: string, stepIndex: number, userId: string): boolean;
  recordDecision(claimId: string, stepIndex: number, actorId: string): void;
  /**
   * `actorId` is about to hand their place on the step to someone else (a transfer): a delegator's
   * place, held by their stand-in, comes back to them first; and the hand-over of that place ends, so
   * the delegation's end gives nothing back and the delegator can no longer act on the step.
   */
  handOn(claimId: string, stepIndex: number, actorId: string): void;
  /** Who a step reaching `userId` goes to instead, while they are out of office; null when nobody. */
  activeDelegateOf(userId: string): string | null;
  /** The claim's steps at `from` or later moved one index down (an approver added before): so do their hand-overs. */
  stepsShifted(claimId: string, from: number): void;
}

const NOBODY_STANDS_IN: StandIns = {
  assign() {},
  isDelegatorAt: () => false,
  recordDecision() {},
  handOn() {},
  activeDelegateOf: () => null,
  stepsShifted() {},
};

export function formatClaimId(number: number): string {
  return `EXP-${String(number).padStart(6, '0')}`;
}

export class ClaimWorkflow {
  private readonly sql: WorkflowStatements;
  /** Policy flags (issue 14); a resubmission recomputes them with `policyFlags.recompute`. */
  readonly policyFlags: PolicyFlags;
  private readonly receipts: ReceiptStore;

  constructor(
    db: Db,
    private readonly users: UserDirectory,
    private readonly claims: ClaimReader,
    private readonly clock: Clock,
    policy: PolicyConfig = DEFAULT_POLICY,
    /** @internal also used by chain-changes.ts (a transfer hands on a delegated place). */
    readonly standIns: StandIns = NOBODY_STANDS_IN,
  ) {
    this.sql = new WorkflowStatements(db);
    this.policyFlags = new PolicyFlags(db, policy);
    this.receipts = new ReceiptStore(db);
  }

  /** `receipts` were checked (checkReceiptUploads) before the transaction; stored with the claim. */
  submit(
    actorId: string,
    request: ParsedSubmitClaim,
    emit: EmitEvent,
    receipts: readonly CheckedReceipt[] = [],
  ): ClaimDetail {
    const now = this.clock();
    const number = this.sql.nextNumber.get() ?? 1;
    const id = formatClaimId(number);
    const chain = this.planChain(actorId);
    // A chain with nobody eligible (only possible in a tiny org) has nothing to wait for.
    const state = chain.length === 0 ? 'approved' : 'pending';
    this.sql.insertClaim.run(
      number,
      id,
      actorId,
      request.title,
      request.category,
      request.expenseDate,
      request.currency,
      request.totalMinor,
      state,
      chain.length === 0 ? null : 0,
      chain.length === 0 ? null : now,
      now,
      now,
    );
    request.items.forEach((item, position) => {
      this.insertItem(id, position, item);
    });
    this.receipts.attach(id, receipts);
    this.policyFlags.recompute(
      { claimId: id, submitterId: actorId, ...request, receiptCount: receipts.length },
      now,
    );
    this.writeChain(id, chain);
    if (chain.length > 0) this.standIns.assign(id, 0);
    this.grantAccess(id, [actorId]);
    this.audit(id, now, actorId, 'submitted', null, null);

    const { detail, summary } = this.readAfterChange(id);
    emit(actorId, { type: 'claim.submitted', claim: summary });
    const firstApprovers = chain.length > 0 ? this.claims.approverIds(id, 0) : [];
    this.grantAccess(id, firstApprovers);
    for (const approverId of firstApprovers) emit(approverId, { type: 'claim.assigned', claim: summary });
    return detail;
  }

  approve(actorId: string, claimId: string, request: ApproveRequest, emit: EmitEvent): ClaimDetail {
    const claim = this.loadForAction(actorId, claimId, request.version);
    const stepIndex = this.requireCurrentApprover(actorId, claim, 'approve');
    const now = this.clock();
    const comment = request.comment ? request.comment : null;
    const stepApprovers = this.claims.approverIds(claimId, stepIndex);
    const nextIndex = stepIndex + 1;
    let nextApprovers = this.claims.approverIds(claimId, nextIndex);
    const isLast = nextApprovers.length === 0;

    this.decideStep(claimId, stepIndex, 'approved', actorId, now);
    if (isLast) {
      this.bumpClaim(claim, now, { state: 'approved', currentStepIndex: null });
    } else {
      this.sql.makeStepCurrent.run(claimId, nextIndex);
      this.standIns.assign(claimId, nextIndex);
      nextApprovers = this.claims.approverIds(claimId, nextIndex);
      this.bumpClaim(claim, now, { state: 'pending', currentStepIndex: nextIndex });
      this.grantAccess(claimId, nextApprovers);
    }
    this.audit(claimId, now, actorId, 'approved', stepIndex, comment);
    this.standIns.recordDecision(claimId, stepIndex, actorId);

    const { detail, summary } = this.readAfterChange(claimId);
    const by = this.users.ref(actorId);
    this.emitUnassigned(emit, stepApprovers, summary.id, summary.version, 'approved', actorId);
    if (isLast) {
      emit(claim.submitter_id, { type: 'claim.approved', claim: summary, by, comment });
    } else {
      for (const approverId of nextApprovers) emit(approverId, { type: 'claim.assigned', claim: summary });
      emit(claim.submitter_id, { type: 'claim.advanced', claim: summary, by, comment });
    }
    return detail;
  }

  reject(actorId: string, claimId: string, request: RejectRequest, emit: EmitEvent): ClaimDetail {
    const claim = this.loadForAction(actorId, claimId, request.version);
    const stepIndex = this.requireCurrentApprover(actorId, claim, 'reject');
    const now = this.clock();
    const stepApprovers = this.claims.approverIds(claimId, stepIndex);
    this.decideStep(claimId, stepIndex, 'rejected', actorId, now);
    this.sql.cancelSteps.run(claimId, 'waiting');
    this.bumpClaim(claim, now, { state: 'rejected', currentStepIndex: null });
    this.audit(claimId, now, actorId, 'rejected', stepIndex, request.reason);
    this.standIns.recordDecision(claimId, stepIndex, actorId);

    const { detail, summary } = this.readAfterChange(claimId);
    this.emitUnassigned(emit, stepApprovers, summary.id, summary.version, 'rejected', actorId);
    emit(claim.submitter_id, {
      type: 'claim.rejected',
      claim: summary,
      by: this.users.ref(actorId),
      reason: request.reason,
    });
    return detail;
  }

  withdraw(actorId: string, claimId: string, request: WithdrawRequest, emit: EmitEvent): ClaimDetail {
    const claim = this.loadForAction(actorId, claimId, request.version);
    if (claim.submitter_id !== actorId) throw forbidden('only the submitter may withdraw a claim');
    // A claim returned for revision (issue 14) may be withdrawn too; it waits on nobody.
    const returned = claim.state === 'returned';
    if (!returned && (claim.state !== 'pending' || claim.current_step_index === null)) {
      throw invalidState(this.requireDetail(claimId), 'withdraw');
    }
    const now = this.clock();
    const stepApprovers =
      claim.current_step_index === null ? [] : this.claims.approverIds(claimId, claim.current_step_index);
    this.sql.cancelSteps.run(claimId, 'current');
    this.sql.cancelSteps.run(claimId, 'waiting');
    this.bumpClaim(claim, now, { state: 'withdrawn', currentStepIndex: null });
    this.audit(claimId, now, actorId, 'withdrawn', null, request.comment ? request.comment : null);

    const { detail, summary } = this.readAfterChange(claimId);
    this.emitUnassigned(emit, stepApprovers, summary.id, summary.version, 'withdrawn', actorId);
    emit(actorId, { type: 'claim.withdrawn', claim: summary });
    return detail;
  }

  /**
   * Visibility, then the quoted version (a null version skips that check: a read such as the eligible
   * users). @internal also used by chain-changes.ts
   */
  loadForAction(actorId: string, claimId: string, quotedVersion: number | null): ClaimRow {
    const claim = this.claims.row(claimId);
    if (!claim || !this.claims.isVisibleTo(claimId, actorId)) throw notFound(`no claim ${claimId}`);
    if (quotedVersion !== null && claim.version !== quotedVersion) {
      throw staleVersion(this.requireDetail(claimId));
    }
    return claim;
  }

  /** @internal also used by chain-changes.ts: a line item of a new or resubmitted claim. */
  insertItem(claimId: string, position: number, item: { description: string; amountMinor: number }): void {
    this.sql.insertItem.run(claimId, position, item.description, item.amountMinor);
  }

  /** @internal also used by chain-changes.ts: computes a fresh chain for the submitter and stores it. */
  insertChain(claimId: string, submitterId: string): PlannedStep[] {
    const chain = this.planChain(submitterId);
    this.writeChain(claimId, chain);
    return chain;
  }

  private planChain(submitterId: string): PlannedStep[] {
    return buildApprovalChain(submitterId, this.users.chainCandidates(submitterId));
  }

  private writeChain(claimId: string, chain: readonly PlannedStep[]): void {
    chain.forEach((step, index) => {
      this.sql.insertStep.run(claimId, index, step.kind, index === 0 ? 'current' : 'waiting');
      step.approverIds.forEach((userId, position) => {
        this.sql.insertApprover.run(claimId, index, position, userId);
      });
    });
  }

  /**
   * @internal also used by chain-changes.ts: makes step `stepIndex` current for whoever stands in (an
   * approver out of office hands it to their delegate, claims/delegation.ts) and says who holds it now.
   */
  assignStep(claimId: string, stepIndex: number): string[] {
    this.standIns.assign(claimId, stepIndex);
    return this.claims.approverIds(claimId, stepIndex);
  }

  /** @internal also used by chain-changes.ts */
  requireCurrentApprover(actorId: string, claim: ClaimRow, action: string): number {
    if (claim.state !== 'pending' || claim.current_step_index === null) {
      throw invalidState(this.requireDetail(claim.id), action);
    }
    const step = claim.current_step_index;
    // A delegator may still decide what was handed over from them (claims/delegation.ts).
    if (
      !this.claims.approverIds(claim.id, step).includes(actorId) &&
      !this.standIns.isDelegatorAt(claim.id, step, actorId)
    ) {
      throw forbidden(`you are not an approver of ${claim.id}'s current step`);
    }
    return claim.current_step_index;
  }

  /** @internal also used by chain-changes.ts */
  bumpClaim(
    claim: ClaimRow,
    now: number,
    next: { state: ClaimRow['state']; currentStepIndex: number | null },
  ): void {
    // The version guard makes a lost race impossible to commit even if a check above were wrong.
    const result = this.sql.bumpClaim.run(
      next.state,
      next.currentStepIndex,
      next.currentStepIndex === null ? null : now,
      now,
      claim.id,
      claim.version,
    );
    if (result.changes !== 1) throw staleVersion(this.requireDetail(claim.id));
  }

  private decideStep(
    claimId: string,
    stepIndex: number,
    status: 'approved' | 'rejected',
    by: string,
    at: number,
  ) {
    this.sql.decideStep.run(status, by, at, claimId, stepIndex);
  }

  /** @internal also used by chain-changes.ts */
  grantAccess(claimId: string, userIds: readonly string[]): void {
    for (const userId of userIds) this.sql.grantAccess.run(claimId, userId);
  }

  private audit(
    claimId: string,
    at: number,
    actorId: string,
    action: 'submitted' | 'approved' | 'rejected' | 'withdrawn',
    stepIndex: number | null,
    comment: string | null,
  ): void {
    this.sql.audit.run(claimId, at, actorId, action, stepIndex, comment);
  }

  /** Every approver of the decided step hears it left their queue — the actor too, for their other devices. */
  /** @internal also used by chain-changes.ts */
  emitUnassigned(
    emit: EmitEvent,
    approverIds: readonly string[],
    claimId: string,
    claimVersion: number,
    reason: UnassignReason,
    byId: string,
  ): void {
    const by = this.users.ref(byId);
    for (const approverId of approverIds) {
      emit(approverId, { type: 'claim.unassigned', claimId, claimVersion, reason, by });
    }
  }

  /** @internal also used by chain-changes.ts */
  requireSummary(claimId: string) {
    const summary = this.claims.summary(claimId);
    if (!summary) throw new Error(`claim ${claimId} vanished inside its own transaction`);
    return summary;
  }

  /**
   * The claim as an action leaves it, read once: the detail for the reply, and its summary part for
   * the events. Reading the summary separately repeated seven of the detail's queries inside every
   * action's write transaction, ahead of its commit and so of its pushes.
   */
  private readAfterChange(claimId: string): { detail: ClaimDetail; summary: ClaimSummary } {
    const detail = this.requireDetail(claimId);
    const { items: _items, chain: _chain, audit: _audit, receipts: _receipts, ...summary } = detail;
    return { detail, summary };
  }

  /** @internal also used by chain-changes.ts */
  requireDetail(claimId: string): ClaimDetail {
    const detail = this.claims.detail(claimId);
    if (!detail) throw new Error(`claim ${claimId} vanished inside its own transaction`);
    return detail;
  }
}
