// The SQL behind delegations and their hand-overs, compiled once per database handle.
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';

export interface DelegationRow {
  id: string;
  delegator_id: string;
  delegate_id: string;
  starts_at: number;
  ends_at: number;
  ended_at: number | null;
  created_at: number;
  started: 0 | 1;
  finished: 0 | 1;
}

/** A waiting claim step that names a user: where a hand-over applies. */
export interface WaitingStep {
  claim_id: string;
  step_index: number;
  position: number;
  submitter_id: string;
}

export interface HandoverRow {
  claim_id: string;
  step_index: number;
  position: number;
  merged: 0 | 1;
}

export interface HandoverOfRow extends HandoverRow {
  delegation_id: string;
  delegate_id: string;
}

export class DelegationStatements {
  readonly nextNumber: Statement<[], number>;
  readonly insert: Statement<[string, string, string, number, number, number]>;
  readonly byId: Statement<[string], DelegationRow>;
  /** The delegator's one unfinished delegation (scheduled or active), if any. */
  readonly unfinishedOf: Statement<[string], DelegationRow>;
  /** Unfinished delegations given by the user that overlap [start, end). */
  readonly overlappingFrom: Statement<[string, number, number], DelegationRow>;
  /** Unfinished delegations to the user that overlap [start, end). */
  readonly overlappingTo: Statement<[string, number, number], DelegationRow>;
  readonly incomingOf: Statement<[string], DelegationRow>;
  /** Not yet started and due at `now`. */
  readonly dueToStart: Statement<[number], DelegationRow>;
  /** Started, not finished, and past their end at `now`. */
  readonly dueToFinish: Statement<[number], DelegationRow>;
  readonly nextDue: Statement<[], number | null>;
  readonly markStarted: Statement<[string]>;
  readonly markFinished: Statement<[number | null, string]>;
  /** The user's started, unfinished delegation: whose places they hand over right now. */
  readonly activeOf: Statement<[string], DelegationRow>;
  readonly waitingStepsOf: Statement<[string], WaitingStep>;
  readonly stepHas: Statement<[string, number, string], number>;
  readonly replaceApprover: Statement<[string, string, string, number, string]>;
  readonly removeApprover: Statement<[string, number, string]>;
  readonly recordHandover: Statement<[string, string, number, number, number]>;
  /** Hand-overs of a delegation whose step is still the current step of a pending claim. */
  readonly stillWaiting: Statement<[string], HandoverRow>;
  readonly restoreApprover: Statement<[string, string, number, string, string]>;
  readonly reinsertApprover: Statement<[string, number, number, string]>;
  /** The hand-over of the delegator's place on a step, while their delegation is unfinished. */
  readonly handoverOf: Statement<[string, number, string], HandoverOfRow>;
  /** The hand-over a stand-in holds a step for (their row names whom they stand in for). */
  readonly handoverHeldBy: Statement<[string, number, string], { delegation_id: string }>;
  readonly deleteHandover: Statement<[string, string, number]>;
  /** A claim's hand-overs at or after a step index, last first (so moving each one down never collides). */
  readonly handoversFrom: Statement<[string, number], { delegation_id: string; step_index: number }>;
  readonly moveHandover: Statement<[number, string, string, number]>;
  /** The delegate of the user's active delegation, if they are out of office now. */
  readonly activeDelegateOf: Statement<[string], string>;
  readonly submitterOf: Statement<[string], string>;
  readonly isDelegatorAt: Statement<[string, number, string], number>;
  readonly standInFor: Statement<[string, number, string], string | null>;
  readonly stampLastAudit: Statement<[string, string, string]>;
  readonly bumpVersion: Statement<[number, string]>;
  readonly grantAccess: Statement<[string, string]>;

  constructor(db: Db) {
    const unfinished = 'finished = 0 AND ended_at IS NULL';
    this.nextNumber = preparePluck(db, 'SELECT COUNT(*) + 1 FROM delegations');
    this.insert = db.prepare(
      `INSERT INTO delegations (id, delegator_id, delegate_id, starts_at, ends_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.byId = db.prepare('SELECT * FROM delegations WHERE id = ?');
    this.unfinishedOf = db.prepare(
      `SELECT * FROM delegations WHERE delegator_id = ? AND ${unfinished} ORDER BY starts_at LIMIT 1`,
    );
    this.overlappingFrom = db.prepare(
      `SELECT * FROM delegations WHERE delegator_id = ? AND ${unfinished} AND starts_at < ? AND ends_at > ?`,
    );
    this.overlappingTo = db.prepare(
      `SELECT * FROM delegations WHERE delegate_id = ? AND ${unfinished} AND starts_at < ? AND ends_at > ?`,
    );
    this.incomingOf = db.prepare(
      `SELECT * FROM delegations WHERE delegate_id = ? AND ${unfinished} ORDER BY ends_at, id`,
    );
    this.dueToStart = db.prepare(
      `SELECT * FROM delegations WHERE started = 0 AND ${unfinished} AND starts_at <= ? ORDER BY starts_at, id`,
    );
    this.dueToFinish = db.prepare(
      `SELECT * FROM delegations WHERE started = 1 AND ${unfinished} AND ends_at <= ? ORDER BY ends_at, id`,
    );
    this.nextDue = preparePluck(
      db,
      `SELECT MIN(CASE WHEN started = 0 THEN starts_at ELSE ends_at END) FROM delegations WHERE ${unfinished}`,
    );
    this.markStarted = db.prepare('UPDATE delegations SET started = 1 WHERE id = ?');
    this.markFinished = db.prepare('UPDATE delegations SET finished = 1, ended_at = ? WHERE id = ?');
    this.activeOf = db.prepare(
      `SELECT * FROM delegations WHERE delegator_id = ? AND started = 1 AND ${unfinished} LIMIT 1`,
    );
    this.waitingStepsOf = db.prepare(
      `SELECT c.id AS claim_id, a.step_index, a.position, c.submitter_id FROM claims c
         JOIN step_approvers a ON a.claim_id = c.id AND a.step_index = c.current_step_index
        WHERE c.state = 'pending' AND a.user_id = ?
        ORDER BY c.number`,
    );
    this.stepHas = preparePluck(
      db,
      'SELECT 1 FROM step_approvers WHERE claim_id = ? AND step_index = ? AND user_id = ?',
    );
    this.replaceApprover = db.prepare(
      `UPDATE step_approvers SET user_id = ?, on_behalf_of = ?
        WHERE claim_id = ? AND step_index = ? AND user_id = ?`,
    );
    this.removeApprover = db.prepare(
      'DELETE FROM step_approvers WHERE claim_id = ? AND step_index = ? AND user_id = ?',
    );
    this.recordHandover = db.prepare(
      `INSERT INTO delegation_handovers (delegation_id, claim_id, step_index, position, merged)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (delegation_id, claim_id, step_index) DO UPDATE SET position = excluded.position, merged = excluded.merged`,
    );
    this.stillWaiting = db.prepare(
      `SELECT h.claim_id, h.step_index, h.position, h.merged FROM delegation_handovers h
         JOIN claims c ON c.id = h.claim_id AND c.current_step_index = h.step_index
        WHERE h.delegation_id = ? AND c.state = 'pending'
        ORDER BY c.number`,
    );
    this.restoreApprover = db.prepare(
      `UPDATE step_approvers SET user_id = ?, on_behalf_of = NULL
        WHERE claim_id = ? AND step_index = ? AND user_id = ? AND on_behalf_of = ?`,
    );
    this.reinsertApprover = db.prepare(
      'INSERT OR IGNORE INTO step_approvers (claim_id, step_index, position, user_id) VALUES (?, ?, ?, ?)',
    );
    this.handoverOf = db.prepare(
      `SELECT h.delegation_id, d.delegate_id, h.claim_id, h.step_index, h.position, h.merged
         FROM delegation_handovers h JOIN delegations d ON d.id = h.delegation_id
        WHERE h.claim_id = ? AND h.step_index = ? AND d.delegator_id = ? AND ${unfinished}`,
    );
    this.handoverHeldBy = db.prepare(
      `SELECT h.delegation_id FROM delegation_handovers h
         JOIN delegations d ON d.id = h.delegation_id
         JOIN step_approvers a ON a.claim_id = h.claim_id AND a.step_index = h.step_index
                              AND a.user_id = d.delegate_id AND a.on_behalf_of = d.delegator_id
        WHERE h.claim_id = ? AND h.step_index = ? AND d.delegate_id = ? AND h.merged = 0 AND ${unfinished}`,
    );
    this.deleteHandover = db.prepare(
      'DELETE FROM delegation_handovers WHERE delegation_id = ? AND claim_id = ? AND step_index = ?',
    );
    this.handoversFrom = db.prepare(
      `SELECT delegation_id, step_index FROM delegation_handovers WHERE claim_id = ? AND step_index >= ?
        ORDER BY step_index DESC`,
    );
    this.moveHandover = db.prepare(
      'UPDATE delegation_handovers SET step_index = ? WHERE delegation_id = ? AND claim_id = ? AND step_index = ?',
    );
    this.activeDelegateOf = preparePluck(
      db,
      `SELECT delegate_id FROM delegations WHERE delegator_id = ? AND started = 1 AND ${unfinished} LIMIT 1`,
    );
    this.submitterOf = preparePluck(db, 'SELECT submitter_id FROM claims WHERE id = ?');
    this.isDelegatorAt = preparePluck(
      db,
      `SELECT 1 FROM delegation_handovers h JOIN delegations d ON d.id = h.delegation_id
        WHERE h.claim_id = ? AND h.step_index = ? AND d.delegator_id = ? AND d.finished = 0
          AND d.ended_at IS NULL`,
    );
    this.standInFor = preparePluck(
      db,
      'SELECT on_behalf_of FROM step_approvers WHERE claim_id = ? AND step_index = ? AND user_id = ?',
    );
    this.stampLastAudit = db.prepare(
      `UPDATE audit SET on_behalf_of = ?
        WHERE id = (SELECT MAX(id) FROM audit WHERE claim_id = ? AND actor_id = ?)`,
    );
    this.bumpVersion = db.prepare('UPDATE claims SET version = version + 1, updated_at = ? WHERE id = ?');
    this.grantAccess = db.prepare('INSERT OR IGNORE INTO claim_access (claim_id, user_id) VALUES (?, ?)');
  }
}
