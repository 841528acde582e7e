// `npm run cli -- transfer | add-approver | return | resubmit`: the BUILT operator CLI against the REAL
// stub process, walking one claim through every chain change, and refusing what the rules refuse.

import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, ClaimDetail } from '../../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from '../../../server-stub/operator/receipt-files';
import { cli } from '../../support/operator-cli';
import { clientsFor, sampleClaim, tempDir } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

describe('operator CLI chain changes against a real stub', () => {
  const stub = useStubProcess();
  let as: Record<'alice' | 'bob', ApiClient>;

  beforeAll(async () => {
    as = await clientsFor(stub().url, ['alice', 'bob'] as const);
  });

  it('transfers, adds an approver, returns and resubmits one claim', async () => {
    const { id } = await as.alice.submitClaim(sampleClaim({ title: 'Shanghai trip' }));

    const transferred = await cli(
      stub(),
      'transfer',
      id,
      '--user',
      'bob',
      '--to',
      'erin',
      '--comment',
      'hers',
    );
    expect(transferred.code, transferred.stderr).toBe(0);
    expect(transferred.stdout).toMatch(
      new RegExp(`^transferred\\. ${id} is now at version 2; waits on Erin Zhao`),
    );

    const added = await cli(stub(), 'add-approver', id, '--user', 'erin', '--approver', 'frank', '--before');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/approver added\. .* waits on Frank Sun \(added, step 1\/4\)/);

    const shown = await cli(stub(), 'claim', id, '--user', 'alice');
    expect(shown.stdout).toMatch(/1\. added\s+current\s+Frank Sun \(added by Erin Zhao\)/);
    expect(shown.stdout).toMatch(/2\. supervisor waiting\s+Erin Zhao \(transferred from Bob Li\)/);
    expect(shown.stdout).toMatch(/Bob Li transferred Erin Zhao: "hers"/);

    const returned = await cli(stub(), 'return', id, '--user', 'frank', '--reason', 'Split the hotel bill');
    expect(returned.code, returned.stderr).toBe(0);
    expect(returned.stdout).toContain(`${id} is now returned (version 4)`);

    const resubmitted = await cli(
      stub(),
      'resubmit',
      id,
      '--user',
      'alice',
      '--title',
      'Shanghai trip (split)',
      '--item',
      'Hotel night 1=300',
      '--item',
      'Hotel night 2=300.50',
      '--json',
    );
    expect(resubmitted.code, resubmitted.stderr).toBe(0);
    const claim = ClaimDetail.parse(JSON.parse(resubmitted.stdout));
    expect(claim).toMatchObject({
      state: 'pending',
      version: 5,
      title: 'Shanghai trip (split)',
      totalMinor: 60_050,
    });
    expect(claim.chain.map((step) => step.kind)).toEqual(['supervisor', 'manager', 'finance']);
    expect(claim.currentStep?.approvers.map((a) => a.id)).toEqual(['bob']);
  }, 120_000);

  it('refuses an ineligible target and bad usage with their exit codes', async () => {
    const { id } = await as.alice.submitClaim(sampleClaim());
    const toSubmitter = await cli(stub(), 'transfer', id, '--user', 'bob', '--to', 'alice');
    expect(toSubmitter.code).toBe(1);
    expect(toSubmitter.stderr).toMatch(/cannot take this claim: alice submitted this claim/);
    const both = await cli(
      stub(),
      'add-approver',
      id,
      '--user',
      'bob',
      '--approver',
      'erin',
      '--before',
      '--after',
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --before and --after');
    const noReason = await cli(stub(), 'return', id, '--user', 'bob');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason is required');
    const notReturned = await cli(stub(), 'resubmit', id, '--user', 'alice');
    expect(notReturned.code).toBe(1);
    expect(notReturned.stderr).toMatch(/cannot be acted on now|already pending/);
    expect((await as.alice.getClaim(id)).version).toBe(1);
  }, 120_000);

  it('simulate transfers, adds approvers and returns some claims, and still decides every one', async () => {
    const run = await cli(stub(), 'simulate', '--count', '40', '--rate', '100', '--seed', '7', '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      claims: number;
      approved: number;
      rejected: number;
      withdrawn: number;
      undecided: number;
      errors: number;
      chainChanges: { transferred: number; approversAdded: number; returned: number; resubmitted: number };
    };
    expect(summary).toMatchObject({ claims: 40, errors: 0, undecided: 0 });
    expect(summary.approved + summary.rejected + summary.withdrawn).toBe(40);
    const { transferred, approversAdded, returned, resubmitted } = summary.chainChanges;
    expect(transferred + approversAdded + returned).toBeGreaterThan(0);
    expect(resubmitted).toBe(returned);
  }, 180_000);

  it('lists the new commands in --help', async () => {
    const help = await cli(null, '--help');
    for (const name of ['transfer', 'add-approver', 'return', 'resubmit'])
      expect(help.stdout).toContain(`  ${name} `);
    expect(help.stdout).toContain('--remove-receipt RCT-000001 --receipt invoice.pdf');
    const resubmit = await cli(null, 'resubmit', '--help');
    expect(resubmit.stdout).toContain('[--receipt <file> ...] [--remove-receipt <receipt-id> ...]');
    expect(resubmit.stdout).toMatch(/--remove-receipt removes one of the claim's receipts by id/);
    expect(resubmit.stdout).toMatch(/--receipt attaches a file \(repeatable/);
  });

  it('resubmits with --receipt files added and --remove-receipt ids removed', async () => {
    const dir = tempDir('signoff-cli-resubmit-');
    try {
      writeFileSync(dir.file('invoice.pdf'), receiptPdf(['INVOICE', 'Hotel night 2']));
      writeFileSync(dir.file('notes.txt'), 'not a receipt');
      const submitted = await as.alice.submitClaim(
        sampleClaim({
          receipts: [receiptUpload('wrong.png', receiptPng(2)), receiptUpload('taxi.png', receiptPng(3))],
        }),
      );
      const [wrong, taxi] = submitted.receipts!.map((r) => r.id);
      await as.bob.returnClaim(submitted.id, { version: 1, reason: 'Wrong receipt' });

      // A file that is no receipt is refused before anything is sent.
      const bad = await cli(
        stub(),
        'resubmit',
        submitted.id,
        '--user',
        'alice',
        '--receipt',
        dir.file('notes.txt'),
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('not a PNG, JPEG, WebP or PDF file');

      const run = await cli(
        stub(),
        'resubmit',
        submitted.id,
        '--user',
        'alice',
        '--remove-receipt',
        wrong!,
        '--receipt',
        dir.file('invoice.pdf'),
        '--json',
      );
      expect(run.code, run.stderr).toBe(0);
      const claim = ClaimDetail.parse(JSON.parse(run.stdout));
      expect(claim).toMatchObject({ state: 'pending', version: 3, receiptCount: 2 });
      expect(claim.receipts?.map((r) => [r.id === taxi ? 'kept' : 'new', r.name, r.mediaType])).toEqual([
        ['kept', 'taxi.png', 'image/png'],
        ['new', 'invoice.pdf', 'application/pdf'],
      ]);
    } finally {
      dir.remove();
    }
  }, 120_000);
});
