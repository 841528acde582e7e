// One client's WebSocket: the hello handshake, replay-then-live delivery and backpressure.
//
// Ordering rests on a single number, `lastSentSeq`. Live events are sent straight from memory only
// when they continue it exactly; anything else (a replay, a gap, events that landed while a replay
// page was draining) is read back from the durable log in pages. Because the log and the live
// listener are both synchronous, "read a short page, then switch to live" happens in one turn and
// no event can slip between the two paths: never a gap, never a duplicate.
import WebSocket from 'ws';
import {
  ClientFrame,
  CloseCode,
  type ErrorFrame,
  type HelloFrame,
  PROTOCOL_VERSION,
  type ResetFrame,
  type UserEvent,
  type WelcomeFrame,
} from '../../protocol';
import type { AuthenticatedSession, EventLog } from '../ports';
import { drained, needsDrain, type PreparedFrame, writePreparedFrame } from './prepared-frame';
import { keptUp } from './socket-endpoint';

/** Events read from the log per replay read; sending pauses whenever the socket needs to drain. */
export const REPLAY_PAGE_SIZE = 200;

/** What a connection needs from the hub that owns it. */
export interface ConnectionHost {
  readonly events: EventLog;
  readonly heartbeatSeconds: number;
  readonly maxBufferedBytes: number;
  /** Serializes an event frame (the hub shares one Buffer per event among a user's connections). */
  encodeEvent(event: UserEvent): PreparedFrame;
  /** Called once when the connection stops taking part in delivery (before the socket has closed). */
  detach(connection: PushConnection): void;
  /** Kills the socket if a close handshake has not finished by then. */
  scheduleTerminate(connection: PushConnection): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

type Phase = 'awaiting-hello' | 'replaying' | 'live' | 'ended';

export class PushConnection {
  private phase: Phase = 'awaiting-hello';
  private lastSentSeq = 0;
  /** Cleared at each heartbeat ping, set again by the pong (or any frame). */
  alive = true;
  /** Cancels the hello time-out once hello arrived. */
  cancelHelloDeadline: (() => void) | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly session: AuthenticatedSession,
    private readonly host: ConnectionHost,
  ) {}

  get userId(): string {
    return this.session.user.id;
  }

  get ended(): boolean {
    return this.phase === 'ended';
  }

  onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.phase === 'ended') return;
    this.alive = true;
    const frame = this.parseFrame(data, isBinary);
    if (!frame) return;
    if (frame.type === 'hello') {
      if (this.phase === 'awaiting-hello') this.onHello(frame);
      else this.refuseFrame('hello was already received');
    } else if (this.phase === 'awaiting-hello') {
      this.refuseFrame('the first frame must be hello');
    } else {
      this.sendJson(frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id });
    }
  }

  /** The validated client frame, or null after ending the connection with the reason it is refused. */
  private parseFrame(data: WebSocket.RawData, isBinary: boolean): ClientFrame | null {
    if (isBinary) {
      this.refuseFrame('binary frames are not part of the protocol');
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(rawToString(data));
    } catch {
      this.refuseFrame('frame is not valid JSON');
      return null;
    }
    // A hello from another protocol version may not match this version's hello schema, so the
    // version is looked at before the frame is validated.
    if (isForeignHello(json)) {
      this.end(
        CloseCode.unsupportedProtocol,
        'unsupported_protocol',
        `this server speaks protocol version ${PROTOCOL_VERSION}`,
      );
      return null;
    }
    const parsed = ClientFrame.safeParse(json);
    if (!parsed.success) {
      this.refuseFrame('not a known client frame');
      return null;
    }
    return parsed.data;
  }

  /** New events committed to this user's stream; `frames[i]` is the encoded `batch[i]`. */
  deliverLive(batch: readonly UserEvent[], frames: readonly PreparedFrame[]): void {
    if (this.phase !== 'live') return; // a replay in progress will read these from the log
    for (let index = 0; index < batch.length; index++) {
      const seq = batch[index]!.seq;
      if (seq <= this.lastSentSeq) continue;
      if (seq !== this.lastSentSeq + 1) {
        // Something is missing between what we sent and this batch: let the log fill the gap.
        void this.replay();
        return;
      }
      if (!this.sendEvent(frames[index]!)) return;
      this.lastSentSeq = seq;
    }
  }

  /** Sends an error frame (if `errorCode`), then starts the close handshake with `code`. */
  end(code: number, errorCode: string | null, message: string): void {
    if (this.phase === 'ended') return;
    this.phase = 'ended';
    this.cancelHelloDeadline?.();
    this.cancelHelloDeadline = null;
    this.host.detach(this);
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (errorCode) {
      const frame: ErrorFrame = { type: 'error', code: errorCode, message };
      this.ws.send(JSON.stringify(frame));
    }
    // Close reasons are limited to 123 bytes; our messages are short but be safe.
    this.ws.close(code, message.slice(0, 120));
    this.host.scheduleTerminate(this);
  }

  /** The socket is gone (closed, terminated or errored). */
  onClosed(): void {
    if (this.phase !== 'ended') {
      this.phase = 'ended';
      this.cancelHelloDeadline?.();
      this.cancelHelloDeadline = null;
      this.host.detach(this);
    }
  }

  private onHello(hello: HelloFrame): void {
    this.cancelHelloDeadline?.();
    this.cancelHelloDeadline = null;
    const { events } = this.host;
    const welcome: WelcomeFrame = {
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      head: { epoch: events.epoch, seq: events.head(this.userId) },
      heartbeatSeconds: this.host.heartbeatSeconds,
      sessionExpiresAt: new Date(this.session.expiresAt).toISOString(),
    };
    this.sendJson(welcome);
    const check = events.checkResume(this.userId, hello.resume);
    if (check.status === 'reset') {
      const reset: ResetFrame = { type: 'reset', cursor: check.head, reason: check.reason };
      this.lastSentSeq = check.head.seq;
      this.phase = 'live';
      this.sendJson(reset);
      return;
    }
    this.lastSentSeq = check.afterSeq;
    this.phase = 'live';
    if (check.afterSeq < welcome.head.seq) void this.replay();
  }

  /**
   * Sends everything after `lastSentSeq` from the log, page by page, pausing whenever the socket needs
   * to drain, then goes (back to) live. Live events committed meanwhile are skipped by `deliverLive`
   * and picked up here by the next read.
   */
  private async replay(): Promise<void> {
    if (this.phase !== 'live') return;
    this.phase = 'replaying';
    const { events } = this.host;
    try {
      for (;;) {
        const page = events.readAfter(this.userId, this.lastSentSeq, REPLAY_PAGE_SIZE);
        let paused = false;
        for (const event of page) {
          if (event.seq <= this.lastSentSeq) continue;
          if (event.seq !== this.lastSentSeq + 1) {
            // The log itself has a hole; sending past it would break the client's gap check.
            this.host.log('event log returned a gap', { userId: this.userId, after: this.lastSentSeq });
            this.end(1011, 'internal', 'event stream is inconsistent');
            return;
          }
          if (needsDrain(this.ws)) {
            // Awaiting lets commits happen meanwhile; `paused` makes us re-read before going live.
            paused = true;
            await drained(this.ws);
            if (this.phase !== 'replaying') return;
          }
          if (!this.sendEvent(this.host.encodeEvent(event))) return;
          this.lastSentSeq = event.seq;
        }
        // A short page read in this same turn (no pause since) means we are caught up: safe to go live.
        if (page.length < REPLAY_PAGE_SIZE && !paused) break;
      }
      this.phase = 'live';
    } catch (error) {
      this.host.log('replay failed', { userId: this.userId, error: String(error) });
      this.end(1011, 'internal', 'replay failed');
    }
  }

  /** Queues one event frame; false (and the connection is being closed) when the client fell behind. */
  private sendEvent(frame: PreparedFrame): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    writePreparedFrame(this.ws, frame);
    return keptUp(this, this.host, 'closing slow consumer');
  }

  private sendJson(frame: object): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private refuseFrame(message: string): void {
    this.end(CloseCode.badFrame, 'bad_frame', message);
  }
}

function isForeignHello(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const frame = json as { type?: unknown; protocolVersion?: unknown };
  return (
    frame.type === 'hello' &&
    typeof frame.protocolVersion === 'number' &&
    frame.protocolVersion !== PROTOCOL_VERSION
  );
}

function rawToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
