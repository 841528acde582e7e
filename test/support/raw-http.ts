// HTTP/1.1 over a bare TCP socket, for tests that must see the exact bytes the server writes (status
// line, headers, body) for requests no HTTP client would send: broken request lines, missing Host,
// oversized headers, half-sent requests.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawExchange {
  /** The first complete response on the socket, or null if it closed without one. */
  response: RawResponse | null;
  /** Whether the server closed the socket (or it ended) within the wait. */
  closed: boolean;
  /** Milliseconds from the write until the socket closed (or the wait ended). */
  elapsedMs: number;
}

/** Parses one response from the start of `text` once it is complete (by Content-Length), else null. */
export function parseRawResponse(text: string): RawResponse | null {
  const headerEnd = text.indexOf('\r\n\r\n');
  if (headerEnd < 0) return null;
  const [statusLine = '', ...lines] = text.slice(0, headerEnd).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) return null;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? '0');
  const rest = Buffer.from(text.slice(headerEnd + 4));
  if (rest.length < length) return null;
  return { status: Number(match[1]), headers, body: rest.subarray(0, length).toString() };
}

/**
 * Writes `request` (all at once, or a piece per entry) to `host:port` and collects what comes back until
 * the socket closes or `waitMs` passes; resolves early with `untilResponse` once a response is complete.
 */
export function rawExchange(
  port: number,
  request: string | Buffer | Array<string | Buffer>,
  options: { waitMs?: number; untilResponse?: boolean; socket?: Socket } = {},
): Promise<RawExchange> {
  const { waitMs = 5_000, untilResponse = false } = options;
  const socket = options.socket ?? connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      const response = parseRawResponse(Buffer.concat(chunks).toString('latin1'));
      if (!options.socket) socket.destroy();
      resolve({ response, closed, elapsedMs: Date.now() - started });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      if (untilResponse && parseRawResponse(Buffer.concat(chunks).toString('latin1'))) finish(false);
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', onData);
    socket.once('close', () => finish(true));
    socket.once('end', () => finish(true));
    socket.on('error', () => finish(true));
    for (const piece of Array.isArray(request) ? request : [request]) socket.write(piece);
  });
}
