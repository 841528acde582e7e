// The loopback redirect of OAuth for native apps (RFC 8252 §7.3): a one-shot HTTP listener on
// 127.0.0.1 with a port the OS picks, which catches the browser coming back from the identity
// provider and answers it with a small static page saying the window may be closed (in both
// languages: the browser does not know the app's). Nothing from the request is echoed into the page.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messagesFor } from './i18n';

export const CALLBACK_PATH = '/callback';

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/callback`: the redirect_uri to register the request with. */
  readonly redirectUri: string;
  /** The first request to the callback path, as a full URL (query included). */
  readonly callback: Promise<URL>;
  /** Answers the waiting browser: done, or failed. */
  answer(ok: boolean): void;
  /** Stops listening; a browser still waiting is told it failed. */
  close(): void;
}

export async function listenForRedirect(): Promise<LoopbackRedirect> {
  let pending: ServerResponse | null = null;
  let resolveCallback!: (url: URL) => void;
  const callback = new Promise<URL>((resolve) => {
    resolveCallback = resolve;
  });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', redirectUri);
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH || pending || settled) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    pending = response;
    settled = true;
    resolveCallback(url);
  });
  let settled = false;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;

  const answer = (ok: boolean) => {
    const response = pending;
    pending = null;
    if (!response) return;
    response.writeHead(ok ? 200 : 400, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'referrer-policy': 'no-referrer',
      connection: 'close',
    });
    response.end(resultPage(ok));
  };
  return {
    redirectUri,
    callback,
    answer,
    close() {
      answer(false);
      server.close();
      server.closeAllConnections();
    },
  };
}

function resultPage(ok: boolean): string {
  const lines = (['en', 'zh-CN'] as const).map((locale) => {
    const m = messagesFor(locale);
    // Our own catalog text, no markup in it; nothing from the request is ever put on the page.
    return `<p lang="${locale}">${ok ? m.ssoBrowserDone : m.ssoBrowserFailed}</p>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>Signoff</title><style>body{font:16px system-ui;margin:4rem auto;max-width:30rem;text-align:center}</style></head><body><h1>Signoff</h1>${lines.join('')}</body></html>`;
}
