// Which proxy a connection to a given URL goes through: the decision as a port, so the core stays
// testable under Node and the Electron adapter only has to ask Chromium (`session.resolveProxy`,
// which covers the system settings and PAC files) and hand the answer to `parsePacAnswer`.
//
// The setting picks the source: `none` (always direct), `manual` (one proxy URL for everything, its basic-auth credentials from the keychain), or
// `system`: the *_PROXY / NO_PROXY environment variables when any is set (as curl and git read them),
// else the platform's answer, else direct.
import { getProxyForUrl } from 'proxy-from-env';
import type { Settings } from './ports';
import { type ProxyCredentials, proxyUrlWith } from './proxy-credentials';

type ProxySetting = Settings['proxy'];

/** Where one connection goes: straight to the server, or through an HTTP(S) proxy with CONNECT. */
export type ProxyChoice =
  | { kind: 'direct' }
  /** `http://[user:pass@]host:port` (or https:// for a TLS-speaking proxy); credentials only from the keychain or env. */
  | { kind: 'proxy'; url: string };

/** The port: resolved per URL (a PAC file may send each host elsewhere). */
export type ProxyResolver = (url: string) => Promise<ProxyChoice>;

export const DIRECT: ProxyChoice = { kind: 'direct' };

/**
 * A PAC/Chromium answer (`PROXY host:port; HTTPS host:port; DIRECT`) as a choice: the first entry this
 * app can use. SOCKS entries are passed over (no SOCKS agent is bundled); an answer with nothing usable
 * means direct, which is also what Chromium falls back to when every entry fails.
 */
export function parsePacAnswer(answer: string): ProxyChoice {
  for (const entry of answer.split(';')) {
    const [keyword = '', address = ''] = entry.trim().split(/\s+/);
    switch (keyword.toUpperCase()) {
      case 'DIRECT':
        return DIRECT;
      case 'PROXY':
        if (isHostPort(address)) return { kind: 'proxy', url: `http://${address}` };
        break;
      case 'HTTPS':
        if (isHostPort(address)) return { kind: 'proxy', url: `https://${address}` };
        break;
    }
  }
  return DIRECT;
}

function isHostPort(address: string): boolean {
  return /^(\[[0-9a-f:.]+\]|[\w.-]+):\d{1,5}$/i.test(address);
}

const PROXY_VARIABLES = ['https_proxy', 'http_proxy', 'all_proxy'];

/** True when the environment says anything about proxies (then it decides, NO_PROXY included). */
export function environmentHasProxy(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env[name] || env[name.toUpperCase()]));
}

/** HTTPS_PROXY / HTTP_PROXY / ALL_PROXY with NO_PROXY, for an http(s) URL (read from process.env). */
export function environmentProxy(url: string): ProxyChoice {
  const proxy = getProxyForUrl(url);
  if (!proxy) return DIRECT;
  // A bare `host:port` in HTTPS_PROXY is common; proxy-from-env gives it back as written.
  return { kind: 'proxy', url: /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}` };
}

/**
 * The resolver for a setting. `system` is the platform's (Electron: Chromium's) resolver, absent under
 * plain Node; a failing platform answer counts as direct rather than blocking every connection.
 */
export function proxyResolverFor(
  setting: ProxySetting,
  system?: ProxyResolver,
  credentials: ProxyCredentials | null = null,
): ProxyResolver {
  switch (setting.mode) {
    case 'none':
      return async () => DIRECT;
    case 'manual': {
      // The keychain's credentials join the URL only here, on their way into the tunnel agent.
      const url = setting.url && proxyUrlWith(setting.url, credentials);
      return async () => (url ? { kind: 'proxy', url } : DIRECT);
    }
    case 'system':
      return async (url) => {
        if (environmentHasProxy()) return environmentProxy(url);
        if (!system) return DIRECT;
        return system(url).catch(() => DIRECT);
      };
  }
}

/** `scheme://host:port` of a proxy URL, without its credentials: what logs and errors may name. */
export function proxyDisplayName(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'the proxy';
  }
}
