// Delegation (out of office) end to end in real Chromium at tray size, on the preview harness (real
// core) against a real stub process: Carol sets "Out of office" to Frank in Settings, Frank's window
// receives her waiting claim live marked "for Carol Wang", he approves it, and the history says "Frank
// Sun approved on behalf of Carol Wang"; Carol ends it early. Grace (finance) is offered only finance
// members and her shared finance claim leaves her queue when she hands it to Dave. Screenshots at
// 420×640 and 1280×800, en and zh-CN, light and dark.
//
// Why Carol → Frank for the hand-over: in the demo org Dave and Grace share every finance step, so a
// Grace → Dave delegation only takes Grace off claims Dave already has (the stub tests cover that
// case); a manager's claims show a claim truly moving to someone who did not have it.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimDetail } from '../../protocol';
import { undoAfterAll } from '../support/cleanups';
import * as harness from '../support/renderer-harness';
import { type StubProcess, startStub } from '../support/stub-process';

const WAIT = { timeout: 15_000 };
const TRAY = { width: 420, height: 640 };
const WIDE = { width: 1280, height: 800 };
type User = 'carol' | 'frank' | 'grace';

let stub: StubProcess;
let browser: Browser;
const previews = new Map<User, harness.Preview>();
const api: Record<string, ApiClient> = {};
/** Bob's claim: waits on carol (his supervisor), goes to frank when carol is away. */
let bobs: ClaimDetail;
/** Alice's claim at the finance step (dave, grace). */
let finance: ClaimDetail;

const defer = undoAfterAll();

beforeAll(async () => {
  [stub, browser] = await Promise.all([startStub(), harness.launchBrowser()]);
  defer.dispose(stub);
  defer(() => browser.close());
  for (const user of ['alice', 'bob', 'carol']) api[user] = await harness.signedInClient(stub.url, user);
  bobs = await api.bob!.submitClaim(harness.claimRequest({ title: 'Trade fair stand' }));
  finance = await api.alice!.submitClaim(harness.claimRequest({ title: 'Customer dinner' }));
  finance = await api.bob!.approve(finance.id, { version: finance.version });
  finance = await api.carol!.approve(finance.id, { version: finance.version });
  for (const user of ['carol', 'frank', 'grace'] as const) {
    const preview = await harness.signedInPreview(browser, stub.url, user);
    defer(() => preview.stop());
    previews.set(user, preview);
  }
}, 180_000);

async function openWindow(user: User, viewport = TRAY, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await harness.openPreview(browser, previews.get(user)!, viewport, scheme);
  await page.locator('.header').waitFor(WAIT);
  return page;
}

async function openSettings(page: Page): Promise<void> {
  await page.locator('.tab-settings').click(WAIT);
  await page.getByTestId('out-of-office').waitFor(WAIT);
}

const queueRow = (page: Page, id: string) => page.locator(`#claim-row-${id}`);

describe('out of office, walked in the window', () => {
  it('carol delegates to frank in Settings; frank receives her claim live, approves it on her behalf', async () => {
    const carol = await openWindow('carol');
    const frank = await openWindow('frank');
    try {
      await queueRow(carol, bobs.id).waitFor(WAIT);
      expect(await queueRow(frank, bobs.id).count()).toBe(0);

      await openSettings(carol);
      await carol.getByTestId('delegate').selectOption('frank', WAIT);
      await carol.getByTestId('start-delegation').click(WAIT);
      await expect
        .poll(() => carol.getByTestId('settings-status').textContent(), WAIT)
        .toBe('Out of office is set.');
      await expect
        .poll(() => carol.getByTestId('delegation-current').textContent(), WAIT)
        .toMatch(/^Your approvals go to Frank Sun until /);

      // Frank's open window: the claim arrives by itself, marked as Carol's.
      const arrived = queueRow(frank, bobs.id);
      await arrived.waitFor(WAIT);
      expect(await arrived.getByTestId('on-behalf').textContent()).toBe('for Carol Wang');
      // ... and leaves Carol's queue.
      await carol.getByTestId('tab-queue').click();
      await expect.poll(() => queueRow(carol, bobs.id).count(), WAIT).toBe(0);

      // Frank sees he covers for Carol in his Settings.
      await openSettings(frank);
      await expect
        .poll(() => frank.getByTestId('delegation-covering').textContent(), WAIT)
        .toMatch(/^You are approving for Carol Wang until /);
      await frank.getByTestId('tab-queue').click();

      await arrived.click(WAIT);
      await expect
        .poll(() => frank.getByTestId('chain').textContent(), WAIT)
        .toContain('Frank Sun (for Carol Wang)');
      await frank.getByTestId('approve').click(WAIT);
      await frank.getByTestId('comment').fill('Covering for Carol');
      await frank.getByTestId('confirm-submit').click();
      await expect.poll(() => queueRow(frank, bobs.id).count(), WAIT).toBe(0);

      // The history, from Frank's Done list.
      await frank.getByTestId('tab-done').click();
      await frank.locator(`#done-row-${bobs.id}`).click(WAIT);
      await expect
        .poll(() => frank.getByTestId('audit').textContent(), WAIT)
        .toContain('Frank Sun approved on behalf of Carol Wang');
      expect(await frank.getByTestId('chain').textContent()).toContain('Frank Sun (for Carol Wang)');
      const after = await api.bob!.getClaim(bobs.id);
      expect(after.audit.at(-1)).toMatchObject({ actor: { id: 'frank' }, onBehalfOf: { id: 'carol' } });
    } finally {
      await carol.close();
      await frank.close();
    }
  }, 180_000);
});

describe('screenshots at both sizes, both languages, light and dark', () => {
  beforeAll(async () => {
    // Another claim of Bob's, so Frank's queue shows a "for Carol Wang" row while Carol is away.
    await api.bob!.submitClaim(harness.claimRequest({ title: 'Sales kick-off venue' }));
  });

  it.each(['en', 'zh-CN'] as const)(
    '%s',
    async (locale) => {
      for (const scheme of ['light', 'dark'] as const) {
        for (const [size, viewport] of [
          ['420', TRAY],
          ['1280', WIDE],
        ] as const) {
          const carol = await openWindow('carol', viewport, scheme);
          const frank = await openWindow('frank', viewport, scheme);
          try {
            for (const page of [carol, frank]) {
              await page.evaluate(`window.signoff.updateSettings({ locale: '${locale}' })`);
              await expect.poll(() => page.evaluate('document.documentElement.lang'), WAIT).toBe(locale);
            }
            await openSettings(carol);
            await carol.getByTestId('delegation-current').waitFor(WAIT);
            await carol.getByTestId('out-of-office').scrollIntoViewIfNeeded();
            expect(await carol.evaluate('document.documentElement.scrollWidth > innerWidth')).toBe(false);
            await harness.screenshot(carol, `out-of-office-settings-${locale}-${scheme}-${size}`);

            const row = frank.getByTestId('on-behalf').first();
            await row.waitFor(WAIT);
            expect(await row.textContent()).toBe(locale === 'en' ? 'for Carol Wang' : '代 Carol Wang');
            const boxes = await harness.rowBoxes(frank);
            for (const box of boxes) expect(box).toMatchObject({ clipsY: false, linesClip: false });
            await harness.screenshot(frank, `out-of-office-queue-${locale}-${scheme}-${size}`);

            await frank.getByTestId('tab-done').click();
            await frank.locator(`#done-row-${bobs.id}`).click(WAIT);
            await frank.getByTestId('audit').scrollIntoViewIfNeeded(WAIT);
            expect(await frank.getByTestId('audit').textContent()).toContain(
              locale === 'en' ? 'Frank Sun approved on behalf of Carol Wang' : 'Frank Sun 代 Carol Wang 批准',
            );
            await harness.screenshot(frank, `out-of-office-history-${locale}-${scheme}-${size}`);
          } finally {
            for (const page of [carol, frank]) {
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

describe('ending and the finance rule, in the window', () => {
  it('carol ends it early: her claim comes back; grace may only pick finance and her shared claim leaves her', async () => {
    const carol = await openWindow('carol');
    const grace = await openWindow('grace');
    try {
      await openSettings(carol);
      await carol.getByTestId('end-delegation').click(WAIT);
      await expect
        .poll(() => carol.getByTestId('settings-status').textContent(), WAIT)
        .toBe('Out of office has ended; your claims are back with you.');
      await carol.getByTestId('delegation-form').waitFor(WAIT);
      await carol.getByTestId('tab-queue').click();
      await expect.poll(() => carol.locator('[role="option"]').count(), WAIT).toBe(1);

      await queueRow(grace, finance.id).waitFor(WAIT);
      await openSettings(grace);
      await expect
        .poll(
          () =>
            grace
              .getByTestId('delegate')
              .locator('option')
              .evaluateAll((o) => o.map((x) => (x as { value: string }).value)),
          WAIT,
        )
        .toEqual(['', 'dave']);
      // Nobody chosen: the window says so instead of asking the server.
      await grace.getByTestId('start-delegation').click(WAIT);
      await expect
        .poll(() => grace.getByTestId('settings-status').textContent(), WAIT)
        .toBe('Choose someone other than yourself.');
      await grace.getByTestId('delegate').selectOption('dave');
      await grace.getByTestId('start-delegation').click(WAIT);
      await grace.getByTestId('delegation-current').waitFor(WAIT);
      await grace.getByTestId('tab-queue').click();
      await expect.poll(() => queueRow(grace, finance.id).count(), WAIT).toBe(0);
    } finally {
      await carol.close();
      await grace.close();
    }
  }, 180_000);
});
