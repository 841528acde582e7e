// Receipts on the real stub: submitted with the claim in one transaction, typed by content (never by
// name), limited per file and per claim with the contract's 413/400 bodies, served with the claim's
// visibility and with headers that keep a browser from running or sniffing them, and kept across a
// kill -9.
import { describe, expect, it } from 'vitest';
import {
  API_PREFIX,
  base64Length,
  MAX_CLAIM_RECEIPT_BYTES,
  MAX_RECEIPT_BYTES,
  MAX_RECEIPTS_PER_CLAIM,
  MAX_SUBMIT_BODY_BYTES,
} from '../../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from '../../../server-stub/operator/receipt-files';
import { apiFailure, clientFor, clientsFor, rawRequest, sampleClaim } from '../../support/stub-fixtures';
import { stubsPerTest, useInProcessStub } from '../../support/use-stub';

const png = receiptPng(3);
const pdf = receiptPdf(['INVOICE', 'Hotel Hangzhou', 'Total CNY 640.50']);

/** A PNG padded (inside a tEXt-free tail after IEND, which readers ignore) to `size` bytes. */
function pngOfSize(size: number): Buffer {
  return Buffer.concat([png, Buffer.alloc(size - png.length)]);
}

describe('receipts on the stub', () => {
  const stub = useInProcessStub();

  it('stores receipts with the claim, typed by content, and lists them in the detail and the count in summaries', async () => {
    const alice = await clientFor(stub().url, 'alice');
    const claim = await alice.submitClaim(
      sampleClaim({
        receipts: [receiptUpload('taxi.png', png), receiptUpload('invoice.pdf', pdf)],
      }),
    );
    expect(claim.receiptCount).toBe(2);
    expect(claim.receipts).toEqual([
      {
        id: expect.stringMatching(/^RCT-\d{6}$/),
        name: 'taxi.png',
        mediaType: 'image/png',
        sizeBytes: png.length,
        width: 180,
        height: 260,
      },
      {
        id: expect.stringMatching(/^RCT-\d{6}$/),
        name: 'invoice.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.length,
        width: null,
        height: null,
      },
    ]);
    // The approver's queue and the submitter's list say how many, without the detail.
    const bob = await clientFor(stub().url, 'bob');
    expect((await bob.queue()).claims.find((c) => c.id === claim.id)?.receiptCount).toBe(2);
    expect((await alice.listClaims('mine')).claims.find((c) => c.id === claim.id)?.receiptCount).toBe(2);
    const plain = await alice.submitClaim(sampleClaim());
    expect(plain).toMatchObject({ receiptCount: 0, receipts: [] });

    const image = await bob.getReceipt(claim.id, claim.receipts![0]!.id);
    expect(image.mediaType).toBe('image/png');
    expect(Buffer.from(image.bytes).equals(png)).toBe(true);
    const document = await alice.getReceipt(claim.id, claim.receipts![1]!.id);
    expect(document.mediaType).toBe('application/pdf');
    expect(Buffer.from(document.bytes).equals(pdf)).toBe(true);
  });

  it('serves a receipt as a download that no browser runs or sniffs', async () => {
    const alice = await clientFor(stub().url, 'alice');
    const claim = await alice.submitClaim(
      sampleClaim({ receipts: [receiptUpload('Quittung "März" 收据.png', png)] }),
    );
    const response = await fetch(
      `${stub().url}${API_PREFIX}/claims/${claim.id}/receipts/${claim.receipts![0]!.id}`,
      {
        headers: { authorization: `Bearer ${alice.token}` },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Quittung _M_rz_ __.png"; filename*=UTF-8''${encodeURIComponent('Quittung "März" 收据.png')}`,
    );
    expect(Number(response.headers.get('content-length'))).toBe(png.length);
  });

  it('decides the type by content: a PNG named .pdf is a PNG; HTML named .jpg is refused and nothing is stored', async () => {
    const alice = await clientFor(stub().url, 'alice');
    const named = await alice.submitClaim(sampleClaim({ receipts: [receiptUpload('scan.pdf', png)] }));
    expect(named.receipts![0]).toMatchObject({ name: 'scan.pdf', mediaType: 'image/png' });
    const served = await fetch(
      `${stub().url}${API_PREFIX}/claims/${named.id}/receipts/${named.receipts![0]!.id}`,
      { headers: { authorization: `Bearer ${alice.token}` } },
    );
    expect(served.headers.get('content-type')).toBe('image/png');

    const before = (await alice.listClaims('mine')).claims.length;
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    const refused = await apiFailure(
      alice.submitClaim(
        sampleClaim({ receipts: [receiptUpload('photo.png', png), receiptUpload('receipt.jpg', html)] }),
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'bad_request',
      issues: [
        {
          path: 'receipts.1.contentBase64',
          message: expect.stringContaining('not a PNG, JPEG, WebP or PDF'),
        },
      ],
    });
    // SVG is an image to a browser and a script host too: not a receipt.
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(
      (await apiFailure(alice.submitClaim(sampleClaim({ receipts: [receiptUpload('r.png', svg)] })))).status,
    ).toBe(400);
    // The claim with a good and a bad receipt was not created at all.
    expect((await alice.listClaims('mine')).claims.length).toBe(before);
  });

  it('refuses a receipt over the per-file limit and receipts over the per-claim limit with 413', async () => {
    const alice = await clientFor(stub().url, 'alice');
    const tooBig = await apiFailure(
      alice.submitClaim(
        sampleClaim({ receipts: [receiptUpload('big.png', pngOfSize(MAX_RECEIPT_BYTES + 1))] }),
      ),
    );
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('"big.png"'),
    });
    expect(tooBig.body.issues).toBeUndefined();

    // Each at the limit is fine on its own; three of them and one more small one are more than one
    // claim may carry (by less than the body limit's slack, so the server's own check answers).
    const atLimit = receiptUpload('full.png', pngOfSize(MAX_RECEIPT_BYTES));
    const count = Math.floor(MAX_CLAIM_RECEIPT_BYTES / MAX_RECEIPT_BYTES);
    const tooMany = await apiFailure(
      alice.submitClaim(
        sampleClaim({
          receipts: [...Array.from({ length: count }, () => atLimit), receiptUpload('a.png', png)],
        }),
      ),
    );
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.message).toContain(`at most ${MAX_CLAIM_RECEIPT_BYTES} bytes`);

    const ok = await alice.submitClaim(sampleClaim({ receipts: [atLimit] }));
    expect(ok.receipts![0]!.sizeBytes).toBe(MAX_RECEIPT_BYTES);
  });

  it('refuses more receipts than a claim may carry, bad names and bad base64 with 400', async () => {
    const alice = await clientFor(stub().url, 'alice');
    const small = receiptUpload('a.png', png);
    const many = await apiFailure(
      alice.submitClaim(
        sampleClaim({ receipts: Array.from({ length: MAX_RECEIPTS_PER_CLAIM + 1 }, () => small) }),
      ),
    );
    expect(many.status).toBe(400);
    expect(many.body.issues?.[0]?.path).toBe('receipts');
    for (const name of ['../etc/passwd', 'a\u0000.png', '   ']) {
      const bad = await apiFailure(alice.submitClaim(sampleClaim({ receipts: [{ ...small, name }] })));
      expect(bad.status, name).toBe(400);
      expect(bad.body.issues?.[0]?.path, name).toBe('receipts.0.name');
    }
    const notBase64 = await apiFailure(
      alice.submitClaim(sampleClaim({ receipts: [{ name: 'a.png', contentBase64: 'not base64!' }] })),
    );
    expect(notBase64.body.issues?.[0]?.path).toBe('receipts.0.contentBase64');
  });

  it('has a raised body limit on POST /claims only', async () => {
    const alice = await clientFor(stub().url, 'alice');
    // Over the submit route's own limit: fastify's 413 in the contract's shape, before any parsing.
    const huge = JSON.stringify({
      ...sampleClaim(),
      receipts: [{ name: 'x.png', contentBase64: 'A'.repeat(MAX_SUBMIT_BODY_BYTES) }],
    });
    const submit = await rawRequest(stub().url, 'POST', '/claims', {
      token: alice.token,
      body: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(submit.status).toBe(413);
    expect(submit.json).toMatchObject({ code: 'payload_too_large' });
    // Every other route keeps the ordinary 64 KiB limit.
    const claim = await alice.submitClaim(sampleClaim());
    const approve = await rawRequest(stub().url, 'POST', `/claims/${claim.id}/withdraw`, {
      token: alice.token,
      body: JSON.stringify({ version: 1, comment: 'x'.repeat(base64Length(100_000)) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(approve.status).toBe(413);
  });

  it('serves receipts only to those who may see the claim: everyone else gets the same 404 as for nothing', async () => {
    const as = await clientsFor(stub().url, ['alice', 'bob', 'erin'] as const);
    const claim = await as.alice.submitClaim(sampleClaim({ receipts: [receiptUpload('slip.png', png)] }));
    const receiptId = claim.receipts![0]!.id;
    expect((await as.bob.getReceipt(claim.id, receiptId)).mediaType).toBe('image/png');

    const hidden = await apiFailure(as.erin.getReceipt(claim.id, receiptId));
    const ghost = await apiFailure(as.erin.getReceipt('EXP-999999', receiptId));
    expect([hidden.status, ghost.status]).toEqual([404, 404]);
    expect(hidden.body.code).toBe('not_found');
    expect(hidden.body.message).toBe(`no claim ${claim.id}`);
    // A receipt of another claim is not reachable through this one.
    const other = await as.alice.submitClaim(sampleClaim({ receipts: [receiptUpload('other.png', png)] }));
    const crossed = await apiFailure(as.bob.getReceipt(claim.id, other.receipts![0]!.id));
    expect(crossed.status).toBe(404);
    // Without a token: 401 before anything is looked up; a malformed id: 400.
    const anonymous = await rawRequest(stub().url, 'GET', `/claims/${claim.id}/receipts/${receiptId}`);
    expect(anonymous.status).toBe(401);
    const malformed = await apiFailure(as.alice.getReceipt(claim.id, 'a.b'));
    expect(malformed.status).toBe(400);
  });

  it('replays an idempotent submit with receipts without storing them twice', async () => {
    const alice = await clientFor(stub().url, 'alice');
    const request = sampleClaim({ receipts: [receiptUpload('slip.png', png)] });
    const first = await alice.submitClaim(request, { idempotencyKey: 'receipt-replay-1' });
    const again = await alice.submitClaim(request, { idempotencyKey: 'receipt-replay-1' });
    expect(again.id).toBe(first.id);
    expect(again.receipts).toEqual(first.receipts);
    expect((await alice.getClaim(first.id)).receipts).toHaveLength(1);
  });
});

describe('receipts across kill -9', () => {
  const stubs = stubsPerTest();

  it('keeps acknowledged receipts byte for byte', async () => {
    const stub = await stubs.process();
    const alice = await clientFor(stub.url, 'alice');
    const claim = await alice.submitClaim(
      sampleClaim({ receipts: [receiptUpload('slip.png', png), receiptUpload('invoice.pdf', pdf)] }),
    );
    await stub.kill9();
    await stub.restart();
    const after = await alice.getClaim(claim.id);
    expect(after.receipts).toEqual(claim.receipts);
    const bytes = await alice.getReceipt(claim.id, claim.receipts![1]!.id);
    expect(Buffer.from(bytes.bytes).equals(pdf)).toBe(true);
  });
});
