// Announcements in the window (issue 9), in real Chromium on the preview harness (real core, real
// stub process): an admin posts through the stub's API, the approver's window shows it within
// seconds, keeps it across reloads and a core restart, clears the unread marker once read, and
// dismissing it is for good. Screenshots at tray size and wide, en and zh-CN, light and dark.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Announcement, ApiClient } from '../../protocol';
import type { InPageDocument, InPageWindow } from '../support/in-page';
import * as harness from '../support/renderer-harness';
import { useStubProcess } from '../support/use-stub';

// Browser globals for page.evaluate() callbacks (they run in Chromium).
declare const window: InPageWindow;
declare const document: InPageDocument;

const WAIT = { timeout: 10_000 };
const TRAY = { width: 420, height: 640 };
const WIDE = { width: 1280, height: 800 };
const HOSTILE_BODY = 'Submit <b>all receipts</b> by Thursday 17:00. <img src=x onerror="alert(1)">';

const stub = useStubProcess();
let browser: Browser;
let admin: ApiClient;
let preview: harness.Preview;
let page: Page;
let userData: string;
let quarterClose: Announcement;
let travelPolicy: Announcement;

const items = () => page.getByTestId('announcement');
const item = (id: string) => page.locator(`[data-testid="announcement"][data-id="${id}"]`);
const toggle = () => page.getByTestId('announcements-toggle');

async function openPanel(): Promise<void> {
  await toggle().waitFor(WAIT);
  if ((await toggle().getAttribute('aria-expanded')) !== 'true') await toggle().click();
  await items().first().waitFor(WAIT);
}

async function reload(): Promise<void> {
  await page.reload();
  await page.getByTestId('queue-list').waitFor(WAIT);
}

beforeAll(async () => {
  browser = await harness.launchBrowser();
  admin = await harness.signedInClient(stub().url, 'admin');
  // A few claims waiting on bob, so there is a queue for the panel to sit above.
  const alice = await harness.signedInClient(stub().url, 'alice');
  for (const title of ['Client visit Shanghai', 'Team dinner', 'Conference Hangzhou']) {
    await alice.submitClaim(harness.claimRequest({ title }));
  }
  userData = mkdtempSync(path.join(os.tmpdir(), 'signoff-announcements-'));
  preview = await harness.startPreview(stub().url, { userData });
  page = await browser.newPage({ viewport: TRAY });
  await page.goto(preview.url);
  await harness.signInThroughWindow(page, 'bob');
  await page.getByTestId('queue-list').waitFor(WAIT);
  await page.locator('[data-testid="connection"][data-state="online"]').waitFor(WAIT);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

describe('announcements in the window', () => {
  it('shows a posted announcement within seconds, collapsed to one line with its count and title', async () => {
    expect(await page.getByTestId('announcements').count()).toBe(0); // nothing yet: no empty panel
    quarterClose = await admin.announce({ title: 'Quarter close on Friday', body: HOSTILE_BODY });
    const posted = Date.now();
    await toggle().waitFor({ timeout: 5_000 });
    const seenAfter = Date.now() - posted;
    expect(seenAfter).toBeLessThan(5_000);
    expect(await toggle().getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('announcements-unread').textContent()).toBe('1 new');
    expect(await toggle().textContent()).toContain('Quarter close on Friday');
    // Collapsed, the queue keeps the window: the panel is one short line.
    const box = await page.getByTestId('announcements').boundingBox();
    expect(box?.height).toBeLessThan(60);
    await harness.screenshot(page, 'announcements-collapsed-420-en-light');

    await reload();
    await toggle().waitFor(WAIT);
    expect(await page.getByTestId('announcements-unread').textContent()).toBe('1 new');
  });

  it('opens newest first with an unread marker, keeps server text inert, and marks read once shown', async () => {
    travelPolicy = await admin.announce({ title: 'New travel policy', body: 'Economy class under 4 hours.' });
    await expect.poll(() => page.getByTestId('announcements-unread').textContent(), WAIT).toBe('2 new');
    await openPanel();
    expect(await items().evaluateAll((els) => els.map((el) => el.getAttribute('data-id')))).toEqual([
      travelPolicy.id,
      quarterClose.id,
    ]);
    // Unread: the marker is visible text, so screen readers say it too.
    const marker = item(quarterClose.id).getByTestId('announcement-unread');
    expect(await marker.isVisible()).toBe(true);
    expect(await marker.textContent()).toBe('New');
    // The body arrives as text: tags are shown, never parsed.
    const body = item(quarterClose.id).locator('.announcement-body');
    expect(await body.textContent()).toBe(HOSTILE_BODY);
    expect(await body.locator('b, img').count()).toBe(0);
    // The time is in the locale's format.
    expect(await item(quarterClose.id).locator('time').textContent()).toContain(quarterClose.author.name);
    expect(await item(quarterClose.id).locator('time').textContent()).toMatch(/\d{1,2}:\d{2}\s?(AM|PM)/);
    await harness.screenshot(page, 'announcements-open-420-en-light');

    // Shown for a moment: both count as read, in the window and in the core (the tray's count).
    await expect.poll(() => marker.count(), WAIT).toBe(0);
    expect(await item(travelPolicy.id).getAttribute('data-read')).toBe('true');
    expect(await page.getByTestId('announcements-unread').isHidden()).toBe(true);
    const state = await page.evaluate(() => window.signoff!.getState({}));
    expect(state.ok && state.value.announcements.map((a) => a.read)).toEqual([true, true]);

    await reload();
    await openPanel();
    expect(await items().evaluateAll((els) => els.map((el) => el.getAttribute('data-read')))).toEqual([
      'true',
      'true',
    ]);
  });

  it('collapsed, nothing is marked read; the tray item opens the panel on them', async () => {
    await toggle().click(); // close
    const third = await admin.announce({ title: 'Office closed Monday' });
    await expect.poll(() => page.getByTestId('announcements-unread').textContent(), WAIT).toBe('1 new');
    await page.waitForTimeout(2_000);
    expect(await page.getByTestId('announcements-unread').textContent()).toBe('1 new');

    // As the tray's "Announcements (1 unread)" does.
    await fetch(`${preview.url}/preview/navigate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ view: 'announcements' }),
    });
    await expect.poll(() => toggle().getAttribute('aria-expanded'), WAIT).toBe('true');
    await expect.poll(() => item(third.id).getAttribute('data-read'), WAIT).toBe('true');
  });

  it('dismisses with the keyboard, for good: gone after a reload and after the core restarts', async () => {
    await openPanel();
    const before = await items().count();
    const dismiss = item(quarterClose.id).getByTestId('announcement-dismiss');
    expect(await dismiss.getAttribute('aria-label')).toBe('Dismiss “Quarter close on Friday”');
    await dismiss.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => item(quarterClose.id).count(), WAIT).toBe(0);
    expect(await items().count()).toBe(before - 1);
    // The keyboard stays in the panel instead of falling back to the page.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('class'))).toMatch(
      /dismiss|announcements-toggle/,
    );

    await reload();
    await openPanel();
    expect(await item(quarterClose.id).count()).toBe(0);
    expect(await item(travelPolicy.id).count()).toBe(1);

    // An app restart: a new core on the same user data (the preview keeps its token in memory only,
    // so bob signs in again; the account's saved state is what brings the announcements back).
    await preview.stop();
    preview = await harness.startPreview(stub().url, { userData });
    await page.goto(preview.url);
    await harness.signInThroughWindow(page, 'bob');
    await page.getByTestId('queue-list').waitFor(WAIT);
    await openPanel();
    expect(await item(travelPolicy.id).getAttribute('data-read')).toBe('true');
    expect(await item(quarterClose.id).count()).toBe(0);
  });
});

describe('announcements screenshots', () => {
  it('at tray size and wide, in English and Chinese (24-hour times), light and dark', async () => {
    await admin.announce({
      title: 'Expense system maintenance Saturday 22:00–23:00 (claims submitted then are queued)',
      body: 'The approval service will be read-only for one hour.',
    });
    await expect.poll(() => page.getByTestId('announcements-unread').textContent(), WAIT).toBe('1 new');
    for (const locale of ['en', 'zh-CN'] as const) {
      await page.evaluate((value) => window.signoff!.updateSettings({ locale: value }), locale);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang), WAIT).toBe(locale);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const [size, viewport] of [
          ['420', TRAY],
          ['1280', WIDE],
        ] as const) {
          await page.setViewportSize(viewport);
          await openPanel();
          // Open, the queue still shows below the panel, inside the window.
          const queueTop =
            (await page.getByTestId('queue-list').boundingBox())?.y ?? Number.POSITIVE_INFINITY;
          expect(queueTop).toBeLessThan(viewport.height - 150);
          await harness.screenshot(page, `announcements-${size}-${locale}-${scheme}`);
        }
      }
      if (locale === 'zh-CN') {
        const time = (await items().first().locator('time').textContent()) ?? '';
        expect(time).toMatch(/\d{1,2}:\d{2}/);
        expect(time).not.toMatch(/上午|下午|AM|PM/);
        expect(await toggle().textContent()).toContain('公告');
        expect(await items().first().getByTestId('announcement-dismiss').getAttribute('aria-label')).toMatch(
          /^关闭公告/,
        );
      }
    }
    await page.evaluate(() => window.signoff!.updateSettings({ locale: null }));
  });
});
