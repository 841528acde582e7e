// Whether an HTTP upgrade request may become a stream socket, decided from the request alone: the
// session to attach, or the HTTP refusal to write instead (see upgrade-rejection.ts). Every handshake
// check `ws` would make is made here first, so ws never answers with its own (text/html) refusal.
import type { IncomingMessage } from 'node:http';
import { API_PREFIX, type ErrorBody, STREAM_SUBPROTOCOL } from '../../protocol';
import { bearerToken } from '../auth/bearer-token';
import { errorBody } from '../http/http-error';
import type { AuthenticatedSession, SessionAuthority } from '../ports';

export const STREAM_PATH = `${API_PREFIX}/stream`;

export type UpgradeAdmission =
  | { admitted: true; session: AuthenticatedSession }
  | { admitted: false; status: number; body: ErrorBody };

function refused(status: number, code: ErrorBody['code'], message: string, path?: string): UpgradeAdmission {
  const issues = path === undefined ? undefined : [{ path, message }];
  return { admitted: false, status, body: errorBody(code, message, issues ? { issues } : {}) };
}

/** RFC 6455 §4.1: 16 random bytes, base64: 22 characters and `==`. */
const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;
/** RFC 7230 `token`, what each offered subprotocol must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The offered subprotocols, or null when the header is not a comma list of distinct tokens. */
function offeredSubprotocols(header: string): string[] | null {
  const names = header.split(',').map((name) => name.trim());
  if (!names.every((name) => TOKEN.test(name))) return null;
  return new Set(names).size === names.length ? names : null;
}

/** The handshake fault that would make ws refuse the upgrade, or null if it is well-formed. */
function handshakeFault(request: IncomingMessage): { message: string; header: string } | null {
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') {
    return { message: 'Upgrade must be websocket', header: 'Upgrade' };
  }
  if (!WEBSOCKET_KEY.test(request.headers['sec-websocket-key'] ?? '')) {
    return { message: 'missing or invalid Sec-WebSocket-Key', header: 'Sec-WebSocket-Key' };
  }
  if (request.headers['sec-websocket-version'] !== '13') {
    return { message: 'Sec-WebSocket-Version must be 13', header: 'Sec-WebSocket-Version' };
  }
  return null;
}

export function admitUpgrade(
  request: IncomingMessage,
  sessions: SessionAuthority,
  shuttingDown: boolean,
): UpgradeAdmission {
  const path = (request.url ?? '').split('?', 1)[0];
  if (path !== STREAM_PATH || request.method !== 'GET') {
    return refused(404, 'not_found', `no WebSocket endpoint at ${request.method} ${path}`);
  }
  if (shuttingDown) return refused(503, 'unavailable', 'server is shutting down');
  const token = bearerToken(request.headers.authorization);
  const session = token ? sessions.verify(token) : null;
  if (!session) {
    const message = token ? 'token is unknown, expired or revoked' : 'send Authorization: Bearer <token>';
    return refused(401, 'unauthorized', message);
  }
  const offeredHeader = request.headers['sec-websocket-protocol'];
  if (offeredHeader !== undefined) {
    const offered = offeredSubprotocols(offeredHeader);
    if (!offered?.includes(STREAM_SUBPROTOCOL)) {
      const message = `the only subprotocol spoken here is ${STREAM_SUBPROTOCOL}`;
      return refused(400, 'bad_request', message, 'Sec-WebSocket-Protocol');
    }
  }
  const fault = handshakeFault(request);
  if (fault) return refused(400, 'bad_request', fault.message, fault.header);
  return { admitted: true, session };
}
