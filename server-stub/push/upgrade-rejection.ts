// Refusals written straight onto the raw socket of an HTTP upgrade request, before any WebSocket
// exists: the client sees an ordinary HTTP error and never an open socket.
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../../protocol';
import { writeRawError } from '../http/raw-error-response';

export function rejectUpgrade(socket: Duplex, status: number, body: ErrorBody): void {
  writeRawError(socket, status, body, status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
}
