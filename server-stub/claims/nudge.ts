// Nudge (催办): the submitter reminds the current approvers of a pending claim. Runs inside the
// caller's write transaction (StoredEventLog.transact) like every workflow action.
//
// Check order, as for withdraw: visibility (404) → the caller is the submitter (403) → the claim is
// pending (409 invalid_state) → timing (429 nudge_too_soon with `nextAllowedAt`). A nudge is not a
// transition: the claim's `version` does not change, so an approver acting on it meanwhile never gets a
// stale_version because of it. It is recorded as `claims.last_nudged_at` and a `nudged` audit row.
import type { ClaimDetail } from '../../protocol';
import { type Clock, isoAt } from '../clock';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import type { EmitEvent } from '../events/event-log';
import { forbidden, HttpError, invalidState, notFound } from '../http/http-error';
import type { UserDirectory } from '../org/users';
import type { ClaimReader } from './claim-reader';
import { type NudgeRules, nudgeAllowedAt } from './nudge-rules';

export class ClaimNudges {
  private readonly markNudged: Statement<[number, string]>;
  private readonly audit: Statement<[string, number, string, number]>;

  constructor(
    db: Db,
    private readonly users: UserDirectory,
    private readonly claims: ClaimReader,
    private readonly clock: Clock,
    private readonly rules: NudgeRules,
  ) {
    this.markNudged = db.prepare('UPDATE claims SET last_nudged_at = ? WHERE id = ?');
    this.audit = db.prepare(
      "INSERT INTO audit (claim_id, at, actor_id, action, step_index, comment) VALUES (?, ?, ?, 'nudged', ?, NULL)",
    );
  }

  nudge(actorId: string, claimId: string, emit: EmitEvent): ClaimDetail {
    const claim = this.claims.row(claimId);
    if (!claim || !this.claims.isVisibleTo(claimId, actorId)) throw notFound(`no claim ${claimId}`);
    if (claim.submitter_id !== actorId) throw forbidden('only the submitter may nudge a claim');
    const stepIndex = claim.current_step_index;
    const allowedAt = nudgeAllowedAt(claim, this.rules);
    if (stepIndex === null || allowedAt === null) throw invalidState(this.requireDetail(claimId), 'nudge');
    const now = this.clock();
    if (now < allowedAt) throw nudgeTooSoon(claimId, allowedAt, now);

    this.markNudged.run(now, claimId);
    this.audit.run(claimId, now, actorId, stepIndex);
    const summary = this.claims.summary(claimId)!;
    const event = { type: 'claim.nudged', claim: summary, by: this.users.ref(actorId) } as const;
    for (const approverId of this.claims.approverIds(claimId, stepIndex)) emit(approverId, event);
    emit(actorId, event);
    return this.requireDetail(claimId);
  }

  private requireDetail(claimId: string): ClaimDetail {
    const detail = this.claims.detail(claimId);
    if (!detail) throw new Error(`claim ${claimId} vanished inside its own transaction`);
    return detail;
  }
}

function nudgeTooSoon(claimId: string, allowedAt: number, now: number): HttpError {
  const retryAfterSeconds = Math.max(1, Math.ceil((allowedAt - now) / 1000));
  return new HttpError(
    429,
    'nudge_too_soon',
    `${claimId} cannot be nudged before ${isoAt(allowedAt)}`,
    { retryAfterSeconds, nextAllowedAt: isoAt(allowedAt) },
    { 'retry-after': String(retryAfterSeconds) },
  );
}
