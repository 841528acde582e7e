// Whether an HTTP upgrade request may become a stream socket, decided from the request alone: the
// session to attach, or the HTTP refusal to write instead (see upgrade-rejection.ts).
import type { IncomingMessage } from 'node:http';
import { API_PREFIX, type ErrorBody, STREAM_SUBPROTOCOL } from '../../protocol';
import { bearerToken } from '../auth/bearer-token';
import type { AuthenticatedSession, SessionAuthority } from '../ports';

export const STREAM_PATH = `${API_PREFIX}/stream`;

export type UpgradeAdmission =
  | { admitted: true; session: AuthenticatedSession }
  | { admitted: false; status: number; body: ErrorBody };

function refused(status: number, code: ErrorBody['code'], message: string): UpgradeAdmission {
  return { admitted: false, status, body: { code, message } };
}

export function admitUpgrade(
  request: IncomingMessage,
  sessions: SessionAuthority,
  shuttingDown: boolean,
): UpgradeAdmission {
  const path = (request.url ?? '').split('?', 1)[0];
  if (path !== STREAM_PATH) return refused(404, 'not_found', `no WebSocket endpoint at ${path}`);
  if (shuttingDown) return refused(503, 'internal', 'server is shutting down');
  const token = bearerToken(request.headers.authorization);
  const session = token ? sessions.verify(token) : null;
  if (!session) {
    const message = token ? 'token is unknown, expired or revoked' : 'send Authorization: Bearer <token>';
    return refused(401, 'unauthorized', message);
  }
  const offered = request.headers['sec-websocket-protocol'];
  if (offered && !offered.split(',').some((name) => name.trim() === STREAM_SUBPROTOCOL)) {
    return refused(400, 'bad_request', `the only subprotocol spoken here is ${STREAM_SUBPROTOCOL}`);
  }
  return { admitted: true, session };
}
