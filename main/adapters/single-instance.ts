// One Signoff per user: a second launch (e.g. from the Start menu while it sits in the tray) hands
// over to the running one, which comes to the front, and then exits.
import type { App } from 'electron';
import { HIDDEN_SWITCH } from './app-identity';

type SingleInstanceApp = Pick<App, 'requestSingleInstanceLock'> & {
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
};

/**
 * Returns false when another instance already runs; the caller must then quit without doing anything
 * else. Otherwise `bringForward` runs in this (first) instance whenever another one is launched by the
 * user, with that launch's arguments (a `signoff://` link on Windows and Linux). A --hidden launch
 * (the login item firing while we already run) asked for no window, so it brings nothing forward.
 */
export function claimSingleInstance(
  app: SingleInstanceApp,
  bringForward: (argv: readonly string[]) => void,
): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv) => {
    if (!argv.includes(HIDDEN_SWITCH)) bringForward(argv);
  });
  return true;
}
