// `npm run cli -- decided` and `npm run cli -- mine`: the BUILT operator CLI against the REAL stub
// process, printing the Done and My claims lists, paging them, and refusing bad paging flags.
import { beforeAll, describe, expect, it } from 'vitest';
import { ClaimListResponse, DecidedClaimListResponse } from '../../../protocol';
import { cli } from '../../support/operator-cli';
import { clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

describe('operator CLI claim lists against a real stub', () => {
  const stub = useStubProcess();
  let trip: string;
  let lunch: string;

  beforeAll(async () => {
    const as = await clientsFor(stub().url, ['alice', 'bob', 'carol', 'grace'] as const);
    trip = (await as.alice.submitClaim(sampleClaim({ title: 'Shanghai trip' }))).id;
    lunch = (await as.alice.submitClaim(sampleClaim({ title: 'Team lunch', category: 'meals' }))).id;
    await as.bob.approve(trip, { version: 1, comment: 'OK' });
    await as.bob.reject(lunch, { version: 1, reason: 'Receipt missing' });
  });

  /** `<command> --user <user>` run twice side by side: its printed lines, and its --json output parsed. */
  async function listed(
    command: 'mine' | 'decided',
    user: string,
  ): Promise<{ lines: string[]; json: unknown }> {
    const [run, json] = await Promise.all([
      cli(stub(), command, '--user', user),
      cli(stub(), command, '--user', user, '--json'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    return { lines: run.stdout.trim().split('\n'), json: JSON.parse(json.stdout) };
  }

  it('prints alice’s claims with the step, who holds it and since when', async () => {
    const { lines, json } = await listed('mine', 'alice');
    expect(lines[0]).toBe('2 claim(s) submitted by alice');
    expect(lines[1]).toContain(lunch);
    expect(lines[1]).toMatch(/rejected.*Team lunch/);
    expect(lines[2]).toContain(trip);
    expect(lines[2]).toMatch(
      /pending .*Shanghai trip .*waits on Carol Wang \(manager, step 2\/3\) since \d{4}-\d\d-\d\dT/,
    );

    const page = ClaimListResponse.parse(json);
    expect(page.claims.map((c) => c.id)).toEqual([lunch, trip]);
    expect(page.nextCursor).toBeNull();
  });

  it('prints bob’s decisions newest first with his comment and the reason', async () => {
    const { lines, json } = await listed('decided', 'bob');
    expect(lines[0]).toBe('2 claim(s) decided by bob');
    expect(lines[1]).toMatch(
      new RegExp(`^${lunch}\\s+rejected .*"Receipt missing".*Team lunch.*now rejected`),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^${trip}\\s+approved .*"OK".*Shanghai trip.*now waits on Carol Wang`),
    );

    const page = DecidedClaimListResponse.parse(json);
    expect(page.claims.map((c) => [c.id, c.decision.action, c.decision.comment])).toEqual([
      [lunch, 'rejected', 'Receipt missing'],
      [trip, 'approved', 'OK'],
    ]);
  });

  it('pages with --limit and the --cursor it prints', async () => {
    const first = await cli(stub(), 'decided', '--user', 'bob', '--limit', '1');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(lunch);
    expect(first.stdout).not.toContain(trip);
    const more = /^more: npm run cli -- decided --user bob --cursor (\S+)$/m.exec(first.stdout);
    expect(more?.[1]).toBeDefined();
    const second = await cli(stub(), 'decided', '--user', 'bob', '--limit', '1', '--cursor', more?.[1] ?? '');
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(trip);
    expect(second.stdout).not.toContain(lunch);
    expect(second.stdout).not.toContain('more:');
  });

  it('refuses bad paging flags: locally with exit 2, or as the server’s 400 with exit 1', async () => {
    // Independent runs side by side: each is a node start-up, slow on a busy machine.
    const [zero, big, cursor] = await Promise.all([
      cli(stub(), 'mine', '--user', 'alice', '--limit', '0'),
      cli(stub(), 'decided', '--user', 'bob', '--limit', '201'),
      cli(stub(), 'decided', '--user', 'bob', '--cursor', 'AAAAAAAA', '--json'),
    ]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--limit must be a whole number ≥ 1');
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('--limit must be at most 200');
    expect(cursor.code).toBe(1);
    expect(JSON.parse(cursor.stdout)).toEqual({
      error: { code: 'bad_request', message: expect.stringContaining('cursor') },
    });
  });

  it('lists both commands in the help', async () => {
    const [tool, decided] = await Promise.all([cli(null, '--help'), cli(null, 'decided', '--help')]);
    expect(tool.stdout).toMatch(/^ {2}mine\s+list --user's own claims/m);
    expect(tool.stdout).toMatch(/^ {2}decided\s+list the claims --user approved or rejected/m);
    expect(decided.code).toBe(0);
    expect(decided.stdout).toContain('Usage: npm run cli -- decided [--limit <n>] [--cursor <cursor>]');
    expect(decided.stdout).toContain('newest decision first');
  });
});
