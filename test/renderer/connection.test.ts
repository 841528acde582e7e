// Offline and recovery in the real window: stopping the real stub process shows the banner and
// disables approve/reject; bringing it back (same port, same database) clears both.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClaimDetail } from '../../protocol';
import * as harness from '../support/renderer-harness';
import { useStubProcess } from '../support/use-stub';

const WAIT = { timeout: 15_000 };

const stub = useStubProcess();
let browser: Browser;
let preview: harness.Preview;
let page: Page;
let claim: ClaimDetail;

beforeAll(async () => {
  browser = await harness.launchBrowser();
  const alice = await harness.signedInClient(stub().url, 'alice');
  claim = await alice.submitClaim(harness.claimRequest({ title: 'Offline test claim' }));
  preview = await harness.startPreview(stub().url);
  page = await browser.newPage({ viewport: { width: 900, height: 640 } });
  // Fail with the step's own message well before the test's timeout.
  page.setDefaultTimeout(8_000);
  await page.goto(preview.url);
  await harness.signInThroughWindow(page, 'bob');
  await page.locator(`#claim-row-${claim.id}`).click();
  await page.getByTestId('approve').waitFor(WAIT);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

it('shows the offline banner and disables actions while the server is down, and recovers when it returns', async () => {
  expect(await page.getByTestId('approve').isEnabled()).toBe(true);
  expect(await page.getByTestId('offline-banner').count()).toBe(0);

  await stub().stop();
  await page.getByTestId('offline-banner').waitFor(WAIT);
  expect(await page.getByTestId('offline-banner').textContent()).toMatch(/Connection lost|offline/);
  expect(await page.getByTestId('approve').isDisabled()).toBe(true);
  expect(await page.getByTestId('reject').isDisabled()).toBe(true);
  // Between attempts `reconnecting`, during one `connecting`: never `online` while the server is down.
  expect(await page.getByTestId('connection').getAttribute('data-state')).toMatch(
    /reconnecting|offline|connecting/,
  );
  // The shortcut is off too: `a` must not open a confirmation that could not be sent.
  await page.keyboard.press('a');
  expect(await page.getByTestId('confirm').count()).toBe(0);
  await harness.screenshot(page, 'offline-light');

  await stub().restart();
  // "Retry now" skips the rest of the backoff; the core reconnects to the same port and database.
  const retry = page.getByRole('button', { name: 'Retry now' });
  if ((await retry.count()) > 0) {
    // The core may reconnect on its own between the check and the click; either way is fine here.
    await retry.click({ timeout: 2_000 }).catch(() => {});
  }
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), WAIT).toBe('online');
  await page.getByTestId('offline-banner').waitFor({ state: 'detached', ...WAIT });
  expect(await page.getByTestId('approve').isEnabled()).toBe(true);

  // And the actions really work again.
  await page.getByTestId('approve').click();
  await page.getByTestId('confirm-submit').click();
  await page.getByTestId('empty-queue').waitFor(WAIT);
});
