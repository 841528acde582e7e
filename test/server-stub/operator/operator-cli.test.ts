// The BUILT operator CLI (dist/server-stub/operator-cli.js) as a child process against the REAL stub
// process: what an operator typing `npm run cli -- …` gets, exit codes included.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ApiClient, ClaimDetail, ErrorBody } from '../../../protocol';
import { OPERATOR_CLI as CLI, cli } from '../../support/operator-cli';
import { useStubProcess } from '../../support/use-stub';

describe('operator CLI against a real stub', () => {
  const stub = useStubProcess();

  it('walks a claim through the whole chain: alice submits, bob, carol and grace approve', async () => {
    const submitted = await cli(
      stub(),
      'submit',
      '--user',
      'alice',
      '--json',
      '--title',
      'Client visit in Shanghai',
      '--category',
      'travel',
      '--date',
      '2026-11-20',
      '--item',
      'Rail to Shanghai=553.50',
      '--item',
      'Taxi=0.29',
    );
    expect(submitted.code, submitted.stderr).toBe(0);
    const claim = ClaimDetail.parse(JSON.parse(submitted.stdout));
    expect(claim).toMatchObject({ state: 'pending', totalMinor: 55_379, currency: 'CNY' });
    expect(claim.items.map((i) => i.amountMinor)).toEqual([55_350, 29]);
    expect(claim.currentStep?.approvers.map((a) => a.id)).toEqual(['bob']);

    const queue = await cli(stub(), 'queue', '--user', 'bob');
    expect(queue.stdout).toContain(claim.id);

    const bob = await cli(stub(), 'approve', claim.id, '--user', 'bob', '--comment', 'OK');
    expect(bob.code, bob.stderr).toBe(0);
    expect(bob.stdout).toMatch(/waits on Carol Wang \(manager/);
    expect((await cli(stub(), '--user', 'carol', 'approve', claim.id)).code).toBe(0);
    const grace = await cli(stub(), 'approve', claim.id, '--user', 'grace', '--json');
    expect(grace.code, grace.stderr).toBe(0);
    const approved = ClaimDetail.parse(JSON.parse(grace.stdout));
    expect(approved.state).toBe('approved');
    expect(approved.audit.map((entry) => [entry.actor.id, entry.action])).toEqual([
      ['alice', 'submitted'],
      ['bob', 'approved'],
      ['carol', 'approved'],
      ['grace', 'approved'],
    ]);

    // Dave is too late: a clear message naming who decided, exit code 1, and a JSON error with --json.
    const late = await cli(stub(), 'approve', claim.id, '--user', 'dave');
    expect(late.code).toBe(1);
    expect(late.stderr).toContain(`${claim.id} is already approved by Grace Chen`);
    const lateJson = await cli(stub(), 'approve', claim.id, '--user', 'dave', '--json', '--version', '3');
    expect(lateJson.code).toBe(1);
    expect(JSON.parse(lateJson.stdout)).toEqual({
      error: { code: 'stale_version', message: expect.stringContaining('already approved by Grace Chen') },
    });

    const detail = await cli(stub(), 'claim', claim.id, '--user', 'alice');
    expect(detail.stdout).toMatch(/finance\s+approved\s+Dave Liu \/ Grace Chen by Grace Chen/);

    const events = await cli(stub(), 'events', '--user', 'alice', '--json');
    const page = JSON.parse(events.stdout) as { status: string; events: Array<{ type: string }> };
    expect(page.events.map((e) => e.type)).toEqual([
      'claim.submitted',
      'claim.advanced',
      'claim.advanced',
      'claim.approved',
    ]);
    const after = await cli(stub(), 'events', '--user', 'alice', '--after', '3', '--json');
    expect((JSON.parse(after.stdout) as typeof page).events.map((e) => e.type)).toEqual(['claim.approved']);
  });

  it('refuses bad amounts with a clear message and exit code 2, without submitting anything', async () => {
    const base = ['submit', '--user', 'erin', '--title', 'Lunch', '--category', 'meals'];
    const tooPrecise = await cli(stub(), ...base, '--item', 'Lunch=12.345');
    expect(tooPrecise.code).toBe(2);
    expect(tooPrecise.stderr).toContain('"12.345" has 3 decimal place(s) but CNY allows at most 2');
    const yen = await cli(stub(), ...base, '--currency', 'JPY', '--item', 'Lunch=1200.5');
    expect(yen.code).toBe(2);
    expect(yen.stderr).toContain('JPY allows none');
    const word = await cli(stub(), ...base, '--item', 'Lunch=twelve');
    expect(word.code).toBe(2);
    expect(word.stderr).toContain('"twelve" is not an amount');
    const missing = await cli(stub(), 'submit', '--user', 'erin', '--title', 'Lunch', '--item', 'Lunch=5');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--category is required');

    const erin = new ApiClient({ baseUrl: stub().url });
    await erin.signIn('erin', 'demo');
    expect((await erin.listClaims('mine')).claims).toEqual([]);
  });

  it('announces as admin, which reaches everyone', async () => {
    const run = await cli(stub(), 'announce', '--title', 'Office closed Friday', '--body', 'Enjoy', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ title: 'Office closed Friday', author: { id: 'admin' } });
    const frank = await cli(stub(), 'events', '--user', 'frank', '--json');
    const page = JSON.parse(frank.stdout) as { events: Array<{ type: string }> };
    expect(page.events.map((e) => e.type)).toContain('announcement');
  });

  it('follows the event stream from the head and prints an event as it arrives', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'events', '--user', 'bob', '--follow', '--max', '1', '--json'],
      {
        env: { ...process.env, SIGNOFF_SERVER: stub().url },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const following = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('following ')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await following;
    const alice = new ApiClient({ baseUrl: stub().url });
    await alice.signIn('alice', 'demo');
    const submitted = await alice.submitClaim({
      title: 'Parking',
      category: 'transport',
      expenseDate: '2026-11-21',
      currency: 'CNY',
      items: [{ description: 'Parking', amountMinor: 1_500 }],
      totalMinor: 1_500,
    });
    expect(await exited, stderr).toBe(0);
    const printed = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; claim?: { id: string } });
    // Only the new event: nothing from before the follower started.
    expect(printed).toEqual([
      expect.objectContaining({
        type: 'claim.assigned',
        claim: expect.objectContaining({ id: submitted.id }),
      }),
    ]);
  });

  it('simulates a realistic stream until every claim is decided', async () => {
    const run = await cli(stub(), 'simulate', '--count', '12', '--rate', '50', '--seed', '42', '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ claims: 12, errors: 0, undecided: 0, seed: 42 });
    expect(summary.approved! + summary.rejected! + summary.withdrawn!).toBe(12);
  });

  it('explains usage errors and a wrong password', async () => {
    const unknown = await cli(stub(), 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const noUser = await cli(stub(), 'queue');
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain('queue needs --user');
    const wrong = await cli(stub(), 'whoami', '--user', 'heidi', '--password', 'nope', '--json');
    expect(wrong.code).toBe(1);
    expect(ErrorBody.pick({ code: true }).parse(JSON.parse(wrong.stdout).error)).toEqual({
      code: 'invalid_credentials',
    });
    expect(wrong.stderr).toContain('wrong username or password');
  });
});

describe('operator CLI without a server', () => {
  it('prints help for the tool and for each command', async () => {
    const tool = await cli(null, '--help');
    expect(tool.code).toBe(0);
    for (const name of [
      'whoami',
      'submit',
      'approve',
      'reject',
      'withdraw',
      'queue',
      'claim',
      'events',
      'announce',
      'simulate',
    ]) {
      expect(tool.stdout).toContain(`  ${name}`);
    }
    const approve = await cli(null, 'approve', '--help');
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain('Usage: npm run cli -- approve <claim-id>');
  });

  it('says the server is unreachable with exit code 3', async () => {
    const run = await cli(null, 'whoami', '--user', 'alice', '--server', 'http://127.0.0.1:9');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot reach the server at http://127.0.0.1:9');
  });
});
