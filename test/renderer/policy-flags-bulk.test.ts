// Policy flags and bulk approve end to end in real Chromium at tray size, on the preview harness (real
// core) against the real stub: a flagged claim shows its ⚑ badge in the queue and its flags in the
// claim; three clean claims are checked with mouse and keyboard (the flagged one cannot be) and
// approved in one action, each result shown, while the flagged claim stays in the queue. Then
// screenshots at 420×640 and 1280×800, en and zh-CN, light and dark.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimDetail } from '../../protocol';
import { undoAfterAll } from '../support/cleanups';
import { cleanClaim, weekendClaim } from '../support/policy-fixtures';
import * as harness from '../support/renderer-harness';
import { useStubProcess } from '../support/use-stub';

const WAIT = { timeout: 15_000 };
const TRAY = { width: 420, height: 640 };

const stub = useStubProcess();
let browser: Browser;
let preview: harness.Preview;
let alice: ApiClient;
let clean: ClaimDetail[];
let flagged: ClaimDetail;

const defer = undoAfterAll();

beforeAll(async () => {
  browser = await harness.launchBrowser();
  defer(() => browser.close());
  alice = await harness.signedInClient(stub().url, 'alice');
  const first = await alice.submitClaim(cleanClaim('Lunch with Acme'));
  // Over the meals limit, above the receipt threshold without one, on a Saturday: three flags.
  flagged = await alice.submitClaim(weekendClaim('Saturday banquet', 160_000));
  const rest = [
    await alice.submitClaim(cleanClaim('Coffee with a reseller')),
    await alice.submitClaim(cleanClaim('Team lunch')),
  ];
  clean = [first, ...rest];
  preview = await harness.signedInPreview(browser, stub().url, 'bob');
  defer(() => preview.stop());
}, 120_000);

async function openWindow(viewport = TRAY, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await harness.openPreview(browser, preview, viewport, scheme);
  await page.locator('.header').waitFor(WAIT);
  return page;
}

const row = (page: Page, id: string) => page.locator(`#claim-row-${id}`);

async function expectTidyRows(page: Page, label: string): Promise<void> {
  for (const box of await harness.rowBoxes(page)) {
    expect(box, `${label} ${box.id}`).toMatchObject({ clipsY: false, clipsX: false, linesClip: false });
  }
}

describe('policy flags and bulk approve in the window', () => {
  it('shows the flags, bulk-approves three clean claims and keeps the flagged one', async () => {
    expect(flagged.flags.map((flag) => flag.code)).toEqual([
      'over_category_limit',
      'weekend_expense',
      'receipt_missing',
    ]);
    const page = await openWindow();
    try {
      for (const claim of [...clean, flagged]) await row(page, claim.id).waitFor(WAIT);

      // The row: a ⚑ 3 badge whose accessible text lists every flag; clean rows have none.
      const badge = row(page, flagged.id).getByTestId('policy-flag-badge');
      expect(await badge.locator('[aria-hidden="true"]').textContent()).toBe('⚑ 3');
      const label = await badge.locator('.visually-hidden').textContent();
      expect(label).toMatch(
        /^3 policy flags: Over the category limit of .*1,500\.00; Expense on a weekend \(Saturday\); No receipt; one is required above .*800\.00$/,
      );
      expect(await badge.getAttribute('title')).toBe(label);
      for (const claim of clean)
        expect(await row(page, claim.id).getByTestId('policy-flag-badge').count()).toBe(0);
      await harness.screenshot(page, 'policy-flags-queue-en-light-420');

      // The claim: the flags listed with their texts, above the decision.
      await row(page, flagged.id).click(WAIT);
      const flags = page.getByTestId('claim-flags');
      await flags.waitFor(WAIT);
      expect(await flags.locator('li').allTextContents()).toEqual([
        expect.stringMatching(/^⚑ Over the category limit of .*1,500\.00$/),
        '⚑ Expense on a weekend (Saturday)',
        expect.stringMatching(/^⚑ No receipt; one is required above .*800\.00$/),
      ]);
      expect(await flags.getAttribute('aria-label')).toBe('Policy flags');
      await harness.screenshot(page, 'policy-flags-claim-en-light-420');
      await page.keyboard.press('Escape');
      await page.getByTestId('queue-list').waitFor(WAIT);

      // Check with the mouse: the first clean claim; the flagged one's box cannot be checked.
      await row(page, clean[0]!.id).getByTestId('row-check').click(WAIT);
      expect(await row(page, clean[0]!.id).getAttribute('aria-checked')).toBe('true');
      expect(await row(page, flagged.id).getByTestId('row-check').isDisabled()).toBe(true);
      expect(await row(page, flagged.id).getByTestId('row-check').getAttribute('title')).toMatch(
        /policy flags/,
      );
      // The claim did not open: the box is not the row.
      expect(await page.getByTestId('claim-title').count()).toBe(0);

      // Check with the keyboard: Space on the flagged row does nothing, Space and x on the others.
      await page.getByTestId('queue-list').focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('j');
      expect(await row(page, flagged.id).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press(' ');
      expect(await row(page, flagged.id).getAttribute('aria-checked')).toBeNull();
      await page.keyboard.press('j');
      await page.keyboard.press(' ');
      await page.keyboard.press('j');
      await page.keyboard.press('x');
      for (const claim of clean) expect(await row(page, claim.id).getAttribute('aria-checked')).toBe('true');
      expect(await page.getByTestId('bulk-count').textContent()).toBe('3 selected');
      expect(await page.getByTestId('bulk-approve').textContent()).toBe('Approve 3 claims');
      // x again unchecks, and checks once more: a toggle.
      await page.keyboard.press('x');
      expect(await page.getByTestId('bulk-count').textContent()).toBe('2 selected');
      await page.keyboard.press('x');
      await page.getByTestId('bulk-comment').fill('Approved together');
      await harness.screenshot(page, 'bulk-selected-en-light-420');

      await page.getByTestId('bulk-approve').click(WAIT);
      const results = page.getByTestId('bulk-results');
      await results.waitFor(WAIT);
      expect(await results.locator('#bulk-results-title').textContent()).toBe('3 of 3 approved');
      const shown = await page
        .getByTestId('bulk-result')
        .evaluateAll((items) =>
          items.map((item) => ({ id: item.getAttribute('data-claim-id'), text: item.textContent })),
        );
      expect(shown).toEqual(
        clean.map((claim) => ({
          id: claim.id,
          text: expect.stringMatching(new RegExp(`^Approved${claim.id}`)),
        })),
      );
      // The queue keeps only the flagged claim; the server has each clean one approved once by bob.
      await expect.poll(() => page.locator('[role="option"]').count(), WAIT).toBe(1);
      await row(page, flagged.id).waitFor(WAIT);
      await harness.screenshot(page, 'bulk-results-en-light-420');
      for (const claim of clean) {
        const detail = await alice.getClaim(claim.id);
        expect(detail.audit.filter((entry) => entry.action === 'approved')).toMatchObject([
          { actor: { id: 'bob' }, comment: 'Approved together' },
        ]);
      }
      expect((await alice.getClaim(flagged.id)).version).toBe(flagged.version);
      await page.getByTestId('bulk-dismiss').click();
      expect(await page.getByTestId('bulk-results').count()).toBe(0);
    } finally {
      await page.close();
    }
  }, 120_000);
});

describe('screenshots at both sizes, both languages, light and dark', () => {
  for (const locale of ['en', 'zh-CN'] as const) {
    it(`in ${locale}`, async () => {
      // Two clean claims beside the flagged one, so the bar has something to select.
      const extra = await Promise.all(
        ['Taxi to the fair', 'Printer paper'].map((title) =>
          alice.submitClaim(cleanClaim(`${title} (${locale})`)),
        ),
      );
      try {
        await harness.inEachLook(browser, preview, locale, async (page, { scheme, size }) => {
          for (const claim of extra) await row(page, claim.id).waitFor(WAIT);
          await page.getByTestId('bulk-select-all').click(WAIT);
          expect(await page.getByTestId('bulk-count').textContent()).toBe(
            locale === 'en' ? '2 selected' : '已选 2 笔',
          );
          if (size === '420') await expectTidyRows(page, `${locale} ${scheme}`);
          await harness.screenshot(page, `bulk-selected-${locale}-${scheme}-${size}`);
          await row(page, flagged.id).click(WAIT);
          await page.getByTestId('claim-flags').waitFor(WAIT);
          if (locale === 'zh-CN') {
            expect(await page.getByTestId('claim-flags').locator('li').nth(1).textContent()).toBe(
              '⚑ 费用发生在周末（星期六）',
            );
          }
          await harness.screenshot(page, `policy-flags-claim-${locale}-${scheme}-${size}`);
        });
      } finally {
        for (const claim of extra) {
          const now = await alice.getClaim(claim.id);
          if (now.state === 'pending') await alice.withdraw(claim.id, { version: now.version });
        }
      }
    }, 120_000);
  }
});
