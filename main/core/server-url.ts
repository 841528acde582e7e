// What the user types as "server" becomes one canonical base URL, or a precise refusal.
import { SignInError } from './ports';

export interface ServerAddress {
  /** Canonical base URL without a trailing slash, e.g. `https://signoff.example.com` or with a path prefix. */
  baseUrl: string;
  /** `scheme://host[:port]`, the part that identifies the server in the keychain account name. */
  origin: string;
  /** The WebSocket stream URL base (`wss://` for https, `ws://` for http). */
  wsBase: string;
  secure: boolean;
  loopback: boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(host) || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Accepts `host`, `host:port`, `https://host/prefix`, and ws(s):// spellings. Refuses credentials,
 * queries and fragments in the URL, and plain http(ws) to anything but this machine unless the user
 * explicitly allowed insecure servers: a bearer token must not cross a network in clear text.
 */
export function parseServerUrl(input: string, allowInsecure: boolean): ServerAddress {
  const trimmed = input.trim();
  if (trimmed.length === 0) throw new SignInError('invalid-url', 'Enter the server address.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new SignInError('invalid-url', `"${trimmed}" is not a valid server address.`);
  }
  const scheme = { 'https:': 'https', 'wss:': 'https', 'http:': 'http', 'ws:': 'http' }[url.protocol];
  if (!scheme) throw new SignInError('invalid-url', `Unsupported address scheme "${url.protocol}".`);
  if (url.username || url.password) {
    throw new SignInError('invalid-url', 'The server address must not contain a user name or password.');
  }
  if (url.search || url.hash) {
    throw new SignInError('invalid-url', 'The server address must not contain "?" or "#" parts.');
  }
  if (!url.hostname) throw new SignInError('invalid-url', 'The server address has no host name.');
  const secure = scheme === 'https';
  const loopback = isLoopbackHost(url.hostname);
  if (!secure && !loopback && !allowInsecure) {
    throw new SignInError(
      'insecure-url',
      `Refusing an unencrypted connection to ${url.hostname}; use https:// (or allow insecure servers in settings).`,
    );
  }
  const port = url.port ? `:${url.port}` : '';
  const origin = `${scheme}://${url.hostname}${port}`;
  const prefix = url.pathname.replace(/\/+$/, '');
  const baseUrl = `${origin}${prefix}`;
  return {
    baseUrl,
    origin,
    wsBase: `${secure ? 'wss' : 'ws'}://${url.hostname}${port}${prefix}`,
    secure,
    loopback,
  };
}
