// Read side of claims: turns rows into the protocol's ClaimSummary / ClaimDetail and answers
// "who may see what". Pure reads; callers decide what a miss means (usually 404).

import type { Statement } from 'better-sqlite3';
import type {
  AuditEntry,
  ChainStep,
  ClaimCategory,
  ClaimDetail,
  ClaimState,
  ClaimSummary,
  StepKind,
  StepStatus,
  UserRef,
} from '../../protocol';
import { isoAt } from '../clock';
import type { Db } from '../db/database';
import { preparePluck } from '../db/statements';
import type { UserDirectory } from '../org/users';

export interface ClaimRow {
  number: number;
  id: string;
  submitter_id: string;
  title: string;
  category: ClaimCategory;
  expense_date: string;
  currency: string;
  total_minor: number;
  state: ClaimState;
  version: number;
  current_step_index: number | null;
  current_step_since: number | null;
  submitted_at: number;
  updated_at: number;
}

interface StepRow {
  step_index: number;
  kind: StepKind;
  status: StepStatus;
  decided_by: string | null;
  decided_at: number | null;
}

interface AuditRow {
  at: number;
  actor_id: string;
  action: AuditEntry['action'];
  step_index: number | null;
  comment: string | null;
}

export class ClaimReader {
  private readonly byId: Statement<[string], ClaimRow>;
  private readonly access: Statement<[string, string], number>;
  private readonly approvers: Statement<[string, number], string>;
  private readonly items: Statement<[string], ClaimDetail['items'][number]>;
  private readonly steps: Statement<[string], StepRow>;
  private readonly auditTrail: Statement<[string], AuditRow>;
  private readonly stepCount: Statement<[string], number>;
  private readonly stepKind: Statement<[string, number], StepKind>;
  private readonly submittedBy: Statement<[string], ClaimRow>;
  private readonly waitingOn: Statement<[string], ClaimRow>;
  private readonly visibleTo: Statement<[string], ClaimRow>;

  constructor(
    db: Db,
    private readonly users: UserDirectory,
  ) {
    this.byId = db.prepare('SELECT * FROM claims WHERE id = ?');
    this.access = preparePluck(db, 'SELECT 1 FROM claim_access WHERE claim_id = ? AND user_id = ?');
    this.approvers = preparePluck(
      db,
      'SELECT user_id FROM step_approvers WHERE claim_id = ? AND step_index = ? ORDER BY position',
    );
    this.items = db.prepare(
      'SELECT description, amount_minor AS amountMinor FROM claim_items WHERE claim_id = ? ORDER BY position',
    );
    this.steps = db.prepare('SELECT * FROM chain_steps WHERE claim_id = ? ORDER BY step_index');
    this.auditTrail = db.prepare('SELECT * FROM audit WHERE claim_id = ? ORDER BY id');
    this.stepCount = preparePluck(db, 'SELECT COUNT(*) FROM chain_steps WHERE claim_id = ?');
    this.stepKind = preparePluck(db, 'SELECT kind FROM chain_steps WHERE claim_id = ? AND step_index = ?');
    this.submittedBy = db.prepare('SELECT * FROM claims WHERE submitter_id = ? ORDER BY number DESC');
    this.waitingOn = db.prepare(
      `SELECT c.* FROM claims c
         JOIN step_approvers a ON a.claim_id = c.id AND a.step_index = c.current_step_index
        WHERE c.state = 'pending' AND a.user_id = ?
        ORDER BY c.current_step_since, c.number`,
    );
    this.visibleTo = db.prepare(
      `SELECT c.* FROM claims c JOIN claim_access v ON v.claim_id = c.id
        WHERE v.user_id = ? ORDER BY c.number DESC`,
    );
  }

  row(claimId: string): ClaimRow | null {
    return this.byId.get(claimId) ?? null;
  }

  isVisibleTo(claimId: string, userId: string): boolean {
    return this.access.get(claimId, userId) !== undefined;
  }

  approverIds(claimId: string, stepIndex: number): string[] {
    return this.approvers.all(claimId, stepIndex);
  }

  summary(claimId: string): ClaimSummary | null {
    const row = this.row(claimId);
    return row ? this.toSummary(row) : null;
  }

  detail(claimId: string): ClaimDetail | null {
    const row = this.row(claimId);
    if (!row) return null;
    const items = this.items.all(claimId);
    const chain: ChainStep[] = this.steps.all(claimId).map((step) => ({
      index: step.step_index,
      kind: step.kind,
      approvers: this.approverRefs(claimId, step.step_index),
      status: step.status,
      decidedBy: step.decided_by ? this.users.ref(step.decided_by) : null,
      decidedAt: step.decided_at === null ? null : isoAt(step.decided_at),
    }));
    const audit = this.auditTrail.all(claimId).map(
      (entry): AuditEntry => ({
        at: isoAt(entry.at),
        actor: this.users.ref(entry.actor_id),
        action: entry.action,
        stepIndex: entry.step_index,
        comment: entry.comment,
      }),
    );
    return { ...this.toSummary(row), items, chain, audit };
  }

  /** Claims the user submitted, newest first. */
  listSubmittedBy(userId: string): ClaimSummary[] {
    return this.summaries(this.submittedBy, userId);
  }

  /** Pending claims whose current step lists the user, oldest wait first (a queue). */
  listWaitingOn(userId: string): ClaimSummary[] {
    return this.summaries(this.waitingOn, userId);
  }

  /** Everything the user may see, newest first. */
  listVisibleTo(userId: string): ClaimSummary[] {
    return this.summaries(this.visibleTo, userId);
  }

  private summaries(query: Statement<[string], ClaimRow>, userId: string): ClaimSummary[] {
    return query.all(userId).map((row) => this.toSummary(row));
  }

  private approverRefs(claimId: string, stepIndex: number): UserRef[] {
    return this.approverIds(claimId, stepIndex).map((id) => this.users.ref(id));
  }

  private toSummary(row: ClaimRow): ClaimSummary {
    const stepCount = this.stepCount.get(row.id) ?? 0;
    const currentStep =
      row.state === 'pending' && row.current_step_index !== null
        ? {
            index: row.current_step_index,
            kind: this.stepKind.get(row.id, row.current_step_index) as StepKind,
            approvers: this.approverRefs(row.id, row.current_step_index),
          }
        : null;
    return {
      id: row.id,
      version: row.version,
      state: row.state,
      title: row.title,
      category: row.category,
      expenseDate: row.expense_date,
      currency: row.currency,
      totalMinor: row.total_minor,
      submitter: this.users.ref(row.submitter_id),
      submittedAt: isoAt(row.submitted_at),
      updatedAt: isoAt(row.updated_at),
      currentStepSince: currentStep && row.current_step_since !== null ? isoAt(row.current_step_since) : null,
      stepCount,
      currentStep,
    };
  }
}
