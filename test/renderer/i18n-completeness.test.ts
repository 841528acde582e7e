// Every view and state of the queue window in 简体中文, in real Chromium (whose own locale stays en-US, so
// anything that follows the browser instead of the app shows up as English). The walk is a TABLE of
// steps: each gets the window into one state, proves it is there, then collects what a person sees
// (body text, title/placeholder/aria-label attributes, option labels) and fails on Latin words outside
// the reviewed allowlist (test/support/visible-text.ts), raw catalog keys, 12-hour times and native
// date/time inputs. Each state is saved as i18n-<step>-{light,dark}.png at tray size (420×640).
//
// Adding a view (e.g. the Done or My claims list): append a step with the `enter` that gets there from
// the previous state and the selector that proves it is showing; the checks and screenshots come free.
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimDetail } from '../../protocol';
import { en } from '../../renderer/i18n/en';
import { DEMO_USERS } from '../../server-stub/org/demo-org';
import * as harness from '../support/renderer-harness';
import { useStubProcess } from '../support/use-stub';
import { type Finding, findLeaks } from '../support/visible-text';

const WAIT = { timeout: 15_000 };
const TRAY = { width: 420, height: 640 };
const HOUR = 3600_000;

const stub = useStubProcess();
let browser: Browser;
let preview: harness.Preview;
let page: Page;
let erin: ApiClient;
let frank: ApiClient;
let grace: ApiClient;
/** Claims waiting at the finance step, on dave and grace alike, by what the walk does with them. */
type ClaimRole = 'approve' | 'reject' | 'conflict' | 'overtaken' | 'stays' | 'toast';
/** Filled by the `queue` step, before any step that uses them. */
const claims = {} as Record<ClaimRole, ClaimDetail>;

/** Erin submits (Han titles and items: server data the scanner need not excuse), frank approves. */
async function atFinance(title: string, overrides: Parameters<typeof harness.claimRequest>[0] = {}) {
  const submitted = await erin.submitClaim(
    harness.claimRequest({
      title,
      items: [
        { description: '高铁票', amountMinor: 55_300 },
        { description: '出租车', amountMinor: 8_750 },
      ],
      ...overrides,
    }),
  );
  return frank.approve(submitted.id, { version: submitted.version, comment: '同意' });
}

// ---- what the person sees, collected in the page (a string: the Node-side tsconfig has no DOM) ----

interface Seen {
  lang: string;
  parts: string[];
  /** Native date/time inputs: they render in the browser's locale, never the app's. */
  nativeTimeInputs: string[];
}

const COLLECT = `(() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.body.querySelectorAll('[title], [placeholder], [aria-label]')) {
    for (const name of ['title', 'placeholder', 'aria-label']) {
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  // A closed drop-down shows one option; the others show when it opens.
  for (const option of document.querySelectorAll('option')) parts.push(option.textContent);
  const nativeTimeInputs = [...document.querySelectorAll('input')]
    .filter((input) => ['time', 'date', 'datetime-local', 'month', 'week'].includes(input.type))
    .map((input) => input.getAttribute('data-testid') || input.type);
  return { lang: document.documentElement.lang, parts, nativeTimeInputs };
})()`;

const PEOPLE = DEMO_USERS.map((user) => user.name);
const CATALOG_KEYS = Object.keys(en);

async function check(stepName: string): Promise<void> {
  const seen = (await page.evaluate(COLLECT)) as Seen;
  expect(seen.lang, stepName).toBe('zh-CN');
  expect(seen.nativeTimeInputs, `${stepName}: native date/time inputs`).toEqual([]);
  const findings = findLeaks(seen.parts, { people: PEOPLE, catalogKeys: CATALOG_KEYS });
  const report = (finding: Finding) => `${finding.kind} "${finding.match}" in …${finding.context}…`;
  expect(findings.map(report), `${stepName}: not Chinese`).toEqual([]);
}

async function shoot(stepName: string): Promise<void> {
  await harness.screenshot(page, `i18n-${stepName}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await harness.screenshot(page, `i18n-${stepName}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

const testId = (id: string) => `[data-testid="${id}"]`;
const rows = () => page.locator('[role="option"]');
/**
 * Waits for the toast to say `text`. Polled: the queue can lose the claim (stream) a moment before the
 * action's answer sets the toast.
 */
const toastSays = (text: string) => expect.poll(() => page.locator('.toast').textContent(), WAIT).toBe(text);

async function openClaim(claim: ClaimDetail): Promise<void> {
  await page.getByRole('button', { name: /待审批/ }).click();
  await page.locator(`#claim-row-${claim.id}`).click();
  await expect.poll(() => page.getByTestId('claim-title').textContent(), WAIT).toBe(claim.title);
}

async function openSettings(): Promise<void> {
  await page.getByRole('button', { name: '设置' }).click();
  await page.locator('#settings-title').waitFor(WAIT);
}

/** Matches the preview bridge's request for an IPC channel (the bridge URL-encodes the colon). */
function ipcUrl(channel: string): (url: URL) => boolean {
  return (url) => decodeURIComponent(url.pathname) === `/ipc/${channel}`;
}

/** Fulfils the page's next call of an IPC channel with `answer` instead of reaching the core. */
async function answerOnce(channel: string, answer: unknown): Promise<void> {
  await page.route(ipcUrl(channel), (route: Route) => route.fulfill({ json: answer }), { times: 1 });
}

interface Step {
  /** Names the screenshots: test-artifacts/screenshots/i18n-<name>-{light,dark}.png. */
  name: string;
  /** Gets the window from the previous step's state into this one. */
  enter(): Promise<void>;
  /** A selector that must be visible in this state, so a step cannot pass by showing something else. */
  shows: string;
  /** Extra facts about the state, beyond "all of it is Chinese". */
  verify?(): Promise<void>;
  /** Says why the step does not apply to this build (the walk reports it), or null. */
  skip?(): Promise<string | null>;
}

const STEPS: Step[] = [
  // ---- sign in ----
  { name: 'signin', enter: async () => {}, shows: testId('signin-submit') },
  {
    name: 'signin-wrong-password',
    enter: () => harness.signInThroughWindow(page, 'dave', 'not-the-password'),
    shows: `${testId('signin-error')}[data-kind="invalid-credentials"]`,
  },
  {
    name: 'signin-unreachable',
    async enter() {
      // Port 9 (discard) has no listener on loopback: the server cannot be reached.
      await page.getByTestId('server-url').fill('http://127.0.0.1:9');
      await harness.signInThroughWindow(page, 'dave');
    },
    shows: `${testId('signin-error')}[data-kind="unreachable"]`,
  },
  // ---- queue ----
  {
    name: 'queue-empty',
    async enter() {
      await page.getByTestId('server-url').fill(stub().url);
      await harness.signInThroughWindow(page, 'dave');
    },
    shows: testId('empty-queue'),
  },
  {
    name: 'queue',
    async enter() {
      claims.approve = await atFinance('北京客户拜访');
      claims.reject = await atFinance('团队聚餐', { category: 'meals' });
      claims.conflict = await atFinance('上海培训课程', { category: 'training' });
      claims.overtaken = await atFinance('深圳展会住宿', { category: 'lodging' });
      // A foreign currency is shown with its ISO code in zh-CN (JPY 84,511): the allowlist's codes.
      claims.stays = await atFinance('东京合作伙伴拜访', {
        currency: 'JPY',
        items: [{ description: '新宿酒店', amountMinor: 84_511 }],
        totalMinor: 84_511,
      });
      claims.toast = await atFinance('办公用品采购', { category: 'supplies' });
      await expect.poll(() => rows().count(), WAIT).toBe(6);
    },
    shows: testId('queue-list'),
    async verify() {
      expect(await page.getByTestId('queue-count').textContent()).toBe('共 6 笔');
    },
  },
  {
    name: 'queue-search',
    async enter() {
      await page.getByTestId('search').fill('聚餐');
      await expect.poll(() => rows().count(), WAIT).toBe(1);
    },
    shows: testId('queue-list'),
    async verify() {
      expect(await page.getByTestId('queue-count').textContent()).toBe('显示 1 笔，共 6 笔');
    },
  },
  {
    name: 'queue-filtered-sorted',
    async enter() {
      await page.getByTestId('search').fill('');
      await page.getByTestId('category-filter').selectOption('travel');
      await page.getByTestId('sort').selectOption('amount');
      await expect.poll(() => rows().count(), WAIT).toBe(2);
    },
    shows: testId('queue-list'),
  },
  {
    name: 'queue-no-matches',
    async enter() {
      await page.getByTestId('step-filter').selectOption('supervisor');
    },
    shows: testId('no-matches'),
    async verify() {
      await page.getByRole('button', { name: '清除筛选' }).click();
      await expect.poll(() => rows().count(), WAIT).toBe(6);
    },
  },
  // ---- a claim ----
  {
    name: 'claim',
    enter: () => openClaim(claims.approve),
    shows: testId('audit'),
    async verify() {
      // The audit trail's times are 24-hour (the scanner has already ruled out 上午/下午 and AM/PM).
      expect(await page.locator('[data-testid="audit"] time').first().textContent()).toMatch(/\d{2}:\d{2}$/);
    },
  },
  {
    name: 'claim-approve-confirm',
    async enter() {
      await page.getByTestId('approve').click();
      await page.getByTestId('comment').fill('发票齐全');
    },
    shows: testId('confirm'),
  },
  {
    name: 'queue-approved-toast',
    enter: () => page.getByTestId('confirm-submit').click(),
    shows: '.toast:not(:empty)',
    verify: () => toastSays(`已批准 ${claims.approve.id}。`),
  },
  {
    name: 'claim-reject-reason-required',
    async enter() {
      await openClaim(claims.reject);
      await page.getByTestId('reject').click();
      await page.getByTestId('confirm-submit').click();
    },
    shows: testId('reason-error'),
  },
  {
    name: 'queue-rejected-toast',
    async enter() {
      await page.getByTestId('reason').fill('聚餐需事先审批');
      await page.getByTestId('confirm-submit').click();
      await expect.poll(() => rows().count(), WAIT).toBe(4);
    },
    shows: '.toast:not(:empty)',
    verify: () => toastSays(`已驳回 ${claims.reject.id}。`),
  },
  {
    // Grace approves while dave's approval is on its way: the server answers 409 and the CORE words the
    // conflict (main/core/actions.ts), in the window's language.
    name: 'claim-conflict',
    async enter() {
      await openClaim(claims.conflict);
      await page.getByTestId('approve').click();
      await page.route(
        ipcUrl('claim:approve'),
        async (route: Route) => {
          await grace.approve(claims.conflict.id, { version: claims.conflict.version });
          await route.continue();
        },
        { times: 1 },
      );
      await page.getByTestId('confirm-submit').click();
    },
    shows: testId('action-notice'),
    async verify() {
      await expect
        .poll(() => page.getByTestId('action-notice').textContent(), WAIT)
        .toBe('该报销已有变化 已由 Grace Chen 批准');
    },
  },
  {
    // Grace approves while dave's confirmation is open: the window says so before he submits.
    name: 'claim-overtaken',
    async enter() {
      await openClaim(claims.overtaken);
      await page.getByTestId('approve').click();
      await page.getByTestId('confirm').waitFor(WAIT);
      await grace.approve(claims.overtaken.id, { version: claims.overtaken.version });
    },
    shows: testId('action-notice'),
    async verify() {
      await expect.poll(() => page.getByTestId('confirm-submit').isDisabled(), WAIT).toBe(true);
      // First "decided elsewhere" (the claim left my queue), then who decided once the claim reloads.
      await expect
        .poll(() => page.getByTestId('action-notice').textContent(), WAIT)
        .toBe('已由 Grace Chen 批准。');
    },
  },
  {
    name: 'claim-load-failed',
    async enter() {
      await answerOnce('claim:get', {
        ok: false,
        error: { kind: 'not-found', message: 'claim EXP-999999 not found (English diagnostic)' },
      });
      await page.getByRole('button', { name: /待审批/ }).click();
      await page.locator(`#claim-row-${claims.stays.id}`).click();
    },
    shows: '.claim .error',
    async verify() {
      expect(await page.locator('.claim .error').textContent()).toBe(
        '无法加载该报销。 该报销不存在或您无权查看。',
      );
    },
  },
  // ---- offline ----
  {
    name: 'claim-offline',
    async enter() {
      await openClaim(claims.stays);
      await stub().stop();
    },
    shows: testId('offline-banner'),
    async verify() {
      expect(await page.getByTestId('approve').isDisabled()).toBe(true);
      // At tray size the banner's text wraps, never its button: 立即重试 on one line, inside the banner.
      expect(
        await page.evaluate(`(() => {
          const button = document.querySelector('${testId('offline-banner')} > button');
          const range = document.createRange();
          range.selectNodeContents(button);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          const box = button.getBoundingClientRect();
          const banner = button.parentElement.getBoundingClientRect();
          return { text: button.textContent, lines: lines.size,
            inside: box.left >= banner.left && box.right <= banner.right && box.bottom <= banner.bottom };
        })()`),
      ).toEqual({ text: '立即重试', lines: 1, inside: true });
    },
  },
  {
    name: 'queue-offline',
    enter: () => page.getByRole('button', { name: /待审批/ }).click(),
    shows: testId('offline-banner'),
  },
  // ---- settings ----
  {
    name: 'settings',
    async enter() {
      // Back online first (same port, same database).
      await stub().restart();
      const retry = page.getByRole('button', { name: '立即重试' });
      await retry.click({ timeout: 2_000 }).catch(() => {}); // it may have reconnected on its own
      await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), WAIT).toBe('online');
      await openSettings();
    },
    shows: testId('quiet-start'),
    async verify() {
      // The quiet-hours fields show the app's 24-hour time, not the browser's (en-US: 10:00 PM).
      expect(await page.getByTestId('quiet-start').inputValue()).toMatch(/^\d{2}:\d{2}$/);
      expect(await page.getByTestId('quiet-end').inputValue()).toMatch(/^\d{2}:\d{2}$/);
    },
  },
  {
    name: 'settings-paused-saved',
    async enter() {
      await page.getByTestId('pause').selectOption('hour');
      await expect.poll(() => page.getByTestId('settings-status').textContent(), WAIT).toBe('已保存。');
    },
    shows: testId('pause'),
    async verify() {
      // The running pause is an option of its own, "已暂停至 <date time>", 24-hour.
      expect(await page.locator(`${testId('pause')} option[value="until"]`).textContent()).toMatch(
        /^已暂停至 \d{4}年\d+月\d+日 \d{2}:\d{2}$/,
      );
    },
  },
  {
    name: 'settings-quiet-hours',
    async enter() {
      await page.getByTestId('quiet-enabled').check();
      await page.getByTestId('quiet-start').fill('22:30');
      await page.getByTestId('quiet-end').fill('7:05');
      await page.getByTestId('quiet-end').blur();
    },
    shows: testId('quiet-start'),
    async verify() {
      const saved = () =>
        page.evaluate(`window.signoff.getState({}).then((s) => s.ok && s.value.settings.quietHours)`);
      await expect.poll(saved, WAIT).toEqual({ enabled: true, start: '22:30', end: '07:05' });
      expect(await page.getByTestId('quiet-end').inputValue()).toBe('07:05');
    },
  },
  {
    name: 'settings-quiet-invalid',
    async enter() {
      await page.getByTestId('quiet-start').fill('25:99');
      await page.getByTestId('quiet-start').blur();
    },
    shows: testId('quiet-start-error'),
    async verify() {
      expect(await page.getByTestId('quiet-start-error').textContent()).toBe(
        '请输入 24 小时制时间，例如 22:00。',
      );
    },
  },
  {
    // A save main refuses, with main's English diagnostic: the window says it in Chinese by kind.
    name: 'settings-save-failed',
    async enter() {
      await page.getByTestId('quiet-start').fill('22:30');
      await page.getByTestId('quiet-start-error').waitFor({ state: 'detached', ...WAIT });
      await answerOnce('settings:update', {
        ok: false,
        error: { kind: 'internal', message: 'EACCES: permission denied, open settings.json' },
      });
      await page.getByTestId('reminders-enabled').click();
    },
    shows: `${testId('settings-status')}.error`,
    async verify() {
      expect(await page.getByTestId('settings-status').textContent()).toBe(
        '未保存：Signoff 内部出错，详情见日志。',
      );
    },
  },
  // ---- Done and My claims ----
  {
    name: 'done-list',
    enter: () => page.getByRole('button', { name: '已处理' }).click(),
    shows: testId('list-done'),
  },
  {
    name: 'mine-list',
    enter: () => page.getByRole('button', { name: '我的报销' }).click(),
    shows: testId('list-mine'),
  },
  // ---- announcements and the overdue marker (the clock moves on: keep these last) ----
  {
    name: 'queue-announcement',
    async skip() {
      const carried = await page.evaluate(
        `window.signoff.getState({}).then((s) => s.ok && 'announcements' in s.value)`,
      );
      return carried ? null : 'this core does not carry announcements in its snapshot yet';
    },
    async enter() {
      const admin = await harness.signedInClient(stub().url, 'admin');
      await admin.announce({ title: '系统维护通知', body: '本周六 22:00 至 23:00 暂停服务。' });
      await page.getByRole('button', { name: /待审批/ }).click();
    },
    shows: testId('announcements'),
  },
  {
    name: 'queue-overdue',
    async enter() {
      await page.getByRole('button', { name: /待审批/ }).click();
      // 50 hours on: every claim has waited past the 48-hour mark (useNow ticks once on the way).
      await page.clock.fastForward(50 * HOUR);
    },
    shows: testId('overdue'),
  },
];

beforeAll(async () => {
  browser = await harness.launchBrowser();
  erin = await harness.signedInClient(stub().url, 'erin');
  frank = await harness.signedInClient(stub().url, 'frank');
  grace = await harness.signedInClient(stub().url, 'grace');
  // The "OS" is Chinese; the browser's own locale stays en-US.
  preview = await harness.startPreview(stub().url, { locale: 'zh-CN' });
  page = await browser.newPage({ viewport: TRAY, colorScheme: 'light' });
  page.setDefaultTimeout(10_000);
  // A controllable clock that runs at real speed, so the overdue step can move it on.
  await page.clock.install();
  await page.goto(preview.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

describe('every state of the window in 简体中文', () => {
  const skipped: string[] = [];
  for (const step of STEPS) {
    it(step.name, async () => {
      const why = (await step.skip?.()) ?? null;
      if (why) {
        skipped.push(`${step.name}: ${why}`);
        console.warn(`i18n walk: skipped ${step.name} (${why})`);
        return;
      }
      await step.enter();
      await page
        .locator(step.shows)
        .first()
        .waitFor({ state: 'attached', ...WAIT });
      await step.verify?.();
      await check(step.name);
      await shoot(step.name);
    }, 60_000);
  }

  it('walked every step but the ones that do not apply yet', () => {
    // Only announcements may be missing (another change brings them to the core's snapshot).
    expect(skipped.every((line) => line.startsWith('queue-announcement:'))).toBe(true);
  });
});

describe('switching the language', () => {
  it('re-words what is already on screen: the settings status and a toast', async () => {
    await openSettings();
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.locator('#settings-title').textContent(), WAIT).toBe('Settings');
    await expect.poll(() => page.getByTestId('settings-status').textContent(), WAIT).toBe('Saved.');
    // The save that switches to Chinese is answered while the English catalog is still rendered.
    await page.getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.locator('#settings-title').textContent(), WAIT).toBe('设置');
    await expect.poll(() => page.getByTestId('settings-status').textContent(), WAIT).toBe('已保存。');

    // Approve in English; the toast (5 s) is still up when the language becomes Chinese.
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => page.locator('#settings-title').textContent(), WAIT).toBe('Settings');
    await page.getByRole('button', { name: /Queue/ }).click();
    await page.locator(`#claim-row-${claims.toast.id}`).click();
    await page.getByTestId('approve').click();
    await page.getByTestId('confirm-submit').click();
    await toastSays(`Approved ${claims.toast.id}.`);
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.locator('#settings-title').textContent(), WAIT).toBe('设置');
    expect(await page.locator('.toast').textContent()).toBe(`已批准 ${claims.toast.id}。`);
    await check('language-switched');
    await shoot('language-switched');
  }, 60_000);
});
