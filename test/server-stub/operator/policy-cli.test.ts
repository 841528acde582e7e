// The operator CLI's side of policy flags and bulk approve (issue 14), the BUILT CLI against a REAL
// stub process: `demo-policy` seeds clean and flagged claims, `queue` and `claim` show the flags,
// `bulk-approve` approves the clean ones one by one and refuses the flagged, `simulate` yields some
// flagged claims.
import { describe, expect, it } from 'vitest';
import { ClaimDetail } from '../../../protocol';
import { cli } from '../../support/operator-cli';
import { useStubProcess } from '../../support/use-stub';

describe('policy flags and bulk approve in the operator CLI', () => {
  const stub = useStubProcess();

  it('seeds the demo set, shows its flags and bulk-approves only the clean claims', async () => {
    const seeded = await cli(stub(), 'demo-policy', '--json');
    expect(seeded.code, seeded.stderr).toBe(0);
    const claims = ClaimDetail.array().parse(JSON.parse(seeded.stdout));
    expect(claims.map((claim) => claim.flags.map((flag) => flag.code))).toEqual([
      [],
      [],
      [],
      ['over_category_limit', 'receipt_missing'],
      ['possible_duplicate'],
      ['weekend_expense'],
      ['receipt_missing'],
      ['expense_too_old'],
    ]);
    expect(claims[4]!.flags[0]).toEqual({ code: 'possible_duplicate', duplicateOf: claims[1]!.id });

    const queue = await cli(stub(), 'queue', '--user', 'bob');
    expect(queue.stdout).toMatch(new RegExp(`${claims[5]!.id} .*⚑ weekend_expense`));
    const detail = await cli(stub(), 'claim', claims[3]!.id, '--user', 'bob');
    expect(detail.stdout).toMatch(/flags {6}over_category_limit \(limit CN¥1,500\.00\); receipt_missing/);

    // Named claims: a flagged one is refused unsent, the clean one approved; exit 1 (not all approved).
    const named = await cli(
      stub(),
      'bulk-approve',
      '--user',
      'bob',
      '--claim',
      claims[0]!.id,
      '--claim',
      claims[5]!.id,
    );
    expect(named.code).toBe(1);
    expect(named.stdout).toContain('1 of 2 approved');
    expect(named.stdout).toMatch(new RegExp(`${claims[5]!.id} +refused +policy flags: weekend_expense`));
    // Every remaining clean claim: exit 0, each with its own line.
    const all = await cli(
      stub(),
      'bulk-approve',
      '--user',
      'bob',
      '--all-clean',
      '--comment',
      'Batch',
      '--json',
    );
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({
      approved: 2,
      results: [claims[1]!.id, claims[2]!.id].map((id) => ({
        id,
        outcome: 'approved',
        message: expect.stringContaining('now pending (version 2)'),
      })),
    });
    const left = await cli(stub(), 'queue', '--user', 'bob', '--json');
    expect(JSON.parse(left.stdout).claims.map((claim: { id: string }) => claim.id)).toEqual(
      claims.slice(3).map((claim) => claim.id),
    );
    expect((await cli(stub(), 'bulk-approve', '--user', 'bob')).code).toBe(2);
  }, 120_000);

  it('simulate submits some flagged claims and counts them', async () => {
    const run = await cli(stub(), 'simulate', '--count', '30', '--rate', '100', '--seed', '7', '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ claims: 30, errors: 0, undecided: 0 });
    expect(summary.flagged).toBeGreaterThan(0);
    expect(summary.flagged).toBeLessThan(30);
  }, 120_000);
});
