// Whether an upgrade to the STOMP endpoint may become a socket. Unlike the v1 stream, the token may
// instead come later in the CONNECT frame (the Spring convention), so no Authorization header is fine;
// but one that is sent must be valid, and a bad one is refused with HTTP 401 before any upgrade.
import type { IncomingMessage } from 'node:http';
import { type ErrorBody, STOMP_SUBPROTOCOLS } from '../../protocol';
import { bearerToken } from '../auth/bearer-token';
import type { SessionAuthority } from '../ports';

export type StompAdmission =
  /** `token` is re-verified at CONNECT, so a sign-out between the upgrade and CONNECT still counts. */
  { admitted: true; token: string | null } | { admitted: false; status: number; body: ErrorBody };

function refused(status: number, code: ErrorBody['code'], message: string): StompAdmission {
  return { admitted: false, status, body: { code, message } };
}

export function admitStompUpgrade(
  request: IncomingMessage,
  sessions: SessionAuthority,
  shuttingDown: boolean,
): StompAdmission {
  if (shuttingDown) return refused(503, 'internal', 'server is shutting down');
  const header = request.headers.authorization;
  const token = header === undefined ? null : bearerToken(header);
  if (header !== undefined && !(token && sessions.verify(token))) {
    return refused(401, 'unauthorized', 'token is unknown, expired or revoked');
  }
  // No subprotocol at all is accepted (Spring does the same); a list without STOMP in it is a mistake.
  const offered = request.headers['sec-websocket-protocol'];
  const spoken: readonly string[] = STOMP_SUBPROTOCOLS;
  if (offered && !offered.split(',').some((name) => spoken.includes(name.trim()))) {
    return refused(400, 'bad_request', `subprotocols spoken here: ${STOMP_SUBPROTOCOLS.join(', ')}`);
  }
  return { admitted: true, token };
}
