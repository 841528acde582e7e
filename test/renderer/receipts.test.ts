// Receipts in real Chromium on the preview harness (real core, real stub process): bob opens a claim
// alice submitted with a photo of a till slip and a PDF invoice, sees the thumbnail, enlarges it (click,
// and Enter from the keyboard), closes it with Esc and with Close (focus back on the thumbnail, the
// claim still open), and opens the PDF: main saves it to a private file and hands it to the (stand-in)
// system viewer, which records the path; the file is 0600 in a 0700 folder and holds the PDF's bytes.
// Nothing overlaps or is cut off at tray size, no CSP violation is reported, and the views are saved as
// screenshots at 420×640 and 1280×800, en and zh-CN, light and dark.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClaimDetail } from '../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from '../../server-stub/operator/receipt-files';
import { undoAfterAll } from '../support/cleanups';
import * as harness from '../support/renderer-harness';
import { type StubProcess, startStub } from '../support/stub-process';

const WAIT = { timeout: 15_000 };
const TRAY = { width: 420, height: 640 };
const WIDE = { width: 1280, height: 800 };
const pdf = receiptPdf(['INVOICE', 'Hotel Hangzhou, 2 nights', 'Total CNY 1,280.00']);

let stub: StubProcess;
let browser: Browser;
let claim: ClaimDetail;
const previews: Record<'en' | 'zh', harness.Preview> = {} as never;
const defer = undoAfterAll();

beforeAll(async () => {
  browser = await harness.launchBrowser();
  defer(() => browser.close());
  stub = defer.dispose(await startStub());
  const alice = await harness.signedInClient(stub.url, 'alice');
  claim = await alice.submitClaim(
    harness.claimRequest({
      title: 'Hotel in Hangzhou',
      receipts: [
        receiptUpload('taxi-slip.png', receiptPng(1)),
        receiptUpload('hotel-invoice-with-a-rather-long-file-name-from-the-booking-site.pdf', pdf),
      ],
    }),
  );
  previews.en = await harness.signedInPreview(browser, stub.url, 'bob');
  defer(() => previews.en.stop());
  previews.zh = await harness.signedInPreview(browser, stub.url, 'bob', { locale: 'zh-CN' });
  defer(() => previews.zh.stop());
}, 120_000);

const image = () => claim.receipts!.find((r) => r.mediaType === 'image/png')!;
const document = () => claim.receipts!.find((r) => r.mediaType === 'application/pdf')!;

/** A page on the claim, with every CSP violation the page reports collected. */
async function openClaim(
  preview: harness.Preview,
  viewport = TRAY,
  scheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; violations: string[] }> {
  const page = await harness.openPreview(browser, preview, viewport, scheme);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.locator(`#claim-row-${claim.id}`).click(WAIT);
  await expect.poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT).toBe(claim.title);
  // The thumbnail is shown once main has fetched and checked it.
  await page.locator(`[data-testid="receipt-thumb-${image().id}"] img`).waitFor(WAIT);
  await expect
    .poll(
      () =>
        page
          .locator(`[data-testid="receipt-thumb-${image().id}"] img`)
          .evaluate((img) => (img as { naturalWidth: number }).naturalWidth),
      WAIT,
    )
    .toBe(180);
  return { page, violations };
}

/** Everything in the Receipts section inside the window's width, nothing cut off, rows apart. */
async function expectTidyReceipts(page: Page, label: string): Promise<void> {
  const boxes = await page.evaluate(`(() => {
    const within = (el) => { const b = el.getBoundingClientRect(); return b.left >= 0 && b.right <= innerWidth + 0.5; };
    const parts = [...document.querySelectorAll('[data-testid="receipts"] li, [data-testid="receipts"] li > *')];
    const rows = [...document.querySelectorAll('.receipt-file')].map((row) => row.getBoundingClientRect());
    return {
      outside: parts.filter((el) => !within(el)).map((el) => el.className || el.tagName),
      clipped: [...document.querySelectorAll('.receipt-file, .receipt-file > button, .receipt-thumb')]
        .filter((el) => el.scrollWidth > el.clientWidth + 0.5 || el.scrollHeight > el.clientHeight + 0.5)
        .map((el) => el.className),
      overlapping: rows.some((row, i) => i > 0 && row.top < rows[i - 1].bottom - 0.5),
      pageScrollsSideways: document.documentElement.scrollWidth > innerWidth,
    };
  })()`);
  expect(boxes, label).toEqual({ outside: [], clipped: [], overlapping: false, pageScrollsSideways: false });
}

describe('receipts in the claim view', () => {
  it('bob: thumbnail, enlarge and close (mouse and keyboard), open the PDF in the system viewer', async () => {
    const { page, violations } = await openClaim(previews.en);
    try {
      const section = page.getByTestId('receipts');
      expect(await section.locator('h2').textContent()).toBe('Receipts');
      const file = page.getByTestId(`receipt-file-${document().id}`);
      expect(await file.locator('.receipt-file-name').textContent()).toBe(document().name);
      expect(await file.locator('.receipt-file-size').textContent()).toBe(`${pdf.length} B`);
      await section.scrollIntoViewIfNeeded();
      await expectTidyReceipts(page, 'tray');
      await harness.screenshot(page, 'receipts-claim-420-en-light');

      // Click: the viewer opens over the window, focus on Close, the picture within the window.
      const thumb = page.getByTestId(`receipt-thumb-${image().id}`);
      await thumb.click();
      const viewer = page.getByTestId('receipt-viewer');
      await viewer.waitFor(WAIT);
      expect(await page.evaluate('document.activeElement?.dataset.testid')).toBe('receipt-viewer-close');
      expect(await viewer.locator('h2').textContent()).toBe('taxi-slip.png');
      const box = (await page.getByTestId('receipt-viewer-image').boundingBox())!;
      // Enlarged: the viewer fills the window (more than the image's own 260 px), and stays inside it.
      expect(box.height).toBeGreaterThan(TRAY.height / 2);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(TRAY.width);
      expect(box.y + box.height).toBeLessThanOrEqual(TRAY.height);
      await harness.screenshot(page, 'receipts-viewer-420-en-light');

      // Esc closes the viewer only: the claim stays open, focus is back on the thumbnail.
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached', ...WAIT });
      expect(await page.getByTestId('claim-title').count()).toBe(1);
      expect(await page.evaluate('document.activeElement?.dataset.testid')).toBe(
        `receipt-thumb-${image().id}`,
      );

      // Keyboard: Enter on the focused thumbnail opens it; keys inside do not reach the claim (j would
      // go to the next claim); Close ends it.
      await page.keyboard.press('Enter');
      await viewer.waitFor(WAIT);
      await page.keyboard.press('j');
      expect(await page.getByTestId('claim-title').getAttribute('title')).toBe(claim.title);
      await page.getByTestId('receipt-viewer-close').click();
      await viewer.waitFor({ state: 'detached', ...WAIT });
      expect(await page.evaluate('document.activeElement?.dataset.testid')).toBe(
        `receipt-thumb-${image().id}`,
      );

      // The PDF is never rendered here: Open hands a private copy to the system viewer.
      await page.getByTestId(`receipt-open-${document().id}`).click();
      await expect
        .poll(() => file.getByRole('status').textContent(), WAIT)
        .toBe('Opened in your PDF viewer.');
      const { openedFiles } = await previews.en.support();
      expect(openedFiles).toHaveLength(1);
      const saved = openedFiles[0]!;
      expect(path.basename(saved)).toMatch(/^[0-9a-f]{32}\.pdf$/);
      expect(statSync(saved).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(saved)).mode & 0o777).toBe(0o700);
      expect(readFileSync(saved).equals(pdf)).toBe(true);
      // The page itself has no way to the PDF: no frame, object or link to it was ever made.
      expect(await page.locator('iframe, object, embed, a[href]').count()).toBe(0);
      await expectTidyReceipts(page, 'tray after open');
      await harness.screenshot(page, 'receipts-opened-420-en-light');
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('every size, language and scheme: tidy, and saved as screenshots', async () => {
    for (const [lang, preview] of [
      ['en', previews.en],
      ['zh', previews.zh],
    ] as const) {
      for (const [size, viewport] of [
        ['420', TRAY],
        ['1280', WIDE],
      ] as const) {
        for (const scheme of ['light', 'dark'] as const) {
          const tag = `${size}-${lang}-${scheme}`;
          const { page, violations } = await openClaim(preview, viewport, scheme);
          try {
            await page.getByTestId('receipts').scrollIntoViewIfNeeded();
            await expectTidyReceipts(page, tag);
            if (lang === 'zh')
              expect(await page.getByTestId('receipts').locator('h2').textContent()).toBe('票据');
            await harness.screenshot(page, `receipts-claim-${tag}`);
            await page.getByTestId(`receipt-thumb-${image().id}`).click();
            await page.getByTestId('receipt-viewer').waitFor(WAIT);
            await harness.screenshot(page, `receipts-viewer-${tag}`);
            await page.keyboard.press('Escape');
            expect(violations, tag).toEqual([]);
          } finally {
            await page.close();
          }
        }
      }
    }
  }, 180_000);
});
