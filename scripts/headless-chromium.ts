// How this project starts Debian's Chromium headless, for the browser tests and the icon renderer.
// The flags keep it from reaching for Google's services, which this machine's closed network refuses.
import type { Browser, BrowserType } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `chromium` is passed in: the icon renderer resolves playwright-core from the working directory. */
export function launchHeadlessChromium(chromium: BrowserType): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
