// The operator CLI and receipts: reading files for `submit --receipt` and `resubmit --receipt`, and
// `receipts` / `receipt` to list a claim's receipts or download one.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  inspectReceipt,
  MAX_CLAIM_RECEIPT_BYTES,
  MAX_RECEIPT_BYTES,
  MAX_RECEIPTS_PER_CLAIM,
  type ReceiptUpload,
} from '../../protocol';
import { type CommandSpec, requireString } from './command';
import { UsageError } from './describe-error';
import { receiptLine } from './format';
import { receiptUpload } from './receipt-files';

export const RECEIPT_OPTION_DETAILS = [
  `--receipt attaches a file (repeatable, at most ${MAX_RECEIPTS_PER_CLAIM}): PNG, JPEG, WebP or PDF, each at most ${MAX_RECEIPT_BYTES} bytes, ${MAX_CLAIM_RECEIPT_BYTES} in all; the server decides the type from the content, not the name`,
];

/**
 * The `--receipt` files as uploads. Refuses early what the server would refuse anyway (missing file,
 * too large, not a receipt type), with the file's path in the message; the server checks again.
 */
export function readReceiptFiles(files: readonly string[]): ReceiptUpload[] {
  if (files.length > MAX_RECEIPTS_PER_CLAIM) {
    throw new UsageError(`at most ${MAX_RECEIPTS_PER_CLAIM} --receipt files per claim`);
  }
  let total = 0;
  return files.map((file) => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new UsageError(`--receipt ${file}: no such file`);
    }
    if (size > MAX_RECEIPT_BYTES) {
      throw new UsageError(`--receipt ${file}: ${size} bytes; a receipt may be at most ${MAX_RECEIPT_BYTES}`);
    }
    total += size;
    if (total > MAX_CLAIM_RECEIPT_BYTES) {
      throw new UsageError(`--receipt files add up to more than ${MAX_CLAIM_RECEIPT_BYTES} bytes`);
    }
    const bytes = readFileSync(file);
    if (!inspectReceipt(bytes)) throw new UsageError(`--receipt ${file}: not a PNG, JPEG, WebP or PDF file`);
    return receiptUpload(path.basename(file), bytes);
  });
}

function asUser(user: string | undefined, command: string): string {
  if (!user) throw new UsageError(`${command} needs --user <username>`);
  return user;
}

export const receiptsCommand: CommandSpec = {
  name: 'receipts',
  summary: "list a claim's receipts: id, type, size, pixel size, name",
  usage: '<claim-id>',
  options: {},
  positionals: ['claim-id'],
  async run(context, _values, [claimId]) {
    const client = await context.pool.as(asUser(context.user, 'receipts'));
    const claim = await client.getClaim(claimId!);
    const receipts = claim.receipts ?? [];
    context.out.result(receipts, [
      `${receipts.length} receipt(s) on ${claim.id}`,
      ...receipts.map(receiptLine),
    ]);
  },
};

export const receiptCommand: CommandSpec = {
  name: 'receipt',
  summary: "download one of a claim's receipts to --out",
  usage: '<claim-id> <receipt-id> --out <file>',
  details: [
    'the same visibility as the claim: a claim --user may not see is "not found"',
    'the file is written where --out says, never under a name the server chose',
  ],
  options: { out: { type: 'string' } },
  positionals: ['claim-id', 'receipt-id'],
  async run(context, values, [claimId, receiptId]) {
    const out = requireString(values, 'out');
    const client = await context.pool.as(asUser(context.user, 'receipt'));
    const download = await client.getReceipt(claimId!, receiptId!);
    writeFileSync(out, download.bytes);
    const written = { file: out, mediaType: download.mediaType, sizeBytes: download.bytes.length };
    context.out.result(
      written,
      `wrote ${receiptId} (${download.mediaType}, ${download.bytes.length} bytes) to ${out}`,
    );
  },
};
