// `bulk-approve`: the operator's side of bulk approval (issue 14), the way the desktop app does it —
// a batch of single approvals, each at the claim's own version with its own Idempotency-Key, one
// result per claim; claims with policy flags are refused without being sent (docs/protocol.md,
// "Bulk approve").
import { randomUUID } from 'node:crypto';
import { ApiError, type ClaimSummary } from '../../protocol';
import { type CommandSpec, optionalString } from './command';
import { asUser } from './commands';
import { describeError, UsageError } from './describe-error';
import { flagCodes } from './format';

export type BulkOutcome = 'approved' | 'conflict' | 'refused' | 'failed';

export const bulkApproveCommand: CommandSpec = {
  name: 'bulk-approve',
  summary: 'approve several clean claims waiting on --user, each on its own (flagged ones are refused)',
  usage: '(--claim <id> [--claim <id> ...] | --all-clean) [--comment <text>]',
  details: [
    'each claim is approved at the version in --user’s queue, with its own Idempotency-Key;',
    'claims with policy flags are refused unsent; exits 1 unless every claim was approved',
  ],
  options: {
    claim: { type: 'string', multiple: true },
    'all-clean': { type: 'boolean' },
    comment: { type: 'string' },
  },
  positionals: [],
  async run(context, values) {
    const ids = (values.claim as string[] | undefined) ?? [];
    const allClean = values['all-clean'] === true;
    if (allClean === ids.length > 0)
      throw new UsageError('give either --claim <id> (repeatable) or --all-clean');
    const comment = optionalString(values, 'comment')?.trim();
    const user = asUser(context, bulkApproveCommand);
    const client = await context.pool.as(user);
    const queue = new Map((await client.queue()).claims.map((claim) => [claim.id, claim]));
    const wanted = allClean
      ? [...queue.values()].filter((claim) => claim.flags.length === 0).map((claim) => claim.id)
      : [...new Set(ids)];
    const results: Array<{ id: string; outcome: BulkOutcome; message: string }> = [];
    for (const id of wanted) {
      const claim: ClaimSummary | undefined = queue.get(id);
      if (!claim) {
        results.push({ id, outcome: 'conflict', message: `not waiting on ${user}` });
        continue;
      }
      if (claim.flags.length > 0) {
        results.push({ id, outcome: 'refused', message: `policy flags: ${flagCodes(claim)}` });
        continue;
      }
      try {
        const body = comment ? { version: claim.version, comment } : { version: claim.version };
        const after = await client.approve(id, body, { idempotencyKey: randomUUID() });
        results.push({ id, outcome: 'approved', message: `now ${after.state} (version ${after.version})` });
      } catch (error) {
        const conflict = error instanceof ApiError && error.status === 409;
        const { message } = describeError(error, { server: context.server, user });
        results.push({ id, outcome: conflict ? 'conflict' : 'failed', message });
      }
    }
    const approved = results.filter((result) => result.outcome === 'approved').length;
    context.out.result({ approved, results }, [
      `${approved} of ${results.length} approved`,
      ...results.map((result) => `${result.id}  ${result.outcome.padEnd(8)}  ${result.message}`),
    ]);
    if (approved < results.length) process.exitCode = 1;
  },
};
