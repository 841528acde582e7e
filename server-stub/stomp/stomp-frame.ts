// STOMP frames as the server sees them: incoming raw frames (split by @stomp/stompjs's Parser) turned
// into command + headers per the version's escaping rules, and outgoing frames encoded the same way.
//
// The encoder is written here rather than taken from stompjs's FrameImpl because FrameImpl is marked
// internal and always escapes as 1.2 does; 1.0 has no escapes and 1.1 has no `\r`.
import type { IRawFrameType } from '@stomp/stompjs';
import type { StompVersion } from '../../protocol';

export interface StompFrame {
  command: string;
  /** First occurrence wins (STOMP 1.2 "Repeated Header Entries"). */
  headers: Record<string, string>;
  body: Uint8Array;
}

export type Decoded = { ok: true; frame: StompFrame } | { ok: false; message: string };

/** CONNECT and CONNECTED are never escaped, whatever the version, so 1.0 peers can read them. */
function escapes(command: string, version: StompVersion | null): boolean {
  return version !== null && version !== '1.0' && command !== 'CONNECT' && command !== 'CONNECTED';
}

const UNESCAPE: Record<StompVersion, Record<string, string>> = {
  '1.0': {},
  '1.1': { n: '\n', c: ':', '\\': '\\' },
  '1.2': { r: '\r', n: '\n', c: ':', '\\': '\\' },
};

/** The unescaped text, or null for an escape the version does not define (a fatal protocol error). */
export function unescapeHeader(text: string, version: StompVersion): string | null {
  if (!text.includes('\\')) return text;
  const table = UNESCAPE[version];
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const replacement = table[text[index + 1] ?? ''];
    if (replacement === undefined) return null;
    out += replacement;
    index++;
  }
  return out;
}

export function escapeHeader(text: string, version: StompVersion): string {
  switch (version) {
    // 1.0 cannot carry a line break in a header at all.
    case '1.0':
      return text.replace(/[\r\n]/g, ' ');
    case '1.1':
      return text.replace(/\\/g, '\\\\').replace(/\r/g, ' ').replace(/\n/g, '\\n').replace(/:/g, '\\c');
    case '1.2':
      return text.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
  }
}

/** Bytes the frame took on the wire, near enough to enforce a size limit (escapes counted as decoded). */
export function rawFrameBytes(raw: IRawFrameType): number {
  let total = Buffer.byteLength(raw.command ?? '') + 2 + (raw.binaryBody?.length ?? 0);
  for (const [name, value] of raw.headers) total += Buffer.byteLength(name) + Buffer.byteLength(value) + 2;
  return total;
}

/** `version` is null until CONNECTED (only CONNECT/STOMP are acceptable then, and they are not escaped). */
export function decodeFrame(raw: IRawFrameType, version: StompVersion | null): Decoded {
  const command = raw.command ?? '';
  const escaped = escapes(command, version);
  const headers: Record<string, string> = Object.create(null);
  for (const [rawName, rawValue] of raw.headers) {
    const name = escaped ? unescapeHeader(rawName, version!) : rawName;
    const value = escaped ? unescapeHeader(rawValue, version!) : rawValue;
    if (name === null || value === null) {
      return { ok: false, message: `undefined escape sequence in header ${JSON.stringify(rawName)}` };
    }
    if (!(name in headers)) headers[name] = value;
  }
  return { ok: true, frame: { command, headers, body: raw.binaryBody ?? new Uint8Array(0) } };
}

/**
 * One frame's bytes. `content-length` is added whenever there is a body, so bodies may hold NULs.
 * Header order is kept: STOMP readers take the first of a repeated name.
 */
export function encodeFrame(
  command: string,
  headers: ReadonlyArray<readonly [string, string]>,
  body: Uint8Array | null,
  version: StompVersion,
): Buffer {
  const escaped = escapes(command, version);
  let head = command;
  for (const [name, value] of headers) {
    head += escaped
      ? `\n${escapeHeader(name, version)}:${escapeHeader(value, version)}`
      : `\n${name}:${value.replace(/[\r\n]/g, ' ')}`;
  }
  if (body && body.length > 0) head += `\ncontent-length:${body.length}`;
  head += '\n\n';
  const headBytes = Buffer.from(head, 'utf8');
  return Buffer.concat([headBytes, body ?? Buffer.alloc(0), Buffer.from([0])]);
}

/** A heart-beat: one EOL, alone in its WebSocket message. */
export const HEART_BEAT = '\n';
