// Locks the renderer in: it shows our own UI and nothing else. Links to the web open in the user's
// browser (https only), never inside the app where they would share our session and preload.
import type { Session, Shell, WebContents } from 'electron';

/** Only plain https links may leave the app; everything else (file:, javascript:, custom schemes) is dropped. */
export function isOpenableExternally(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

export type HardenableWebContents = Pick<WebContents, 'setWindowOpenHandler'> & {
  on(
    event: 'will-navigate' | 'will-attach-webview',
    listener: (event: { preventDefault(): void }) => void,
  ): unknown;
};

export function hardenWebContents(
  webContents: HardenableWebContents,
  openExternal: Shell['openExternal'],
  onError: (error: unknown) => void = () => {},
): void {
  // The UI is a single page: any navigation is either a bug or an injected link.
  webContents.on('will-navigate', (event) => event.preventDefault());
  webContents.on('will-attach-webview', (event) => event.preventDefault());
  webContents.setWindowOpenHandler(({ url }) => {
    if (isOpenableExternally(url)) openExternal(url).catch(onError);
    return { action: 'deny' };
  });
}

/** The app needs no camera, location, notifications-from-the-page or anything else a page can ask for. */
export function denyAllPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  // Electron grants every request by default; both the asynchronous requests and the synchronous
  // checks (navigator.permissions.query and friends) are answered "no".
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
