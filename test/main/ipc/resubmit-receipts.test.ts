// "Add receipt" and "Remove" on the resubmit form, from the IPC boundary down: the IPC handlers (as
// main registers them) over a real core signed in to a real stub process. The page asks main to pick
// (no path from the page), main reads what the dialog answered, the page gets handles and facts but no
// bytes or paths, and a resubmission naming handles and receipt ids reaches the server as uploads and
// removals. Files that cannot be receipts, and handles main never gave, are refused without a request.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PickedReceiptSchema } from '../../../main/common/picked-receipt-schema';
import { createIpcHandlers, type IpcHandlers } from '../../../main/ipc/handlers';
import { type ApiClient, MAX_RECEIPT_BYTES, MAX_RECEIPTS_PER_CLAIM } from '../../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from '../../../server-stub/operator/receipt-files';
import { makeTempDir } from '../../support/core-fakes';
import { apiFor, signedInCore, type TestCore } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';

const png = receiptPng(4);
const pdf = receiptPdf(['INVOICE', 'Hotel Hangzhou', 'Total CNY 640.50']);

describe('resubmit receipts through IPC and a real core', () => {
  let stub: StubProcess;
  let alice: TestCore;
  let bobApi: ApiClient;
  let aliceApi: ApiClient;
  const folder = makeTempDir('signoff-pick-');
  /** What the stand-in for the native dialog answers next (the user's choice). */
  let chosen: string[] = [];
  let handlers: IpcHandlers;

  beforeAll(async () => {
    stub = await startStub();
    alice = await signedInCore(stub.url, 'alice');
    [aliceApi, bobApi] = await Promise.all([apiFor(stub.url, 'alice'), apiFor(stub.url, 'bob')]);
    handlers = createIpcHandlers(alice.core, {
      openExternal: async () => {},
      chooseReceiptFiles: async () => chosen,
    });
  });
  afterAll(async () => {
    await alice?.dispose();
    await stub?.dispose();
    folder.remove();
  });

  function file(name: string, bytes: Buffer | string): string {
    const at = path.join(folder.path, name);
    writeFileSync(at, bytes);
    return at;
  }

  async function pick(files: string[]) {
    chosen = files;
    const answer = await handlers['receipt:pick']({});
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value;
  }

  async function returnedClaim() {
    const claim = await aliceApi.submitClaim(
      sampleClaim({ receipts: [receiptUpload('wrong.png', png), receiptUpload('taxi.png', png)] }),
    );
    return bobApi.returnClaim(claim.id, { version: 1, reason: 'Wrong hotel receipt' });
  }

  it('picks files main reads itself and answers with handles, names, sniffed types and sizes only', async () => {
    const picked = await pick([file('hotel.pdf', pdf), file('photo.jpg', png)]);
    expect(picked).toEqual([
      {
        ok: true,
        id: expect.stringMatching(/^pick-[0-9a-f]{32}$/),
        name: 'hotel.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.length,
      },
      // Named .jpg, but its content is a PNG: the content decides.
      {
        ok: true,
        id: expect.stringMatching(/^pick-/),
        name: 'photo.jpg',
        mediaType: 'image/png',
        sizeBytes: png.length,
      },
    ]);
    // Nothing of the file's bytes or its path crosses to the page.
    const text = JSON.stringify(picked);
    expect(text).not.toContain(folder.path);
    expect(text).not.toContain(pdf.subarray(0, 8).toString('base64'));
    for (const item of picked) expect(PickedReceiptSchema.parse(item)).toEqual(item);
    // A name the protocol would refuse (a control character) is made into one it accepts.
    const [odd] = await pick([file('line\nbreak\u0007.png', png)]);
    expect(odd).toMatchObject({ ok: true, name: 'line_break_.png' });
  });

  it('says why a file cannot be a receipt: not one by content, too large, unreadable, one too many', async () => {
    mkdirSync(path.join(folder.path, 'a-folder'));
    // A FIFO would block a plain read for ever: it is no regular file, so it is not read at all.
    const fifo = path.join(folder.path, 'pipe.pdf');
    execFileSync('mkfifo', [fifo]);
    const big = Buffer.concat([png, Buffer.alloc(MAX_RECEIPT_BYTES + 1 - png.length)]);
    const picked = await pick([
      file('invoice.pdf', '<html><script>alert(1)</script></html>'),
      file('huge.png', big),
      path.join(folder.path, 'a-folder'),
      fifo,
      path.join(folder.path, 'missing.pdf'),
    ]);
    expect(picked.map((p) => (p.ok ? 'ok' : `${p.name}:${p.problem}`))).toEqual([
      'invoice.pdf:not-a-receipt',
      'huge.png:too-large',
      'a-folder:unreadable',
      'pipe.pdf:unreadable',
      'missing.pdf:unreadable',
    ]);
    const many = await pick(
      Array.from({ length: MAX_RECEIPTS_PER_CLAIM + 1 }, (_, i) => file(`r${i}.png`, png)),
    );
    expect(many.filter((p) => p.ok)).toHaveLength(MAX_RECEIPTS_PER_CLAIM);
    expect(many.at(-1)).toEqual({ ok: false, name: `r${MAX_RECEIPTS_PER_CLAIM}.png`, problem: 'too-many' });
  });

  it('resubmits with picked files added and receipts removed; the approver sees the new list', async () => {
    const claim = await returnedClaim();
    const [wrong, taxi] = claim.receipts!.map((r) => r.id);
    const [hotel] = await pick([file('hotel-invoice.pdf', pdf)]);
    if (!hotel?.ok) throw new Error('not picked');
    const answer = await handlers['claim:chain-change']({
      id: claim.id,
      version: claim.version,
      change: { kind: 'resubmit', addReceipts: [hotel.id], removeReceipts: [wrong] },
    });
    expect(answer.ok && answer.value.ok).toBe(true);
    const seen = await bobApi.getClaim(claim.id);
    expect(seen).toMatchObject({ state: 'pending', version: 3, receiptCount: 2 });
    expect(seen.receipts?.map((r) => [r.id === taxi ? 'kept' : 'added', r.name, r.mediaType])).toEqual([
      ['kept', 'taxi.png', 'image/png'],
      ['added', 'hotel-invoice.pdf', 'application/pdf'],
    ]);
    const bytes = await bobApi.getReceipt(claim.id, seen.receipts![1]!.id);
    expect(Buffer.from(bytes.bytes).equals(pdf)).toBe(true);
    // A handle is spent once sent: a second use is refused before any request.
    const again = await handlers['claim:chain-change']({
      id: claim.id,
      version: 3,
      change: { kind: 'resubmit', addReceipts: [hotel.id] },
    });
    expect(again.ok && again.value).toMatchObject({ ok: false, reason: 'invalid', message: /Add it again/ });
  });

  it('refuses a handle main never gave, a path in place of a handle, and says when the server refuses', async () => {
    const claim = await returnedClaim();
    const made = await handlers['claim:chain-change']({
      id: claim.id,
      version: claim.version,
      change: { kind: 'resubmit', addReceipts: [`pick-${'0'.repeat(32)}`] },
    });
    expect(made.ok && made.value).toMatchObject({ ok: false, reason: 'invalid' });
    const byPath = await handlers['claim:chain-change']({
      id: claim.id,
      version: claim.version,
      change: { kind: 'resubmit', addReceipts: [path.join(folder.path, 'hotel.pdf')] },
    });
    expect(byPath).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });
    // Another claim's receipt id: the server's 400, worded for the user.
    const other = await aliceApi.submitClaim(sampleClaim({ receipts: [receiptUpload('other.png', png)] }));
    const foreign = await handlers['claim:chain-change']({
      id: claim.id,
      version: claim.version,
      change: { kind: 'resubmit', removeReceipts: [other.receipts![0]!.id] },
    });
    expect(foreign.ok && foreign.value).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: /refused these receipts/,
    });
    expect(await aliceApi.getClaim(claim.id)).toMatchObject({
      state: 'returned',
      version: 2,
      receiptCount: 2,
    });
  });

  it('answers unavailable where no dialog exists', async () => {
    const bare = createIpcHandlers(alice.core, { openExternal: async () => {} });
    expect(await bare['receipt:pick']({})).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
    // The page cannot pass arguments (a path) to the pick.
    expect(await handlers['receipt:pick']({ path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request' },
    });
  });
});
