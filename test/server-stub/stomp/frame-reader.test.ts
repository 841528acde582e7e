// The bounded frame reader: frames split or joined across messages, bodies with NULs, heart-beat EOLs,
// and the size limit on finished frames, unfinished frames and frames that never end.
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../../server-stub/stomp/frame-reader';

const LIMIT = 1024;
const bytes = (text: string) => Buffer.from(text, 'utf8');
const commands = (reader: FrameReader, ...chunks: string[]) =>
  chunks.flatMap((chunk) => reader.push(bytes(chunk)).frames.map((frame) => frame.command));

describe('FrameReader', () => {
  it('reassembles a frame split at every byte', () => {
    const reader = new FrameReader(LIMIT);
    const frame = 'SUBSCRIBE\nid:1\ndestination:/topic/announcements\n\n\0';
    expect(commands(reader, ...frame.split(''))).toEqual(['SUBSCRIBE']);
  });

  it('splits several frames (and EOL heart-beats between them) out of one chunk', () => {
    const reader = new FrameReader(LIMIT);
    expect(commands(reader, '\n\r\nA\n\n\0\nB\nx:1\n\n\0\n\nC\n\n\0')).toEqual(['A', 'B', 'C']);
  });

  it('takes a content-length body with NULs, whole', () => {
    const reader = new FrameReader(LIMIT);
    const { frames, error } = reader.push(bytes('SEND\ncontent-length:5\n\na\0b\0c\0NEXT\n\n\0'));
    expect(error).toBeNull();
    expect(frames.map((frame) => [frame.command, Buffer.from(frame.binaryBody!).toString()])).toEqual([
      ['SEND', 'a\0b\0c'],
      ['NEXT', ''],
    ]);
  });

  it('skips EOL heart-beats between frames, but reads an EOL that arrives alone inside a frame', () => {
    const reader = new FrameReader(LIMIT);
    expect(reader.push(bytes('\n'))).toEqual({ frames: [], error: null });
    // The blank line that ends SEND's headers comes in a message of its own.
    expect(reader.push(bytes('SEND\ndestination:/x')).frames).toEqual([]);
    expect(reader.push(bytes('\n')).frames).toEqual([]);
    expect(reader.push(bytes('\r\n')).frames).toEqual([]);
    const { frames } = reader.push(bytes('body\0'));
    expect(
      frames.map((frame) => [frame.command, frame.headers, Buffer.from(frame.binaryBody!).toString()]),
    ).toEqual([['SEND', [['destination', '/x']], 'body']]);
    // Between frames again: heart-beats, then the next frame.
    expect(reader.push(bytes('\n')).frames).toEqual([]);
    expect(commands(reader, 'NEXT\n\n\0')).toEqual(['NEXT']);
  });

  it('never counts heart-beats toward the limit', () => {
    const reader = new FrameReader(16);
    for (let index = 0; index < 100; index++) expect(reader.push(bytes('\n')).error).toBeNull();
    expect(commands(reader, 'A\n\n\0')).toEqual(['A']);
  });

  it('refuses a finished frame over the limit, keeping the frames before it', () => {
    const reader = new FrameReader(LIMIT);
    const result = reader.push(bytes(`OK\n\n\0BIG\nx:${'y'.repeat(LIMIT)}\n\n\0`));
    expect(result.frames.map((frame) => frame.command)).toEqual(['OK']);
    expect(result.error).toMatch(/larger than 1024/);
    expect(reader.push(bytes('AFTER\n\n\0'))).toEqual({ frames: [], error: null });
  });

  it('refuses an unfinished frame once it passes the limit across messages', () => {
    const reader = new FrameReader(LIMIT);
    expect(reader.push(bytes('SEND\n')).error).toBeNull();
    expect(reader.push(bytes('a'.repeat(LIMIT / 2))).error).toBeNull();
    expect(reader.push(bytes('a'.repeat(LIMIT / 2))).error).toMatch(/never terminated/);
  });

  it('refuses a bad content-length, which would otherwise read forever', () => {
    const reader = new FrameReader(LIMIT);
    expect(reader.push(bytes('SEND\ncontent-length:-1\n\nbody\0')).error).toBeNull();
    expect(reader.push(Buffer.alloc(LIMIT)).error).toMatch(/larger than/);
  });
});
