// The receipt channels end to end below the window: Electron's ipcMain (the fake's invoke half) with
// the real sender check, the real handlers and a real core signed in to a real stub, and the fake
// electron's shell.openPath behind the app's receipt-viewer adapter. Payloads are validated before the
// core sees them, only the app's page may call, and the page never gets a path or a PDF's bytes.
import { readFileSync, statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openInSystemViewer } from '../../../main/adapters/receipt-viewer';
import { createIpcHandlers } from '../../../main/ipc/handlers';
import { isTrustedSender, registerIpcHandlers } from '../../../main/ipc/register-electron';
import type { ClaimDetail } from '../../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from '../../../server-stub/operator/receipt-files';
import { apiFor, signedInCore, type TestCore } from '../../support/core-harness';
import { fake, ipcMain, shell } from '../../support/fake-electron';
import { sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const APP_PAGE = 'app://signoff/index.html';
const pdf = receiptPdf(['INVOICE', 'Total CNY 640.50']);

describe('receipt IPC channels', () => {
  const stub = useInProcessStub();
  let bob: TestCore;
  let claim: ClaimDetail;
  let unregister: () => void;

  beforeAll(async () => {
    const alice = await apiFor(stub().url, 'alice');
    claim = await alice.submitClaim(
      sampleClaim({
        receipts: [receiptUpload('slip.png', receiptPng(4)), receiptUpload('invoice.pdf', pdf)],
      }),
    );
    bob = await signedInCore(stub().url, 'bob');
    unregister = registerIpcHandlers(
      // The fake's events carry only senderFrame, all the sender check reads.
      ipcMain as unknown as Parameters<typeof registerIpcHandlers>[0],
      createIpcHandlers(bob.core, {
        openExternal: async () => {},
        openFile: (file) => openInSystemViewer(shell, file),
      }),
      (url) => isTrustedSender(url, APP_PAGE),
    );
  });
  afterEach(() => {
    fake.openedPaths.length = 0;
  });
  afterAll(async () => {
    unregister?.();
    await bob?.dispose();
  });

  const receipt = (i: number) => () => ({ claimId: claim.id, receiptId: claim.receipts![i]!.id });
  const image = receipt(0);
  const document = receipt(1);

  it('opens a PDF receipt through shell.openPath: a private 0600 file with its bytes; the page gets nothing', async () => {
    const answer = await ipcMain.invoke('receipt:open', document(), APP_PAGE);
    expect(answer).toEqual({ ok: true, value: null });
    expect(fake.openedPaths).toHaveLength(1);
    const file = fake.openedPaths[0]!;
    expect(file).toMatch(/signoff-receipts-[^/]+\/[0-9a-f]{32}\.pdf$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).equals(pdf)).toBe(true);
  });

  it('gives the page an image only as a data: URL of an image type, and refuses a PDF as an image', async () => {
    const answer = (await ipcMain.invoke('receipt:image', image(), APP_PAGE)) as {
      ok: true;
      value: { mediaType: string; dataUrl: string };
    };
    expect(answer.ok).toBe(true);
    expect(answer.value.mediaType).toBe('image/png');
    expect(answer.value.dataUrl).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(await ipcMain.invoke('receipt:image', document(), APP_PAGE)).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request', message: 'a application/pdf receipt is not an image' },
    });
  });

  it.each([
    ['a path as the receipt id', () => ({ claimId: claim.id, receiptId: '../../etc/passwd' })],
    ['a file path instead of ids', () => ({ path: '/etc/passwd' })],
    ['an extra field', () => ({ ...document(), path: '/tmp/x.pdf' })],
    ['no receipt id', () => ({ claimId: claim.id })],
    ['a number', () => ({ claimId: claim.id, receiptId: 7 })],
  ])('refuses %s before the core sees it', async (_what, payload) => {
    for (const channel of ['receipt:open', 'receipt:image']) {
      expect(await ipcMain.invoke(channel, payload(), APP_PAGE)).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request' },
      });
    }
    expect(fake.openedPaths).toEqual([]);
  });

  it.each(['https://evil.example/index.html', 'file:///tmp/index.html', 'app://other/index.html', null])(
    'refuses a call from %s',
    async (sender) => {
      for (const channel of ['receipt:open', 'receipt:image']) {
        expect(await ipcMain.invoke(channel, document(), sender)).toEqual({
          ok: false,
          error: { kind: 'untrusted-sender', message: 'This page may not talk to Signoff.' },
        });
      }
      expect(fake.openedPaths).toEqual([]);
    },
  );

  it('says a receipt of an unknown claim is not found, and opening is unavailable where there is no viewer', async () => {
    expect(
      await ipcMain.invoke('receipt:open', { claimId: 'EXP-999999', receiptId: 'RCT-000001' }, APP_PAGE),
    ).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    const noViewer = createIpcHandlers(bob.core, { openExternal: async () => {} });
    expect(await noViewer['receipt:open'](document())).toMatchObject({
      ok: false,
      error: { kind: 'unavailable' },
    });
  });
});
