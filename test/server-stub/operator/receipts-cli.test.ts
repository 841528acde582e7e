// `npm run cli -- submit --receipt`, `receipts` and `receipt --out`: the BUILT operator CLI against the
// REAL stub process. Files go up with the claim, are listed with their sniffed type, come back byte for
// byte to the file --out names, stay hidden from people who may not see the claim, and files that are
// no receipt are refused before anything is sent.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimDetail, MAX_RECEIPT_BYTES, Receipt } from '../../../protocol';
import { receiptPdf, receiptPng } from '../../../server-stub/operator/receipt-files';
import { cli } from '../../support/operator-cli';
import { tempDir } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

describe('operator CLI and receipts', () => {
  const stub = useStubProcess();
  const dir = tempDir('signoff-cli-receipts-');
  const png = receiptPng(7);
  const pdf = receiptPdf(['INVOICE', 'Taxi to airport', 'Total CNY 86.50']);
  let claim: ClaimDetail;

  // Each run is a node process of its own that signs in: seconds apiece on a busy machine.
  beforeAll(async () => {
    writeFileSync(dir.file('slip.jpg'), png); // a PNG, whatever its name says
    writeFileSync(dir.file('invoice.pdf'), pdf);
    const claimArgs = ['--title', 'Taxi to the airport', '--category', 'transport', '--item', 'Taxi=86.50'];
    const files = ['--receipt', dir.file('slip.jpg'), '--receipt', dir.file('invoice.pdf')];
    const run = await cli(stub(), 'submit', '--user', 'alice', '--json', ...claimArgs, ...files);
    expect(run.code, run.stderr).toBe(0);
    claim = ClaimDetail.parse(JSON.parse(run.stdout));
  });
  afterAll(() => dir.remove());

  it('submits the files with the claim, typed by their content', () => {
    expect(claim.receiptCount).toBe(2);
    expect(claim.receipts?.map((r) => [r.name, r.mediaType, r.sizeBytes])).toEqual([
      ['slip.jpg', 'image/png', png.length],
      ['invoice.pdf', 'application/pdf', pdf.length],
    ]);
  });

  it('lists them, and downloads one to --out byte for byte', async () => {
    const listed = await cli(stub(), 'receipts', claim.id, '--user', 'bob');
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toBe(`2 receipt(s) on ${claim.id}`);
    expect(lines[1]).toMatch(
      new RegExp(`^${claim.receipts![0]!.id}\\s+image/png\\s+${png.length} B, 180×260  slip\\.jpg$`),
    );
    const json = await cli(stub(), 'receipts', claim.id, '--user', 'bob', '--json');
    expect(Receipt.array().parse(JSON.parse(json.stdout))).toEqual(claim.receipts);

    const out = dir.file('downloaded.pdf');
    const pdfId = claim.receipts![1]!.id;
    const fetched = await cli(stub(), 'receipt', claim.id, pdfId, '--user', 'bob', '--out', out);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stdout.trim()).toBe(`wrote ${pdfId} (application/pdf, ${pdf.length} bytes) to ${out}`);
    expect(readFileSync(out).equals(pdf)).toBe(true);

    // `claim` shows them too.
    const shown = await cli(stub(), 'claim', claim.id, '--user', 'alice');
    expect(shown.stdout).toContain('  receipts');
    expect(shown.stdout).toContain('invoice.pdf');
  }, 60_000);

  it('says "not found" to someone who may not see the claim, and needs --out', async () => {
    const hidden = await cli(
      stub(),
      'receipt',
      claim.id,
      claim.receipts![0]!.id,
      '--user',
      'erin',
      '--out',
      dir.file('x'),
    );
    expect(hidden.code).toBe(1);
    expect(hidden.stderr).toContain(`no claim ${claim.id}`);
    const noOut = await cli(stub(), 'receipt', claim.id, claim.receipts![0]!.id, '--user', 'bob');
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out is required');
  }, 60_000);

  it('refuses a file that is no receipt, a missing file and a file over the limit before sending', async () => {
    writeFileSync(dir.file('page.jpg'), '<!doctype html><script>alert(1)</script>');
    writeFileSync(dir.file('huge.png'), Buffer.concat([png, Buffer.alloc(MAX_RECEIPT_BYTES)]));
    const base = ['submit', '--user', 'alice', '--title', 'x', '--category', 'other', '--item', 'x=1'];
    const html = await cli(stub(), ...base, '--receipt', dir.file('page.jpg'));
    expect(html.code).toBe(2);
    expect(html.stderr).toContain('page.jpg: not a PNG, JPEG, WebP or PDF file');
    const missing = await cli(stub(), ...base, '--receipt', dir.file('nope.png'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const huge = await cli(stub(), ...base, '--receipt', dir.file('huge.png'));
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain(`a receipt may be at most ${MAX_RECEIPT_BYTES}`);
  }, 60_000);
});
