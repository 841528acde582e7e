// The window says "online by long-poll" when a proxy blocks WebSocket upgrades: the real preview core
// signs in through an upgrade-refusing loopback proxy in front of the real stub, falls back, and the
// header names the state in English and in 简体中文 (still online: approve stays enabled).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as harness from '../support/renderer-harness';
import { UpgradeBlockingProxy } from '../support/upgrade-blocking-proxy';
import { useStubProcess } from '../support/use-stub';

const stub = useStubProcess();
let browser: Browser;
let proxy: UpgradeBlockingProxy;
let proxyUrl: string;

beforeAll(async () => {
  browser = await harness.launchBrowser();
  proxy = new UpgradeBlockingProxy(stub().port, { kind: 'refuse', status: 403 });
  proxyUrl = await proxy.listen();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
});

it.each([
  ['en-US', 'Online (long polling)'],
  ['zh-CN', '在线（长轮询）'],
] as const)(
  '%s: the header shows online by long-poll behind an upgrade-blocking proxy',
  async (locale, words) => {
    const preview = await harness.startPreview(proxyUrl, { locale });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
      page.setDefaultTimeout(10_000);
      await page.goto(preview.url);
      await harness.signInThroughWindow(page, 'bob');
      const connection = page.locator('[data-testid="connection"][data-via="long-poll"]');
      await connection.waitFor({ timeout: 15_000 });
      expect(await connection.getAttribute('data-state')).toBe('online');
      expect(await connection.getAttribute('title')).toBe(words);
      expect(await connection.locator('.connection-text').textContent()).toBe(words);
      expect(await page.getByTestId('offline-banner').count()).toBe(0);
      expect(proxy.upgradesAllowed).toBe(0);
      await harness.screenshot(page, `long-poll-${locale}`);
      await page.close();
    } finally {
      await preview.stop();
    }
  },
);
