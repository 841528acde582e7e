// Transfer (转交), add approver (加签), return for revision (退回) and resubmit, walked end to end in real
// Chromium at tray size on the preview harness (real core, real stub process): a transferred claim
// leaves bob's queue and arrives in erin's window; an approver added before bob shows up live in the
// chain of the submitter's open window; a return with its reason reaches the submitter, who edits and
// resubmits — removing one receipt and adding one through main's open-file dialog — and the chain starts
// again, the approver seeing the new receipts. Then the confirmations and the resubmit form are saved as
// screenshots at 420×640 and 1280×800, en and zh-CN, light and dark, and checked for clipping.
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from '../../server-stub/operator/receipt-files';
import { undoAfterAll } from '../support/cleanups';
import * as harness from '../support/renderer-harness';
import { tempDir } from '../support/stub-fixtures';
import { type StubProcess, startStub } from '../support/stub-process';

const WAIT = { timeout: 15_000 };
const TRAY = { width: 420, height: 640 };
const WIDE = { width: 1280, height: 800 };
type User = 'alice' | 'bob' | 'erin';

let stub: StubProcess;
let browser: Browser;
const previews = new Map<User, harness.Preview>();
const api: Record<string, ApiClient> = {};
const defer = undoAfterAll();
/** Files "on the user's disk" for the stand-in open-file dialog to answer with. */
const disk = tempDir('signoff-resubmit-files-');
const invoice = disk.file('hotel-invoice.pdf');
const notes = disk.file('notes.txt');
writeFileSync(invoice, receiptPdf(['INVOICE', 'Hotel Hangzhou, 2 nights', 'Total CNY 600.50']));
writeFileSync(notes, 'not a receipt');
/** A returned claim's receipts as submitted: one to remove, one to keep. */
const submittedReceipts = () => [
  receiptUpload('wrong-hotel.png', receiptPng(2)),
  receiptUpload('taxi.png', receiptPng(6)),
];

beforeAll(async () => {
  [stub, browser] = await Promise.all([startStub(), harness.launchBrowser()]);
  defer.dispose(stub);
  defer(() => browser.close());
  defer(() => disk.remove());
  for (const user of ['alice', 'bob', 'erin', 'frank'])
    api[user] = await harness.signedInClient(stub.url, user);
  for (const user of ['alice', 'bob', 'erin'] as const) {
    const preview = await harness.signedInPreview(browser, stub.url, user);
    defer(() => preview.stop());
    previews.set(user, preview);
  }
}, 120_000);

async function openWindow(user: User, viewport = TRAY, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await harness.openPreview(browser, previews.get(user)!, viewport, scheme);
  await page.locator('.header').waitFor(WAIT);
  return page;
}

async function openFromQueue(page: Page, id: string): Promise<void> {
  await page.getByTestId('tab-queue').click();
  await page.locator(`#claim-row-${id}`).click(WAIT);
  await page.getByTestId('claim-title').waitFor(WAIT);
}

async function openFromMine(page: Page, id: string): Promise<void> {
  await page.getByTestId('tab-mine').click();
  await page.locator(`#mine-row-${id}`).click(WAIT);
  await page.getByTestId('claim-title').waitFor(WAIT);
}

const chainKinds = (page: Page) =>
  page.locator('[data-testid="chain"] .chain-kind').evaluateAll((spans) => spans.map((s) => s.textContent));

describe('transfer, add approver, return and resubmit in the window', () => {
  it('bob transfers a claim to erin: it leaves his queue and arrives in her window', async () => {
    const claim = await api.alice!.submitClaim(harness.claimRequest({ title: 'Transfer me' }));
    const [bob, erin] = await Promise.all([openWindow('bob'), openWindow('erin')]);
    try {
      await openFromQueue(bob, claim.id);
      await bob.getByTestId('start-transfer').click();
      expect(await bob.getByTestId('chain-confirm-question').textContent()).toBe(
        `Transfer ${claim.id} — CN¥640.50 from Alice Zhang?`,
      );
      // Only the people the server would accept: not alice (submitter), not carol/dave/grace (in chain).
      // The list is fetched when the form opens (GET /users?eligibleFor=): wait for it, not for the form.
      const offered = () => bob.locator('[data-testid="chain-person"] option').allTextContents();
      await expect.poll(offered, WAIT).toEqual(['Choose someone', 'Erin Zhao', 'Frank Sun', 'Heidi Xu']);
      expect(await bob.getByTestId('chain-submit').isDisabled()).toBe(true);
      await bob.getByTestId('chain-person').selectOption('erin');
      await bob.getByTestId('chain-comment').fill('Erin ran this visit');
      expect(await bob.getByTestId('chain-submit').textContent()).toBe('Transfer to Erin Zhao');
      await bob.getByTestId('chain-submit').click();
      await expect.poll(() => bob.locator(`#claim-row-${claim.id}`).count(), WAIT).toBe(0);
      await bob.getByText(`Transferred ${claim.id} to Erin Zhao.`).waitFor(WAIT);

      await erin.locator(`#claim-row-${claim.id}`).waitFor(WAIT);
      await openFromQueue(erin, claim.id);
      await erin.getByTestId('approve').waitFor(WAIT);
      expect(await erin.getByTestId('chain-origin').first().textContent()).toBe('transferred from Bob Li');
      expect(await erin.getByTestId('audit').textContent()).toContain('Bob Li transferred it to Erin Zhao');
    } finally {
      await Promise.all([bob.close(), erin.close()]);
    }
  }, 120_000);

  it('bob adds frank before himself: the submitter’s open claim shows the new step live', async () => {
    const claim = await api.alice!.submitClaim(harness.claimRequest({ title: 'Add an approver' }));
    const [bob, alice] = await Promise.all([openWindow('bob'), openWindow('alice')]);
    try {
      await openFromMine(alice, claim.id);
      expect(await chainKinds(alice)).toEqual(['Supervisor', 'Department manager', 'Finance']);

      await openFromQueue(bob, claim.id);
      await bob.getByTestId('start-add-approver').click();
      await bob.getByTestId('chain-person').selectOption('frank');
      await bob.getByTestId('position-before').check();
      await bob.getByTestId('chain-submit').click();
      await expect.poll(() => bob.locator(`#claim-row-${claim.id}`).count(), WAIT).toBe(0);

      // Alice did nothing: her window re-reads the claim when the stream says it changed.
      await expect
        .poll(() => chainKinds(alice), WAIT)
        .toEqual(['Added approver', 'Supervisor', 'Department manager', 'Finance']);
      expect(await alice.getByTestId('chain-origin').first().textContent()).toBe('added by Bob Li');
      expect(await alice.locator('[aria-current="step"] .chain-who').textContent()).toBe('Frank Sun');

      // Frank approves (from elsewhere): it comes back to bob's queue.
      await api.frank!.approve(claim.id, { version: 2 });
      await bob.getByTestId('tab-queue').click();
      await bob.locator(`#claim-row-${claim.id}`).waitFor(WAIT);
    } finally {
      await Promise.all([bob.close(), alice.close()]);
    }
  }, 120_000);

  it('bob returns a claim with a reason; alice edits it, swaps a receipt and resubmits; the chain starts again', async () => {
    const claim = await api.alice!.submitClaim(
      harness.claimRequest({ title: 'Return me', receipts: submittedReceipts() }),
    );
    const [bob, alice] = await Promise.all([openWindow('bob'), openWindow('alice')]);
    try {
      await openFromQueue(bob, claim.id);
      await bob.getByTestId('start-return').click();
      expect(await bob.getByTestId('chain-confirm-question').textContent()).toBe(
        `Return ${claim.id} — CN¥640.50 to Alice Zhang for revision?`,
      );
      await bob.getByTestId('chain-submit').click();
      expect(await bob.locator('#chain-reason-error').textContent()).toBe(
        'A reason is required to return a claim.',
      );
      await bob.getByTestId('chain-reason').fill('Split the hotel bill per night');
      await bob.getByTestId('chain-submit').click();
      await expect.poll(() => bob.locator(`#claim-row-${claim.id}`).count(), WAIT).toBe(0);

      await alice.getByTestId('tab-mine').click();
      const row = alice.locator(`#mine-row-${claim.id}`);
      await expect.poll(() => row.getByTestId('row-state').textContent(), WAIT).toBe('Returned for revision');
      await openFromMine(alice, claim.id);
      expect(await alice.getByTestId('returned-reason').textContent()).toBe(
        'Returned by Bob Li: Split the hotel bill per night',
      );
      await alice.getByTestId('start-resubmit').click();
      await alice.getByTestId('resubmit-title').fill('Return me (hotel split)');
      const amounts = alice.getByTestId('item-amount');
      await amounts.nth(0).fill('abc');
      await alice.getByTestId('confirm-resubmit').click();
      await alice.getByTestId('item-error').waitFor(WAIT);
      await amounts.nth(0).fill('300');
      await alice.getByTestId('add-item').click();
      await alice.getByTestId('item-description').last().fill('Hotel, night 2');
      await amounts.last().fill('300.50');

      // Receipts: the two as submitted, each removable; the wrong one goes.
      const receiptNames = () => alice.getByTestId('resubmit-receipt-name').allTextContents();
      expect(await receiptNames()).toEqual(['wrong-hotel.png', 'taxi.png']);
      await alice.getByRole('button', { name: 'Remove receipt wrong-hotel.png' }).click();
      expect(await receiptNames()).toEqual(['taxi.png']);
      // Add receipt…: main opens its dialog; the user picks the invoice and a text file by mistake.
      const dialogsBefore = (await previews.get('alice')!.support()).fileDialogs;
      await previews.get('alice')!.answerFileDialog([invoice, notes]);
      await alice.getByTestId('add-receipt').click();
      await expect.poll(receiptNames, WAIT).toEqual(['taxi.png', 'hotel-invoice.pdf']);
      expect(await alice.getByTestId('receipt-problems').textContent()).toBe(
        'notes.txt is not a PNG, JPEG, WebP or PDF file.',
      );
      expect((await previews.get('alice')!.support()).fileDialogs).toBe(dialogsBefore + 1);
      expect(await alice.getByTestId('resubmit-receipt').last().textContent()).toContain('New');
      await alice.getByTestId('confirm-resubmit').click();
      await alice.getByText(`Resubmitted ${claim.id}.`).waitFor(WAIT);

      const after = await api.alice!.getClaim(claim.id);
      expect(after).toMatchObject({ state: 'pending', title: 'Return me (hotel split)', version: 3 });
      expect(after.chain.map((step) => step.status)).toEqual(['current', 'waiting', 'waiting']);
      expect(after.items.at(-1)).toEqual({ description: 'Hotel, night 2', amountMinor: 30_050 });
      expect(after.receipts?.map((r) => [r.name, r.mediaType])).toEqual([
        ['taxi.png', 'image/png'],
        ['hotel-invoice.pdf', 'application/pdf'],
      ]);
      // Back at the first step: in bob's queue again, with the new receipts.
      await bob.getByTestId('tab-queue').click();
      await bob.locator(`#claim-row-${claim.id}`).waitFor(WAIT);
      await openFromQueue(bob, claim.id);
      const receipts = bob.getByTestId('receipts');
      await receipts.getByRole('button', { name: 'Enlarge receipt taxi.png' }).waitFor(WAIT);
      expect(await receipts.getByRole('button', { name: /^Enlarge receipt/ }).count()).toBe(1);
      const pdfRow = bob.getByTestId(`receipt-file-${after.receipts![1]!.id}`);
      expect(await pdfRow.locator('.receipt-file-name').textContent()).toBe('hotel-invoice.pdf');
      expect(await receipts.textContent()).not.toContain('wrong-hotel.png');
      await receipts.scrollIntoViewIfNeeded();
      await harness.screenshot(bob, 'chain-resubmitted-receipts-en-light-420');
    } finally {
      await Promise.all([bob.close(), alice.close()]);
    }
  }, 180_000);
});

describe('screenshots at both sizes, both languages, light and dark', () => {
  it.each(['en', 'zh-CN'] as const)(
    '%s',
    async (locale) => {
      // A claim at bob with erin added after him (the chain shows an added step), and a returned one.
      const pending = await api.alice!.submitClaim(harness.claimRequest({ title: 'Shanghai partner visit' }));
      await api.bob!.addApprover(pending.id, { version: 1, user: 'erin', position: 'after' });
      const returned = await api.alice!.submitClaim(
        harness.claimRequest({ title: 'Hotel in Hangzhou', receipts: submittedReceipts() }),
      );
      await api.bob!.returnClaim(returned.id, { version: 1, reason: 'Split the hotel bill per night' });
      for (const scheme of ['light', 'dark'] as const) {
        for (const [size, viewport] of [
          ['420', TRAY],
          ['1280', WIDE],
        ] as const) {
          const bob = await openWindow('bob', viewport, scheme);
          const alice = await openWindow('alice', viewport, scheme);
          try {
            for (const page of [bob, alice]) {
              await page.evaluate(`window.signoff.updateSettings({ locale: '${locale}' })`);
              await expect.poll(() => page.evaluate('document.documentElement.lang'), WAIT).toBe(locale);
            }
            await openFromQueue(bob, pending.id);
            for (const mode of ['transfer', 'add-approver', 'return'] as const) {
              await bob.getByTestId(`start-${mode}`).click();
              if (mode !== 'return') await bob.getByTestId('chain-person').waitFor(WAIT);
              await expectFits(bob, '[data-testid="chain-confirm"]', `${mode} ${locale} ${scheme} ${size}`);
              await harness.screenshot(bob, `chain-${mode}-${locale}-${scheme}-${size}`);
              await bob.getByTestId('chain-cancel').click();
            }
            await openFromMine(alice, returned.id);
            await alice.getByTestId('start-resubmit').click();
            await alice.getByTestId('resubmit-form').waitFor(WAIT);
            // One file picked (shown as New) and one refused, as the form looks mid-edit.
            await previews.get('alice')!.answerFileDialog([invoice, notes]);
            await alice.getByTestId('add-receipt').click();
            await alice.getByTestId('receipt-problems').waitFor(WAIT);
            await alice.getByTestId('receipt-problems').scrollIntoViewIfNeeded();
            await expectFits(alice, '[data-testid="resubmit-form"]', `resubmit ${locale} ${scheme} ${size}`);
            await harness.screenshot(alice, `chain-resubmit-${locale}-${scheme}-${size}`);
          } finally {
            for (const page of [bob, alice]) {
              await page.evaluate(`window.signoff.updateSettings({ locale: null })`).catch(() => {});
              await page.close();
            }
          }
        }
      }
    },
    240_000,
  );
});

/** Nothing wider than the window, and every control of the form inside its own box (no clipping). */
async function expectFits(page: Page, selector: string, label: string): Promise<void> {
  expect(await page.evaluate('document.documentElement.scrollWidth > innerWidth'), label).toBe(false);
  const clipped = await page.locator(selector).evaluate((form) => {
    const box = form.getBoundingClientRect();
    return [...form.querySelectorAll('button, select, input, textarea, h2, legend, label')]
      .filter((element) => {
        const r = element.getBoundingClientRect();
        return (
          r.left < box.left - 0.5 ||
          r.right > box.right + 0.5 ||
          element.scrollWidth > element.clientWidth + 1
        );
      })
      .map((element) => element.outerHTML.slice(0, 80));
  });
  expect(clipped, label).toEqual([]);
}
