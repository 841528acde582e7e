// Wires the contract's handlers into Electron's ipcMain, and sends validated events to the window.
//
// For the composition root (main/main.ts):
//
//   const handlers = createIpcHandlers(core, { openExternal: (url) => shell.openExternal(url), logger });
//   const unregister = registerIpcHandlers(ipcMain, handlers, (url) => isTrustedSender(url, APP_PAGE_URL), logger);
//   core.subscribe((snapshot) => sendToRenderer(win.webContents, 'state:changed', snapshot));
//   // notification click: sendToRenderer(win.webContents, 'navigate', { view: 'claim', claimId });
//
// Only types are imported from electron, so this file is testable under Node with fakes.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Logger } from '../core/ports';
import {
  type EventChannel,
  type EventPayload,
  eventContract,
  INVOKE_CHANNELS,
  type IpcError,
} from './contract';
import type { IpcHandlers } from './handlers';

/** Schemes that are never the app's own origin, whatever `appPageUrl` says. */
const NEVER_TRUSTED = new Set(['file:', 'http:', 'https:', 'data:', 'blob:', 'about:', 'javascript:']);

/**
 * True when `senderUrl` is on the exact origin of the app's page (`app://signoff`, served by
 * main/adapters/app-protocol.ts from the app's own files only): same scheme, same host, no port, no
 * credentials. Path, query and hash are not compared: the origin serves nothing but our bundle.
 * `file:` pages (any local file), web origins (the window must never show remote content, and if it
 * did, that content must not reach the core) and anything unparsable are refused.
 */
export function isTrustedSender(senderUrl: string | null | undefined, appPageUrl: string): boolean {
  if (!senderUrl) return false;
  let sender: URL;
  let app: URL;
  try {
    sender = new URL(senderUrl);
    app = new URL(appPageUrl);
  } catch {
    return false;
  }
  if (NEVER_TRUSTED.has(app.protocol) || NEVER_TRUSTED.has(sender.protocol)) return false;
  return (
    sender.protocol === app.protocol &&
    sender.host !== '' &&
    sender.host === app.host &&
    sender.username === '' &&
    sender.password === ''
  );
}

type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

const untrusted: { ok: false; error: IpcError } = {
  ok: false,
  error: { kind: 'untrusted-sender', message: 'This page may not talk to Signoff.' },
};

/**
 * Registers one `ipcMain.handle` per contract channel (and nothing else: an unknown channel has no
 * handler, so Electron rejects the invoke). Every call first checks the sending frame with
 * `isTrusted(senderFrame.url)`. Returns a function that removes the handlers again.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  handlers: IpcHandlers,
  isTrusted: (senderUrl: string) => boolean,
  logger?: Logger,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    const handler = handlers[channel] as (payload: unknown) => Promise<unknown>;
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown) => {
      // senderFrame is null when the frame navigated away or was destroyed mid-call.
      const url = event.senderFrame?.url ?? '';
      if (!isTrusted(url)) {
        logger?.warn('ipc: refused a call from an untrusted sender', { channel, url });
        return untrusted;
      }
      return handler(payload);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

type WebContentsLike = Pick<WebContents, 'send' | 'isDestroyed'>;

/**
 * Sends a main→renderer event after validating it against the contract. Returns false (and sends
 * nothing) when the payload is invalid or the window is gone, so a bug never reaches the page.
 */
export function sendToRenderer<C extends EventChannel>(
  webContents: WebContentsLike,
  channel: C,
  payload: EventPayload<C>,
  logger?: Logger,
): boolean {
  if (webContents.isDestroyed()) return false;
  const parsed = eventContract[channel].safeParse(payload);
  if (!parsed.success) {
    logger?.error('ipc: refused to send an event that does not match the contract', {
      channel,
      problem: parsed.error.issues[0]?.message,
    });
    return false;
  }
  webContents.send(channel, parsed.data);
  return true;
}
