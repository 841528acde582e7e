// Company sign-in from the window, in real Chromium: the sign-in form of a server that advertises an
// identity provider offers "Sign in with <name>" before the password fields; the button hands the
// provider's page to the browser (the preview prints the address where the app opens the system
// browser), the provider's login page is filled in, the core's loopback listener catches the redirect,
// and the window shows the queue, online.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as harness from '../support/renderer-harness';
import { DEMO_PASSWORD } from '../support/stub-fixtures';
import { useStubProcess } from '../support/use-stub';

const WAIT = { timeout: 15_000 };
const stub = useStubProcess({ args: ['--with-idp', '--idp-port', '0'] });
let browser: Browser;
const previews: harness.Preview[] = [];

beforeAll(async () => {
  browser = await harness.launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const preview of previews) await preview.stop();
});

async function windowFor(locale: string): Promise<{ page: Page; preview: harness.Preview }> {
  const preview = await harness.startPreview(stub().url, { locale });
  previews.push(preview);
  const page = await browser.newPage();
  await page.goto(preview.url);
  return { page, preview };
}

describe('sign in with the company account', () => {
  it('offers it first when the server advertises a provider, and signs in through the browser', async () => {
    const { page, preview } = await windowFor('en-US');
    const sso = page.getByTestId('signin-sso');
    await sso.waitFor(WAIT);
    expect(await sso.textContent()).toBe('Sign in with Signoff Demo SSO');
    expect(await page.getByTestId('signin-or-password').textContent()).toBe(
      'Or sign in with a user name and password',
    );
    // Before the password form, and the primary action.
    const before = await sso.evaluate(
      (button) =>
        (button.compareDocumentPosition(button.ownerDocument.querySelector('[data-testid="username"]')!) &
          4) !==
        0,
    );
    expect(before).toBe(true);
    expect(await sso.getAttribute('class')).toBe('primary');
    expect(await page.getByTestId('signin-submit').getAttribute('class')).toBeNull();

    await sso.click();
    await expect.poll(() => sso.textContent(), WAIT).toBe('Finish signing in in your browser…');
    let address = '';
    await expect
      .poll(() => {
        address = /open this address in your browser:\n(\S+)/.exec(preview.output())?.[1] ?? '';
        return address;
      }, WAIT)
      .toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/);

    const provider = await browser.newPage();
    await provider.goto(address);
    await provider.fill('input[name="username"]', 'bob');
    await provider.fill('input[name="password"]', DEMO_PASSWORD);
    await Promise.all([
      provider.waitForURL(/127\.0\.0\.1:\d+\/callback\?/),
      provider.click('button[type="submit"]'),
    ]);
    expect(await provider.textContent('body')).toContain('You may close this window');

    await page.getByTestId('queue-list').waitFor({ state: 'attached', ...WAIT });
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), WAIT).toBe('online');
  });

  it('says it in Chinese too', async () => {
    const { page } = await windowFor('zh-CN');
    const sso = page.getByTestId('signin-sso');
    await sso.waitFor(WAIT);
    expect(await sso.textContent()).toBe('使用 Signoff Demo SSO 登录');
    expect(await page.getByTestId('signin-or-password').textContent()).toBe('或使用用户名和密码登录');
  });
});
