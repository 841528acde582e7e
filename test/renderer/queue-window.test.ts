// The queue window in real Chromium, driven through the built renderer served by the preview harness,
// whose window.signoff reaches the real IPC handlers on a real core connected to a real stub process.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MORNING_HOUR } from '../../main/common/pause-presets';
import { nextLocalTime } from '../../main/core/pause-presets';
import type { ApiClient, ClaimDetail } from '../../protocol';
import type { InPageDocument, InPageWindow } from '../support/in-page';
import * as harness from '../support/renderer-harness';
import { useStubProcess } from '../support/use-stub';

// Browser globals for page.evaluate() callbacks (they run in Chromium).
declare const window: InPageWindow;
declare const document: InPageDocument;

const WAIT = { timeout: 10_000 };

const stub = useStubProcess();
let browser: Browser;
let alice: ApiClient;
let grace: ApiClient;
let bobPreview: harness.Preview;
let bobPage: Page;
const bobClaims: ClaimDetail[] = [];

async function rowCount(page: Page): Promise<number> {
  return page.locator('[data-testid="queue-list"] [role="option"]').count();
}

/** The settings as the core saved them (read back through the bridge, not from the form). */
function savedSettings(page: Page) {
  return page.evaluate(async () => {
    const state = await window.signoff!.getState({});
    return state.ok ? state.value.settings : null;
  });
}

async function openQueue(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Queue/ }).click();
  await page.getByTestId('queue-list').waitFor({ state: 'attached', ...WAIT });
}

beforeAll(async () => {
  browser = await harness.launchBrowser();
  alice = await harness.signedInClient(stub().url, 'alice');
  grace = await harness.signedInClient(stub().url, 'grace');
  // Four claims from alice wait on her supervisor bob; one is a meal, so the filters have work to do.
  for (const overrides of [
    { title: 'Client visit Shanghai' },
    { title: 'Team dinner', category: 'meals' as const },
    { title: 'Conference Hangzhou' },
    { title: 'Keyboard shortcut trip' },
  ]) {
    bobClaims.push(await alice.submitClaim(harness.claimRequest(overrides)));
  }
  bobPreview = await harness.startPreview(stub().url);
  bobPage = await browser.newPage({ viewport: { width: 900, height: 720 } });
  await bobPage.goto(bobPreview.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bobPreview?.stop();
});

describe('sign in', () => {
  it('says "wrong password" for bad credentials, then signs in and shows the queue oldest first', async () => {
    const page = bobPage;
    await page.getByTestId('signin-submit').waitFor(WAIT);
    // The preview points the form at the stub it was given.
    expect(await page.getByTestId('server-url').inputValue()).toBe(stub().url);
    await harness.screenshot(page, 'sign-in');

    await harness.signInThroughWindow(page, 'bob', 'not-the-password');
    const error = page.getByTestId('signin-error');
    await error.waitFor(WAIT);
    expect(await error.getAttribute('data-kind')).toBe('invalid-credentials');
    expect(await error.textContent()).toBe('Wrong username or password.');

    await harness.signInThroughWindow(page, 'bob');
    await page.getByTestId('queue-list').waitFor(WAIT);
    await expect.poll(() => rowCount(page), WAIT).toBe(4);
    expect(await page.getByTestId('queue-count').textContent()).toBe('4 claims');
    expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('online');

    const ids = await page.locator('[role="option"]').evaluateAll((rows) => rows.map((row) => row.id));
    expect(ids).toEqual(bobClaims.map((claim) => `claim-row-${claim.id}`));
    const first = page.locator('[role="option"]').first();
    const text = await first.textContent();
    expect(text).toContain('Client visit Shanghai');
    expect(text).toContain('Alice Zhang');
    expect(text).toContain('CN¥640.50'); // 64,050 fen, formatted by Intl from integer minor units
    expect(text).toContain('Supervisor');
    expect(text).toMatch(/reached you (just now|1 minute ago)/);
    await harness.screenshot(page, 'queue-light');
  });
});

describe('queue search and filters', () => {
  it('filters by text, category and step, counts what is shown, and says when nothing matches', async () => {
    const page = bobPage;
    await page.getByTestId('search').fill('hangzhou');
    await expect.poll(() => rowCount(page), WAIT).toBe(1);
    expect(await page.getByTestId('queue-count').textContent()).toBe('1 of 4 claims');

    await page.getByTestId('search').fill(bobClaims[1]!.id.toLowerCase()); // ids match too
    await expect
      .poll(() => page.locator('[role="option"]').first().textContent(), WAIT)
      .toContain('Team dinner');

    await page.getByTestId('search').fill('');
    await page.getByTestId('category-filter').selectOption('meals');
    await expect.poll(() => rowCount(page), WAIT).toBe(1);

    await page.getByTestId('category-filter').selectOption('all');
    await page.getByTestId('step-filter').selectOption('finance');
    await page.getByTestId('no-matches').waitFor(WAIT);
    expect(await page.getByTestId('no-matches').textContent()).toContain('No claims match');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rowCount(page), WAIT).toBe(4);
  });
});

describe('claim detail and actions', () => {
  it('shows line items, the total, the chain with the current step highlighted, and the history', async () => {
    const page = bobPage;
    const claim = bobClaims[0]!;
    await page.locator(`#claim-row-${claim.id}`).click();
    await page.getByTestId('claim-title').waitFor(WAIT);
    expect(await page.getByTestId('claim-title').textContent()).toBe('Client visit Shanghai');
    const items = await page.locator('table.items tbody tr').allTextContents();
    expect(items).toEqual(['Train ticketsCN¥553.00', 'TaxiCN¥87.50']);
    expect(await page.getByTestId('claim-total').textContent()).toBe('CN¥640.50');
    const current = page.locator('[data-testid="chain"] [aria-current="step"]');
    expect(await current.count()).toBe(1);
    expect(await current.textContent()).toContain('Supervisor');
    expect(await current.textContent()).toContain('Bob Li');
    expect(await page.getByTestId('audit').textContent()).toContain('Alice Zhang submitted the claim');
    await harness.screenshot(page, 'claim-detail-light');
  });

  it('approves with a comment after a confirmation step, and the claim leaves the queue', async () => {
    const page = bobPage;
    const claim = bobClaims[0]!;
    await page.getByTestId('approve').click();
    await page.getByTestId('confirm').waitFor(WAIT);
    await page.getByTestId('comment').fill('Receipts look fine');
    await harness.screenshot(page, 'approve-confirm');
    await page.getByTestId('confirm-submit').click();

    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Approved' }).count(), WAIT).toBe(1);
    expect(await page.locator('.toast').textContent()).toBe(`Approved ${claim.id}.`);
    await expect.poll(() => rowCount(page), WAIT).toBe(3);
    const after = await alice.getClaim(claim.id);
    expect(after.chain[0]?.status).toBe('approved');
    expect(after.audit.at(-1)).toMatchObject({ action: 'approved', comment: 'Receipts look fine' });
  });

  it('refuses to reject without a reason, then rejects with one', async () => {
    const page = bobPage;
    const claim = bobClaims[1]!;
    // The bridge itself refuses an empty reason (the handler validates with the contract).
    const refused = await page.evaluate(
      ({ id, version }) => window.signoff!.reject({ id, version, reason: '   ' }),
      { id: claim.id, version: claim.version },
    );
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });

    await page.locator(`#claim-row-${claim.id}`).click();
    await page.getByTestId('reject').click();
    await page.getByTestId('confirm-submit').click();
    await page.getByTestId('reason-error').waitFor(WAIT);
    expect(await page.getByTestId('reason-error').textContent()).toBe(
      'A reason is required to reject a claim.',
    );
    expect(await page.getByTestId('reason').getAttribute('aria-invalid')).toBe('true');
    expect((await alice.getClaim(claim.id)).state).toBe('pending');

    await page.getByTestId('reason').fill('Team dinners need a manager’s pre-approval');
    await page.getByTestId('confirm-submit').click();
    // The row leaves on the push, which can come before the action's own answer: wait for both, so
    // the window is back on the queue (the next test starts there).
    await expect.poll(() => rowCount(page), WAIT).toBe(2);
    await expect.poll(() => page.locator('.toast').textContent(), WAIT).toBe(`Rejected ${claim.id}.`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('queue-list');
    const after = await alice.getClaim(claim.id);
    expect(after.state).toBe('rejected');
    expect(after.audit.at(-1)).toMatchObject({
      action: 'rejected',
      comment: 'Team dinners need a manager’s pre-approval',
    });
  });

  it('approves with the keyboard only: / search, j/k, a, type a comment, Enter', async () => {
    const page = bobPage;
    const target = bobClaims[3]!;
    await page.keyboard.press('Escape'); // nothing open: a no-op on the queue
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search');
    await page.keyboard.type('shortcut');
    await expect.poll(() => rowCount(page), WAIT).toBe(1);
    await page.keyboard.press('Escape'); // clears the search and returns to the list
    await expect.poll(() => rowCount(page), WAIT).toBe(2);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('queue-list');

    await page.keyboard.press('j');
    const selected = () => page.locator('[role="option"][aria-selected="true"]').getAttribute('id');
    expect(await selected()).toBe(`claim-row-${target.id}`);
    await page.keyboard.press('k');
    expect(await selected()).toBe(`claim-row-${bobClaims[2]!.id}`);
    await page.keyboard.press('ArrowDown');
    expect(await selected()).toBe(`claim-row-${target.id}`);

    // Enter opens, Esc goes back.
    await page.keyboard.press('Enter');
    await page.getByTestId('claim-title').waitFor(WAIT);
    await page.keyboard.press('Escape');
    await page.getByTestId('queue-list').waitFor(WAIT);

    await page.keyboard.press('a');
    await page.getByTestId('comment').waitFor(WAIT);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), WAIT)
      .toBe('comment');
    await page.keyboard.type('OK by keyboard');
    await page.keyboard.press('Enter');
    await expect.poll(() => rowCount(page), WAIT).toBe(1);
    const after = await alice.getClaim(target.id);
    expect(after.audit.at(-1)).toMatchObject({ action: 'approved', comment: 'OK by keyboard' });
  });

  it('opens the claim a notification points at', async () => {
    const page = bobPage;
    const claim = bobClaims[2]!;
    await bobPreview.navigate(claim.id);
    await expect.poll(() => page.getByTestId('claim-title').textContent(), WAIT).toBe('Conference Hangzhou');
    await bobPreview.navigate();
    await page.getByTestId('queue-list').waitFor(WAIT);
  });

  it('the global shortcut shows the whole queue with its first claim selected and the list focused', async () => {
    const page = bobPage;
    const rows = page.locator('[role="option"]');
    const selected = () => page.locator('[role="option"][aria-selected="true"]').getAttribute('id');
    const shortcut = () =>
      fetch(`${bobPreview.url}/preview/navigate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ view: 'queue', focus: 'first' }),
      });
    // Two more claims, so there is a first and a later one whatever the earlier tests decided.
    await expect.poll(() => rowCount(page), WAIT).toBeGreaterThan(0);
    const before = await rowCount(page);
    for (const title of ['Shortcut taxi A', 'Shortcut taxi B']) {
      await alice.submitClaim(harness.claimRequest({ title }));
    }
    await expect.poll(() => rowCount(page), WAIT).toBe(before + 2);
    const first = await rows.first().getAttribute('id');

    // A later claim selected and the keyboard in the search field: back to the first, on the list.
    await page.keyboard.press('j');
    expect(await selected()).not.toBe(first);
    await page.getByTestId('search').focus();
    await shortcut();
    await expect.poll(selected, WAIT).toBe(first);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('queue-list');

    // A filter that hides every claim is cleared: the whole queue again.
    await page.keyboard.press('/');
    await page.keyboard.type('no such claim anywhere');
    await expect.poll(() => rowCount(page), WAIT).toBe(0);
    await shortcut();
    await expect.poll(() => page.getByTestId('search').inputValue(), WAIT).toBe('');
    await expect.poll(selected, WAIT).toBe(first);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('queue-list');
  });

  it('pauses by preset name: "Until morning" is the next 08:00, computed by the core', async () => {
    const page = bobPage;
    await page.getByRole('button', { name: 'Settings' }).click();
    const pausedUntil = () =>
      savedSettings(page).then((settings) => (settings ? settings.pausedUntil : 'failed'));
    await page.getByTestId('pause').selectOption('morning');
    await expect.poll(() => page.getByTestId('settings-status').textContent(), WAIT).toBe('Saved.');
    await expect.poll(pausedUntil, WAIT).toBe(nextLocalTime(Date.now(), MORNING_HOUR));
    await page.getByTestId('pause').selectOption('off');
    await expect.poll(pausedUntil, WAIT).toBeNull();
    await openQueue(page);
  });

  it('saves settings through settings:update and switches the language to 简体中文 and back', async () => {
    const page = bobPage;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('quiet-enabled').check();
    await expect.poll(() => page.getByTestId('settings-status').textContent(), WAIT).toBe('Saved.');
    await page.getByTestId('quiet-start').fill('21:30');
    // Saved in the core, not just typed into the field.
    const savedQuietHours = () =>
      savedSettings(page).then((settings) => (settings ? settings.quietHours : null));
    await expect.poll(savedQuietHours, WAIT).toEqual({ enabled: true, start: '21:30', end: '08:00' });
    await harness.screenshot(page, 'settings-light');

    await page.getByTestId('language').selectOption('zh-CN');
    await expect.poll(() => page.locator('#settings-title').textContent(), WAIT).toBe('设置');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang), WAIT).toBe('zh-CN');
    await page.getByRole('button', { name: /待审批/ }).click();
    await expect.poll(() => page.locator('#queue-title').textContent(), WAIT).toBe('等待您审批');
    const row = await page.locator('[role="option"]').first().textContent();
    expect(row).toContain('¥640.50');
    expect(row).toContain('直属主管');
    await harness.screenshot(page, 'queue-zh-CN');

    await page.getByRole('button', { name: '设置' }).click();
    await page.getByTestId('language').selectOption('system');
    await expect.poll(() => page.locator('#settings-title').textContent(), WAIT).toBe('Settings');
    // Esc leaves Settings for the queue, as it leaves a claim; a time being typed is saved on the way.
    await page.getByTestId('quiet-start').fill('21:45');
    await page.keyboard.press('Escape');
    await page.getByTestId('queue-list').waitFor({ state: 'attached', ...WAIT });
    expect(await page.locator('#settings-title').count()).toBe(0);
    await expect.poll(savedQuietHours, WAIT).toEqual({ enabled: true, start: '21:45', end: '08:00' });
  });
});

describe('network in Settings', () => {
  it('chooses a manual proxy (a non-http address is refused) and goes back to the system one', async () => {
    const page = bobPage;
    await page.getByRole('button', { name: 'Settings' }).click();
    const savedProxy = () => savedSettings(page).then((settings) => (settings ? settings.proxy : null));
    expect(await page.getByTestId('proxy-url').count()).toBe(0);
    await page.getByTestId('proxy-mode').selectOption('manual');
    await expect.poll(savedProxy, WAIT).toEqual({ mode: 'manual', url: null });

    await page.getByTestId('proxy-url').fill('socks5://proxy.example.com:1080');
    await page.getByTestId('proxy-url').press('Enter');
    await expect.poll(() => page.getByTestId('settings-status').textContent(), WAIT).toMatch(/^Not saved/);
    await page.getByTestId('proxy-url').fill('http://proxy.example.com:8080');
    await page.getByTestId('proxy-url').press('Enter');
    await expect.poll(savedProxy, WAIT).toEqual({ mode: 'manual', url: 'http://proxy.example.com:8080' });

    // The proxy's sign-in is write-only: main keeps it, the window hears back only the user name.
    const password = 'Window-typed-proxy-secret';
    await page.getByTestId('proxy-user').fill('approver');
    await page.getByTestId('proxy-password').fill(password);
    await page.getByTestId('save-proxy-credentials').click();
    const proxyUser = () =>
      page.evaluate(async () => {
        const state = await window.signoff!.getState({});
        return state.ok ? state.value.proxyUser : 'failed';
      });
    await expect.poll(proxyUser, WAIT).toBe('approver');
    await expect.poll(() => page.getByTestId('proxy-password').inputValue(), WAIT).toBe('');
    expect(await page.getByTestId('proxy-credentials').textContent()).toContain('Saved for approver.');
    const everything = await page.evaluate(async () => JSON.stringify(await window.signoff!.getState({})));
    expect(everything).not.toContain(password);
    await harness.screenshot(page, 'settings-proxy');
    await page.getByTestId('clear-proxy-credentials').click();
    await expect.poll(proxyUser, WAIT).toBeNull();

    await page.getByTestId('proxy-mode').selectOption('system');
    await expect.poll(savedProxy, WAIT).toEqual({ mode: 'system', url: 'http://proxy.example.com:8080' });
    expect(await page.getByTestId('proxy-url').count()).toBe(0);
  });
});

describe('notification actions and the global shortcut in Settings (issue 13)', () => {
  it('turns notification actions off, refuses a shortcut without a modifier, saves a valid one, turns it off', async () => {
    const page = bobPage;
    await page.getByRole('button', { name: 'Settings' }).click();
    const saved = async () => {
      const settings = await savedSettings(page);
      return (
        settings && {
          notificationActions: settings.notificationActions,
          globalShortcut: settings.globalShortcut,
        }
      );
    };
    await expect
      .poll(saved, WAIT)
      .toEqual({ notificationActions: true, globalShortcut: 'CommandOrControl+Alt+S' });
    await expect.poll(() => page.getByTestId('shortcut').inputValue(), WAIT).toBe('CommandOrControl+Alt+S');

    await page.getByTestId('notification-actions').uncheck();
    await expect
      .poll(saved, WAIT)
      .toEqual({ notificationActions: false, globalShortcut: 'CommandOrControl+Alt+S' });

    await page.getByTestId('shortcut').fill('S');
    await page.getByTestId('shortcut').press('Enter');
    await expect
      .poll(() => page.getByTestId('shortcut-invalid').textContent(), WAIT)
      .toBe('Use one key with Ctrl, Alt, Command or Super, such as CommandOrControl+Alt+S.');
    expect((await saved())?.globalShortcut).toBe('CommandOrControl+Alt+S');

    await page.getByTestId('shortcut').fill('Ctrl+Shift+F9');
    await page.getByTestId('shortcut').press('Enter');
    await expect.poll(saved, WAIT).toEqual({ notificationActions: false, globalShortcut: 'Ctrl+Shift+F9' });
    await expect.poll(() => page.getByTestId('shortcut-invalid').count(), WAIT).toBe(0);

    await page.getByTestId('shortcut-enabled').uncheck();
    await expect.poll(saved, WAIT).toEqual({ notificationActions: false, globalShortcut: null });
    await expect.poll(() => page.getByTestId('shortcut').isDisabled(), WAIT).toBe(true);
    await page.getByTestId('shortcut-enabled').check();
    await page.getByTestId('notification-actions').check();
    await expect
      .poll(saved, WAIT)
      .toEqual({ notificationActions: true, globalShortcut: 'CommandOrControl+Alt+S' });
    await openQueue(page);
  });
});

describe('a settings toggle under a slow save', () => {
  it('keeps showing the click while an earlier snapshot, sent before the save landed, re-renders the window', async () => {
    const page = bobPage;
    await page.getByRole('button', { name: 'Settings' }).click();
    const actions = page.getByTestId('notification-actions');
    const before = await actions.isChecked();

    // Hold the notification-actions save in the page until released; let every other call through.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/ipc/settings%3Aupdate', async (route) => {
      if (route.request().postData()?.includes('notificationActions')) await held;
      await route.continue();
    });
    try {
      await actions.setChecked(!before);
      // Another save answers with a snapshot that still has the old notificationActions value.
      const enabled = page.getByTestId('notifications-enabled');
      const wasEnabled = await enabled.isChecked();
      // Resolves once the window has been sent that snapshot (the one that would flip the box back).
      const staleSnapshotSeen = page.evaluate(
        (want) =>
          new Promise<void>((resolve) => {
            const stop = window.signoff!.onStateChanged((snapshot) => {
              if (snapshot.settings.notificationsEnabled !== want) return;
              stop();
              resolve();
            });
          }),
        !wasEnabled,
      );
      await enabled.setChecked(!wasEnabled);
      await staleSnapshotSeen;
      expect((await savedSettings(page))?.notificationActions).toBe(before);
      expect(await actions.isChecked()).toBe(!before);

      release();
      await expect.poll(async () => (await savedSettings(page))?.notificationActions, WAIT).toBe(!before);
      expect(await actions.isChecked()).toBe(!before);
      await enabled.setChecked(wasEnabled);
      await actions.setChecked(before);
      await expect
        .poll(async () => {
          const settings = await savedSettings(page);
          return settings && [settings.notificationsEnabled, settings.notificationActions];
        }, WAIT)
        .toEqual([wasEnabled, before]);
    } finally {
      release();
      await page.unrouteAll({ behavior: 'wait' }); // lets the released save finish first
    }
    await openQueue(page);
  });
});

describe('help and support in Settings', () => {
  it('opens the logs folder and copies diagnostics through main, saying so in the status line', async () => {
    const page = bobPage;
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await bobPreview.support()).toEqual({
      logsFolderOpened: 0,
      clipboard: null,
      openedFiles: [],
      fileDialogs: 0,
    });

    await page.getByTestId('open-logs-folder').click();
    await expect
      .poll(() => page.getByTestId('settings-status').textContent(), WAIT)
      .toBe('Opened the logs folder.');
    expect((await bobPreview.support()).logsFolderOpened).toBe(1);

    await page.getByTestId('copy-diagnostics').click();
    await expect
      .poll(() => page.getByTestId('settings-status').textContent(), WAIT)
      .toBe('Diagnostics copied to the clipboard.');
    const copied = (await bobPreview.support()).clipboard ?? '';
    expect(copied).toContain('Signoff diagnostics');
    expect(copied).toContain(`Node: ${process.versions.node}`);
    expect(copied).toContain(`Server: ${stub().url}`);
    expect(copied).toMatch(/User: .+ \(bob\)/);
    expect(copied).toContain('Connection: online');
    expect(copied).toMatch(/connects [1-9]\d*, events applied \d+, snapshots [1-9]\d*/);
    expect(copied).not.toMatch(/Bearer|password/i);
    await harness.screenshot(page, 'settings-support');
    await openQueue(page);
  });
});

describe('two finance approvers', () => {
  it('a claim approved by grace disappears from dave’s queue without a reload; dave’s late approval says so', async () => {
    const erin = await harness.signedInClient(stub().url, 'erin');
    const frank = await harness.signedInClient(stub().url, 'frank');
    const first = await erin.submitClaim(harness.claimRequest({ title: 'GPU rental' }));
    const second = await erin.submitClaim(
      harness.claimRequest({ title: 'Training course', category: 'training' }),
    );
    const atFinance = [
      await frank.approve(first.id, { version: first.version }),
      await frank.approve(second.id, { version: second.version }),
    ];

    const davePreview = await harness.startPreview(stub().url);
    const page = await browser.newPage({ viewport: { width: 900, height: 720 }, colorScheme: 'dark' });
    try {
      await page.goto(davePreview.url);
      await harness.signInThroughWindow(page, 'dave');
      await expect.poll(() => rowCount(page), WAIT).toBe(2);
      expect(await page.locator('[role="option"]').first().textContent()).toContain('Finance');
      await harness.screenshot(page, 'queue-dark');

      // Grace takes the first one from another machine: it leaves dave's queue on its own.
      await grace.approve(atFinance[0]!.id, { version: atFinance[0]!.version, comment: 'paid' });
      await expect.poll(() => rowCount(page), WAIT).toBe(1);
      expect(await page.locator(`#claim-row-${first.id}`).count()).toBe(0);

      // Dave is already confirming the second one when grace approves it too.
      await page.locator(`#claim-row-${second.id}`).click();
      await page.getByTestId('approve').click();
      await page.getByTestId('confirm').waitFor(WAIT);
      await harness.screenshot(page, 'claim-confirm-dark');
      await grace.approve(atFinance[1]!.id, { version: atFinance[1]!.version });
      await expect.poll(() => page.getByTestId('queue-badge').textContent(), WAIT).toBe('0');
      // The open confirmation says so at once, without dave having to submit, and cannot be confirmed.
      await page.getByTestId('action-notice').waitFor(WAIT);
      expect(await page.getByTestId('confirm-submit').isDisabled()).toBe(true);
      expect(await page.getByTestId('queue-badge').isVisible()).toBe(false); // no "0" badge when empty
      // First "decided elsewhere" (the claim left my queue), then who decided once the claim reloads.
      await expect
        .poll(() => page.getByTestId('action-notice').textContent(), WAIT)
        .toContain('Already approved by Grace Chen');
      await expect.poll(() => page.getByTestId('claim-state').textContent(), WAIT).toBe('Approved');
      expect(await page.getByTestId('approve').count()).toBe(0);

      await page.keyboard.press('Escape');
      await page.getByTestId('empty-queue').waitFor(WAIT);
      expect(await page.getByTestId('empty-queue').textContent()).toContain('Nothing is waiting on you.');
      // Nothing to search or filter: no filters, and still no "0" badge.
      expect(await page.locator('.filters').isVisible()).toBe(false);
      expect(await page.getByTestId('queue-badge').isVisible()).toBe(false);
      await harness.screenshot(page, 'queue-empty-dark');
    } finally {
      await page.close();
      await davePreview.stop();
    }
  });
});

describe('OS locale', () => {
  it('follows a Chinese OS locale from the first screen', async () => {
    const preview = await harness.startPreview(stub().url, { locale: 'zh-CN' });
    const page = await browser.newPage({ viewport: { width: 900, height: 720 } });
    try {
      await page.goto(preview.url);
      await expect.poll(() => page.locator('#signin-title').textContent(), WAIT).toBe('登录 Signoff');
      await harness.signInThroughWindow(page, 'carol', 'wrong');
      await expect
        .poll(() => page.getByTestId('signin-error').textContent(), WAIT)
        .toBe('用户名或密码错误。');
      await harness.screenshot(page, 'sign-in-zh-CN');
    } finally {
      await page.close();
      await preview.stop();
    }
  });
});
