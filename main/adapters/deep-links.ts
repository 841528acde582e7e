// Signoff as the OS's handler of `signoff://` links (issue 13). The installers register the scheme
// (electron-builder `protocols`: NSIS registry keys, macOS CFBundleURLTypes, `x-scheme-handler/signoff`
// in the Linux desktop entry); this registers it at run time too, for an unpackaged or moved app.
// A link reaches the one running instance: macOS delivers `open-url`; Windows and Linux start a second
// instance whose argv holds the link (single-instance.ts hands argv over); a cold start has it in
// process.argv. Only parseDeepLink (main/common/deep-link.ts) decides what a link means.
import path from 'node:path';
import type { App } from 'electron';
import { DEEP_LINK_SCHEME, type DeepLink, parseDeepLink } from '../common/deep-link';

type DeepLinkApp = Pick<App, 'setAsDefaultProtocolClient'> & {
  on(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
};

export interface DeepLinkLaunch {
  /** process.defaultApp: started as `electron <app path>`, so the registration must name the app too. */
  defaultApp: boolean;
  execPath: string;
  /** process.argv[1] when defaultApp: the app folder Electron was started with. */
  appArgument: string | undefined;
}

/** Registers the scheme with the OS and listens for macOS's `open-url`; call before `ready`. */
export function registerDeepLinks(
  app: DeepLinkApp,
  launch: DeepLinkLaunch,
  onLink: (link: DeepLink) => void,
): boolean {
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) onLink(link);
  });
  // In development Electron is the executable: the OS must launch `electron <app path> <link>`.
  return launch.defaultApp && launch.appArgument
    ? app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, launch.execPath, [path.resolve(launch.appArgument)])
    : app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
}
