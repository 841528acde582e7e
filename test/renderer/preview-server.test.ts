// The preview harness's HTTP surface: the same contract over POST /ipc/<channel>, and no way for
// another site in the same browser (or a DNS-rebound host name) to drive the core behind it.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Preview, startPreview } from '../support/renderer-harness';

let preview: Preview;

beforeAll(async () => {
  // Nothing listens on port 9: these tests never reach a server.
  preview = await startPreview('http://127.0.0.1:9');
});

afterAll(async () => {
  await preview?.stop();
});

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${preview.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** Raw request with a chosen Host header (fetch does not let us set it). */
function getWithHost(path: string, host: string): Promise<number> {
  const url = new URL(preview.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: url.hostname, port: url.port, path, method: 'GET', headers: { host } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

it('answers contract-shaped JSON on /ipc/<channel>, including for bad input', async () => {
  const state = await (await post('/ipc/state:get', '{}')).json();
  expect(state).toMatchObject({ ok: true, value: { connection: { kind: 'signed-out' }, user: null } });

  const invalid = await (
    await post('/ipc/claim:approve', JSON.stringify({ id: 'EXP-1', version: -1 }))
  ).json();
  expect(invalid).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });

  const unknown = await post('/ipc/shell:exec', '{}');
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toMatchObject({ ok: false, error: { kind: 'invalid-request' } });

  const notJson = await post('/ipc/state:get', '{not json');
  expect(notJson.status).toBe(400);
});

it('refuses calls from another origin and from a host name that is not loopback', async () => {
  const crossSite = await post('/ipc/state:get', '{}', { origin: 'https://evil.example' });
  expect(crossSite.status).toBe(403);
  expect(await getWithHost('/', 'evil.example:80')).toBe(403);
  expect(await getWithHost('/', `127.0.0.1:${new URL(preview.url).port}`)).toBe(200);
});

it('serves the built window with the bridge injected and the CSP kept strict', async () => {
  const html = await (await fetch(preview.url)).text();
  expect(html.indexOf('/preview/bridge.js')).toBeGreaterThan(0);
  expect(html.indexOf('/preview/bridge.js')).toBeLessThan(html.indexOf('src="app.js"'));
  expect(html).toContain("default-src 'none'; script-src 'self'; style-src 'self'");
  expect(html).toContain("connect-src 'self'");
  expect((await fetch(`${preview.url}/app.js`)).headers.get('content-type')).toMatch(/javascript/);
  expect((await fetch(`${preview.url}/styles.css`)).status).toBe(200);
  // Only files inside dist/renderer exist here.
  expect((await fetch(`${preview.url}/..%2Fpreview%2Fpreview.js`)).status).toBe(404);
  expect((await fetch(`${preview.url}/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
});
