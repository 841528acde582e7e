// Splits a connection's incoming bytes into STOMP frames with @stomp/stompjs's Parser, which handles
// frames split across WebSocket messages, several frames in one message, content-length bodies with
// NULs and heart-beat EOLs. What the Parser lacks for a server is a bound: it buffers a frame without
// limit (and a bad `content-length` never ends one). So the bytes of an unfinished frame are counted,
// and finished frames are measured, against `maxFrameBytes`.
//
// The Parser reports a frame only through a callback, mid-chunk, so to know how many bytes are still
// pending each chunk is fed in pieces that end at a NUL (where every well-formed frame ends): a piece
// in which a frame or heart-beat completed leaves nothing of it pending.
import { type IRawFrameType, Parser } from '@stomp/stompjs';
import { rawFrameBytes } from './stomp-frame';

export type ReadResult = { frames: IRawFrameType[]; error: string | null };

const NOTHING: ReadResult = Object.freeze({
  frames: Object.freeze([]),
  error: null,
}) as unknown as ReadResult;
const LF = 0x0a;
const CR = 0x0d;

/** True when `chunk` holds only EOLs: between frames, that is heart-beats and nothing else. */
function onlyEols(chunk: Uint8Array): boolean {
  for (const byte of chunk) if (byte !== LF && byte !== CR) return false;
  return true;
}

export class FrameReader {
  private readonly parser: Parser;
  private readonly completed: IRawFrameType[] = [];
  private boundary = false;
  private pendingBytes = 0;
  private failed = false;
  /** Some of a frame has been read and its end has not: an EOL now is part of it, not a heart-beat. */
  private midFrame = false;

  constructor(private readonly maxFrameBytes: number) {
    // The callbacks only record: the Parser swallows (and console.logs) anything they throw.
    this.parser = new Parser(
      (frame) => {
        this.completed.push(frame);
        this.boundary = true;
      },
      () => {
        this.boundary = true;
      },
    );
  }

  /**
   * The frames completed by `chunk`, in order, and an error if the input broke a limit; after an
   * error the reader takes nothing more (the connection is being closed).
   */
  push(chunk: Uint8Array): ReadResult {
    if (this.failed) return { frames: [], error: null };
    // A heart-beat between frames (every client sends one per interval, most of what an idle
    // connection receives) needs no parsing.
    if (!this.midFrame && onlyEols(chunk)) return NOTHING;
    const frames: IRawFrameType[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nul = chunk.indexOf(0, start);
      const end = nul === -1 ? chunk.length : nul + 1;
      this.boundary = false;
      // A copy with its own ArrayBuffer: a Buffer's `.buffer` may be a shared pool.
      this.parser.parseChunk(Uint8Array.from(chunk.subarray(start, end)).buffer);
      this.pendingBytes = this.boundary ? 0 : this.pendingBytes + (end - start);
      // Between frames only when a frame ended with this piece's NUL. (A frame whose content-length
      // body ends without its NUL leaves this set until the next frame ends: EOLs are then parsed
      // the slow way, which is always right.)
      if (this.completed.length > 0 && nul !== -1) this.midFrame = false;
      else if (this.completed.length > 0 || !onlyEols(chunk.subarray(start, end))) this.midFrame = true;
      for (const frame of this.completed.splice(0)) {
        if (rawFrameBytes(frame) > this.maxFrameBytes) return this.fail(frames);
        frames.push(frame);
      }
      if (this.pendingBytes > this.maxFrameBytes) return this.fail(frames);
      start = end;
    }
    return { frames, error: null };
  }

  private fail(frames: IRawFrameType[]): ReadResult {
    this.failed = true;
    return {
      frames,
      error: `frame larger than ${this.maxFrameBytes} bytes (or never terminated by NUL)`,
    };
  }
}
