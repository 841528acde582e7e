import { describe, expect, it } from 'vitest';
import { buildApprovalChain, type OrgMember } from '../../../server-stub/org/chain';
import { DEMO_USERS } from '../../../server-stub/org/demo-org';

const demoOrg: OrgMember[] = [...DEMO_USERS];
const chainOf = (submitter: string, org: readonly OrgMember[] = demoOrg) =>
  buildApprovalChain(submitter, org).map((step) => `${step.kind}:${step.approverIds.join('+')}`);

describe('approval chain', () => {
  it.each([
    ['alice', ['supervisor:bob', 'manager:carol', 'finance:dave+grace']],
    // Erin's supervisor is also her department's manager: Frank appears once.
    ['erin', ['supervisor:frank', 'finance:dave+grace']],
    // Bob's supervisor Carol is the Sales manager: once.
    ['bob', ['supervisor:carol', 'finance:dave+grace']],
    // Carol is the Sales manager herself: never approves her own claim.
    ['carol', ['supervisor:heidi', 'finance:dave+grace']],
    ['frank', ['supervisor:heidi', 'finance:dave+grace']],
    // No supervisor, no department: finance only.
    ['heidi', ['finance:dave+grace']],
    // Finance members' own claims go to the other finance members.
    ['dave', ['supervisor:heidi', 'finance:grace']],
    ['grace', ['supervisor:heidi', 'finance:dave']],
    ['admin', ['finance:dave+grace']],
  ])('%s → %j', (submitter, expected) => {
    expect(chainOf(submitter)).toEqual(expected);
  });

  it('never lists the submitter or anyone twice, for every demo user', () => {
    for (const user of demoOrg) {
      const ids = buildApprovalChain(user.id, demoOrg).flatMap((step) => step.approverIds);
      expect(ids).not.toContain(user.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('drops a finance member who already approved as supervisor from the finance step', () => {
    const org: OrgMember[] = [
      { id: 'fin1', department: 'Finance', roles: ['finance'], supervisorId: null },
      { id: 'fin2', department: 'Finance', roles: ['finance'], supervisorId: null },
      { id: 'clerk', department: 'Finance', roles: ['employee'], supervisorId: 'fin1' },
    ];
    expect(chainOf('clerk', org)).toEqual(['supervisor:fin1', 'finance:fin2']);
  });

  it('skips finance entirely when the only finance member is the submitter', () => {
    const org: OrgMember[] = [
      { id: 'boss', department: null, roles: ['director'], supervisorId: null },
      { id: 'fin', department: 'Finance', roles: ['finance'], supervisorId: 'boss' },
    ];
    expect(chainOf('fin', org)).toEqual(['supervisor:boss']);
  });

  it('refuses an unknown submitter', () => {
    expect(() => buildApprovalChain('nobody', demoOrg)).toThrow(/unknown submitter/);
  });
});
