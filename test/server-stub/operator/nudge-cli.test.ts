// `cli nudge` and the nudging in `simulate`: the BUILT operator CLI against a REAL stub process whose
// nudge threshold is 0 (--nudge-after-seconds), so claims may be nudged as soon as they wait.
import { describe, expect, it } from 'vitest';
import { ClaimDetail, ErrorBody } from '../../../protocol';
import { cli } from '../../support/operator-cli';
import { useStubProcess } from '../../support/use-stub';

describe('operator CLI: nudge', () => {
  const stub = useStubProcess({ args: ['--nudge-after-seconds', '0'] });

  it('nudges once, then says when the next nudge is allowed', async () => {
    const submitted = await cli(
      stub(),
      ...['submit', '--user', 'erin', '--json', '--title', 'Team lunch', '--category', 'meals'],
      ...['--item', 'Lunch=120.00'],
    );
    expect(submitted.code, submitted.stderr).toBe(0);
    const { id } = ClaimDetail.parse(JSON.parse(submitted.stdout));

    const nudged = await cli(stub(), 'nudge', id, '--user', 'erin');
    expect(nudged.code, nudged.stderr).toBe(0);
    expect(nudged.stdout).toMatch(new RegExp(`^nudged Frank Sun about ${id}; next nudge from \\d{4}-`));

    const again = await cli(stub(), 'nudge', id, '--user', 'erin', '--json');
    expect(again.code).toBe(1);
    expect(ErrorBody.pick({ code: true }).parse(JSON.parse(again.stdout).error)).toEqual({
      code: 'nudge_too_soon',
    });
    // About 24 h from now, in seconds.
    expect(again.stderr).toMatch(/too soon to nudge: allowed from \d{4}-\d\d-\d\dT[\d:.]+Z \(in 86\d{3} s\)/);

    const notMine = await cli(stub(), 'nudge', id, '--user', 'frank');
    expect(notMine.code).toBe(1);
    expect(notMine.stderr).toContain('not allowed: only the submitter may nudge');

    const shown = await cli(stub(), 'claim', id, '--user', 'frank');
    expect(shown.stdout).toContain('Erin Zhao nudged');
  });

  it('lets simulated submitters nudge claims that wait', async () => {
    const run = await cli(stub(), 'simulate', '--count', '12', '--rate', '50', '--seed', '42', '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ claims: 12, errors: 0, undecided: 0 });
    expect(summary.nudged).toBeGreaterThan(0);
  });

  it('lists nudge in the help', async () => {
    const help = await cli(null, '--help');
    expect(help.stdout).toContain('  nudge');
  });
});
