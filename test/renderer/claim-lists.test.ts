// Done and My claims in real Chromium on the preview harness (real core, real stub): decisions made in
// the window show up in the decider's Done with their comment, the submitter's My claims follows a
// claim through its chain without a reload, Load more pages past the first 50, rows never overlap or
// clip at tray size, and every view is saved as a screenshot (420×640 and 1280×800, en and zh-CN,
// light and dark).
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
const previews = new Map<'alice' | 'bob' | 'carol', harness.Preview>();
const api: Record<string, ApiClient> = {};
/** A: bob approves it in the window, carol rejects it in the window. C: goes through the whole chain. */
let claimA: ClaimDetail;
let claimC: ClaimDetail;

// Undone newest first after the file: the previews, then the browser and the stub.
const defer = undoAfterAll();

beforeAll(async () => {
  [stub, browser] = await Promise.all([startStub(), harness.launchBrowser()]);
  defer.dispose(stub);
  defer(() => browser.close());
  for (const user of ['alice', 'bob', 'carol', 'dave'])
    api[user] = await harness.signedInClient(stub.url, user);
  claimA = await api.alice!.submitClaim(
    harness.claimRequest({ title: 'Hotel in Hangzhou', totalMinor: 64_050 }),
  );
  claimC = await api.alice!.submitClaim(
    harness.claimRequest({
      title: 'Tokyo partner visit',
      currency: 'JPY',
      items: [{ description: 'Hotel Shinjuku', amountMinor: 84_511 }],
      totalMinor: 84_511,
    }),
  );
  for (const user of ['alice', 'bob', 'carol'] as const) {
    const preview = await harness.signedInPreview(browser, stub.url, user);
    defer(() => preview.stop());
    previews.set(user, preview);
  }
}, 120_000);

async function openWindow(
  user: 'alice' | 'bob' | 'carol',
  viewport = TRAY,
  scheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const page = await harness.openPreview(browser, previews.get(user)!, viewport, scheme);
  await page.locator('.header').waitFor(WAIT);
  return page;
}

const row = (page: Page, list: 'done' | 'mine', id: string) => page.locator(`#${list}-row-${id}`);

async function decideInWindow(page: Page, id: string, action: 'approve' | 'reject', text: string) {
  await page.getByTestId('tab-queue').click();
  // Each step waits WAIT at most, so a slow step fails by name instead of as the test's timeout.
  await page.locator(`#claim-row-${id}`).click(WAIT);
  await page.getByTestId(action).click(WAIT);
  await page.getByTestId(action === 'approve' ? 'comment' : 'reason').fill(text);
  await page.getByTestId('confirm-submit').click();
  await expect.poll(() => page.locator(`#claim-row-${id}`).count(), WAIT).toBe(0);
}

async function expectTidyRows(page: Page, label: string): Promise<void> {
  const rows = await harness.rowBoxes(page);
  expect(rows.length, label).toBeGreaterThan(0);
  for (const [index, box] of rows.entries()) {
    expect(box, `${label} ${box.id}`).toMatchObject({ clipsY: false, clipsX: false, linesClip: false });
    if (index > 0)
      expect(box.top, `${label} ${box.id}`).toBeGreaterThanOrEqual(rows[index - 1]!.bottom - 0.5);
  }
  // The header (four tabs) stays on one line and nothing is wider than the window.
  expect((await page.locator('.header').boundingBox())!.height, label).toBeLessThan(60);
  expect(await page.evaluate('document.documentElement.scrollWidth > innerWidth'), label).toBe(false);
}

describe('Done', () => {
  it('bob: empty at first; approving in the window puts the claim in Done with his comment', async () => {
    const page = await openWindow('bob');
    try {
      await page.getByTestId('tab-done').click();
      await expect
        .poll(() => page.getByTestId('empty-list').textContent(), WAIT)
        .toContain('You have not approved or rejected any claims yet.');
      expect(await page.getByTestId('tab-done').getAttribute('aria-current')).toBe('page');
      await decideInWindow(page, claimA.id, 'approve', 'Receipts checked');
      await page.getByTestId('tab-done').click();
      const done = row(page, 'done', claimA.id);
      await done.waitFor(WAIT);
      expect(await done.getByTestId('row-decision').textContent()).toBe('Approved by you');
      expect(await done.getByTestId('row-comment').textContent()).toBe('Receipts checked');
      expect(await done.locator('.row-submitter').textContent()).toBe('Alice Zhang');
      expect(await done.locator('.row-amount').textContent()).toBe('CN¥640.50');

      // Open while bob decides elsewhere (the API, as from his phone): the list updates by itself,
      // newest decision first.
      await api.bob!.approve(claimC.id, { version: claimC.version, comment: 'Fine' });
      await expect
        .poll(() => page.locator('[role="option"]').evaluateAll((rows) => rows.map((r) => r.id)), WAIT)
        .toEqual([`done-row-${claimC.id}`, `done-row-${claimA.id}`]);
      expect(await row(page, 'done', claimC.id).locator('.row-amount').textContent()).toMatch(
        /^JPY\s84,511$/,
      );

      // The list keys, then the claim read-only, and back.
      await page.keyboard.press('j');
      expect(await row(page, 'done', claimA.id).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('k');
      expect(await row(page, 'done', claimC.id).getAttribute('aria-selected')).toBe('true');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT).toBe(claimA.title);
      expect(await page.getByTestId('approve').count()).toBe(0);
      expect(await page.locator('.claim-nav .back').textContent()).toBe('← Back to Done');
      expect(await page.getByTestId('tab-done').getAttribute('aria-current')).toBe('page');
      await page.keyboard.press('Escape');
      await row(page, 'done', claimA.id).waitFor(WAIT);
      expect(await page.getByTestId('claim-title').count()).toBe(0);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('carol: rejecting with a reason shows in her Done as Rejected, with the reason', async () => {
    const page = await openWindow('carol');
    try {
      await page.locator(`#claim-row-${claimA.id}`).waitFor(WAIT);
      await decideInWindow(page, claimA.id, 'reject', 'Missing the hotel invoice');
      await page.getByTestId('tab-done').click();
      const done = row(page, 'done', claimA.id);
      await done.waitFor(WAIT);
      expect(await done.getByTestId('row-decision').textContent()).toBe('Rejected by you');
      expect(await done.getByTestId('row-comment').textContent()).toBe('Missing the hotel invoice');
      expect(await done.locator('.state-rejected').count()).toBe(1);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('My claims', () => {
  it('alice: where each claim stands, updated as it moves on without a reload; then Load more', async () => {
    const page = await openWindow('alice');
    try {
      await page.getByTestId('tab-mine').click();
      const c = row(page, 'mine', claimC.id);
      await c.waitFor(WAIT);
      // C waits on carol (bob approved it above); A was rejected.
      expect(await c.getByTestId('row-state').textContent()).toBe('Pending');
      expect(await c.locator('.step').textContent()).toBe('Department manager');
      expect(await c.getByTestId('row-holders').textContent()).toBe('Carol Wang');
      expect(await c.locator('.row-waited').last().textContent()).toMatch(/^at this step since /);
      expect(await row(page, 'mine', claimA.id).getByTestId('row-state').textContent()).toBe('Rejected');

      // The rest of the chain, decided elsewhere while the view is open: it follows without a reload.
      const afterCarol = await api.carol!.approve(claimC.id, { version: claimC.version + 1 });
      await expect.poll(() => c.getByTestId('row-holders').textContent(), WAIT).toBe('Dave Liu, Grace Chen');
      expect(await c.locator('.step').textContent()).toBe('Finance');
      await api.dave!.approve(claimC.id, { version: afterCarol.version });
      await expect.poll(() => c.getByTestId('row-state').textContent(), WAIT).toBe('Approved');
      expect(await c.locator('.step').count()).toBe(0);

      // More than a page: 55 more claims. The open list takes them in as they arrive: merged onto what
      // is loaded when a refresh still reaches the old top, else restarted from the newest 50 (which of
      // the two depends on how the events bunch up; neither ever leaves a hole)…
      for (let i = 0; i < 55; i++) {
        await api.alice!.submitClaim(harness.claimRequest({ title: `Paging claim ${i + 1}` }));
      }
      await expect
        .poll(() => page.locator('[role="option"] .row-title').first().textContent(), WAIT)
        .toBe('Paging claim 55');
      expect(['57 claims', 'first 50']).toContain(await page.getByTestId('list-count').textContent());
      // …and opened afresh it starts from the newest 50, with Load more for the rest.
      await page.getByTestId('tab-done').click();
      await page.getByTestId('tab-mine').click();
      await expect.poll(() => page.getByTestId('list-count').textContent(), WAIT).toBe('first 50');
      expect(await page.locator('[role="option"] .row-title').first().textContent()).toBe('Paging claim 55');
      await page.getByTestId('load-more').click();
      await expect.poll(() => page.getByTestId('list-count').textContent(), WAIT).toBe('57 claims');
      expect(await page.getByTestId('load-more').count()).toBe(0);
      // The last rows are the two oldest, in order (the list is windowed: scroll to its end).
      await page.getByTestId('claim-list').focus();
      await page.keyboard.press('End');
      await expect
        .poll(
          () => page.locator('[role="option"]').evaluateAll((rows) => rows.slice(-2).map((r) => r.id)),
          WAIT,
        )
        .toEqual([`mine-row-${claimC.id}`, `mine-row-${claimA.id}`]);
      expect(await row(page, 'mine', claimA.id).getAttribute('aria-setsize')).toBe('57');
      await expectTidyRows(page, 'mine 420');
    } finally {
      await page.close();
    }
  }, 240_000);
});

describe('screenshots and layout at both sizes, both languages, light and dark', () => {
  const LOCALES = ['en', 'zh-CN'] as const;
  it.each(LOCALES)(
    '%s',
    async (locale) => {
      for (const [user, list] of [
        ['carol', 'done'],
        ['alice', 'mine'],
      ] as const) {
        for (const scheme of ['light', 'dark'] as const) {
          for (const [size, viewport] of [
            ['420', TRAY],
            ['1280', WIDE],
          ] as const) {
            const page = await openWindow(user, viewport, scheme);
            try {
              await page.evaluate(`window.signoff.updateSettings({ locale: '${locale}' })`);
              await expect.poll(() => page.evaluate('document.documentElement.lang'), WAIT).toBe(locale);
              await page.getByTestId(`tab-${list}`).click();
              await page.locator('[role="option"]').first().waitFor(WAIT);
              if (size === '420') await expectTidyRows(page, `${list} ${locale} ${scheme}`);
              const tab = await page.getByTestId(`tab-${list}`).textContent();
              expect(tab).toBe(
                { done: { en: 'Done', 'zh-CN': '已处理' }, mine: { en: 'My claims', 'zh-CN': '我的报销' } }[
                  list
                ][locale],
              );
              await harness.screenshot(page, `claim-lists-${list}-${locale}-${scheme}-${size}`);
              if (size === '1280') {
                // Wide: the opened claim sits beside the list.
                await page.locator('[role="option"]').first().click();
                await page.getByTestId('claim-title').waitFor(WAIT);
                const listBox = (await page.getByTestId('claim-list').boundingBox())!;
                const detail = (await page.locator('.claim').boundingBox())!;
                expect(listBox.x + listBox.width).toBeLessThanOrEqual(detail.x);
                await harness.screenshot(page, `claim-lists-${list}-claim-${locale}-${scheme}-${size}`);
              }
            } finally {
              await page.evaluate(`window.signoff.updateSettings({ locale: null })`).catch(() => {});
              await page.close();
            }
          }
        }
      }
    },
    120_000,
  );
});
