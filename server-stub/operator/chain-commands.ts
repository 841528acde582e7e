// Issue 14 items 5 and 6 in the operator CLI: transfer (转交), add approver (加签), return for revision
// (退回) and resubmit. `--user` stays the global "act as"; the person added is `--approver`.
import { AddApproverPosition, ResubmitRequest } from '../../protocol';
import { parseItem } from './amounts';
import { type CommandSpec, type OptionValues, optionalString, requireString } from './command';
import { claimActionCommand } from './commands';
import { UsageError } from './describe-error';
import { RECEIPT_OPTION_DETAILS, readReceiptFiles } from './receipt-commands';

const VERSION_OPTION = { version: { type: 'string' } } as const;
const COMMENT = { comment: { type: 'string' }, ...VERSION_OPTION } as const;

function withOptionalComment<T extends object>(values: OptionValues, body: T): T & { comment?: string } {
  const comment = optionalString(values, 'comment');
  return comment ? { ...body, comment } : body;
}

const transfer = claimActionCommand({
  name: 'transfer',
  summary: 'hand a claim waiting on --user to another user (转交)',
  usage: '<claim-id> --to <username> [--comment <text>] [--version <n>]',
  details: [
    'the target may not be the submitter or anyone already in the chain; a finance step goes only to finance',
  ],
  options: { to: { type: 'string' }, ...COMMENT },
  done: 'transferred',
  prepare: (values) => {
    const to = requireString(values, 'to').trim().toLowerCase();
    return (client, id, version, once) =>
      client.transfer(id, withOptionalComment(values, { version, to }), once);
  },
});

const addApprover = claimActionCommand({
  name: 'add-approver',
  summary: 'add an approver before or after --user at the current step (加签)',
  usage: '<claim-id> --approver <username> --before|--after [--comment <text>] [--version <n>]',
  details: [
    '--before: the claim waits on them first, then comes back to --user; --after: --user decides first',
  ],
  options: {
    approver: { type: 'string' },
    before: { type: 'boolean', default: false },
    after: { type: 'boolean', default: false },
    ...COMMENT,
  },
  done: 'approver added',
  prepare: (values) => {
    const user = requireString(values, 'approver').trim().toLowerCase();
    if (values.before === values.after) throw new UsageError('give exactly one of --before and --after');
    const position = AddApproverPosition.parse(values.before ? 'before' : 'after');
    return (client, id, version, once) =>
      client.addApprover(id, withOptionalComment(values, { version, user, position }), once);
  },
});

const returnClaim = claimActionCommand({
  name: 'return',
  summary: 'return a claim waiting on --user to its submitter for revision (退回)',
  usage: '<claim-id> --reason <text> [--version <n>]',
  options: { reason: { type: 'string' }, ...VERSION_OPTION },
  done: 'returned',
  prepare: (values) => {
    const reason = requireString(values, 'reason');
    return (client, id, version, once) => client.returnClaim(id, { version, reason }, once);
  },
});

const resubmit = claimActionCommand({
  name: 'resubmit',
  summary: "resubmit --user's returned claim, optionally edited; its chain starts again",
  usage:
    '<claim-id> [--title <text>] [--item "description=12.34" ...] [--receipt <file> ...] [--remove-receipt <receipt-id> ...] [--comment <text>] [--version <n>]',
  details: [
    '--item replaces all line items (the total follows); without it the items stay as they are',
    ...RECEIPT_OPTION_DETAILS,
    "--remove-receipt removes one of the claim's receipts by id (repeatable; see `receipts <claim-id>`); the limits apply to the claim as it is after the edit",
  ],
  options: {
    title: { type: 'string' },
    item: { type: 'string', multiple: true },
    receipt: { type: 'string', multiple: true },
    'remove-receipt': { type: 'string', multiple: true },
    ...COMMENT,
  },
  done: 'resubmitted',
  prepare: (values) => {
    const title = optionalString(values, 'title');
    const rawItems = (values.item as string[] | undefined) ?? [];
    const receipts = readReceiptFiles((values.receipt as string[] | undefined) ?? []);
    const removeReceipts = ((values['remove-receipt'] as string[] | undefined) ?? []).map((id) => id.trim());
    return async (client, id, version, once) => {
      // Amounts are read in the claim's own currency, so the claim is fetched first when items change.
      const currency = rawItems.length > 0 ? (await client.getClaim(id)).currency : 'CNY';
      const items = rawItems.map((item) => parseItem(item, currency));
      const edits = {
        ...(title === undefined ? {} : { title }),
        ...(items.length === 0
          ? {}
          : { items, totalMinor: items.reduce((sum, item) => sum + item.amountMinor, 0) }),
        ...(receipts.length === 0 ? {} : { receipts }),
        ...(removeReceipts.length === 0 ? {} : { removeReceipts }),
      };
      const request = withOptionalComment(values, { version, ...edits });
      const checked = ResubmitRequest.safeParse(request);
      if (!checked.success) {
        throw new UsageError(checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      }
      return client.resubmit(id, request, once);
    };
  },
});

export const CHAIN_COMMANDS: readonly CommandSpec[] = [transfer, addApprover, returnClaim, resubmit];
