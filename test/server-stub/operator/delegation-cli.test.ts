// Each CLI run is a fresh node process that signs in (scrypt): seconds apiece on a busy machine,
// hence the generous per-test timeouts.
// The BUILT operator CLI's delegation commands against a REAL stub process started as ./demo starts
// it (--demo-delegation): the seeded delegation, delegating and ending, the rules' messages and exit
// codes, and a scheduled delegation started by the stub's own timer while nobody sends a request.
import { describe, expect, it } from 'vitest';
import { ClaimDetail, Delegation, MyDelegations } from '../../../protocol';
import { cli } from '../../support/operator-cli';
import { clientFor } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

const SUBMIT = ['--title', 'Team offsite', '--category', 'travel', '--item', 'Train=320.00'];

describe('operator CLI: delegation', () => {
  const stub = useStubProcess({ args: ['--demo-delegation'] });

  it('shows the demo delegation in force, and its stand-in approves on behalf of the director', async () => {
    const heidi = await cli(stub(), 'delegation', '--user', 'heidi');
    expect(heidi.code, heidi.stderr).toBe(0);
    expect(heidi.stdout).toMatch(/^out of office: DEL-000001 Heidi Xu → Carol Wang, active, /);
    const carol = MyDelegations.parse(
      JSON.parse((await cli(stub(), 'delegation', '--user', 'carol', '--json')).stdout),
    );
    expect(carol).toMatchObject({
      outgoing: null,
      incoming: [{ delegator: { id: 'heidi' }, status: 'active' }],
    });

    const submitted = await cli(stub(), 'submit', '--user', 'frank', ...SUBMIT);
    expect(submitted.stdout).toMatch(/waits on Carol Wang \(for Heidi Xu\) \(supervisor/);
    const id = /submitted (EXP-\d+)/.exec(submitted.stdout)?.[1] ?? '';
    expect((await cli(stub(), 'approve', id, '--user', 'carol')).code).toBe(0);
    const detail = await cli(stub(), 'claim', id, '--user', 'frank');
    expect(detail.stdout).toMatch(
      /supervisor\s+approved\s+Carol Wang \(for Heidi Xu\) by Carol Wang on behalf of Heidi Xu/,
    );
    expect(detail.stdout).toMatch(/Carol Wang approved on behalf of Heidi Xu/);
  }, 180_000);

  it('delegates, refuses what the rules forbid with exit 1, and ends it', async () => {
    const refused = await cli(stub(), 'delegate', '--user', 'grace', '--to', 'carol', '--until', '+7d');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'delegation refused: finance approvals can only be delegated to another finance member',
    );
    const badTime = await cli(stub(), 'delegate', '--user', 'grace', '--to', 'dave', '--until', 'next week');
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--until "next week" is not a time');

    const made = await cli(stub(), 'delegate', '--user', 'grace', '--to', 'dave', '--until', '+7d', '--json');
    expect(made.code, made.stderr).toBe(0);
    expect(Delegation.parse(JSON.parse(made.stdout))).toMatchObject({
      delegate: { id: 'dave' },
      status: 'active',
    });
    const loop = await cli(stub(), 'delegate', '--user', 'dave', '--to', 'grace', '--until', '+1d');
    expect(loop.stderr).toContain('cannot form a loop');

    const ended = await cli(stub(), 'delegation', 'end', '--user', 'grace');
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toMatch(/^ended: DEL-\d+ Grace Chen → Dave Liu, ended, .*\(ended early at /);
    const again = await cli(stub(), 'delegation', 'end', '--user', 'grace');
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('no delegation to end')]);
    const usage = await cli(stub(), 'delegation', 'stop', '--user', 'grace');
    expect(usage.code).toBe(2);
  }, 180_000);

  it('starts a scheduled delegation on the stub’s own timer: the delegate’s stream gets the claim', async () => {
    const submitted = await cli(stub(), 'submit', '--user', 'erin', '--json', ...SUBMIT);
    const claim = ClaimDetail.parse(JSON.parse(submitted.stdout));
    expect(claim.currentStep?.approvers.map((a) => a.id)).toEqual(['frank']);
    // Bob's stream head before anything of this test reaches him; the first event after it is the
    // delegation.scheduled notice, then only the timer can produce what follows (no request starts a
    // delegation). Replayed if the timer was quicker than this CLI process, followed live if not.
    const bob = await clientFor(stub().url, 'bob');
    const head = (await bob.queue()).cursor.seq;
    const from = new Date(Date.now() + 5_000).toISOString();
    const scheduled = await cli(
      stub(),
      'delegate',
      '--user',
      'frank',
      '--to',
      'bob',
      '--from',
      from,
      '--until',
      '+1d',
    );
    expect(scheduled.stdout).toContain('scheduled');
    const after = String(head + 1);
    const follow = await cli(stub(), 'events', '--user', 'bob', '--after', after, '--follow', '--max', '2');
    expect(follow.code, follow.stderr).toBe(0);
    const lines = follow.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`claim.assigned: ${claim.id} .* now waits on you`));
    expect(lines[1]).toMatch(/delegation.started: DEL-\d+ Frank Sun → Bob Li, active/);
  }, 180_000);
});
