// The queue window as an approver lives in it: at tray size (420×640) and wide (1280×800), in English
// and 简体中文, light and dark. Real Chromium on the preview harness (real core, real stub). Measures
// what a person would see (contrast from computed colours, boxes that overlap or clip, what is inside
// the viewport) and saves a screenshot of every view in every combination.
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimDetail } from '../../protocol';
import { undoAfterAll } from '../support/cleanups';
import * as harness from '../support/renderer-harness';
import { type StubProcess, startStub } from '../support/stub-process';

const WAIT = { timeout: 10_000 };
const TRAY = { width: 420, height: 640 };
const WIDE = { width: 1280, height: 800 };
const LOCALES = [
  { name: 'en', os: 'en-US' },
  { name: 'zh-CN', os: 'zh-CN' },
] as const;
const SCHEMES = ['light', 'dark'] as const;

let stub: StubProcess;
let browser: Browser;
const previews = new Map<string, harness.Preview>();
/** Claims waiting on carol at the "Department manager" step (the longest step label), oldest first. */
const carolClaims: ClaimDetail[] = [];

const LONG_TITLE =
  'Quarterly regional sales conference in Hangzhou with client dinners, hotel and overnight train travel';
const LONG_TITLE_ZH = '华东区季度销售会议差旅费用报销（含客户招待、酒店住宿与高铁往返）';

// Undone newest first after the file: the previews, then the browser and the stub.
const defer = undoAfterAll();

beforeAll(async () => {
  [stub, browser] = await Promise.all([startStub(), harness.launchBrowser()]);
  defer.dispose(stub);
  defer(() => browser.close());
  const alice = await harness.signedInClient(stub.url, 'alice');
  const bob: ApiClient = await harness.signedInClient(stub.url, 'bob');
  for (const overrides of [
    {
      title: LONG_TITLE,
      items: [
        { description: 'Conference fee', amountMinor: 250_000 },
        { description: 'Hotel, two nights', amountMinor: 99_800 },
      ],
      totalMinor: 349_800,
    },
    { title: LONG_TITLE_ZH },
    {
      title: 'Tokyo partner visit',
      currency: 'JPY',
      items: [{ description: 'Hotel Shinjuku', amountMinor: 84_511 }],
      totalMinor: 84_511,
    },
    { title: 'Taxi to the airport', category: 'transport' as const },
    { title: 'Printer toner', category: 'supplies' as const },
  ]) {
    const submitted = await alice.submitClaim(harness.claimRequest(overrides));
    // bob (alice's supervisor) approves, so the claim waits on carol, the department manager.
    carolClaims.push(await bob.approve(submitted.id, { version: submitted.version }));
  }
  for (const locale of LOCALES) {
    const preview = await harness.signedInPreview(browser, stub.url, 'carol', { locale: locale.os });
    defer(() => preview.stop());
    previews.set(locale.name, preview);
  }
}, 90_000);

async function openWindow(
  locale: string,
  scheme: 'light' | 'dark',
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await harness.openPreview(browser, previews.get(locale)!, viewport, scheme);
  await page.getByTestId('queue-list').waitFor(WAIT);
  await expect.poll(() => page.locator('[role="option"]').count(), WAIT).toBe(carolClaims.length);
  return page;
}

// ---- measurements, run in the page (a string: the Node-side tsconfig has no DOM types) ----

const IN_PAGE = String.raw`
  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (x, y) => { const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p); return (hi + 0.05) / (lo + 0.05); };
  // The first opaque background at or above the element (all backgrounds here are opaque or none).
  const backgroundOf = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c && c.a === 1) return c;
    }
    return rgba(getComputedStyle(document.documentElement).backgroundColor) ?? { r: 255, g: 255, b: 255, a: 1 };
  };
`;

interface ButtonLook {
  text: number;
  opacity: string;
  focusVisible: boolean;
  ring: number | null;
}

/** Contrast of a button's text on its own background, and of its outline against what surrounds it. */
async function buttonLook(page: Page, testId: string): Promise<ButtonLook> {
  return page.evaluate(`(() => { ${IN_PAGE}
    const el = document.querySelector('[data-testid="${testId}"]');
    const style = getComputedStyle(el);
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      ? contrast(rgba(style.outlineColor), backgroundOf(el.parentElement)) : null;
    return { text: contrast(rgba(style.color), backgroundOf(el)), opacity: style.opacity,
      focusVisible: el.matches(':focus-visible'), ring };
  })()`);
}

async function expectReadableInEveryState(page: Page, testId: string): Promise<void> {
  const button = page.getByTestId(testId);
  const rest = await buttonLook(page, testId);
  expect(rest.text, `${testId} at rest`).toBeGreaterThanOrEqual(4.5);
  expect(rest.opacity).toBe('1');
  await button.hover();
  const hover = await buttonLook(page, testId);
  expect(hover.text, `${testId} under the mouse`).toBeGreaterThanOrEqual(4.5);
  await page.mouse.move(0, 0);
  await page.keyboard.press('Shift'); // a key press makes the next programmatic focus keyboard focus
  await button.focus();
  const focus = await buttonLook(page, testId);
  expect(focus.focusVisible).toBe(true);
  expect(focus.text, `${testId} focused`).toBeGreaterThanOrEqual(4.5);
  expect(focus.ring, `${testId} focus ring`).toBeGreaterThanOrEqual(3);
  await page.evaluate(`document.querySelector('[data-testid="${testId}"]').disabled = true`);
  const disabled = await buttonLook(page, testId);
  expect(disabled.text, `${testId} disabled`).toBeGreaterThanOrEqual(4.5);
  expect(disabled.opacity).toBe('1');
  await page.evaluate(`document.querySelector('[data-testid="${testId}"]').disabled = false`);
}

async function isInViewport(page: Page, testId: string): Promise<boolean> {
  return page.evaluate(`(() => {
    const box = document.querySelector('[data-testid="${testId}"]').getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0 &&
      box.bottom <= innerHeight && box.right <= innerWidth;
  })()`);
}

/** Everything that scrolls (the page itself counts when the document is taller than the window). */
async function scrollers(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const found = [];
    if (document.documentElement.scrollHeight > innerHeight) found.push('page');
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      if (/(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight) {
        found.push(el.className || el.tagName);
      }
    }
    return found;
  })()`);
}

async function hasHorizontalOverflow(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > innerWidth');
}

/**
 * How far the toast reaches over `last` (0: not at all), the last thing of the content above it, once
 * `scroller` (if any) is scrolled to its end; and whether the toast itself is shown and inside the window.
 */
async function toastOver(
  page: Page,
  last: string,
  scroller?: string,
): Promise<{ shown: boolean; inView: boolean; overlap: number }> {
  return page.evaluate(`(() => {
    const toast = document.querySelector('.toast');
    const scroller = ${JSON.stringify(scroller ?? null)};
    if (scroller) { const el = document.querySelector(scroller); el.scrollTop = el.scrollHeight; }
    const box = toast.getBoundingClientRect();
    const lastBox = document.querySelector(${JSON.stringify(last)}).getBoundingClientRect();
    return { shown: toast.textContent !== '' && box.height > 0, inView: box.bottom <= innerHeight,
      overlap: Math.max(0, Math.round(lastBox.bottom - box.top)) };
  })()`);
}

/**
 * The queue at this width: every row stacked below the one before, nothing spilling out of a row or cut
 * inside it; the header one line of tabs high; nothing wider than the window; the three selects on one line.
 */
async function expectQueueFits(page: Page): Promise<void> {
  const rows = await harness.rowBoxes(page);
  expect(rows).toHaveLength(carolClaims.length);
  for (const [index, row] of rows.entries()) {
    expect(row, row.id).toMatchObject({ clipsY: false, clipsX: false, linesClip: false });
    if (index > 0) expect(row.top, row.id).toBeGreaterThanOrEqual(rows[index - 1]!.bottom - 0.5);
  }
  expect((await page.locator('.header').boundingBox())!.height).toBeLessThan(60);
  expect(await hasHorizontalOverflow(page)).toBe(false);
  const selectTops = await page
    .locator('.filters select')
    .evaluateAll((list) => list.map((el) => Math.round(el.getBoundingClientRect().top)));
  expect(new Set(selectTops).size).toBe(1);
}

async function openClaim(page: Page, claim: ClaimDetail): Promise<void> {
  await page.locator(`#claim-row-${claim.id}`).click();
  await expect.poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT).toBe(claim.title);
}

describe.each(LOCALES.map((locale) => locale.name))('%s', (locale) => {
  describe.each(SCHEMES)('%s', (scheme) => {
    it(`tray size (420×640): rows never overlap or clip, one scroller, the decision in view`, async () => {
      const page = await openWindow(locale, scheme, TRAY);
      try {
        const tag = `${locale}-${scheme}-420`;
        await harness.screenshot(page, `layout-queue-${tag}`);
        // Rows stacked without overlap or clipping, header on one line, no select alone on a line below.
        await expectQueueFits(page);
        // A cut title has its full text as a tooltip.
        expect(await page.locator(`#claim-row-${carolClaims[0]!.id} .row-title`).getAttribute('title')).toBe(
          LONG_TITLE,
        );
        // The longest step label is shown (ellipsized if need be, never wrapped).
        expect(await page.locator('[role="option"] .step').first().textContent()).toBe(
          locale === 'en' ? 'Department manager' : '部门经理',
        );
        // The keyboard hint is fully inside the window.
        expect(await isInViewport(page, 'queue-list')).toBe(true);
        expect(
          await page.evaluate(
            '(() => { const b = document.querySelector(".hint").getBoundingClientRect(); return b.bottom <= innerHeight; })()',
          ),
        ).toBe(true);
        // At most one region scrolls (with five claims, none needs to).
        expect((await scrollers(page)).filter((name) => name === 'page')).toEqual([]);

        // A claim: focus on its heading; submitter and total in the header; the decision in view.
        const claim = carolClaims[0]!;
        await openClaim(page, claim);
        await expect
          .poll(() => page.evaluate('document.activeElement?.dataset.testid'), WAIT)
          .toBe('claim-title');
        expect(await page.getByTestId('claim-submitter').textContent()).toBe('Alice Zhang');
        expect(await page.getByTestId('claim-head-total').textContent()).toBe(
          locale === 'en' ? 'CN¥3,498.00' : '¥3,498.00',
        );
        // The queue is covered at this width; only the claim body scrolls, never the page.
        expect(await page.locator('.queue').isVisible()).toBe(false);
        expect(await scrollers(page)).toEqual(['claim-body']);
        expect(await hasHorizontalOverflow(page)).toBe(false);
        // Approval-chain names never break inside a name.
        const names: boolean[] = await page.evaluate(
          `[...document.querySelectorAll('.chain .person')].map((el) =>
            el.getClientRects().length === 1 && getComputedStyle(el).whiteSpace === 'nowrap')`,
        );
        expect(names.length).toBeGreaterThan(0);
        expect(names.every(Boolean)).toBe(true);
        await harness.screenshot(page, `layout-claim-${tag}`);

        await page.getByTestId('approve').click();
        await page.getByTestId('confirm').waitFor(WAIT);
        const question = await page.getByTestId('confirm-question').textContent();
        expect(question).toContain(claim.id);
        expect(question).toContain('Alice Zhang');
        expect(question).toContain('3,498.00');
        for (const id of ['confirm-question', 'claim-submitter', 'claim-head-total', 'confirm-submit']) {
          expect(await isInViewport(page, id), id).toBe(true);
        }
        await harness.screenshot(page, `layout-confirm-${tag}`);
        await page.getByTestId('confirm-cancel').click();

        // A JPY claim is shown with its code, never as a bare "¥" a reader takes for yuan.
        await page.locator('.claim-nav .back').click();
        await openClaim(page, carolClaims[2]!);
        expect(await page.getByTestId('claim-head-total').textContent()).toMatch(/^JPY\s84,511$/);
      } finally {
        await page.close();
      }
    });

    it('buttons keep their contrast at rest, under the mouse, focused and disabled; the focus ring shows', async () => {
      const page = await openWindow(locale, scheme, TRAY);
      try {
        await openClaim(page, carolClaims[1]!);
        await expectReadableInEveryState(page, 'approve');
        await expectReadableInEveryState(page, 'reject');
        await page.getByTestId('reject').click();
        await page.getByTestId('reason').waitFor(WAIT);
        await expectReadableInEveryState(page, 'confirm-submit');
        await page.getByTestId('confirm-cancel').click();

        // The list shows focus on its selected row only: one frame, in the accent, not around the list.
        await page.keyboard.press('Escape');
        await page.getByTestId('queue-list').waitFor(WAIT);
        await page.keyboard.press('Shift');
        await page.getByTestId('queue-list').focus();
        const focus = await page.evaluate(`(() => { ${IN_PAGE}
          const list = document.querySelector('[data-testid="queue-list"]');
          const row = list.querySelector('[aria-selected="true"]');
          const shadow = getComputedStyle(row).boxShadow;
          const ring = rgba(shadow);
          return { listOutline: getComputedStyle(list).outlineStyle, ring: ring && contrast(ring, backgroundOf(row)),
            inset: shadow.includes('inset') };
        })()`);
        expect(focus).toMatchObject({ listOutline: 'none', inset: true });
        expect((focus as { ring: number }).ring).toBeGreaterThanOrEqual(3);
      } finally {
        await page.close();
      }
    });

    it('wide (1280×800): the queue stays beside the open claim', async () => {
      const page = await openWindow(locale, scheme, WIDE);
      try {
        const tag = `${locale}-${scheme}-1280`;
        await harness.screenshot(page, `layout-queue-${tag}`);
        await openClaim(page, carolClaims[0]!);
        const list = (await page.getByTestId('queue-list').boundingBox())!;
        const detail = (await page.locator('.claim').boundingBox())!;
        expect(await page.getByTestId('queue-list').isVisible()).toBe(true);
        expect(list.x + list.width).toBeLessThanOrEqual(detail.x);
        expect(Math.abs(list.y - detail.y)).toBeLessThan(120); // side by side, not stacked
        expect(await page.locator(`#claim-row-${carolClaims[0]!.id}`).getAttribute('aria-selected')).toBe(
          'true',
        );
        expect(await hasHorizontalOverflow(page)).toBe(false);
        await harness.screenshot(page, `layout-claim-${tag}`);
        await page.getByTestId('approve').click();
        await page.getByTestId('confirm').waitFor(WAIT);
        expect(await isInViewport(page, 'confirm-submit')).toBe(true);
        await harness.screenshot(page, `layout-confirm-${tag}`);
      } finally {
        await page.close();
      }
    });
  });
});

// "At every width from 360 px up": the narrowest, the phone-like breakpoint (560), just below and at the
// point where list and claim go side by side (900). Light only: the scheme changes colours, not boxes.
describe.each(LOCALES.map((locale) => locale.name))('%s at other widths', (locale) => {
  it.each([360, 560, 899, 900])(
    '%i×640: rows never overlap or clip, nothing wider than the window, the decision in view',
    async (width) => {
      const page = await openWindow(locale, 'light', { width, height: 640 });
      try {
        await expectQueueFits(page);
        if (width === 360) await harness.screenshot(page, `layout-queue-${locale}-light-360`);

        await openClaim(page, carolClaims[0]!);
        await page.getByTestId('approve').click();
        await page.getByTestId('confirm').waitFor(WAIT);
        expect(await hasHorizontalOverflow(page)).toBe(false);
        for (const id of ['confirm-question', 'claim-submitter', 'claim-head-total', 'confirm-submit']) {
          expect(await isInViewport(page, id), `${id} at ${width}`).toBe(true);
        }
        if (width === 360) await harness.screenshot(page, `layout-confirm-${locale}-light-360`);
        await page.getByTestId('confirm-cancel').click();
      } finally {
        await page.close();
      }
    },
  );
});

describe('working through the queue (en, 420×640)', () => {
  it('marks claims waiting more than 48 hours as overdue, visibly and in words', async () => {
    const page = await browser.newPage({ viewport: TRAY });
    try {
      await page.clock.setFixedTime(Date.now() + 50 * 3600_000);
      await page.goto(previews.get('en')!.url);
      await page.getByTestId('queue-list').waitFor(WAIT);
      const flags = page.locator('[role="option"] [data-testid="overdue"]');
      await expect.poll(() => flags.count(), WAIT).toBe(carolClaims.length);
      expect(await flags.first().textContent()).toBe('OverdueOverdue: waiting on you for more than 48 hours');
      expect(await flags.first().locator('[aria-hidden="true"]').isVisible()).toBe(true);
      const rows = await harness.rowBoxes(page);
      expect(rows.every((row) => !row.clipsX && !row.clipsY && !row.linesClip)).toBe(true);
      await harness.screenshot(page, 'layout-queue-overdue-en-light-420');
    } finally {
      await page.close();
    }
  });

  it('sorts by amount and submitter, and searches amounts as people type them and item descriptions', async () => {
    const page = await openWindow('en', 'light', TRAY);
    try {
      const ids = () =>
        page
          .locator('[role="option"]')
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-claim-id')));
      expect(await ids()).toEqual(carolClaims.map((claim) => claim.id)); // oldest first by default
      await page.getByTestId('sort').selectOption('amount');
      const byAmount = await ids();
      // CNY first (grouped by currency), largest first: 3,498.00 before the 640.50 ones; JPY last.
      expect(byAmount[0]).toBe(carolClaims[0]!.id);
      expect(byAmount.at(-1)).toBe(carolClaims[2]!.id);
      await page.getByTestId('sort').selectOption('age');

      const search = async (text: string) => {
        await page.getByTestId('search').fill(text);
        return ids();
      };
      expect(await search('3498')).toEqual([carolClaims[0]!.id]);
      expect(await search('3,498')).toEqual([carolClaims[0]!.id]);
      expect(await search('349800')).toEqual([carolClaims[0]!.id]); // minor units
      expect(await search('84,511')).toEqual([carolClaims[2]!.id]);
      expect(await search('640.50')).toHaveLength(3);
      // Line-item descriptions, as the real stub puts them in each summary of the queue.
      expect(await search('shinjuku')).toEqual([carolClaims[2]!.id]);
      expect(await search('conference fee')).toEqual([carolClaims[0]!.id]);
      await search('');
    } finally {
      await page.close();
    }
  });

  it('Next/Previous and j/k move through the queue inside a claim; a decision selects the next claim', async () => {
    const page = await openWindow('en', 'light', TRAY);
    try {
      await openClaim(page, carolClaims[1]!);
      expect(await page.getByTestId('claim-position').textContent()).toBe(`2 of ${carolClaims.length}`);
      await page.getByTestId('next-claim').click();
      await expect
        .poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT)
        .toBe(carolClaims[2]!.title);
      await page.getByTestId('previous-claim').click();
      await expect
        .poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT)
        .toBe(carolClaims[1]!.title);
      await page.keyboard.press('j');
      await expect
        .poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT)
        .toBe(carolClaims[2]!.title);
      await page.keyboard.press('k');
      await expect
        .poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT)
        .toBe(carolClaims[1]!.title);
      await page.keyboard.press('ArrowDown');
      await expect
        .poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT)
        .toBe(carolClaims[2]!.title);
      await page.keyboard.press('ArrowUp');
      await expect
        .poll(() => page.getByTestId('claim-title').getAttribute('title'), WAIT)
        .toBe(carolClaims[1]!.title);

      // Approve the second claim: back in the queue, the third (the one after it) is selected.
      await page.getByTestId('approve').click();
      await page.getByTestId('confirm-submit').click();
      await expect.poll(() => page.locator('[role="option"]').count(), WAIT).toBe(carolClaims.length - 1);
      await expect
        .poll(() => page.locator('[role="option"][aria-selected="true"]').getAttribute('data-claim-id'), WAIT)
        .toBe(carolClaims[2]!.id);
      // The toast ("Approved …") has its own place below the content: the queue's end is above it…
      await page.locator('.toast:not(:empty)').waitFor(WAIT);
      expect(await toastOver(page, '.hint')).toEqual({ shown: true, inView: true, overlap: 0 });
      await harness.screenshot(page, 'layout-after-decision-en-light-420');
      // …and so is the end of the next claim, opened while the toast still shows (it lasts 5 s).
      await openClaim(page, carolClaims[2]!);
      expect(await toastOver(page, '.claim-body > :last-child', '.claim-body')).toEqual({
        shown: true,
        inView: true,
        overlap: 0,
      });
      await harness.screenshot(page, 'layout-claim-with-toast-en-light-420');
    } finally {
      await page.close();
    }
  });
});
