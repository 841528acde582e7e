// Read side of claims: turns rows into the protocol's ClaimSummary / ClaimDetail, answers "who may see
// what" and serves the paged `GET /claims` lists. Pure reads; callers decide what a miss means
// (usually 404).

import type {
  AuditEntry,
  ChainStep,
  ClaimCategory,
  ClaimDecision,
  ClaimDetail,
  ClaimListResponse,
  ClaimListScope,
  ClaimState,
  ClaimSummary,
  DecidedClaim,
  DecidedClaimListResponse,
  StepApprover,
  StepKind,
  StepStatus,
  UserRef,
} from '../../protocol';
import { SUMMARY_ITEM_DESCRIPTIONS } from '../../protocol';
import { isoAt } from '../clock';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
import type { UserDirectory } from '../org/users';
import { encodeListCursor, type ListPosition } from './list-cursor';
import { DEFAULT_NUDGE_RULES, type NudgeRules, nudgeFields } from './nudge-rules';
import { PolicyFlagStore } from './policy-flags';
import { ReceiptStore } from './receipts';

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
  /** Migration 7. */
  last_nudged_at: number | null;
}

/** A list row with its place in the list's order: the sort key and the tie-breaker that makes it total. */
interface PagedRow extends ClaimRow {
  page_key: number;
  page_tie: number;
}

interface DecidedRow extends PagedRow {
  decision_action: ClaimDecision['action'];
  decision_at: number;
  decision_comment: string | null;
}

/** user id, then the last position handed out (key, tie-breaker), then how many rows to read. */
type PageStatement<Row> = Statement<[string, number, number, number], Row>;

export interface PageRequest {
  limit: number;
  /** The position the previous page ended at (from its cursor), or null for the first page. */
  after: ListPosition | null;
}

/** The lists other than `decided`, whose items are plain summaries. */
export type SummaryListScope = Exclude<ClaimListScope, 'decided'>;

// Keyset paging: each page continues strictly after the previous page's last (key, tie-breaker), so
// claims added or changed meanwhile never make a page repeat or skip an item, and a page costs an
// index range read rather than an OFFSET walk. The first page starts from a sentinel beyond every real
// position, which keeps one statement per list (statements are prepared once, see db/statements.ts).
const NEWEST_FIRST_START = Number.MAX_SAFE_INTEGER;
const OLDEST_FIRST_START = Number.MIN_SAFE_INTEGER;

/** A chain_steps row as stored (migration 6 added `added_by` and `transferred_from`). */
export interface StepRow {
  step_index: number;
  kind: StepKind;
  status: StepStatus;
  decided_by: string | null;
  decided_at: number | null;
  added_by: string | null;
  transferred_from: string | null;
}

interface AuditRow {
  at: number;
  actor_id: string;
  action: AuditEntry['action'];
  step_index: number | null;
  comment: string | null;
  on_behalf_of: string | null;
  subject_id: string | null;
}

export class ClaimReader {
  private readonly byId: Statement<[string], ClaimRow>;
  private readonly access: Statement<[string, string], number>;
  private readonly approvers: Statement<[string, number], string>;
  private readonly approverRows: Statement<[string, number], { id: string; on_behalf_of: string | null }>;
  private readonly items: Statement<[string], ClaimDetail['items'][number]>;
  private readonly itemDescriptions: Statement<[string], string>;
  private readonly steps: Statement<[string], StepRow>;
  private readonly auditTrail: Statement<[string], AuditRow>;
  private readonly stepCount: Statement<[string], number>;
  private readonly stepKind: Statement<[string, number], StepKind>;
  private readonly waitingOn: Statement<[string], ClaimRow>;
  private readonly pages: Record<SummaryListScope, PageStatement<PagedRow>>;
  private readonly decidedPage: PageStatement<DecidedRow>;
  private readonly policyFlags: PolicyFlagStore;
  private readonly receipts: ReceiptStore;

  constructor(
    db: Db,
    private readonly users: UserDirectory,
    private readonly nudgeRules: NudgeRules = DEFAULT_NUDGE_RULES,
  ) {
    this.byId = db.prepare('SELECT * FROM claims WHERE id = ?');
    this.policyFlags = new PolicyFlagStore(db);
    this.receipts = new ReceiptStore(db);
    this.access = preparePluck(db, 'SELECT 1 FROM claim_access WHERE claim_id = ? AND user_id = ?');
    this.approvers = preparePluck(
      db,
      'SELECT user_id FROM step_approvers WHERE claim_id = ? AND step_index = ? ORDER BY position',
    );
    this.approverRows = db.prepare(
      `SELECT user_id AS id, on_behalf_of FROM step_approvers WHERE claim_id = ? AND step_index = ?
        ORDER BY position, rowid`,
    );
    this.items = db.prepare(
      'SELECT description, amount_minor AS amountMinor FROM claim_items WHERE claim_id = ? ORDER BY position',
    );
    this.itemDescriptions = preparePluck(
      db,
      `SELECT description FROM claim_items WHERE claim_id = ? ORDER BY position LIMIT ${SUMMARY_ITEM_DESCRIPTIONS}`,
    );
    this.steps = db.prepare('SELECT * FROM chain_steps WHERE claim_id = ? ORDER BY step_index');
    this.auditTrail = db.prepare('SELECT * FROM audit WHERE claim_id = ? ORDER BY id');
    this.stepCount = preparePluck(db, 'SELECT COUNT(*) FROM chain_steps WHERE claim_id = ?');
    this.stepKind = preparePluck(db, 'SELECT kind FROM chain_steps WHERE claim_id = ? AND step_index = ?');
    this.waitingOn = db.prepare(
      `SELECT c.* FROM claims c
         JOIN step_approvers a ON a.claim_id = c.id AND a.step_index = c.current_step_index
        WHERE c.state = 'pending' AND a.user_id = ?
        ORDER BY c.current_step_since, c.number`,
    );
    this.pages = {
      // The submitter is granted access at submission, so "mine" needs no access check of its own.
      mine: db.prepare(
        `SELECT *, submitted_at AS page_key, number AS page_tie FROM claims
          WHERE submitter_id = ? AND (submitted_at, number) < (?, ?)
          ORDER BY submitted_at DESC, number DESC LIMIT ?`,
      ),
      waiting: db.prepare(
        `SELECT c.*, c.current_step_since AS page_key, c.number AS page_tie FROM claims c
           JOIN step_approvers a ON a.claim_id = c.id AND a.step_index = c.current_step_index
          WHERE c.state = 'pending' AND a.user_id = ? AND (c.current_step_since, c.number) > (?, ?)
          ORDER BY c.current_step_since, c.number LIMIT ?`,
      ),
      visible: db.prepare(
        `SELECT c.*, c.submitted_at AS page_key, c.number AS page_tie FROM claims c
           JOIN claim_access v ON v.claim_id = c.id
          WHERE v.user_id = ? AND (c.submitted_at, c.number) < (?, ?)
          ORDER BY c.submitted_at DESC, c.number DESC LIMIT ?`,
      ),
    };
    // One row per decision (audit entry) the user made. Under the chain rules a person decides a claim
    // at most once, so a claim appears at most once. Deciding implies access; the EXISTS keeps the list
    // bound to the same visibility rule as every other read even so.
    this.decidedPage = db.prepare(
      `SELECT c.*, a.at AS page_key, a.id AS page_tie,
              a.action AS decision_action, a.at AS decision_at, a.comment AS decision_comment
         FROM audit a JOIN claims c ON c.id = a.claim_id
        WHERE a.actor_id = ? AND a.action IN ('approved', 'rejected') AND (a.at, a.id) < (?, ?)
          AND EXISTS (SELECT 1 FROM claim_access v WHERE v.claim_id = c.id AND v.user_id = a.actor_id)
        ORDER BY a.at DESC, a.id DESC LIMIT ?`,
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
    const auditRows = this.auditTrail.all(claimId);
    const chain: ChainStep[] = this.steps.all(claimId).map((step) => ({
      index: step.step_index,
      kind: step.kind,
      approvers: this.approverRefs(claimId, step.step_index),
      status: step.status,
      decidedBy: step.decided_by ? this.users.ref(step.decided_by) : null,
      decidedAt: step.decided_at === null ? null : isoAt(step.decided_at),
      ...this.onBehalfOf(
        auditRows.find((entry) => entry.step_index === step.step_index && entry.actor_id === step.decided_by)
          ?.on_behalf_of ?? null,
        'decidedOnBehalfOf',
      ),
      addedBy: this.optionalRef(step.added_by),
      transferredFrom: this.optionalRef(step.transferred_from),
    }));
    const audit = auditRows.map(
      (entry): AuditEntry => ({
        at: isoAt(entry.at),
        actor: this.users.ref(entry.actor_id),
        action: entry.action,
        stepIndex: entry.step_index,
        comment: entry.comment,
        ...this.onBehalfOf(entry.on_behalf_of, 'onBehalfOf'),
        subject: this.optionalRef(entry.subject_id),
      }),
    );
    const descriptions = items.slice(0, SUMMARY_ITEM_DESCRIPTIONS).map((item) => item.description);
    return {
      ...this.toSummary(row, descriptions),
      items,
      chain,
      audit,
      receipts: this.receipts.list(claimId),
    };
  }

  /** Pending claims whose current step lists the user, oldest wait first (a queue). Unbounded: GET /queue. */
  listWaitingOn(userId: string): ClaimSummary[] {
    return this.waitingOn.all(userId).map((row) => this.toSummary(row));
  }

  /**
   * One page of a summary list: `mine` and `visible` newest submission first, `waiting` oldest wait
   * first; ties broken by submission order.
   */
  listPage(scope: SummaryListScope, userId: string, page: PageRequest): ClaimListResponse {
    const start = scope === 'waiting' ? OLDEST_FIRST_START : NEWEST_FIRST_START;
    return this.readPage(scope, this.pages[scope], userId, page, start, (row) => this.toSummary(row));
  }

  /** One page of the user's decisions, newest first; ties broken by the order they were made in. */
  listDecided(userId: string, page: PageRequest): DecidedClaimListResponse {
    return this.readPage(
      'decided',
      this.decidedPage,
      userId,
      page,
      NEWEST_FIRST_START,
      (row): DecidedClaim => ({
        ...this.toSummary(row),
        decision: {
          action: row.decision_action,
          at: isoAt(row.decision_at),
          comment: row.decision_comment,
        },
      }),
    );
  }

  private readPage<Row extends PagedRow, Item>(
    scope: ClaimListScope,
    statement: PageStatement<Row>,
    userId: string,
    page: PageRequest,
    start: number,
    toItem: (row: Row) => Item,
  ): { claims: Item[]; nextCursor: string | null } {
    const after = page.after ?? { key: start, tieBreaker: start };
    // Reading one past the limit tells whether another page follows without a second query.
    const rows = statement.all(userId, after.key, after.tieBreaker, page.limit + 1);
    const more = rows.length > page.limit;
    const kept = more ? rows.slice(0, page.limit) : rows;
    const last = kept.at(-1);
    return {
      claims: kept.map(toItem),
      nextCursor:
        more && last ? encodeListCursor({ scope, key: last.page_key, tieBreaker: last.page_tie }) : null,
    };
  }

  private optionalRef(userId: string | null): UserRef | null {
    return userId === null ? null : this.users.ref(userId);
  }

  private approverRefs(claimId: string, stepIndex: number): StepApprover[] {
    return this.approverRows
      .all(claimId, stepIndex)
      .map((row) => ({ ...this.users.ref(row.id), ...this.onBehalfOf(row.on_behalf_of, 'onBehalfOf') }));
  }

  /** `{[key]: ref}` for a stand-in (delegation), nothing otherwise: the field is absent, not null. */
  private onBehalfOf<K extends string>(userId: string | null, key: K): Partial<Record<K, UserRef>> {
    return userId ? ({ [key]: this.users.ref(userId) } as Record<K, UserRef>) : {};
  }

  /** `descriptions`: the item descriptions when the caller already read the items (a detail). */
  private toSummary(row: ClaimRow, descriptions?: string[]): ClaimSummary {
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
      itemDescriptions: descriptions ?? this.itemDescriptions.all(row.id),
      flags: this.policyFlags.read(row.id),
      ...nudgeFields(row, this.nudgeRules),
      receiptCount: this.receipts.count(row.id),
    };
  }
}
