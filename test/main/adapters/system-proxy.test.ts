// The Electron adapter asks the session for exactly the URL the core connects to and hands the
// answer to the one PAC parser (tested with every answer shape in test/main/core/proxy-route.test.ts).
import { expect, test, vi } from 'vitest';
import { chromiumProxyResolver } from '../../../main/adapters/system-proxy';

test('resolveProxy is asked per URL and its PAC answer becomes the choice', async () => {
  const resolveProxy = vi.fn(async (url: string) =>
    url.includes('intranet') ? 'DIRECT' : 'PROXY proxy.corp.example:8080; DIRECT',
  );
  const resolver = chromiumProxyResolver({ resolveProxy });
  expect(await resolver('https://approvals.example.com:443/')).toEqual({
    kind: 'proxy',
    url: 'http://proxy.corp.example:8080',
  });
  expect(await resolver('https://intranet.corp.example:443/')).toEqual({ kind: 'direct' });
  expect(resolveProxy.mock.calls.map(([url]) => url)).toEqual([
    'https://approvals.example.com:443/',
    'https://intranet.corp.example:443/',
  ]);
});
