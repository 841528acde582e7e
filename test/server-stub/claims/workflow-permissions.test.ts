// The whole permission matrix of the workflow as one generated table:
// role × action × claim state → HTTP status. Every cell acts on a fresh claim brought into that state.
// `receipt` is fetching one of the claim's receipts (GET /claims/{id}/receipts/{receiptId}).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, ApiError, type ClaimDetail } from '../../../protocol';
import { receiptPng, receiptUpload } from '../../../server-stub/operator/receipt-files';
import { clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const USERS = ['alice', 'bob', 'carol', 'dave', 'grace', 'erin', 'frank', 'heidi', 'admin'] as const;
type User = (typeof USERS)[number];
type Role =
  | 'submitter'
  | 'current'
  | 'otherFinance'
  | 'past'
  | 'future'
  | 'unrelated'
  | 'admin'
  // Delegation (out of office): the one who handed their step over, and the one who held it until
  // the delegation ended (or until the delegator transferred it).
  | 'delegator'
  | 'formerDelegate';
type Action =
  | 'view'
  | 'approve'
  | 'reject'
  | 'withdraw'
  | 'nudge'
  | 'receipt'
  // ---- issue 14: transfer, add approver (before / after), return for revision, resubmit ----
  | 'transfer'
  | 'addBefore'
  | 'addAfter'
  | 'return'
  | 'resubmit';
const ACTIONS: readonly Action[] = [
  'view',
  'approve',
  'reject',
  'withdraw',
  'nudge',
  'receipt',
  'transfer',
  'addBefore',
  'addAfter',
  'return',
  'resubmit',
];
/** Actions that only read: they never change the claim. */
const READS: ReadonlySet<Action> = new Set(['view', 'receipt']);
/** Actions a current approver takes at the current step (approve's rules, for every cell). */
const STEP_ACTIONS: ReadonlySet<Action> = new Set([
  'approve',
  'reject',
  'transfer',
  'addBefore',
  'addAfter',
  'return',
]);
/** Frank is added or handed a step in the issue-14 states; erin is the user actions pick. */
type SetupAction =
  | 'approve'
  | 'reject'
  | 'withdraw'
  | 'return'
  | 'addFrankBefore'
  | 'transferToFrank'
  | 'transferToErin'
  | 'addHeidiBefore';

// Alice's chain: bob (supervisor) → carol (manager) → dave | grace (finance). Frank (Engineering) is
// unrelated to it unless bob delegates to him.
interface StateSetup {
  name: string;
  pending: boolean;
  /** Returned for revision (issue 14): not pending, yet the submitter may resubmit or withdraw. */
  returned?: boolean;
  /** How to get there from a fresh submission: who acts, in order. */
  steps: Array<{ by: User; action: SetupAction }>;
  roles: Partial<Record<Role, User>>;
  /** Bob is out of office (frank covers) from before the submission; `ended`: back before the cell acts. */
  delegation?: { ended: boolean };
}

/** A state of alice's claim; erin (outside the chain) and the admin have a role in every one. */
function state(
  name: string,
  pending: boolean,
  steps: StateSetup['steps'],
  roles: Partial<Record<Exclude<Role, 'submitter' | 'unrelated' | 'admin'>, User>>,
  delegation?: StateSetup['delegation'],
): StateSetup {
  return {
    name,
    pending,
    steps,
    roles: { submitter: 'alice', ...roles, unrelated: 'erin', admin: 'admin' },
    ...(delegation ? { delegation } : {}),
  };
}

const approvedBy = (...users: User[]) => users.map((by) => ({ by, action: 'approve' as const }));

const STATES: StateSetup[] = [
  state('pending at supervisor', true, [], { current: 'bob', future: 'carol' }),
  state('pending at manager', true, approvedBy('bob'), { current: 'carol', past: 'bob', future: 'dave' }),
  state('pending at finance', true, approvedBy('bob', 'carol'), {
    current: 'dave',
    otherFinance: 'grace',
    past: 'carol',
  }),
  state('approved', false, approvedBy('bob', 'carol', 'grace'), { otherFinance: 'dave', past: 'bob' }),
  // Finance never got the claim, so for them it does not exist.
  state('rejected at manager', false, [...approvedBy('bob'), { by: 'carol', action: 'reject' }], {
    past: 'carol',
    future: 'dave',
  }),
  state('withdrawn at supervisor', false, [{ by: 'alice', action: 'withdraw' }], {
    past: 'bob',
    future: 'carol',
  }),
  // Bob delegated to frank: frank holds bob's step "for Bob Li"; bob may still decide it himself.
  state(
    'pending at supervisor, delegated',
    true,
    [],
    { current: 'frank', delegator: 'bob', future: 'carol' },
    { ended: false },
  ),
  state(
    'pending at manager, approved by a stand-in',
    true,
    approvedBy('frank'),
    { current: 'carol', past: 'frank', delegator: 'bob', future: 'dave' },
    { ended: false },
  ),
  // The delegation ended with the step still waiting: it went back to bob; frank keeps seeing it.
  state(
    'pending at supervisor, delegation ended',
    true,
    [],
    { current: 'bob', formerDelegate: 'frank', future: 'carol' },
    { ended: true },
  ),
  // Bob, out of office, transferred the step frank held for him to erin: it is erin's for good, so
  // neither bob nor frank may act on it any more (both still see it).
  {
    name: 'pending at supervisor, delegated, then transferred by the delegator',
    pending: true,
    steps: [{ by: 'bob', action: 'transferToErin' }],
    roles: {
      submitter: 'alice',
      current: 'erin',
      delegator: 'bob',
      formerDelegate: 'frank',
      future: 'carol',
      admin: 'admin',
    },
    delegation: { ended: false },
  },
  // Frank, holding bob's step for him, added heidi before it: the added step is heidi's alone; bob's
  // hand-over stays with his own step, which waits behind her (frank still holds it for bob).
  state(
    'pending at an approver added before a delegated step',
    true,
    [{ by: 'frank', action: 'addHeidiBefore' }],
    { current: 'heidi', delegator: 'bob', past: 'frank', future: 'carol' },
    { ended: false },
  ),
  // ---- issue 14 ----
  {
    ...state('returned at manager', false, [...approvedBy('bob'), { by: 'carol', action: 'return' }], {
      past: 'carol',
      future: 'dave',
    }),
    returned: true,
  },
  // Bob added Frank before himself: Bob still sees the claim but cannot act until Frank has.
  state('pending at an added approver', true, [{ by: 'bob', action: 'addFrankBefore' }], {
    current: 'frank',
    past: 'bob',
    future: 'carol',
  }),
  state('transferred at supervisor', true, [{ by: 'bob', action: 'transferToFrank' }], {
    current: 'frank',
    past: 'bob',
    future: 'carol',
  }),
];

const SEES_CLAIM: ReadonlySet<Role> = new Set([
  'submitter',
  'current',
  'otherFinance',
  'past',
  'delegator',
  'formerDelegate',
]);

function expectedStatus(state: StateSetup, role: Role, action: Action): number {
  if (!SEES_CLAIM.has(role)) return 404;
  if (READS.has(action)) return 200;
  if (action === 'withdraw' || action === 'nudge') {
    if (role !== 'submitter') return 403;
    // Withdraw is allowed while returned too; a nudge only while pending (nobody holds a returned claim).
    return state.pending || (action === 'withdraw' && state.returned) ? 200 : 409;
  }
  if (action === 'resubmit') {
    if (role !== 'submitter') return 403;
    return state.returned ? 200 : 409;
  }
  if (!STEP_ACTIONS.has(action)) throw new Error(`no rule for ${action}`);
  if (!state.pending) return 409;
  // A delegator may still decide the step handed over from them, but not one it has moved past.
  if (role === 'delegator') return state.steps.length === 0 ? 200 : 403;
  return role === 'current' || role === 'otherFinance' ? 200 : 403;
}

const cells = STATES.flatMap((state) =>
  (Object.entries(state.roles) as Array<[Role, User]>).flatMap(([role, user]) =>
    ACTIONS.map((action) => ({
      state,
      role,
      user,
      action,
      expected: expectedStatus(state, role, action),
    })),
  ),
);

const SETUP: Record<SetupAction, (client: ApiClient, id: string, version: number) => Promise<ClaimDetail>> = {
  approve: (client, id, version) => client.approve(id, { version }),
  reject: (client, id, version) => client.reject(id, { version, reason: 'not in budget' }),
  withdraw: (client, id, version) => client.withdraw(id, { version }),
  return: (client, id, version) => client.returnClaim(id, { version, reason: 'attach the invoice' }),
  addFrankBefore: (client, id, version) =>
    client.addApprover(id, { version, user: 'frank', position: 'before' }),
  transferToFrank: (client, id, version) => client.transfer(id, { version, to: 'frank' }),
  transferToErin: (client, id, version) => client.transfer(id, { version, to: 'erin' }),
  addHeidiBefore: (client, id, version) =>
    client.addApprover(id, { version, user: 'heidi', position: 'before' }),
};

describe('workflow permission matrix', () => {
  // Nudges are allowed as soon as a claim waits (their timing has its own tests in nudge.test.ts).
  const stub = useInProcessStub({ nudgeAfterMs: 0 });
  let as: Record<User, ApiClient>;

  beforeAll(async () => {
    as = await clientsFor(stub().url, USERS);
  });

  async function claimIn(state: StateSetup): Promise<ClaimDetail> {
    if (state.delegation) {
      await as.bob.delegate({ delegateId: 'frank', endsAt: new Date(Date.now() + 86_400_000).toISOString() });
    }
    let claim = await as.alice.submitClaim(
      sampleClaim({ receipts: [receiptUpload('slip.png', receiptPng(1))] }),
    );
    for (const step of state.steps) {
      const client = as[step.by];
      const { id, version } = claim;
      claim = await SETUP[step.action](client, id, version);
    }
    if (state.delegation?.ended) {
      await as.bob.endDelegation();
      claim = await as.alice.getClaim(claim.id);
    }
    return claim;
  }

  // Every cell starts without a delegation in force, whatever the previous one left.
  afterEach(async () => {
    await as.bob.endDelegation().catch(() => undefined);
  });

  async function act(
    user: User,
    action: Action,
    claim: ClaimDetail,
  ): Promise<{ status: number; body: unknown }> {
    const client = as[user];
    const { id, version } = claim;
    // A finance step goes only to finance: its approvers hand it to each other; everyone else to erin
    // (erin herself, who is unrelated to the chain but in one state holds its first step, to frank).
    const other = user === 'erin' ? 'frank' : 'erin';
    const to = user === 'dave' ? 'grace' : user === 'grace' ? 'dave' : other;
    try {
      const body =
        action === 'view'
          ? await client.getClaim(id)
          : action === 'receipt'
            ? await client.getReceipt(id, claim.receipts![0]!.id)
            : action === 'approve'
              ? await client.approve(id, { version, comment: 'ok' })
              : action === 'reject'
                ? await client.reject(id, { version, reason: 'no receipt' })
                : action === 'withdraw'
                  ? await client.withdraw(id, { version })
                  : action === 'nudge'
                    ? await client.nudge(id)
                    : action === 'transfer'
                      ? await client.transfer(id, { version, to })
                      : action === 'addBefore' || action === 'addAfter'
                        ? await client.addApprover(id, {
                            version,
                            user: other,
                            position: action === 'addBefore' ? 'before' : 'after',
                          })
                        : action === 'return'
                          ? await client.returnClaim(id, { version, reason: 'split the bill' })
                          : await client.resubmit(id, { version });
      return { status: 200, body };
    } catch (error) {
      if (error instanceof ApiError) return { status: error.status, body: error.body };
      throw error;
    }
  }

  it('covers every role at least once per state', () => {
    expect(cells.length).toBeGreaterThanOrEqual(440);
    const roles = new Set(cells.map((cell) => cell.role));
    expect(roles).toContain('delegator');
    expect(roles).toContain('formerDelegate');
  });

  it.each(cells.map((c) => [c.state.name, c.role, c.user, c.action, c.expected, c] as const))(
    '%s: %s (%s) %s → %i',
    async (_state, _role, _user, _action, _expected, cell) => {
      const claim = await claimIn(cell.state);
      const result = await act(cell.user, cell.action, claim);
      expect(result.status).toBe(cell.expected);

      const after = await as.alice.getClaim(claim.id);
      if (cell.expected === 200 && !READS.has(cell.action)) {
        // The action happened exactly once; a nudge is not a transition, so it keeps the version.
        expect(after.version).toBe(claim.version + (cell.action === 'nudge' ? 0 : 1));
        expect(after.audit).toHaveLength(claim.audit.length + 1);
      } else {
        // Refusals change nothing.
        expect(after.version).toBe(claim.version);
        expect(after.audit).toHaveLength(claim.audit.length);
      }
      if (cell.expected === 404) {
        // Indistinguishable from a claim that does not exist.
        const ghost = await act(cell.user, cell.action, { ...claim, id: 'EXP-999999' });
        expect(ghost.status).toBe(404);
        expect((result.body as { code: string }).code).toBe('not_found');
      }
      if (cell.expected === 409) {
        expect(result.body).toMatchObject({
          code: 'invalid_state',
          claim: { id: claim.id, version: claim.version },
        });
      }
      if (cell.expected === 403) expect(result.body).toMatchObject({ code: 'forbidden' });
    },
  );
});
