// Event frames are encoded ONCE per event, as complete WebSocket text frames, and the same bytes are
// written to every subscriber's socket. Measured on loopback, `ws.send()` costs 3–4× a plain socket
// write per connection (it builds a header and issues a corked two-buffer writev every time), which
// dominates fan-out to thousands of sockets.
//
// Writing straight to the socket is safe here because this server never uses permessage-deflate nor
// sends Blobs, so ws's own Sender always writes whole frames synchronously and never holds a queue that
// our bytes could overtake. If a future ws hides its socket, we fall back to `ws.send()`.
import type { Writable } from 'node:stream';
import type WebSocket from 'ws';

export interface PreparedFrame {
  /** The JSON text, for the `ws.send()` fallback. */
  readonly payload: Buffer;
  /** FIN + text opcode header, unmasked (server → client), followed by the payload. */
  readonly wire: Buffer;
}

/** RFC 6455 §5.2 header for a final, unmasked text frame of `length` bytes. */
function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65_536) {
    const header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

export function prepareTextFrame(json: string): PreparedFrame {
  const payload = Buffer.from(json, 'utf8');
  return { payload, wire: Buffer.concat([textFrameHeader(payload.length), payload]) };
}

function rawSocket(ws: WebSocket): Writable | null {
  const socket = (ws as unknown as { _socket?: unknown })._socket;
  return socket && typeof (socket as Writable).write === 'function' ? (socket as Writable) : null;
}

/** Queues `frame` on an OPEN socket. */
export function writePreparedFrame(ws: WebSocket, frame: PreparedFrame): void {
  const socket = rawSocket(ws);
  if (socket) socket.write(frame.wire);
  else ws.send(frame.payload, { binary: false });
}

/** An empty ping (FIN + ping opcode, no payload, unmasked); the same two bytes for every socket. */
const PING_FRAME = Buffer.from([0x89, 0x00]);

/**
 * Pings an OPEN socket. The heartbeat pings every connection, so this skips `ws.ping()`'s per-call
 * frame building and two-buffer writev for one shared two-byte write.
 */
export function writePing(ws: WebSocket): void {
  const socket = rawSocket(ws);
  if (socket) socket.write(PING_FRAME);
  else ws.ping();
}

/** True when the socket's user-space buffer passed its high-water mark and should drain first. */
export function needsDrain(ws: WebSocket): boolean {
  return ws.readyState === ws.OPEN && rawSocket(ws)?.writableNeedDrain === true;
}

/**
 * Resolves when the socket drained (see needsDrain) or the WebSocket closed. Lets a replay go only as
 * fast as the client reads.
 */
export function drained(ws: WebSocket): Promise<void> {
  const socket = rawSocket(ws);
  if (!socket || !needsDrain(ws)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      ws.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    ws.once('close', done);
  });
}
