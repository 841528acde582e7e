// A 1,000-claim queue in real Chromium: time to render every row, and time for one search keystroke
// to filter them, both measured inside the page up to the next painted frame. The claims are real:
// seeded through the stub's API (alice submits, all wait on bob) and delivered by the real core.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InPageDocument, InPageEventConstructor } from '../support/in-page';
import * as harness from '../support/renderer-harness';
import { useStubProcess } from '../support/use-stub';

// Browser globals for page.evaluate() callbacks (they run in Chromium).
declare const document: InPageDocument;
declare const requestAnimationFrame: (callback: () => void) => number;
declare const Event: InPageEventConstructor;

const COUNT = 1000;
const CATEGORIES = ['travel', 'lodging', 'meals', 'transport', 'supplies', 'training', 'other'] as const;

const stub = useStubProcess({ args: ['--sync', 'normal'] });
let browser: Browser;
let preview: harness.Preview;
let page: Page;
let seedMs = 0;

beforeAll(async () => {
  browser = await harness.launchBrowser();
  const alice = await harness.signedInClient(stub().url, 'alice');
  const started = performance.now();
  let next = 0;
  // A few submissions in flight at once: the stub serialises writes anyway, this hides the round trips.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < COUNT) {
        const n = next++;
        await alice.submitClaim(
          harness.claimRequest({
            title: `Expense ${String(n).padStart(4, '0')} ${n % 10 === 7 ? 'Hangzhou' : 'Beijing'}`,
            category: CATEGORIES[n % CATEGORIES.length],
          }),
        );
      }
    }),
  );
  seedMs = performance.now() - started;
  preview = await harness.startPreview(stub().url);
  page = await browser.newPage({ viewport: { width: 900, height: 720 } });
  await page.goto(preview.url);
  await harness.signInThroughWindow(page, 'bob');
  await page.waitForFunction(
    (n) => document.querySelector('[role="option"]')?.getAttribute('aria-setsize') === String(n),
    COUNT,
    { timeout: 30_000 },
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

/** Runs `act` in the page and resolves with the ms until the frame after it has been painted. */
interface Measured {
  ms: number;
  /** How many claims the list says it holds (aria-setsize), and how many rows are actually in the DOM. */
  listed: number;
  inDom: number;
}

function measureInPage(page: Page, act: 'open-queue' | 'type-filter' | 'clear-filter'): Promise<Measured> {
  return page.evaluate(async (action) => {
    const nextPaint = () =>
      new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const started = performance.now();
    if (action === 'open-queue') {
      document.querySelector('.tabs button')?.click();
    } else {
      const search = document.querySelector('[data-testid="search"]')!;
      search.value = action === 'type-filter' ? 'hangzhou' : '';
      search.dispatchEvent(new Event('input', { bubbles: true }));
    }
    await nextPaint();
    const ms = performance.now() - started;
    const rows = document.querySelectorAll('[role="option"]');
    return { ms, listed: Number(rows[0]?.getAttribute('aria-setsize') ?? 0), inDom: rows.length };
  }, act);
}

it('renders 1,000 claims and filters them on a keystroke without visible lag', async () => {
  // Start from settings so opening the queue mounts all 1,000 rows from scratch.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.locator('#settings-title').waitFor();
  const render = await measureInPage(page, 'open-queue');
  expect(render.listed).toBe(COUNT);
  // Windowed: only what fits the viewport (plus overscan) is in the DOM.
  expect(render.inDom).toBeGreaterThan(5);
  expect(render.inDom).toBeLessThan(60);
  expect(await page.getByTestId('queue-count').textContent()).toBe('1,000 claims');
  await harness.screenshot(page, 'queue-1000');

  const filter = await measureInPage(page, 'type-filter');
  expect(filter.listed).toBe(COUNT / 10);
  expect(await page.getByTestId('queue-count').textContent()).toBe('100 of 1,000 claims');
  const unfilter = await measureInPage(page, 'clear-filter');
  expect(unfilter.listed).toBe(COUNT);

  // Every claim is still reachable: End jumps to the last (newest) one and it is rendered.
  await page.getByTestId('queue-list').focus();
  await page.keyboard.press('End');
  const last = page.locator('[role="option"][aria-selected="true"]');
  await expect.poll(() => last.getAttribute('aria-posinset')).toBe(String(COUNT));
  // Oldest first, as the core orders it (time the claim reached bob, then id).
  const bob = await harness.signedInClient(stub().url, 'bob');
  const newest = (await bob.queue()).claims
    .map((claim) => [Date.parse(claim.currentStepSince ?? ''), claim.id] as const)
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    .at(-1);
  expect(await last.getAttribute('id')).toBe(`claim-row-${newest?.[1]}`);

  console.log(
    `[queue-performance] seeded ${COUNT} claims via the API in ${seedMs.toFixed(0)} ms; ` +
      `open a ${COUNT}-claim queue: ${render.ms.toFixed(1)} ms (${render.inDom} rows in the DOM); ` +
      `filter keystroke (→${filter.listed}): ${filter.ms.toFixed(1)} ms; clear filter (→${unfilter.listed}): ${unfilter.ms.toFixed(1)} ms`,
  );
  // Generous bounds for a loaded 2-core CI box; a regression to per-row Intl formatters or
  // unmemoised filtering blows well past them.
  expect(render.ms).toBeLessThan(500);
  expect(filter.ms).toBeLessThan(150);
  expect(unfilter.ms).toBeLessThan(150);
});
