// The SQL behind the workflow's transitions, compiled once per database handle (see db/statements.ts).
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
import type { ClaimRow } from './claim-reader';

type ClaimInsert = [
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  ClaimRow['state'],
  number | null,
  number | null,
  number,
  number,
];

export class WorkflowStatements {
  readonly nextNumber: Statement<[], number>;
  readonly insertClaim: Statement<ClaimInsert>;
  readonly insertItem: Statement<[string, number, string, number]>;
  readonly insertStep: Statement<[string, number, string, string]>;
  readonly insertApprover: Statement<[string, number, number, string]>;
  readonly makeStepCurrent: Statement<[string, number]>;
  /** Cancels a claim's steps that are in the given status (the current one, or those still waiting). */
  readonly cancelSteps: Statement<[string, 'current' | 'waiting']>;
  readonly bumpClaim: Statement<[ClaimRow['state'], number | null, number | null, number, string, number]>;
  readonly decideStep: Statement<[string, string, number, string, number]>;
  readonly grantAccess: Statement<[string, string]>;
  readonly audit: Statement<[string, number, string, string, number | null, string | null]>;

  constructor(db: Db) {
    this.nextNumber = preparePluck(db, 'SELECT COALESCE(MAX(number), 0) + 1 FROM claims');
    this.insertClaim = db.prepare(
      `INSERT INTO claims (number, id, submitter_id, title, category, expense_date, currency, total_minor,
                           state, version, current_step_index, current_step_since, submitted_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
    );
    this.insertItem = db.prepare(
      'INSERT INTO claim_items (claim_id, position, description, amount_minor) VALUES (?, ?, ?, ?)',
    );
    this.insertStep = db.prepare(
      'INSERT INTO chain_steps (claim_id, step_index, kind, status) VALUES (?, ?, ?, ?)',
    );
    this.insertApprover = db.prepare(
      'INSERT INTO step_approvers (claim_id, step_index, position, user_id) VALUES (?, ?, ?, ?)',
    );
    this.makeStepCurrent = db.prepare(
      "UPDATE chain_steps SET status = 'current' WHERE claim_id = ? AND step_index = ?",
    );
    this.cancelSteps = db.prepare(
      "UPDATE chain_steps SET status = 'cancelled' WHERE claim_id = ? AND status = ?",
    );
    this.bumpClaim = db.prepare(
      `UPDATE claims SET state = ?, version = version + 1, current_step_index = ?, current_step_since = ?,
                         updated_at = ?
        WHERE id = ? AND version = ?`,
    );
    this.decideStep = db.prepare(
      'UPDATE chain_steps SET status = ?, decided_by = ?, decided_at = ? WHERE claim_id = ? AND step_index = ?',
    );
    this.grantAccess = db.prepare('INSERT OR IGNORE INTO claim_access (claim_id, user_id) VALUES (?, ?)');
    this.audit = db.prepare(
      'INSERT INTO audit (claim_id, at, actor_id, action, step_index, comment) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }
}
