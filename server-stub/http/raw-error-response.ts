// An error answer written straight onto a socket, for the places where no fastify reply exists: node's
// HTTP parser errors (`clientError`), timeouts, and refused WebSocket upgrades. Same `{code, message}`
// JSON body as every other error, and the connection is closed after it (the request stream is
// unusable or the client is being cut off).
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../../protocol';

export function writeRawError(
  socket: Duplex,
  status: number,
  body: ErrorBody,
  extraHeaders: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const json = JSON.stringify(body);
  const headers = Object.entries(extraHeaders)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // Ending first and destroying on 'finish' makes sure the response is flushed before the socket goes.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      headers +
      '\r\n' +
      json,
  );
}
