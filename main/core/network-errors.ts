// Classifies the errors Node raises for a failed request or socket, so sign-in can say exactly what
// went wrong and actions can tell "server unreachable" (retry later) from "server refused".
import { inertLine } from '../common/inert-text';

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

export type NetworkFailure =
  /** `issuer`: who issued the chain the server sent, when the chain is what was not trusted. */
  | { kind: 'tls'; detail: string; issuer?: string }
  | { kind: 'unreachable'; detail: string }
  | { kind: 'proxy-auth'; detail: string };

/** Longest issuer name carried into messages (it comes from the server's certificate). */
const ISSUER_MAX = 200;

/**
 * The server's certificate did not verify. `code` stays Node's (e.g. UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
 * so callers classify it as before; the message names the issuer, so a support desk can tell a
 * missing company inspection root from a wrong server.
 */
export class UntrustedCertificateError extends Error {
  readonly issuer: string;

  constructor(
    readonly code: string,
    issuer: string,
    host: string,
  ) {
    const name = inertLine(issuer, ISSUER_MAX);
    super(
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? `the certificate of ${host} (issued by '${name}') is for another host name`
        : `certificate issued by '${name}' is not trusted (${code})`,
    );
    this.name = 'UntrustedCertificateError';
    this.issuer = name;
  }
}

/**
 * The proxy answered the CONNECT with something other than 200. 407 (and 401, which tinyproxy sends)
 * mean it wants other credentials; anything else, that it would not or could not reach the server.
 */
export class ProxyRefusedError extends Error {
  readonly code: string;

  constructor(
    readonly status: number,
    proxy: string,
    target: string,
  ) {
    const wantsCredentials = status === 407 || status === 401;
    super(
      wantsCredentials
        ? `the proxy ${proxy} refused the credentials (HTTP ${status})`
        : `the proxy ${proxy} could not connect to ${target} (HTTP ${status || 'no answer'})`,
    );
    this.name = 'ProxyRefusedError';
    this.code = wantsCredentials ? 'ERR_PROXY_AUTH' : 'ERR_PROXY_REFUSED';
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause ? codeOf(cause) : undefined;
}

/** null when the error is not a network/TLS failure (e.g. an API error or a bug). */
export function classifyNetworkError(error: unknown): NetworkFailure | null {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UntrustedCertificateError) {
    return { kind: 'tls', detail: message, issuer: error.issuer };
  }
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) {
    return { kind: 'tls', detail: `${code}: ${message}` };
  }
  if (code === 'ERR_PROXY_AUTH') return { kind: 'proxy-auth', detail: message };
  if (code === 'ERR_PROXY_REFUSED') return { kind: 'unreachable', detail: message };
  if (code && UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', detail: `${code}: ${message}` };
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'unreachable', detail: 'timed out' };
  return null;
}

/** Nothing answered at all (server down, no route, no name): not a proxy standing in the way. */
const NOTHING_THERE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

/**
 * How a WebSocket handshake that never completed failed, from the last socket error (if any) and
 * whether a deadline cut it: the auto transport tells a blocked upgrade from a server that is down.
 */
export function handshakeFailureOf(error: unknown, timedOut: boolean): 'reset' | 'timeout' | 'unreachable' {
  if (timedOut) return 'timeout';
  const code = codeOf(error);
  if (code && NOTHING_THERE_CODES.has(code)) return 'unreachable';
  // ws words its own handshake deadline this way (no code).
  if (error instanceof Error && /handshake has timed out/i.test(error.message)) return 'timeout';
  return 'reset';
}
