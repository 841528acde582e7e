// The SQL behind transfer, add approver, return and resubmit (chain-changes.ts), compiled once per
// database handle (see db/statements.ts).
import type { ClaimCategory, StepKind, StepStatus } from '../../protocol';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
import type { StepRow } from './claim-reader';

/** Moving steps (add approver) reads them whole and writes them back one index further. */
export type StepRecord = StepRow;

type StepInsert = [
  string,
  number,
  StepKind,
  StepStatus,
  string | null,
  number | null,
  string | null,
  string | null,
];

export class ChainChangeStatements {
  readonly stepsFrom: Statement<[string, number], StepRecord>;
  readonly stepKind: Statement<[string, number], StepKind>;
  readonly chainApprovers: Statement<[string], { user_id: string; step_index: number }>;
  readonly approverPosition: Statement<[string, number, string], number>;
  readonly accessIds: Statement<[string], string>;
  /** Approvers and steps at or after an index (a whole chain from 0). Approvers first: foreign keys. */
  readonly deleteApprovers: Statement<[string, number]>;
  readonly deleteSteps: Statement<[string, number]>;
  readonly insertStep: Statement<StepInsert>;
  readonly insertApprover: Statement<[string, number, number, string]>;
  /** A step's approvers as stored, with whom a stand-in holds the place for (add approver moves them). */
  readonly approverRows: Statement<[string, number], { user_id: string; on_behalf_of: string | null }>;
  readonly insertApproverFor: Statement<[string, number, number, string, string | null]>;
  readonly removeApprover: Statement<[string, number, string]>;
  readonly setTransferredFrom: Statement<[string, string, number]>;
  readonly setStepStatus: Statement<[StepStatus, string, number]>;
  readonly decideStep: Statement<[StepStatus, string, number, string, number]>;
  readonly cancelWaitingSteps: Statement<[string]>;
  /** A new version with the same state and current step (the waiting-since time stays). */
  readonly bumpVersion: Statement<[number, string, number]>;
  readonly editClaim: Statement<[string, ClaimCategory, string, number, string]>;
  readonly deleteItems: Statement<[string]>;
  readonly audit: Statement<[string, number, string, string, number | null, string | null, string | null]>;

  constructor(db: Db) {
    this.stepsFrom = db.prepare(
      'SELECT * FROM chain_steps WHERE claim_id = ? AND step_index >= ? ORDER BY step_index',
    );
    this.stepKind = preparePluck(db, 'SELECT kind FROM chain_steps WHERE claim_id = ? AND step_index = ?');
    this.chainApprovers = db.prepare('SELECT user_id, step_index FROM step_approvers WHERE claim_id = ?');
    this.approverPosition = preparePluck(
      db,
      'SELECT position FROM step_approvers WHERE claim_id = ? AND step_index = ? AND user_id = ?',
    );
    this.accessIds = preparePluck(db, 'SELECT user_id FROM claim_access WHERE claim_id = ? ORDER BY user_id');
    this.deleteApprovers = db.prepare('DELETE FROM step_approvers WHERE claim_id = ? AND step_index >= ?');
    this.deleteSteps = db.prepare('DELETE FROM chain_steps WHERE claim_id = ? AND step_index >= ?');
    this.insertStep = db.prepare(
      `INSERT INTO chain_steps (claim_id, step_index, kind, status, decided_by, decided_at, added_by, transferred_from)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertApprover = db.prepare(
      'INSERT INTO step_approvers (claim_id, step_index, position, user_id) VALUES (?, ?, ?, ?)',
    );
    this.approverRows = db.prepare(
      'SELECT user_id, on_behalf_of FROM step_approvers WHERE claim_id = ? AND step_index = ? ORDER BY position',
    );
    this.insertApproverFor = db.prepare(
      `INSERT INTO step_approvers (claim_id, step_index, position, user_id, on_behalf_of)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.removeApprover = db.prepare(
      'DELETE FROM step_approvers WHERE claim_id = ? AND step_index = ? AND user_id = ?',
    );
    this.setTransferredFrom = db.prepare(
      'UPDATE chain_steps SET transferred_from = ? WHERE claim_id = ? AND step_index = ?',
    );
    this.setStepStatus = db.prepare(
      'UPDATE chain_steps SET status = ? WHERE claim_id = ? AND step_index = ?',
    );
    this.decideStep = db.prepare(
      'UPDATE chain_steps SET status = ?, decided_by = ?, decided_at = ? WHERE claim_id = ? AND step_index = ?',
    );
    this.cancelWaitingSteps = db.prepare(
      "UPDATE chain_steps SET status = 'cancelled' WHERE claim_id = ? AND status = 'waiting'",
    );
    this.bumpVersion = db.prepare(
      'UPDATE claims SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?',
    );
    this.editClaim = db.prepare(
      'UPDATE claims SET title = ?, category = ?, expense_date = ?, total_minor = ? WHERE id = ?',
    );
    this.deleteItems = db.prepare('DELETE FROM claim_items WHERE claim_id = ?');
    this.audit = db.prepare(
      `INSERT INTO audit (claim_id, at, actor_id, action, step_index, comment, subject_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }
}
