// Shared pieces of the real-browser tests: Debian Chromium through playwright-core, the preview
// harness (scripts/preview.ts, built to dist/preview/preview.js) as a child process hosting the real
// core, and seeding through the real stub's API.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ApiClient, type SubmitClaimRequest } from '../../protocol';
import { launchHeadlessChromium } from '../../scripts/headless-chromium';
import { sampleClaim } from './stub-fixtures';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PREVIEW = path.join(ROOT, 'dist/preview/preview.js');
const READY = /Signoff preview on (http:\/\/127\.0\.0\.1:\d+)/;
export const SCREENSHOT_DIR = path.join(ROOT, 'test-artifacts/screenshots');
export function launchBrowser(): Promise<Browser> {
  return launchHeadlessChromium(chromium);
}

export interface PreviewSupport {
  logsFolderOpened: number;
  clipboard: string | null;
  /** Files handed to the (stand-in) system viewer, e.g. a receipt PDF the core saved. */
  openedFiles: string[];
  /** How often the window asked main to open the open-file dialog ("Add receipt"). */
  fileDialogs: number;
}

export interface Preview {
  url: string;
  output(): string;
  /** Simulates a notification click: the page navigates to the claim (or the queue). */
  navigate(claimId?: string): Promise<void>;
  /** What the preview's stand-ins for "Open logs folder", "Copy diagnostics" and a receipt's "Open" did. */
  support(): Promise<PreviewSupport>;
  /** What the user will choose in the next open-file dialog main opens (the stand-in for the native one). */
  answerFileDialog(files: string[]): Promise<void>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Starts the preview harness on an ephemeral port, pointed at `stubUrl`, with a fresh user-data dir, or
 * with `userData` (an app restart: the caller owns that folder and it is kept on stop).
 */
export async function startPreview(
  stubUrl: string,
  options: { locale?: string; userData?: string } = {},
): Promise<Preview> {
  const userData = options.userData ?? mkdtempSync(path.join(os.tmpdir(), 'signoff-preview-test-'));
  const child = spawn(
    process.execPath,
    [
      PREVIEW,
      '--port',
      '0',
      '--stub',
      stubUrl,
      '--user-data',
      userData,
      '--locale',
      options.locale ?? 'en-US',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`preview did not start:\n${text}`)), 15_000);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      text += chunk;
      const match = READY.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => reject(new Error(`preview exited early:\n${text}`)));
  });
  return {
    url,
    output: () => text,
    async navigate(claimId) {
      await fetch(`${url}/preview/navigate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(claimId ? { claimId } : {}),
      });
    },
    async support() {
      return (await fetch(`${url}/preview/support`)).json() as Promise<PreviewSupport>;
    },
    async answerFileDialog(files) {
      const answer = await fetch(`${url}/preview/pick-files`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ files }),
      });
      if (!answer.ok) throw new Error(`preview refused the file-dialog answer: ${answer.status}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      children.delete(child);
      if (!options.userData) rmSync(userData, { recursive: true, force: true });
    },
  };
}

export async function signedInClient(url: string, username: string): Promise<ApiClient> {
  const client = new ApiClient({ baseUrl: url });
  await client.signIn(username, 'demo');
  return client;
}

let claimCounter = 0;
export function claimRequest(overrides: Partial<SubmitClaimRequest> = {}): SubmitClaimRequest {
  claimCounter += 1;
  return sampleClaim({ title: `Client visit ${claimCounter}`, ...overrides });
}

/** Signs in through the window itself, as a person would. */
export async function signInThroughWindow(page: Page, username: string, password = 'demo'): Promise<void> {
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('signin-submit').click();
}

/**
 * A preview signed in as `username` through its own window, as a person would, its queue loaded once;
 * pages opened on it later start signed in.
 */
export async function signedInPreview(
  browser: Browser,
  stubUrl: string,
  username: string,
  options: { locale?: string } = {},
): Promise<Preview> {
  const preview = await startPreview(stubUrl, options);
  const page = await browser.newPage({ viewport: { width: 420, height: 640 } });
  try {
    await page.goto(preview.url);
    await signInThroughWindow(page, username);
    await page.getByTestId('queue-list').waitFor({ state: 'attached', timeout: 15_000 });
  } finally {
    await page.close();
  }
  return preview;
}

/** A new page on `preview` at this size and colour scheme. */
export async function openPreview(
  browser: Browser,
  preview: Preview,
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark',
): Promise<Page> {
  const page = await browser.newPage({ viewport, colorScheme });
  await page.goto(preview.url);
  return page;
}

export const LOOK_VIEWPORTS = {
  '420': { width: 420, height: 640 },
  '1280': { width: 1280, height: 800 },
} as const;

/** One of the eight looks screenshots are taken in: language, colour scheme and window size. */
export interface Look {
  locale: 'en' | 'zh-CN';
  scheme: 'light' | 'dark';
  size: keyof typeof LOOK_VIEWPORTS;
}

/**
 * Opens a page on `preview` in each colour scheme and size with the window switched to `locale`, runs
 * `visit` on it, then puts the language back and closes the page, even when `visit` failed.
 */
export async function inEachLook(
  browser: Browser,
  preview: Preview,
  locale: Look['locale'],
  visit: (page: Page, look: Look) => Promise<void>,
): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    for (const size of ['420', '1280'] as const) {
      const page = await openPreview(browser, preview, LOOK_VIEWPORTS[size], scheme);
      try {
        await page.locator('.header').waitFor({ timeout: 15_000 });
        await page.evaluate(`window.signoff.updateSettings({ locale: '${locale}' })`);
        await page.waitForFunction(`document.documentElement.lang === '${locale}'`, null, {
          timeout: 15_000,
        });
        await visit(page, { locale, scheme, size });
      } finally {
        await page.evaluate(`window.signoff.updateSettings({ locale: null })`).catch(() => {});
        await page.close();
      }
    }
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

/** Where each queue-style row sits and whether anything in it is cut off (for "rows never overlap or clip"). */
export interface RowBox {
  id: string;
  top: number;
  bottom: number;
  clipsY: boolean;
  clipsX: boolean;
  linesClip: boolean;
}

export async function rowBoxes(page: Page): Promise<RowBox[]> {
  return page.evaluate(`[...document.querySelectorAll('[role="option"]')].map((row) => {
    const box = row.getBoundingClientRect();
    return { id: row.id, top: box.top, bottom: box.bottom,
      clipsY: row.scrollHeight > row.clientHeight, clipsX: row.scrollWidth > row.clientWidth,
      // Each line is one line: nothing wrapped inside it, so nothing is cut at its top or bottom.
      linesClip: [...row.querySelectorAll('.row-line')].some((line) => line.scrollHeight > line.clientHeight) };
  })`);
}
