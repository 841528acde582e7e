// Nudge (催办) end to end in real Chromium on the preview harness (real core, real stub whose nudge
// threshold is 0): alice nudges from My claims at tray size, with a confirmation, and the button then
// says from when the next nudge is allowed; bob's queue row shows "Nudged" live. Screenshots at
// 420×640 and 1280×800, en and zh-CN, light and dark.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimDetail } from '../../protocol';
import { undoAfterAll } from '../support/cleanups';
import * as harness from '../support/renderer-harness';
import { type StubProcess, startStub } from '../support/stub-process';

const WAIT = { timeout: 15_000 };
const TRAY = { width: 420, height: 640 };
const WIDE = { width: 1280, height: 800 };

let stub: StubProcess;
let browser: Browser;
const previews = new Map<'alice' | 'bob', harness.Preview>();
let alice: ApiClient;
/** Nudged through the API before the walk (an older nudge), and the one alice nudges in the window. */
let older: ClaimDetail;
let fresh: ClaimDetail;

const defer = undoAfterAll();

beforeAll(async () => {
  [stub, browser] = await Promise.all([
    startStub({ args: ['--nudge-after-seconds', '0'] }),
    harness.launchBrowser(),
  ]);
  defer.dispose(stub);
  defer(() => browser.close());
  alice = await harness.signedInClient(stub.url, 'alice');
  older = await alice.submitClaim(harness.claimRequest({ title: 'Conference in Chengdu' }));
  await alice.nudge(older.id);
  fresh = await alice.submitClaim(harness.claimRequest({ title: 'Hotel in Hangzhou', totalMinor: 64_050 }));
  for (const user of ['alice', 'bob'] as const) {
    const preview = await harness.signedInPreview(browser, stub.url, user);
    defer(() => preview.stop());
    previews.set(user, preview);
  }
}, 120_000);

async function openWindow(user: 'alice' | 'bob', viewport = TRAY, scheme: 'light' | 'dark' = 'light') {
  const page = await harness.openPreview(browser, previews.get(user)!, viewport, scheme);
  await page.locator('.header').waitFor(WAIT);
  return page;
}

const queueRow = (page: Page, id: string) => page.locator(`#claim-row-${id}`);
const mineRow = (page: Page, id: string) => page.locator(`#mine-row-${id}`);
/** The marker's visible word (screen readers get the long form beside it). */
const marker = (page: Page, id: string) =>
  queueRow(page, id).getByTestId('row-nudged').locator('[aria-hidden="true"]').textContent();

describe('nudge walk at tray size', () => {
  it('alice nudges from My claims; bob’s queue row shows Nudged', async () => {
    const bobPage = await openWindow('bob');
    const alicePage = await openWindow('alice');
    try {
      // Bob: the older nudge is marked, the fresh claim not yet.
      await queueRow(bobPage, fresh.id).waitFor(WAIT);
      expect(await marker(bobPage, older.id)).toBe('Nudged');
      expect(await queueRow(bobPage, fresh.id).getByTestId('row-nudged').count()).toBe(0);

      // Alice: My claims, newest first and selected: the fresh claim may be nudged.
      await alicePage.getByTestId('tab-mine').click();
      await mineRow(alicePage, fresh.id).waitFor(WAIT);
      expect(await mineRow(alicePage, fresh.id).getAttribute('aria-selected')).toBe('true');
      expect(await mineRow(alicePage, older.id).getByTestId('row-nudged').textContent()).toMatch(/^Nudged /);
      const button = alicePage.getByTestId('nudge');
      expect(await button.textContent()).toBe(`Nudge approvers of ${fresh.id}`);
      expect(await button.isEnabled()).toBe(true);
      await harness.screenshot(alicePage, 'nudge-mine-before-en-light-420');

      // It asks first; Cancel sends nothing.
      await button.click();
      const confirmation = alicePage.getByTestId('nudge-confirmation');
      expect(await confirmation.locator('h2').textContent()).toBe(`Remind Bob Li about ${fresh.id}?`);
      await alicePage.getByTestId('nudge-cancel').click();
      expect(await confirmation.count()).toBe(0);
      expect((await alice.getClaim(fresh.id)).lastNudgedAt).toBeNull();

      await button.click();
      await harness.screenshot(alicePage, 'nudge-mine-confirm-en-light-420');
      await alicePage.getByTestId('nudge-send').click();
      await expect
        .poll(() => alicePage.getByTestId('nudge-outcome').textContent(), WAIT)
        .toBe('Nudged Bob Li.');
      // The row says so and the button now says from when the next nudge is allowed (in 24 h).
      await expect.poll(() => mineRow(alicePage, fresh.id).getByTestId('row-nudged').count(), WAIT).toBe(1);
      expect(await alicePage.getByTestId('nudge').isDisabled()).toBe(true);
      expect(await alicePage.getByTestId('nudge-why').textContent()).toMatch(/^You can nudge from /);
      expect((await alice.getClaim(fresh.id)).audit.at(-1)).toMatchObject({ action: 'nudged' });
      await harness.screenshot(alicePage, 'nudge-mine-after-en-light-420');

      // Bob's row gains the marker live, with its time in the tooltip.
      await expect.poll(() => queueRow(bobPage, fresh.id).getByTestId('row-nudged').count(), WAIT).toBe(1);
      expect(await queueRow(bobPage, fresh.id).getByTestId('row-nudged').getAttribute('title')).toMatch(
        /^Nudged .+\(.+\)$/,
      );
      await harness.screenshot(bobPage, 'nudge-queue-en-light-420');

      // The older claim, selected with the list keys: disabled, with the reason.
      await alicePage.getByTestId('claim-list').focus();
      await alicePage.keyboard.press('j');
      expect(await mineRow(alicePage, older.id).getAttribute('aria-selected')).toBe('true');
      expect(await alicePage.getByTestId('nudge').textContent()).toBe(`Nudge approvers of ${older.id}`);
      expect(await alicePage.getByTestId('nudge').isDisabled()).toBe(true);
      // The outcome of the other claim's nudge goes with the selection (after its render).
      await expect.poll(() => alicePage.getByTestId('nudge-outcome').count(), WAIT).toBe(0);
    } finally {
      await alicePage.close();
      await bobPage.close();
    }
  }, 120_000);
});

/** Every user × colour scheme × window size, flat. */
const LOOKS = (['alice', 'bob'] as const).flatMap((user) =>
  (['light', 'dark'] as const).flatMap((scheme) =>
    ([TRAY, WIDE] as const).map((viewport) => ({ user, scheme, viewport })),
  ),
);

describe('screenshots at both sizes, both languages, light and dark', () => {
  it.each(['en', 'zh-CN'] as const)(
    '%s',
    async (locale) => {
      for (const { user, scheme, viewport } of LOOKS) {
        const page = await openWindow(user, viewport, scheme);
        try {
          await page.evaluate(`window.signoff.updateSettings({ locale: '${locale}' })`);
          await expect.poll(() => page.evaluate('document.documentElement.lang'), WAIT).toBe(locale);
          if (user === 'alice') {
            await page.getByTestId('tab-mine').click();
            await page.getByTestId('nudge-bar').waitFor(WAIT);
          } else {
            await queueRow(page, fresh.id).getByTestId('row-nudged').waitFor(WAIT);
            expect(await marker(page, fresh.id)).toBe(locale === 'en' ? 'Nudged' : '已催办');
          }
          // Nothing wider than the window, no row line wrapped or cut.
          expect(await page.evaluate('document.documentElement.scrollWidth > innerWidth')).toBe(false);
          for (const box of await harness.rowBoxes(page)) expect(box.linesClip, box.id).toBe(false);
          const view = user === 'alice' ? 'mine' : 'queue';
          await harness.screenshot(page, `nudge-${view}-${locale}-${scheme}-${viewport.width}`);
        } finally {
          await page.evaluate(`window.signoff.updateSettings({ locale: null })`).catch(() => {});
          await page.close();
        }
      }
    },
    180_000,
  );
});
