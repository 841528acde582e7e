// The proxy decision as a port: Chromium's PAC/system answer parsed, the environment variables
// (NO_PROXY included) read through proxy-from-env, and which source each setting uses.
import { afterEach, expect, test, vi } from 'vitest';
import {
  DIRECT,
  environmentProxy,
  type ProxyResolver,
  parsePacAnswer,
  proxyDisplayName,
  proxyResolverFor,
} from '../../../main/core/proxy-route';

afterEach(() => vi.unstubAllEnvs());

const proxyAt = (url: string) => ({ kind: 'proxy', url });

/** No proxy variable at all, in either case. */
function clearProxyEnv(): void {
  for (const name of ['https_proxy', 'http_proxy', 'all_proxy', 'no_proxy']) {
    vi.stubEnv(name, '');
    vi.stubEnv(name.toUpperCase(), '');
  }
}

test('PAC answers: the first entry this app can use wins; SOCKS and junk are passed over', () => {
  expect(parsePacAnswer('DIRECT')).toEqual(DIRECT);
  expect(parsePacAnswer('PROXY proxy.corp.example:8080; DIRECT')).toEqual(
    proxyAt('http://proxy.corp.example:8080'),
  );
  expect(parsePacAnswer('  proxy 10.0.0.1:3128 ')).toEqual(proxyAt('http://10.0.0.1:3128'));
  expect(parsePacAnswer('HTTPS secure-proxy.corp.example:443')).toEqual(
    proxyAt('https://secure-proxy.corp.example:443'),
  );
  expect(parsePacAnswer('PROXY [fd00::1]:3128')).toEqual(proxyAt('http://[fd00::1]:3128'));
  expect(parsePacAnswer('SOCKS5 socks.corp.example:1080; PROXY fallback.corp.example:80')).toEqual(
    proxyAt('http://fallback.corp.example:80'),
  );
  expect(parsePacAnswer('SOCKS5 socks.corp.example:1080')).toEqual(DIRECT);
  expect(parsePacAnswer('PROXY no-port-here; DIRECT')).toEqual(DIRECT);
  expect(parsePacAnswer('')).toEqual(DIRECT);
});

test('environment: HTTPS_PROXY for https, HTTP_PROXY for http, NO_PROXY exempts by suffix and port', () => {
  clearProxyEnv();
  vi.stubEnv('HTTPS_PROXY', 'http://secure.proxy:3128');
  vi.stubEnv('HTTP_PROXY', 'plain.proxy:8080');
  vi.stubEnv('NO_PROXY', '.internal.example,localhost,10.1.2.3:8443');
  expect(environmentProxy('https://approvals.example.com/')).toEqual(proxyAt('http://secure.proxy:3128'));
  // A bare host:port is taken as an http:// proxy.
  expect(environmentProxy('http://approvals.example.com/')).toEqual(proxyAt('http://plain.proxy:8080'));
  expect(environmentProxy('https://api.internal.example/')).toEqual(DIRECT);
  expect(environmentProxy('http://localhost:8080/')).toEqual(DIRECT);
  expect(environmentProxy('https://10.1.2.3:8443/')).toEqual(DIRECT);
  expect(environmentProxy('https://10.1.2.3:443/')).toMatchObject({ kind: 'proxy' });
});

test('settings: none is direct, manual is the URL, system asks the environment first and then the platform', async () => {
  clearProxyEnv();
  const platform = vi.fn<ProxyResolver>(async () => parsePacAnswer('PROXY pac.corp.example:8080'));
  const target = 'https://approvals.example.com:443/';

  expect(await proxyResolverFor({ mode: 'none', url: 'http://ignored:1' }, platform)(target)).toEqual(DIRECT);
  expect(await proxyResolverFor({ mode: 'manual', url: 'http://u:p@manual:3128' }, platform)(target)).toEqual(
    {
      kind: 'proxy',
      url: 'http://u:p@manual:3128',
    },
  );
  expect(await proxyResolverFor({ mode: 'manual', url: null }, platform)(target)).toEqual(DIRECT);
  expect(platform).not.toHaveBeenCalled();

  const system = proxyResolverFor({ mode: 'system', url: null }, platform);
  expect(await system(target)).toEqual(proxyAt('http://pac.corp.example:8080'));
  expect(platform).toHaveBeenCalledWith(target);

  // Without a platform (plain Node) or when it fails: direct, never a blocked connection.
  expect(await proxyResolverFor({ mode: 'system', url: null })(target)).toEqual(DIRECT);
  platform.mockRejectedValueOnce(new Error('resolver gone'));
  expect(await system(target)).toEqual(DIRECT);

  // Any proxy variable set: the environment decides, and the platform is not asked.
  platform.mockClear();
  vi.stubEnv('https_proxy', 'http://env.proxy:3128');
  expect(await system(target)).toEqual(proxyAt('http://env.proxy:3128'));
  expect(platform).not.toHaveBeenCalled();
});

test('a proxy is named in logs and errors without its credentials', () => {
  expect(proxyDisplayName('http://user:s3cret@proxy.corp.example:3128')).toBe(
    'http://proxy.corp.example:3128',
  );
  expect(proxyDisplayName('not a url')).toBe('the proxy');
});
