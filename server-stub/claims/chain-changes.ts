// Issue 14 items 5 and 6: the transitions that change who approves a claim without deciding it —
// transfer (转交), add approver (加签) — and return for revision (退回) with its resubmission. Like
// workflow.ts, every method runs inside the caller's write transaction and either completes the whole
// transition (claim row, chain, audit, access, events) or throws an HttpError and leaves nothing behind.
//
// Check order, as for approve and reject: visibility (404) → quoted version (409 stale_version) →
// state (409 invalid_state) → the caller's right (403) → the chosen user's eligibility (422
// ineligible_user). Resubmit is the submitter's right alone, like withdraw: 403 for anyone else in
// every state, then 409 unless the claim is `returned`.
//
// Who is eligible (transfer and add approver alike): an existing user, not the submitter, not the
// caller, not the operator account (`admin` and nothing else), and nobody who is on another step of
// the current chain — decided, current or still to come — because a person decides a claim at most
// once per round. A transfer may go to a co-approver of the same step (on a finance step that leaves
// the step to them); a finance step is transferred only to another finance member. An added approver
// may be anyone else eligible: it is an extra check, not a finance decision. Nor anyone out of office
// who hands their approvals to the caller: the claim would come straight back.
//
// A transfer while a delegation is in force (docs/protocol.md, "Delegation"): the actor's place goes to
// the target, who hands it to their own delegate if they are out of office; a delegator acting on a
// step their stand-in holds for them hands on that place, so the stand-in loses it.
import type {
  AddApproverRequest,
  ChainChangeAction,
  ClaimChange,
  ClaimDetail,
  ResubmitRequest,
  ReturnRequest,
  StepKind,
  TransferRequest,
  UnassignReason,
  UserRef,
} from '../../protocol';
import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { EmitEvent } from '../events/event-log';
import { forbidden, HttpError, invalidState } from '../http/http-error';
import type { StoredUser, UserDirectory } from '../org/users';
import { ChainChangeStatements } from './chain-change-statements';
import type { ClaimReader, ClaimRow } from './claim-reader';
import { checkReceiptUploads, ReceiptStore } from './receipts';
import type { ClaimWorkflow } from './workflow';

const ineligible = (message: string) => new HttpError(422, 'ineligible_user', message);

export class ClaimChainChanges {
  private readonly sql: ChainChangeStatements;
  private readonly receipts: ReceiptStore;

  constructor(
    db: Db,
    private readonly users: UserDirectory,
    private readonly claims: ClaimReader,
    private readonly workflow: ClaimWorkflow,
    private readonly clock: Clock,
  ) {
    this.sql = new ChainChangeStatements(db);
    this.receipts = new ReceiptStore(db);
  }

  // ---- transfer (转交) ----

  transfer(actorId: string, claimId: string, request: TransferRequest, emit: EmitEvent): ClaimDetail {
    const claim = this.workflow.loadForAction(actorId, claimId, request.version);
    const stepIndex = this.workflow.requireCurrentApprover(actorId, claim, 'transfer');
    const before = this.claims.approverIds(claimId, stepIndex);
    // The actor hands on their own place. A delegator out of office gets theirs back from their stand-in
    // first, and a hand-over moved on this way is not given back when the delegation ends.
    this.workflow.standIns.handOn(claimId, stepIndex, actorId);
    const target = this.requireEligible(claim, actorId, request.to, 'transfer', stepIndex);
    const now = this.clock();
    const approvers = this.claims.approverIds(claimId, stepIndex);
    const alreadyOnStep = approvers.includes(target.id);
    // The target takes the actor's place in the step's list, so the order others see stays stable.
    const position = this.sql.approverPosition.get(claimId, stepIndex, actorId) ?? approvers.length;
    this.sql.removeApprover.run(claimId, stepIndex, actorId);
    if (!alreadyOnStep) this.sql.insertApprover.run(claimId, stepIndex, position, target.id);
    this.sql.setTransferredFrom.run(actorId, claimId, stepIndex);
    // A target out of office hands it on to their delegate, as a claim reaching them would.
    const holders = this.workflow.assignStep(claimId, stepIndex);
    const gainers = holders.filter((id) => !before.includes(id));
    // The actor, or the stand-in who held the actor's place for them.
    const losers = before.filter((id) => !holders.includes(id));
    // The new approver waits from now on (what "waiting since" and reminders count from).
    this.workflow.bumpClaim(claim, now, { state: 'pending', currentStepIndex: stepIndex });
    this.workflow.grantAccess(claimId, gainers);
    const comment = request.comment ? request.comment : null;
    this.sql.audit.run(claimId, now, actorId, 'transferred', stepIndex, comment, target.id);

    const summary = this.workflow.requireSummary(claimId);
    this.unassign(emit, losers, summary, 'transferred', actorId);
    for (const gainer of gainers) emit(gainer, { type: 'claim.assigned', claim: summary });
    this.emitChanged(emit, summary, 'transferred', actorId, comment);
    return this.workflow.requireDetail(claimId);
  }

  // ---- add approver (加签) ----

  addApprover(actorId: string, claimId: string, request: AddApproverRequest, emit: EmitEvent): ClaimDetail {
    const claim = this.workflow.loadForAction(actorId, claimId, request.version);
    const stepIndex = this.workflow.requireCurrentApprover(actorId, claim, 'add an approver to');
    const added = this.requireEligible(claim, actorId, request.user, 'add_approver', stepIndex);
    const now = this.clock();
    const comment = request.comment ? request.comment : null;
    const before = request.position === 'before';
    const losers = before ? this.claims.approverIds(claimId, stepIndex) : [];
    // `before`: the added step takes the current index and the actor's step moves one down, waiting.
    // `after`: the added step goes right after the current one, which stays current.
    const at = before ? stepIndex : stepIndex + 1;
    this.shiftStepsFrom(claimId, at);
    if (before) this.sql.setStepStatus.run('waiting', claimId, stepIndex + 1);
    this.sql.insertStep.run(claimId, at, 'added', before ? 'current' : 'waiting', null, null, actorId, null);
    this.sql.insertApprover.run(claimId, at, 0, added.id);
    // An added approver out of office hands the new step on to their delegate.
    const gainers = before ? this.workflow.assignStep(claimId, at) : [];
    if (before) {
      this.workflow.bumpClaim(claim, now, { state: 'pending', currentStepIndex: stepIndex });
      // Like any approver a claim reaches, the added one may see it from now on. One added after the
      // current step sees it when it gets there, as the later steps of a computed chain do.
      this.workflow.grantAccess(claimId, gainers);
    } else {
      // Still the same step, waiting since the same moment: only the version moves.
      const result = this.sql.bumpVersion.run(now, claimId, claim.version);
      if (result.changes !== 1) throw new Error(`claim ${claimId} changed inside its own transaction`);
    }
    this.sql.audit.run(claimId, now, actorId, 'approver_added', stepIndex, comment, added.id);

    const summary = this.workflow.requireSummary(claimId);
    this.unassign(emit, losers, summary, 'approver_added', actorId);
    for (const gainer of gainers) emit(gainer, { type: 'claim.assigned', claim: summary });
    this.emitChanged(emit, summary, 'approver_added', actorId, comment);
    return this.workflow.requireDetail(claimId);
  }

  // ---- return for revision (退回) and resubmit ----

  returnClaim(actorId: string, claimId: string, request: ReturnRequest, emit: EmitEvent): ClaimDetail {
    const claim = this.workflow.loadForAction(actorId, claimId, request.version);
    const stepIndex = this.workflow.requireCurrentApprover(actorId, claim, 'return');
    const now = this.clock();
    const approvers = this.claims.approverIds(claimId, stepIndex);
    this.sql.decideStep.run('returned', actorId, now, claimId, stepIndex);
    this.sql.cancelWaitingSteps.run(claimId);
    this.workflow.bumpClaim(claim, now, { state: 'returned', currentStepIndex: null });
    this.sql.audit.run(claimId, now, actorId, 'returned', stepIndex, request.reason, null);

    const summary = this.workflow.requireSummary(claimId);
    const by = this.users.ref(actorId);
    this.unassign(emit, approvers, summary, 'returned', actorId);
    emit(claim.submitter_id, { type: 'claim.returned', claim: summary, by, reason: request.reason });
    this.emitChanged(emit, summary, 'returned', actorId, request.reason);
    return this.workflow.requireDetail(claimId);
  }

  /**
   * The rule (docs/protocol.md): a resubmitted claim starts over at the first step of a chain computed
   * afresh from the org as it is now; approvals of the earlier round no longer count (the audit keeps
   * them); the version keeps counting up; `submittedAt` stays the first submission's.
   */
  resubmit(actorId: string, claimId: string, request: ResubmitRequest, emit: EmitEvent): ClaimDetail {
    const claim = this.workflow.loadForAction(actorId, claimId, request.version);
    if (claim.submitter_id !== actorId) throw forbidden('only the submitter may resubmit a claim');
    if (claim.state !== 'returned') throw invalidState(this.workflow.requireDetail(claimId), 'resubmit');
    const now = this.clock();
    this.applyEdits(claim, request);
    // The edited claim (its receipts too) is checked against the policy again (it is never its own
    // duplicate); receiptCount is read back from the store after the edit.
    const edited = this.workflow.requireSummary(claimId);
    this.workflow.policyFlags.recompute(
      {
        claimId,
        submitterId: actorId,
        category: edited.category,
        expenseDate: edited.expenseDate,
        currency: edited.currency,
        totalMinor: edited.totalMinor,
        receiptCount: edited.receiptCount ?? 0,
      },
      now,
    );
    this.sql.deleteApprovers.run(claimId, 0);
    this.sql.deleteSteps.run(claimId, 0);
    const chain = this.workflow.insertChain(claimId, actorId);
    const first = chain[0];
    this.workflow.bumpClaim(claim, now, {
      state: first ? 'pending' : 'approved',
      currentStepIndex: first ? 0 : null,
    });
    const comment = request.comment ? request.comment : null;
    this.sql.audit.run(claimId, now, actorId, 'resubmitted', null, comment, null);
    // As at submission: a first approver out of office hands it to their delegate.
    const holders = first ? this.workflow.assignStep(claimId, 0) : [];
    this.workflow.grantAccess(claimId, holders);

    const summary = this.workflow.requireSummary(claimId);
    for (const approverId of holders) {
      emit(approverId, { type: 'claim.assigned', claim: summary });
    }
    this.emitChanged(emit, summary, 'resubmitted', actorId, comment);
    return this.workflow.requireDetail(claimId);
  }

  /**
   * The submitter's edits of a returned claim, receipts included (docs/protocol.md, "Resubmit"): the
   * uploads are checked like a submission's, then removed and added with the limits applied to the
   * result. Receipt problems come after the permission and state checks, before anything is written.
   */
  private applyEdits(claim: ClaimRow, request: ResubmitRequest): void {
    this.receipts.edit(claim.id, request.removeReceipts ?? [], checkReceiptUploads(request.receipts));
    this.sql.editClaim.run(
      request.title ?? claim.title,
      request.category ?? claim.category,
      request.expenseDate ?? claim.expense_date,
      request.totalMinor ?? claim.total_minor,
      claim.id,
    );
    if (!request.items) return;
    this.sql.deleteItems.run(claim.id);
    request.items.forEach((item, position) => {
      this.workflow.insertItem(claim.id, position, item);
    });
  }

  // ---- who may be chosen ----

  /** `GET /users?eligibleFor=&action=`: the same checks as the action itself, without a version. */
  eligibleUsers(actorId: string, claimId: string, action: ChainChangeAction): UserRef[] {
    const claim = this.workflow.loadForAction(actorId, claimId, null);
    const stepIndex = this.workflow.requireCurrentApprover(actorId, claim, action.replace('_', ' '));
    const context = this.eligibilityContext(claim, stepIndex);
    return this.users
      .all()
      .filter((user) => this.whyIneligible(context, actorId, user, action) === null)
      .map((user) => ({ id: user.id, name: user.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private requireEligible(
    claim: ClaimRow,
    actorId: string,
    userId: string,
    action: ChainChangeAction,
    stepIndex: number,
  ): StoredUser {
    const user = this.users.find(userId);
    if (!user) throw ineligible(`no user ${userId}`);
    const why = this.whyIneligible(this.eligibilityContext(claim, stepIndex), actorId, user, action);
    if (why) throw ineligible(`${userId} ${why}`);
    return user;
  }

  private eligibilityContext(claim: ClaimRow, stepIndex: number): EligibilityContext {
    const onStep = new Map<string, number>();
    for (const row of this.sql.chainApprovers.all(claim.id)) onStep.set(row.user_id, row.step_index);
    const kind = this.sql.stepKind.get(claim.id, stepIndex) ?? 'supervisor';
    return { submitterId: claim.submitter_id, stepIndex, kind, onStep };
  }

  private whyIneligible(
    context: EligibilityContext,
    actorId: string,
    user: StoredUser,
    action: ChainChangeAction,
  ): string | null {
    if (user.id === context.submitterId) return 'submitted this claim';
    if (user.id === actorId) return 'is you';
    if (user.roles.length === 1 && user.roles[0] === 'admin') return 'is the operator account';
    const step = context.onStep.get(user.id);
    const sameStep = step === context.stepIndex;
    if (step !== undefined && !(action === 'transfer' && sameStep)) {
      return 'is already in the approval chain';
    }
    if (action === 'transfer' && context.kind === 'finance' && !user.roles.includes('finance')) {
      return 'is not in finance (a finance step goes only to finance)';
    }
    // It would go to their delegate (see assignStep): never back to the caller.
    if (this.workflow.standIns.activeDelegateOf(user.id) === actorId) {
      return 'is out of office and hands their approvals to you';
    }
    return null;
  }

  // ---- plumbing ----

  /**
   * Moves every step at `from` or later one index down (FKs: children out, parents renumbered, back in).
   * A stand-in keeps holding a place for whom they held it, and hand-overs move with their steps.
   */
  private shiftStepsFrom(claimId: string, from: number): void {
    const moved = this.sql.stepsFrom
      .all(claimId, from)
      .map((step) => ({ step, approvers: this.sql.approverRows.all(claimId, step.step_index) }));
    this.sql.deleteApprovers.run(claimId, from);
    this.sql.deleteSteps.run(claimId, from);
    for (const { step, approvers } of moved) {
      const index = step.step_index + 1;
      this.sql.insertStep.run(
        claimId,
        index,
        step.kind,
        step.status,
        step.decided_by,
        step.decided_at,
        step.added_by,
        step.transferred_from,
      );
      approvers.forEach((approver, position) => {
        this.sql.insertApproverFor.run(claimId, index, position, approver.user_id, approver.on_behalf_of);
      });
    }
    this.workflow.standIns.stepsShifted(claimId, from);
  }

  private unassign(
    emit: EmitEvent,
    userIds: readonly string[],
    claim: { id: string; version: number },
    reason: UnassignReason,
    byId: string,
  ): void {
    this.workflow.emitUnassigned(emit, userIds, claim.id, claim.version, reason, byId);
  }

  /** Everyone who may see the claim, the actor included (their other windows), hears it changed. */
  private emitChanged(
    emit: EmitEvent,
    claim: ReturnType<ClaimWorkflow['requireSummary']>,
    change: ClaimChange,
    byId: string,
    comment: string | null,
  ): void {
    const by = this.users.ref(byId);
    for (const userId of this.sql.accessIds.all(claim.id)) {
      emit(userId, { type: 'claim.changed', claim, change, by, comment });
    }
  }
}

interface EligibilityContext {
  submitterId: string;
  stepIndex: number;
  kind: StepKind;
  /** Every user on a step of the current chain, with that step's index. */
  onStep: Map<string, number>;
}
