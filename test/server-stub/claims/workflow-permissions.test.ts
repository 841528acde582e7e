// The whole permission matrix of the workflow as one generated table:
// role × action × claim state → HTTP status. Every cell acts on a fresh claim brought into that state.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, ApiError, type ClaimDetail } from '../../../protocol';
import { clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const USERS = ['alice', 'bob', 'carol', 'dave', 'grace', 'erin', 'frank', 'admin'] as const;
type User = (typeof USERS)[number];
type Role = 'submitter' | 'current' | 'otherFinance' | 'past' | 'future' | 'unrelated' | 'admin';
type Action =
  | 'view'
  | 'approve'
  | 'reject'
  | 'withdraw'
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
  'transfer',
  'addBefore',
  'addAfter',
  'return',
  'resubmit',
];
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
type SetupAction = 'approve' | 'reject' | 'withdraw' | 'return' | 'addFrankBefore' | 'transferToFrank';

// Alice's chain: bob (supervisor) → carol (manager) → dave | grace (finance).
interface StateSetup {
  name: string;
  pending: boolean;
  /** Returned for revision (issue 14): not pending, yet the submitter may resubmit or withdraw. */
  returned?: boolean;
  /** How to get there from a fresh submission: who acts, in order. */
  steps: Array<{ by: User; action: SetupAction }>;
  roles: Partial<Record<Role, User>>;
}

/** A state of alice's claim; erin (outside the chain) and the admin have a role in every one. */
function state(
  name: string,
  pending: boolean,
  steps: StateSetup['steps'],
  roles: Partial<Record<'current' | 'otherFinance' | 'past' | 'future', User>>,
): StateSetup {
  return { name, pending, steps, roles: { submitter: 'alice', ...roles, unrelated: 'erin', admin: 'admin' } };
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

const SEES_CLAIM: ReadonlySet<Role> = new Set(['submitter', 'current', 'otherFinance', 'past']);

function expectedStatus(state: StateSetup, role: Role, action: Action): number {
  if (!SEES_CLAIM.has(role)) return 404;
  if (action === 'view') return 200;
  if (action === 'withdraw') {
    if (role !== 'submitter') return 403;
    return state.pending || state.returned ? 200 : 409;
  }
  if (action === 'resubmit') {
    if (role !== 'submitter') return 403;
    return state.returned ? 200 : 409;
  }
  if (!STEP_ACTIONS.has(action)) throw new Error(`no rule for ${action}`);
  if (!state.pending) return 409;
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
};

describe('workflow permission matrix', () => {
  const stub = useInProcessStub();
  let as: Record<User, ApiClient>;

  beforeAll(async () => {
    as = await clientsFor(stub().url, USERS);
  });

  async function claimIn(state: StateSetup): Promise<ClaimDetail> {
    let claim = await as.alice.submitClaim(sampleClaim());
    for (const step of state.steps) {
      const client = as[step.by];
      const { id, version } = claim;
      claim = await SETUP[step.action](client, id, version);
    }
    return claim;
  }

  async function act(
    user: User,
    action: Action,
    claim: ClaimDetail,
  ): Promise<{ status: number; body: unknown }> {
    const client = as[user];
    const { id, version } = claim;
    // A finance step goes only to finance: its approvers hand it to each other; everyone else to erin.
    const to = user === 'dave' ? 'grace' : user === 'grace' ? 'dave' : 'erin';
    try {
      const body =
        action === 'view'
          ? await client.getClaim(id)
          : action === 'approve'
            ? await client.approve(id, { version, comment: 'ok' })
            : action === 'reject'
              ? await client.reject(id, { version, reason: 'no receipt' })
              : action === 'withdraw'
                ? await client.withdraw(id, { version })
                : action === 'transfer'
                  ? await client.transfer(id, { version, to })
                  : action === 'addBefore' || action === 'addAfter'
                    ? await client.addApprover(id, {
                        version,
                        user: 'erin',
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
  });

  it.each(cells.map((c) => [c.state.name, c.role, c.user, c.action, c.expected, c] as const))(
    '%s: %s (%s) %s → %i',
    async (_state, _role, _user, _action, _expected, cell) => {
      const claim = await claimIn(cell.state);
      const result = await act(cell.user, cell.action, claim);
      expect(result.status).toBe(cell.expected);

      const after = await as.alice.getClaim(claim.id);
      if (cell.expected === 200 && cell.action !== 'view') {
        // The action happened exactly once.
        expect(after.version).toBe(claim.version + 1);
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
