// A returned claim's receipts edited on resubmit (issue 14 item 6), against the real stub process:
// added and removed in the resubmission's transaction, the limits applied to the claim as it will be,
// another claim's receipt id refused, the policy flags and the events following the new count, an
// Idempotency-Key replay acting once, and nobody but the submitter allowed.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiClient,
  type ClaimDetail,
  MAX_CLAIM_RECEIPT_BYTES,
  MAX_RECEIPT_BYTES,
  MAX_RECEIPTS_PER_CLAIM,
  MAX_SUBMIT_BODY_BYTES,
  type SubmitClaimRequest,
  type UserEvent,
} from '../../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from '../../../server-stub/operator/receipt-files';
import { rawExchange } from '../../support/raw-http';
import { apiFailure, clientsFor, sampleClaim } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

const png = receiptPng(5);
const pdf = receiptPdf(['INVOICE', 'Hotel Hangzhou, night 2', 'Total CNY 320.25']);

/** A PNG padded after IEND (readers ignore it) to `size` bytes. */
const pngOfSize = (size: number) => Buffer.concat([png, Buffer.alloc(size - png.length)]);

describe('resubmit edits the receipts of a returned claim', () => {
  const stub = useStubProcess();
  const as = {} as Record<'alice' | 'bob' | 'carol', ApiClient>;
  beforeAll(async () => Object.assign(as, await clientsFor(stub().url, ['alice', 'bob', 'carol'] as const)));

  /** Submitted by alice and returned by bob: at version 2, `returned`. */
  async function returned(overrides: Partial<SubmitClaimRequest> = {}): Promise<ClaimDetail> {
    const claim = await as.alice.submitClaim(sampleClaim(overrides));
    return as.bob.returnClaim(claim.id, { version: 1, reason: 'Attach the hotel invoice' });
  }

  const ids = (claim: ClaimDetail) => (claim.receipts ?? []).map((receipt) => receipt.id);
  const names = (claim: ClaimDetail) => (claim.receipts ?? []).map((receipt) => receipt.name);

  it('removes and adds receipts; the approver sees the new list and can fetch the new bytes', async () => {
    const claim = await returned({
      receipts: [receiptUpload('taxi.png', png), receiptUpload('wrong.pdf', pdf)],
    });
    const [taxi, wrong] = ids(claim);
    const cursor = (await as.bob.queue()).cursor;
    const again = await as.alice.resubmit(claim.id, {
      version: 2,
      removeReceipts: [wrong!],
      receipts: [receiptUpload('hotel-invoice.pdf', pdf), receiptUpload('scan.pdf', png)],
    });

    expect(again).toMatchObject({ state: 'pending', version: 3, receiptCount: 3 });
    expect(names(again)).toEqual(['taxi.png', 'hotel-invoice.pdf', 'scan.pdf']);
    // The kept receipt keeps its id; the type of an added one is decided by its content, as at submit.
    expect(ids(again)[0]).toBe(taxi);
    expect(again.receipts?.map((r) => r.mediaType)).toEqual(['image/png', 'application/pdf', 'image/png']);
    // A removed receipt is gone for everyone, and its id is never given to another file.
    expect((await apiFailure(as.bob.getReceipt(claim.id, wrong!))).status).toBe(404);
    expect(ids(again)).not.toContain(wrong);
    const seen = await as.bob.getClaim(claim.id);
    expect(names(seen)).toEqual(['taxi.png', 'hotel-invoice.pdf', 'scan.pdf']);
    const added = await as.bob.getReceipt(claim.id, ids(seen)[1]!);
    expect(added.mediaType).toBe('application/pdf');
    expect(Buffer.from(added.bytes).equals(pdf)).toBe(true);

    // The events the resubmission emitted carry the new count.
    const page = await as.bob.events(cursor, { limit: 100 });
    if (page.status !== 'ok') throw new Error('stream reset');
    const counts = page.events
      .filter((event): event is Extract<UserEvent, { claim: unknown }> => 'claim' in event)
      .filter((event) => event.claim.id === claim.id)
      .map((event) => [event.type, event.claim.receiptCount]);
    expect(counts).toEqual([
      ['claim.assigned', 3],
      ['claim.changed', 3],
    ]);
  });

  it('removing every receipt leaves none, and a fresh id never repeats a removed one', async () => {
    const claim = await returned({ receipts: [receiptUpload('a.png', png)] });
    const [only] = ids(claim);
    const emptied = await as.alice.resubmit(claim.id, { version: 2, removeReceipts: [only!] });
    expect(emptied).toMatchObject({ receiptCount: 0, receipts: [] });
    const other = await returned({ receipts: [receiptUpload('b.png', png)] });
    expect(ids(other)[0]).not.toBe(only);
  });

  it('applies the count limit to the claim as it will be after the edit', async () => {
    const claim = await returned({
      receipts: Array.from({ length: MAX_RECEIPTS_PER_CLAIM - 1 }, (_, i) => receiptUpload(`r${i}.png`, png)),
    });
    const two = [receiptUpload('x.png', png), receiptUpload('y.pdf', pdf)];
    const tooMany = await apiFailure(as.alice.resubmit(claim.id, { version: 2, receipts: two }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: 'bad_request', issues: [{ path: 'receipts' }] });
    // Nothing was stored, and the claim is still returned at the same version.
    const unchanged = await as.alice.getClaim(claim.id);
    expect(unchanged).toMatchObject({
      state: 'returned',
      version: 2,
      receiptCount: MAX_RECEIPTS_PER_CLAIM - 1,
    });
    // Removing one makes room for the two: exactly the limit.
    const full = await as.alice.resubmit(claim.id, {
      version: 2,
      removeReceipts: [ids(claim)[0]!],
      receipts: two,
    });
    expect(full.receiptCount).toBe(MAX_RECEIPTS_PER_CLAIM);
  });

  it('applies the size limit to the kept receipts and the added ones together', async () => {
    const big = pngOfSize(MAX_RECEIPT_BYTES);
    const kept = Math.floor(MAX_CLAIM_RECEIPT_BYTES / MAX_RECEIPT_BYTES); // 3 files of 2 MiB: exactly 6 MiB
    const claim = await returned({
      receipts: Array.from({ length: kept }, (_, i) => receiptUpload(`big${i}.png`, big)),
    });
    const one = [receiptUpload('small.pdf', pdf)];
    const over = await apiFailure(as.alice.resubmit(claim.id, { version: 2, receipts: one }));
    expect(over.status).toBe(413);
    expect(over.body.code).toBe('payload_too_large');
    expect((await as.alice.getClaim(claim.id)).receiptCount).toBe(kept);
    const swapped = await as.alice.resubmit(claim.id, {
      version: 2,
      removeReceipts: [ids(claim)[2]!],
      receipts: one,
    });
    expect(names(swapped)).toEqual(['big0.png', 'big1.png', 'small.pdf']);
  });

  it('takes the receipt body limit, not the 64 KiB one: a 2 MiB receipt goes up, a body over the limit is 413', async () => {
    const claim = await returned();
    const big = receiptUpload('scan.png', pngOfSize(MAX_RECEIPT_BYTES));
    const again = await as.alice.resubmit(claim.id, { version: 2, receipts: [big] });
    expect(again.receipts?.map((r) => r.sizeBytes)).toEqual([MAX_RECEIPT_BYTES]);
    await as.bob.returnClaim(claim.id, { version: 3, reason: 'Too blurry' });
    // Declared over the limit: answered 413 before any of it is read.
    const head = [
      `POST /api/v1/claims/${claim.id}/resubmit HTTP/1.1`,
      'Host: x',
      `Authorization: Bearer ${as.alice.token}`,
      'Content-Type: application/json',
      `Content-Length: ${MAX_SUBMIT_BODY_BYTES + 1}`,
      'Connection: close',
    ];
    const port = Number(new URL(stub().url).port);
    const { response } = await rawExchange(port, `${head.join('\r\n')}\r\n\r\n`, { untilResponse: true });
    expect(response?.status).toBe(413);
    expect(JSON.parse(response?.body ?? '{}')).toMatchObject({ code: 'payload_too_large' });
  });

  it("refuses to remove a receipt that is not the claim's own, and a file that is no receipt", async () => {
    const claim = await returned({ receipts: [receiptUpload('mine.png', png)] });
    const other = await as.alice.submitClaim(sampleClaim({ receipts: [receiptUpload('other.png', png)] }));
    const foreign = await apiFailure(
      as.alice.resubmit(claim.id, { version: 2, removeReceipts: [ids(other)[0]!] }),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ code: 'bad_request', issues: [{ path: 'removeReceipts.0' }] });
    expect(foreign.body.message).toContain(ids(other)[0]);
    const unknown = await apiFailure(
      as.alice.resubmit(claim.id, { version: 2, removeReceipts: ['RCT-999999'] }),
    );
    expect(unknown.body).toMatchObject({ code: 'bad_request', issues: [{ path: 'removeReceipts.0' }] });
    const html = receiptUpload('invoice.pdf', Buffer.from('<html><script>alert(1)</script></html>'));
    const notReceipt = await apiFailure(as.alice.resubmit(claim.id, { version: 2, receipts: [html] }));
    expect(notReceipt.body).toMatchObject({
      code: 'bad_request',
      issues: [{ path: 'receipts.0.contentBase64' }],
    });
    // The other claim still has its receipt; this one is untouched.
    expect((await as.alice.getClaim(other.id)).receiptCount).toBe(1);
    expect(await as.alice.getClaim(claim.id)).toMatchObject({
      state: 'returned',
      version: 2,
      receiptCount: 1,
    });
  });

  it('recomputes the policy flags: removing the last receipt above the threshold raises receipt_missing', async () => {
    // CNY 900.00 is above the demo threshold (CNY 800.00); with its receipt the claim is not flagged for it.
    const items = [{ description: 'Hotel two nights', amountMinor: 90_000 }];
    const claim = await returned({ items, totalMinor: 90_000, receipts: [receiptUpload('hotel.pdf', pdf)] });
    const codes = (c: ClaimDetail) => c.flags.map((flag) => flag.code);
    expect(codes(claim)).not.toContain('receipt_missing');
    const again = await as.alice.resubmit(claim.id, { version: 2, removeReceipts: ids(claim) });
    expect(codes(again)).toContain('receipt_missing');
    expect((await as.bob.queue()).claims.find((c) => c.id === claim.id)?.flags.map((f) => f.code)).toContain(
      'receipt_missing',
    );
    // Returned again and resubmitted with a receipt: the flag goes.
    await as.bob.returnClaim(claim.id, { version: 3, reason: 'Now the receipt is missing' });
    const fixed = await as.alice.resubmit(claim.id, {
      version: 4,
      receipts: [receiptUpload('hotel.pdf', pdf)],
    });
    expect(codes(fixed)).not.toContain('receipt_missing');
  });

  it('honours Idempotency-Key: a replay returns the first answer and stores nothing twice', async () => {
    const claim = await returned({ receipts: [receiptUpload('old.png', png)] });
    const request = { version: 2, removeReceipts: ids(claim), receipts: [receiptUpload('new.pdf', pdf)] };
    const first = await as.alice.resubmit(claim.id, request, { idempotencyKey: 'resubmit-receipts-1' });
    const replay = await as.alice.resubmit(claim.id, request, { idempotencyKey: 'resubmit-receipts-1' });
    expect(replay).toEqual(first);
    const now = await as.alice.getClaim(claim.id);
    expect(now).toMatchObject({ version: 3, receiptCount: 1 });
    expect(names(now)).toEqual(['new.pdf']);
    // The same key with other receipts is a different request.
    const other = { ...request, receipts: [receiptUpload('other.pdf', pdf)] };
    const reused = await apiFailure(
      as.alice.resubmit(claim.id, other, { idempotencyKey: 'resubmit-receipts-1' }),
    );
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('lets nobody but the submitter edit the receipts', async () => {
    const claim = await returned({ receipts: [receiptUpload('mine.png', png)] });
    const edits = { version: 2, removeReceipts: ids(claim), receipts: [receiptUpload('x.pdf', pdf)] };
    // Bob returned it and may see it: 403. Carol's step was never reached: she cannot see it at all.
    expect((await apiFailure(as.bob.resubmit(claim.id, edits))).status).toBe(403);
    expect((await apiFailure(as.carol.resubmit(claim.id, edits))).status).toBe(404);
    expect(await as.alice.getClaim(claim.id)).toMatchObject({ version: 2, receiptCount: 1 });
    expect(names(await as.alice.getClaim(claim.id))).toEqual(['mine.png']);
  });
});
