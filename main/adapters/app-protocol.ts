// The window's page comes from a privileged `app://signoff/` scheme instead of `file://` (Electron's
// security checklist): a `file://` page has a null origin, may read any file the OS lets it, and makes
// "is this our page?" a path comparison. Here the page has one real origin, and the handler answers
// only for files inside the built renderer folder (inside app.asar in a packaged app).
//
// `resolveAppRequest` is the whole decision (which file, or which refusal) as a pure function, so it
// can be tested exhaustively without Electron; `serveAppRequest` reads the file and answers.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme, Protocol } from 'electron';

export const APP_SCHEME = 'app';
/** One fixed host: every other host on the scheme is refused, and the IPC sender check keys on it. */
export const APP_HOST = 'signoff';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/**
 * Only what the page needs. `standard` gives it a real origin (relative URLs resolve, `'self'` in the
 * CSP means our files, same-origin module scripts load); `secure` makes it a secure context like
 * https. `supportFetchAPI` follows Electron's documented recipe for serving a page whose module script
 * is loaded through the fetch machinery; the page's own fetch() stays blocked by `connect-src 'none'`.
 * Deliberately absent: `corsEnabled` (would let other origins read our files), `bypassCSP`,
 * `allowServiceWorkers`, `stream`, `codeCache`.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

/**
 * The Content-Security-Policy sent as a header with the HTML, the same policy as the page's meta tag
 * (renderer/static/index.html keeps it too: a header cannot be lost by serving the file another way,
 * a meta tag survives a copy of the page; the tests check they are equal).
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The file types the renderer folder holds; anything else is not ours to serve. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export type AppRequestResolution =
  | { ok: true; file: string; contentType: string }
  | { ok: false; status: 403 | 404; why: string };

/**
 * Which file under `rootDir` an `app:` request is for, or why it is refused. Chromium canonicalizes
 * URLs of a standard scheme before the handler sees them (`..` collapsed), but this does not rely on
 * it: every decoded path segment must be a plain file or folder name, and the result must stay inside
 * `rootDir`. Query strings are ignored (the page may use them for its own state).
 */
export function resolveAppRequest(url: string, method: string, rootDir: string): AppRequestResolution {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 403, why: 'method' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 404, why: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:`) return { ok: false, status: 404, why: 'scheme' };
  if (
    parsed.hostname !== APP_HOST ||
    parsed.port !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    return { ok: false, status: 404, why: 'host' };
  }
  if (parsed.pathname === '/' || parsed.pathname === '') return { ok: false, status: 404, why: 'no file' };
  // The raw path, split before decoding, so an encoded "/" (%2f) or "\" (%5c) cannot make new segments.
  const rawSegments = parsed.pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 403, why: 'bad escape' };
    }
    // Empty ("//", a trailing "/"), dot segments, separators of any OS, drive letters, NUL: refused.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
    if (segment === '' || segment === '.' || segment === '..' || /[/\\:\u0000-\u001f]/.test(segment)) {
      return { ok: false, status: 403, why: 'path segment' };
    }
    segments.push(segment);
  }
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { ok: false, status: 403, why: 'outside the renderer folder' };
  }
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
  if (!contentType) return { ok: false, status: 404, why: 'file type' };
  return { ok: true, file, contentType };
}

/** Headers every answer carries: no MIME sniffing, and no caching of a page that changes with updates. */
const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' } as const;

/** Answers one request of the `app:` scheme from `rootDir` (Electron hands the handler a fetch Request). */
export async function serveAppRequest(
  request: Pick<Request, 'url' | 'method'>,
  rootDir: string,
): Promise<Response> {
  const resolved = resolveAppRequest(request.url, request.method, rootDir);
  if (!resolved.ok) {
    return new Response(null, { status: resolved.status, headers: COMMON_HEADERS });
  }
  let body: Buffer;
  try {
    // fs reads inside app.asar in Electron, so this works packaged and from dist/ alike.
    body = await readFile(resolved.file);
  } catch {
    return new Response(null, { status: 404, headers: COMMON_HEADERS });
  }
  const headers: Record<string, string> = { ...COMMON_HEADERS, 'content-type': resolved.contentType };
  if (resolved.contentType.startsWith('text/html')) headers['content-security-policy'] = APP_CSP;
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

/** Must run before `app` is ready (Electron ignores or refuses it later), and only once. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** After ready: serve `app://signoff/…` from the built renderer folder, nothing else. */
export function handleAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));
}
