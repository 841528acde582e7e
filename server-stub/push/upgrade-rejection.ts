// Refusals written straight onto the raw socket of an HTTP upgrade request, before any WebSocket
// exists: the client sees an ordinary HTTP error and never an open socket.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../../protocol';

export function rejectUpgrade(socket: Duplex, status: number, body: ErrorBody): void {
  if (socket.destroyed) return;
  const json = JSON.stringify(body);
  const extraHeaders = status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '';
  // Ending first and destroying on 'finish' makes sure the response is flushed before the socket goes.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      extraHeaders +
      '\r\n' +
      json,
  );
}
