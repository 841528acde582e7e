// End to end in the real Electron app: main process, sandboxed preload, built renderer, real stub.
// Needs the Electron binary, which machines that cannot download it (ELECTRON_SKIP_BINARY_DOWNLOAD=1,
// as in CI here) do not have; then the test is skipped and says which file is missing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { bridgeApiNames } from '../../main/ipc/contract';
import type { InPageWindow } from '../support/in-page';
import { claimRequest, signedInClient } from '../support/renderer-harness';

// The page's global, for the page.evaluate() callback (it runs in the Electron window).
declare const window: InPageWindow;

import { type StubProcess, startStub } from '../support/stub-process';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ELECTRON_PKG = path.join(ROOT, 'node_modules/electron');

/** Where node_modules/electron says its binary is, without require('electron') (which would try to download it). */
function electronBinary(): string {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(ELECTRON_PKG, 'path.txt');
  if (!existsSync(pathFile)) return path.join(override ?? path.join(ELECTRON_PKG, 'dist'), 'electron');
  const relative = readFileSync(pathFile, 'utf8').trim();
  return path.join(override ?? path.join(ELECTRON_PKG, 'dist'), relative);
}

const binary = electronBinary();
const missing = !existsSync(binary);

let stub: StubProcess | undefined;
let app: ElectronApplication | undefined;
let home: string | undefined;

afterAll(async () => {
  await app?.close().catch(() => {});
  await stub?.dispose();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the Electron app', () => {
  it.skipIf(missing)(
    missing
      ? `skipped: no Electron binary at ${binary} (node_modules installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)`
      : 'opens the queue window with exactly window.signoff, signs in and shows the queue',
    async () => {
      stub = await startStub();
      const alice = await signedInClient(stub.url, 'alice');
      const claim = await alice.submitClaim(claimRequest({ title: 'From the Electron test' }));
      home = mkdtempSync(path.join(os.tmpdir(), 'signoff-e2e-'));
      app = await _electron.launch({
        executablePath: binary,
        args: [ROOT, '--no-sandbox'],
        cwd: ROOT,
        // userData lands under XDG_CONFIG_HOME on Linux: a fresh profile, no saved session.
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') } as Record<
          string,
          string
        >,
        timeout: 30_000,
      });
      const page = await app.firstWindow();
      await page.getByTestId('signin-submit').waitFor({ timeout: 15_000 });

      // The page sees the contract and nothing of Node or Electron.
      const surface = await page.evaluate(() => ({
        names: Object.keys(window.signoff ?? {}).sort(),
        hasRequire: typeof window.require !== 'undefined',
        hasProcess: typeof window.process !== 'undefined',
      }));
      expect(surface).toEqual({ names: [...bridgeApiNames].sort(), hasRequire: false, hasProcess: false });

      await page.getByTestId('server-url').fill(stub.url);
      await page.getByTestId('username').fill('bob');
      await page.getByTestId('password').fill('demo');
      await page.getByTestId('signin-submit').click();
      await page.locator(`#claim-row-${claim.id}`).waitFor({ timeout: 15_000 });
      expect(await page.locator(`#claim-row-${claim.id}`).textContent()).toContain('From the Electron test');
    },
    90_000,
  );
});
