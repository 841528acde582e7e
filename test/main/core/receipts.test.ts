// Receipts through the real core against a real (in-process) stub: an image comes back as a data: URL
// only after the core's own check of its bytes, a PDF is never turned into one but saved to a private
// temporary file (0700 folder, 0600 file, random name, the sniffed type's extension) that is removed
// when the core stops, and a server that says one type and sends another is refused.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedReceiptType, ReceiptRefusedError } from '../../../main/core/receipts';
import { ApiError, type ClaimDetail, type FetchLike } from '../../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from '../../../server-stub/operator/receipt-files';
import { makeTempDir } from '../../support/core-fakes';
import { apiFor, signedInCore, type TestCore } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const png = receiptPng(2);
const pdf = receiptPdf(['INVOICE', 'Hotel Hangzhou', 'Total CNY 640.50']);

describe('receipts in the core', () => {
  const stub = useInProcessStub();
  const temp = makeTempDir('signoff-receipt-temp-');
  let bob: TestCore;
  let claim: ClaimDetail;
  const receiptOf = (name: string) => claim.receipts!.find((r) => r.name === name)!.id;

  beforeAll(async () => {
    const alice = await apiFor(stub().url, 'alice');
    claim = await alice.submitClaim(
      sampleClaim({
        receipts: [
          receiptUpload('slip.png', png),
          receiptUpload('invoice.pdf', pdf),
          receiptUpload('scan.pdf', png),
        ],
      }),
    );
    bob = await signedInCore(stub().url, 'bob', { tempDir: temp.path });
  });

  afterAll(async () => {
    await bob?.dispose();
    temp.remove();
  });

  it('gives an image receipt as a data: URL of exactly its bytes', async () => {
    const image = await bob.core.receiptImage(claim.id, receiptOf('slip.png'));
    expect(image.mediaType).toBe('image/png');
    const [prefix, data] = image.dataUrl.split(',');
    expect(prefix).toBe('data:image/png;base64');
    expect(Buffer.from(data!, 'base64').equals(png)).toBe(true);
    // A PNG named .pdf is an image, by its content.
    expect((await bob.core.receiptImage(claim.id, receiptOf('scan.pdf'))).mediaType).toBe('image/png');
  });

  it('never turns a PDF into something the window could render', async () => {
    await expect(bob.core.receiptImage(claim.id, receiptOf('invoice.pdf'))).rejects.toThrow(
      ReceiptRefusedError,
    );
  });

  it('saves a receipt for the system viewer in a private folder, named by its sniffed type', async () => {
    const file = await bob.core.saveReceiptForViewer(claim.id, receiptOf('invoice.pdf'));
    const dir = path.dirname(file);
    expect(path.dirname(dir)).toBe(temp.path);
    expect(path.basename(dir)).toMatch(/^signoff-receipts-/);
    expect(path.basename(file)).toMatch(/^[0-9a-f]{32}\.pdf$/);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).equals(pdf)).toBe(true);
    // The submitter's name never becomes the file's: "scan.pdf" holds a PNG and is saved as one.
    const png2 = await bob.core.saveReceiptForViewer(claim.id, receiptOf('scan.pdf'));
    expect(png2).toMatch(/\.png$/);
    expect(path.dirname(png2)).toBe(dir);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('answers 404 for a receipt of a claim the user may not see', async () => {
    const erin = await signedInCore(stub().url, 'erin', { tempDir: temp.path });
    try {
      const error = await erin.core.receiptImage(claim.id, receiptOf('slip.png')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(404);
    } finally {
      await erin.dispose();
    }
  });

  it('refuses a download whose bytes are not the type the server stated', async () => {
    // The real stub behind a transport that rewrites the stated type, as a broken or hostile server would.
    const lying: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      if (!input.includes('/receipts/')) return response;
      const headers = new Headers(response.headers);
      headers.set('content-type', 'application/pdf');
      return new Response(await response.arrayBuffer(), { status: response.status, headers });
    };
    const tricked = await signedInCore(stub().url, 'bob', { tempDir: temp.path, fetch: lying });
    try {
      await expect(tricked.core.saveReceiptForViewer(claim.id, receiptOf('slip.png'))).rejects.toThrow(
        'the server said application/pdf but the receipt is image/png',
      );
    } finally {
      await tricked.dispose();
    }
    expect(() => checkedReceiptType({ mediaType: 'image/png', bytes: Buffer.from('<html>') })).toThrow(
      'not a PNG, JPEG, WebP or PDF',
    );
  });

  it('removes the saved receipts when the core stops', async () => {
    const file = await bob.core.saveReceiptForViewer(claim.id, receiptOf('invoice.pdf'));
    expect(existsSync(file)).toBe(true);
    await bob.core.stop();
    expect(existsSync(path.dirname(file))).toBe(false);
  });
});
