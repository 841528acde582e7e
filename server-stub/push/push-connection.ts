// One client's WebSocket: the hello handshake, replay-then-live delivery and backpressure.
//
// A connection carries one or two streams ("lanes"): the user's own, and the broadcast stream when
// the client's hello asked for it. Each lane's ordering rests on a single number, its `lastSent`.
// Live events are sent straight from memory only when they continue it exactly; anything else (a
// replay, a gap, events that landed while a replay page was draining) is read back from the durable
// log in pages. Because the log and the live listener are both synchronous, "read a short page, then
// switch to live" happens in one turn and no event can slip between the two paths: never a gap, never
// a duplicate. The two lanes are independent: nothing orders one stream's frames against the other's.
import WebSocket from 'ws';
import {
  type BroadcastEvent,
  ClientFrame,
  CloseCode,
  type ErrorFrame,
  type HelloFrame,
  PROTOCOL_VERSION,
  type ResetFrame,
  type StreamName,
  type UserEvent,
  type WelcomeFrame,
} from '../../protocol';
import type { AuthenticatedSession, EventLog, ResumeCheck } from '../ports';
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
  /** Serializes a broadcast event frame (`stream: 'broadcast'`; one Buffer for every connection). */
  encodeBroadcast(event: BroadcastEvent): PreparedFrame;
  /** Called once when the connection stops taking part in delivery (before the socket has closed). */
  detach(connection: PushConnection): void;
  /** Kills the socket if a close handshake has not finished by then. */
  scheduleTerminate(connection: PushConnection): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

type Phase = 'awaiting-hello' | 'open' | 'ended';

/** One stream as this connection sends it: where it is, and how to read and encode more of it. */
interface Lane<E extends { seq: number }> {
  readonly name: StreamName;
  /** The last seq sent (or skipped by a reset). */
  lastSent: number;
  /** Live events are sent as they come; while replaying they are left for the replay to read. */
  replaying: boolean;
  read(afterSeq: number, limit: number): E[];
  encode(event: E): PreparedFrame;
}

export class PushConnection {
  private phase: Phase = 'awaiting-hello';
  private readonly user: Lane<UserEvent>;
  /** Present when the client's hello asked for the broadcast stream. */
  private broadcast: Lane<BroadcastEvent> | null = null;
  /** Ends the absorption of broadcasts into the user's stream for a client from before that stream. */
  private stopFollowing: (() => void) | null = null;
  /** Cleared at each heartbeat ping, set again by the pong (or any frame). */
  alive = true;
  /** Cancels the hello time-out once hello arrived. */
  cancelHelloDeadline: (() => void) | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly session: AuthenticatedSession,
    private readonly host: ConnectionHost,
  ) {
    const { events } = host;
    this.user = {
      name: 'user',
      lastSent: 0,
      replaying: false,
      read: (afterSeq, limit) => events.readAfter(this.userId, afterSeq, limit),
      encode: (event) => host.encodeEvent(event),
    };
  }

  get userId(): string {
    return this.session.user.id;
  }

  get ended(): boolean {
    return this.phase === 'ended';
  }

  /** Whether this connection carries the broadcast stream (its hello asked for it). */
  get readsBroadcasts(): boolean {
    return this.broadcast !== null;
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
    this.deliverTo(this.user, batch, frames);
  }

  /** New events of the broadcast stream; ignored unless this connection carries it. */
  deliverBroadcast(batch: readonly BroadcastEvent[], frames: readonly PreparedFrame[]): void {
    if (this.broadcast) this.deliverTo(this.broadcast, batch, frames);
  }

  /** Sends an error frame (if `errorCode`), then starts the close handshake with `code`. */
  end(code: number, errorCode: string | null, message: string): void {
    if (this.phase === 'ended') return;
    this.stop();
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
    if (this.phase !== 'ended') this.stop();
  }

  private stop(): void {
    this.phase = 'ended';
    this.cancelHelloDeadline?.();
    this.cancelHelloDeadline = null;
    this.stopFollowing?.();
    this.stopFollowing = null;
    this.host.detach(this);
  }

  private onHello(hello: HelloFrame): void {
    this.cancelHelloDeadline?.();
    this.cancelHelloDeadline = null;
    const { events } = this.host;
    const { broadcasts } = events;
    const readsBroadcasts = hello.broadcast !== undefined;
    if (!readsBroadcasts) {
      // A client from before the broadcast stream: announcements reach it through its own stream,
      // absorbed now (what it missed) and after each broadcast while it stays connected.
      events.absorbBroadcasts(this.userId);
      this.stopFollowing = events.followBroadcasts(this.userId);
    }
    const welcome: WelcomeFrame = {
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      head: { epoch: events.epoch, seq: events.head(this.userId) },
      heartbeatSeconds: this.host.heartbeatSeconds,
      sessionExpiresAt: new Date(this.session.expiresAt).toISOString(),
      ...(readsBroadcasts ? { broadcastHead: broadcasts.cursor() } : {}),
    };
    this.sendJson(welcome);
    this.phase = 'open';
    this.resume(this.user, events.checkResume(this.userId, hello.resume), welcome.head.seq);
    if (readsBroadcasts) {
      this.broadcast = {
        name: 'broadcast',
        lastSent: 0,
        replaying: false,
        read: (afterSeq, limit) => broadcasts.readAfter(afterSeq, limit),
        encode: (event) => this.host.encodeBroadcast(event),
      };
      this.resume(
        this.broadcast,
        broadcasts.checkResume(hello.broadcast ?? null),
        welcome.broadcastHead!.seq,
      );
    }
  }

  /** Either one `reset` for the lane, or a replay of everything after the client's cursor. */
  private resume<E extends { seq: number }>(lane: Lane<E>, check: ResumeCheck, head: number): void {
    if (check.status === 'reset') {
      const reset: ResetFrame = { type: 'reset', cursor: check.head, reason: check.reason };
      if (lane.name === 'broadcast') reset.stream = 'broadcast';
      lane.lastSent = check.head.seq;
      this.sendJson(reset);
      return;
    }
    lane.lastSent = check.afterSeq;
    if (check.afterSeq < head) void this.replay(lane);
  }

  private deliverTo<E extends { seq: number }>(
    lane: Lane<E>,
    batch: readonly E[],
    frames: readonly PreparedFrame[],
  ): void {
    // Before hello nothing is sent; during a replay, the replay reads these from the log.
    if (this.phase !== 'open' || lane.replaying) return;
    for (let index = 0; index < batch.length; index++) {
      const seq = batch[index]!.seq;
      if (seq <= lane.lastSent) continue;
      if (seq !== lane.lastSent + 1) {
        // Something is missing between what we sent and this batch: let the log fill the gap.
        void this.replay(lane);
        return;
      }
      if (!this.sendEvent(frames[index]!)) return;
      lane.lastSent = seq;
    }
  }

  /**
   * Sends everything after the lane's `lastSent` from the log, page by page, pausing whenever the
   * socket needs to drain, then goes (back to) live. Live events committed meanwhile are skipped by
   * `deliverTo` and picked up here by the next read.
   */
  private async replay<E extends { seq: number }>(lane: Lane<E>): Promise<void> {
    if (this.phase !== 'open' || lane.replaying) return;
    lane.replaying = true;
    try {
      for (;;) {
        const page = lane.read(lane.lastSent, REPLAY_PAGE_SIZE);
        let paused = false;
        for (const event of page) {
          if (event.seq <= lane.lastSent) continue;
          if (event.seq !== lane.lastSent + 1) {
            // The log itself has a hole; sending past it would break the client's gap check.
            this.host.log('event log returned a gap', {
              userId: this.userId,
              stream: lane.name,
              after: lane.lastSent,
            });
            this.end(1011, 'internal', 'event stream is inconsistent');
            return;
          }
          if (needsDrain(this.ws)) {
            // Awaiting lets commits happen meanwhile; `paused` makes us re-read before going live.
            paused = true;
            await drained(this.ws);
            if (this.phase !== 'open') return;
          }
          if (!this.sendEvent(lane.encode(event))) return;
          lane.lastSent = event.seq;
        }
        // A short page read in this same turn (no pause since) means we are caught up: safe to go live.
        if (page.length < REPLAY_PAGE_SIZE && !paused) break;
      }
      lane.replaying = false;
    } catch (error) {
      this.host.log('replay failed', { userId: this.userId, stream: lane.name, error: String(error) });
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
