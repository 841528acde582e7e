// The app:// scheme that serves the window's page: which requests reach a file, which are refused, and
// what the answers carry. The path decision is pure, so it is tried against every traversal trick we
// know; serving is tried against a real folder with a secret file right next to it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_CSP,
  APP_PAGE_URL,
  APP_SCHEME_PRIVILEGES,
  resolveAppRequest,
  serveAppRequest,
} from '../../../main/adapters/app-protocol';

const root = path.resolve(import.meta.dirname, '../../..');
let work: string;
let rendererDir: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'signoff-app-protocol-'));
  rendererDir = path.join(work, 'dist', 'renderer');
  mkdirSync(path.join(rendererDir, 'icons'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Signoff</title>');
  writeFileSync(path.join(rendererDir, 'app.js'), 'console.log("app");');
  writeFileSync(path.join(rendererDir, 'styles.css'), 'body{}');
  writeFileSync(path.join(rendererDir, 'icons', 'tray.png'), 'png');
  // What traversal would be after: files beside and above the renderer folder.
  writeFileSync(path.join(work, 'dist', 'secret.html'), 'SECRET-BESIDE');
  writeFileSync(path.join(work, 'secret.js'), 'SECRET-ABOVE');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('resolveAppRequest', () => {
  it.each([
    ['app://signoff/index.html', 'index.html', 'text/html; charset=utf-8'],
    ['app://signoff/app.js', 'app.js', 'text/javascript; charset=utf-8'],
    ['app://signoff/styles.css', 'styles.css', 'text/css; charset=utf-8'],
    ['app://signoff/icons/tray.png', 'icons/tray.png', 'image/png'],
    ['app://signoff/index.html?lang=zh#/claim/EXP-1', 'index.html', 'text/html; charset=utf-8'],
    ['app://signoff/app.js.map', 'app.js.map', 'application/json; charset=utf-8'],
    ['app://signoff/%69ndex.html', 'index.html', 'text/html; charset=utf-8'],
  ])('serves %s from the renderer folder', (url, file, contentType) => {
    expect(resolveAppRequest(url, 'GET', '/opt/signoff/dist/renderer')).toEqual({
      ok: true,
      file: path.join('/opt/signoff/dist/renderer', file),
      contentType,
    });
  });

  it.each([
    // Path segments that are not plain names (what survives URL parsing undecoded):
    ['app://signoff/..%2f..%2fetc%2fpasswd', 403],
    ['app://signoff/%2e%2e%2f%2e%2e%2fetc/passwd', 403],
    ['app://signoff/..%5c..%5cetc%5cpasswd', 403],
    ['app://signoff/..\\..\\etc\\passwd', 403],
    ['app://signoff/icons\\..\\..\\secret.js', 403],
    ['app://signoff//etc/passwd', 403],
    ['app://signoff/%2fetc%2fpasswd', 403],
    ['app://signoff/C:/Windows/win.ini', 403],
    ['app://signoff/C%3a%5cWindows%5cwin.ini', 403],
    ['app://signoff/index.html%00.png', 403],
    ['app://signoff/%E0%A4%A', 403],
    ['app://signoff/icons/', 403],
    // Other hosts, ports, credentials, schemes:
    ['app://other/index.html', 404],
    ['app://SIGNOFF.evil/index.html', 404],
    ['app://signoff:8080/index.html', 404],
    ['app://user:pw@signoff/index.html', 404],
    ['app:index.html', 404],
    ['file:///opt/signoff/dist/renderer/index.html', 404],
    ['https://signoff/index.html', 404],
    ['not a url', 404],
    // Nothing named, or not a type the renderer folder holds:
    ['app://signoff', 404],
    ['app://signoff/', 404],
    ['app://signoff/notes.txt', 404],
    ['app://signoff/keytar.node', 404],
  ])('refuses %s with %i', (url, status) => {
    expect(resolveAppRequest(url, 'GET', '/opt/signoff/dist/renderer')).toMatchObject({ ok: false, status });
  });

  it.each([
    'app://signoff/../../etc/passwd',
    'app://signoff/%2e%2e/%2E%2E/etc/passwd',
    'app://signoff/./../.%2e/dist/secret.html',
    'app://signoff/icons/../../../../secret.js',
  ])('keeps %s inside the renderer folder (dot segments collapse at the root, never above it)', (url) => {
    const answer = resolveAppRequest(url, 'GET', '/opt/signoff/dist/renderer');
    if (answer.ok) expect(answer.file.startsWith('/opt/signoff/dist/renderer/')).toBe(true);
  });

  it('answers only reads', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      expect(resolveAppRequest(APP_PAGE_URL, method, '/r')).toMatchObject({ ok: false, status: 403 });
    }
    expect(resolveAppRequest(APP_PAGE_URL, 'HEAD', '/r').ok).toBe(true);
  });
});

describe('serveAppRequest', () => {
  const get = (url: string) => serveAppRequest(new Request(url), rendererDir);

  it('serves the page with its type and the same CSP as its meta tag, and scripts and styles with theirs', async () => {
    const page = await get(APP_PAGE_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toBe('<!doctype html><title>Signoff</title>');

    const script = await get('app://signoff/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBeNull();
    expect(await script.text()).toBe('console.log("app");');
    expect((await get('app://signoff/styles.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('never answers with a file outside the renderer folder', async () => {
    for (const url of [
      'app://signoff/../secret.html',
      'app://signoff/../../secret.js',
      'app://signoff/%2e%2e/secret.html',
      'app://signoff/..%2fsecret.html',
      'app://signoff/..%5csecret.html',
      `app://signoff/${encodeURIComponent(path.join(work, 'secret.js'))}`,
      'app://other/index.html',
    ]) {
      const answer = await get(url);
      expect([403, 404], url).toContain(answer.status);
      expect(await answer.text(), url).not.toContain('SECRET');
    }
    expect((await get('app://signoff/missing.js')).status).toBe(404);
  });

  it('registers only the privileges the page needs', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
  });

  it('sends the CSP the page itself declares (renderer/static/index.html keeps its meta tag)', () => {
    const html = readFileSync(path.join(root, 'renderer/static/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(APP_CSP);
  });
});
