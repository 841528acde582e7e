// The STOMP codec: escaping per version, first-wins headers, content-length bodies, and a round trip
// through a third-party parser (@stomp/stompjs's) of what we encode.
import { type IRawFrameType, Parser } from '@stomp/stompjs';
import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  escapeHeader,
  unescapeHeader,
} from '../../../server-stub/stomp/stomp-frame';

function parseAll(bytes: Uint8Array): IRawFrameType[] {
  const frames: IRawFrameType[] = [];
  new Parser(
    (frame) => frames.push(frame),
    () => {},
  ).parseChunk(Uint8Array.from(bytes).buffer);
  return frames;
}

const raw = (command: string, headers: Array<[string, string]>): IRawFrameType => ({
  command,
  headers,
  binaryBody: new Uint8Array(0),
});

describe('header escaping', () => {
  it('1.2 escapes backslash, CR, LF and colon; 1.1 has no \\r; 1.0 has no escapes', () => {
    expect(escapeHeader('a\\b\rc\nd:e', '1.2')).toBe('a\\\\b\\rc\\nd\\ce');
    expect(escapeHeader('a\\b\rc\nd:e', '1.1')).toBe('a\\\\b c\\nd\\ce');
    expect(escapeHeader('a\\b\rc\nd:e', '1.0')).toBe('a\\b c d:e');
  });

  it('unescapes the defined sequences and refuses undefined ones (a fatal error per spec)', () => {
    expect(unescapeHeader('a\\\\b\\rc\\nd\\ce', '1.2')).toBe('a\\b\rc\nd:e');
    expect(unescapeHeader('x\\ty', '1.2')).toBeNull();
    expect(unescapeHeader('x\\ry', '1.1')).toBeNull();
    expect(unescapeHeader('trailing\\', '1.2')).toBeNull();
    expect(unescapeHeader('x\\cy', '1.0')).toBeNull();
    expect(unescapeHeader('plain:colon', '1.0')).toBe('plain:colon');
  });

  it('decodes by version, never unescapes CONNECT, and keeps the first of a repeated header', () => {
    const frame = raw('SUBSCRIBE', [
      ['id', 'a\\cb'],
      ['id', 'second'],
    ]);
    expect(decodeFrame(frame, '1.2')).toMatchObject({ ok: true, frame: { headers: { id: 'a:b' } } });
    expect(decodeFrame(frame, '1.0')).toMatchObject({ ok: true, frame: { headers: { id: 'a\\cb' } } });
    const connect = raw('CONNECT', [['passcode', 'x\\ty']]);
    expect(decodeFrame(connect, '1.2')).toMatchObject({
      ok: true,
      frame: { headers: { passcode: 'x\\ty' } },
    });
    expect(decodeFrame(raw('SEND', [['d', 'x\\t']]), '1.2')).toMatchObject({ ok: false });
  });
});

describe('encodeFrame', () => {
  it('adds content-length, ends with NUL, and survives a third-party parser with NULs in the body', () => {
    const body = Buffer.from('{"a":"\u0000 ¥"}');
    const bytes = encodeFrame('MESSAGE', [['destination', '/user/queue/events']], body, '1.2');
    expect(bytes.at(-1)).toBe(0);
    const [frame] = parseAll(bytes);
    expect(frame!.command).toBe('MESSAGE');
    expect(frame!.headers).toContainEqual(['content-length', String(body.length)]);
    expect(Buffer.from(frame!.binaryBody!).equals(body)).toBe(true);
  });

  it('escapes header values (never in CONNECTED) and omits content-length without a body', () => {
    const message = parseAll(encodeFrame('RECEIPT', [['receipt-id', 'a:b\nc']], null, '1.2'))[0]!;
    expect(message.headers).toEqual([['receipt-id', 'a\\cb\\nc']]);
    const connected = parseAll(encodeFrame('CONNECTED', [['server', 'x:y']], null, '1.2'))[0]!;
    expect(connected.headers).toEqual([['server', 'x:y']]);
  });

  it('frames concatenated in one chunk come apart again', () => {
    const two = Buffer.concat([
      encodeFrame('RECEIPT', [['receipt-id', '1']], null, '1.2'),
      encodeFrame('RECEIPT', [['receipt-id', '2']], null, '1.2'),
    ]);
    expect(parseAll(two).map((frame) => frame.headers[0]![1])).toEqual(['1', '2']);
  });
});
