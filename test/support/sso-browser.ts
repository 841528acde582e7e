// "The system browser" for single-sign-on tests: real headless Chromium opens the authorization URL,
// the development identity provider's own login page is filled in and submitted, and the browser
// follows the redirect to the app's loopback listener. Failures are kept for the test to assert on.
import type { Browser } from 'playwright-core';
import type { SsoBrowser } from '../../main/core/sso';
import { DEMO_PASSWORD } from './stub-fixtures';

export interface ChromiumSsoBrowser extends SsoBrowser {
  /** Text of the page the loopback listener answered with, per sign-in. */
  readonly landed: string[];
  readonly errors: unknown[];
  /** How often the core asked to bring its window forward. */
  returnedCount: number;
  /** performance.now() at each step of the last sign-in: opened, login page shown, landed back. */
  readonly marks: Record<string, number>;
}

export function chromiumSsoBrowser(browser: Browser, username: string): ChromiumSsoBrowser {
  const handle: ChromiumSsoBrowser = {
    landed: [],
    errors: [],
    returnedCount: 0,
    marks: {},
    async open(url) {
      handle.marks.opened = performance.now();
      // The system browser runs on its own: open returns at once, as shell.openExternal does.
      void (async () => {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          await page.goto(url, { waitUntil: 'domcontentloaded' });
          handle.marks.loginPage = performance.now();
          await page.fill('input[name="username"]', username);
          await page.fill('input[name="password"]', DEMO_PASSWORD);
          await Promise.all([
            page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/),
            page.click('button[type="submit"]'),
          ]);
          await page.waitForLoadState('domcontentloaded');
          handle.marks.landed = performance.now();
          handle.landed.push((await page.textContent('body')) ?? '');
        } catch (error) {
          handle.errors.push(error);
        } finally {
          await context.close();
        }
      })();
    },
    returned() {
      handle.returnedCount += 1;
    },
  };
  return handle;
}
