// One STOMP client: CONNECT (version, heart-beat, token), subscriptions, live delivery, heart-beats and
// every refusal. Read-only by design: actions stay on REST, so SEND, ACK and transactions are refused.
//
// Delivery is live only, from the moment a subscription is registered: durability comes from
// `GET /events` (subscribe with a receipt, then backfill over REST and merge by seq; docs/protocol.md).
import WebSocket from 'ws';
import { z } from 'zod';
import {
  type BroadcastEvent,
  CloseCode,
  PROTOCOL_VERSION,
  STOMP_DESTINATIONS,
  STOMP_EVENT_HEADERS,
  STOMP_STREAMS_HEADER,
  type StompVersion,
  type UserEvent,
} from '../../protocol';
import { bearerToken, MAX_TOKEN_CHARS } from '../auth/bearer-token';
import type { AuthenticatedSession } from '../ports';
import type { DeadlineHandle } from '../push/deadline-queue';
import { type PreparedFrame, prepareTextFrame, writePreparedFrame } from '../push/prepared-frame';
import { keptUp } from '../push/socket-endpoint';
import { FrameReader, type ReadResult } from './frame-reader';
import { type HeartBeat, negotiateHeartBeat, negotiateVersion, SUPPORTED_VERSIONS } from './negotiation';
import { decodeFrame, encodeFrame, HEART_BEAT, type StompFrame } from './stomp-frame';

export const SERVER_NAME = `signoff-stub/${PROTOCOL_VERSION}`;

/** What a connection needs from the hub that owns it. */
export interface StompHost {
  readonly heartBeatOfferMs: number;
  readonly maxFrameBytes: number;
  readonly maxBufferedBytes: number;
  readonly maxSubscriptions: number;
  readonly epoch: string;
  verify(token: string): AuthenticatedSession | null;
  /** Verifies a token that needs asynchronous work (an identity provider's access token); then `verify` knows it. */
  authenticate?(token: string): Promise<unknown>;
  /**
   * CONNECT succeeded: deliver the user's events to this connection, end it with its session, and (if
   * heart-beats were negotiated) visit it with `beat` about every `heartBeatVisitMs`.
   * `readsBroadcasts`: the client said it reads the broadcast stream itself (else announcements are
   * absorbed into its user queue).
   */
  attach(connection: StompConnection, session: AuthenticatedSession, readsBroadcasts: boolean): void;
  /** How often `beat` is called; at most the offer (and so at most any negotiated interval). */
  readonly heartBeatVisitMs: number;
  /** Called once when the connection stops taking part in delivery. */
  detach(connection: StompConnection): void;
  schedule(at: number, fire: () => void): DeadlineHandle;
  /** Kills the socket if a close handshake has not finished by then. */
  scheduleTerminate(ws: WebSocket): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

type Phase = 'awaiting-connect' | 'connected' | 'ended';

interface Subscription {
  readonly id: string;
  readonly destination: string;
  /** The topic carries the broadcast stream; the user queue carries the user's own stream. */
  readonly broadcast: boolean;
}

/** Why a connection is being ended with an ERROR frame. */
interface Refusal {
  code: number;
  /** The ERROR frame's `message` header: short. */
  message: string;
  /** The ERROR frame's body: what to do about it. */
  detail: string;
  receipt?: string | undefined;
}

// Header values are bounded so a frame under the size limit still cannot carry absurd ones.
const text = (max: number) => z.string().max(max);
const ConnectHeaders = z.looseObject({
  'accept-version': text(64).optional(),
  'heart-beat': text(64).optional(),
  Authorization: text(MAX_TOKEN_CHARS + 16).optional(),
  authorization: text(MAX_TOKEN_CHARS + 16).optional(),
  [STOMP_STREAMS_HEADER.name]: text(128).optional(),
});
const SubscribeHeaders = z.looseObject({
  id: text(128).min(1),
  destination: text(256).min(1),
  ack: z.enum(['auto', 'client', 'client-individual']).optional(),
  receipt: text(128).optional(),
});
const UnsubscribeHeaders = z.looseObject({ id: text(128).min(1), receipt: text(128).optional() });
const ReceiptHeader = z.looseObject({ receipt: text(128).optional() });

let connectionCounter = 0;

/** The heart-beat EOL as a whole WebSocket frame: the same three bytes written to every socket. */
const HEART_BEAT_FRAME: PreparedFrame = prepareTextFrame(HEART_BEAT);

export class StompConnection {
  private phase: Phase = 'awaiting-connect';
  private version: StompVersion | null = null;
  private session: AuthenticatedSession | null = null;
  private heartBeat: HeartBeat = { sendMs: 0, expectMs: 0 };
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly reader: FrameReader;
  private connectDeadline: DeadlineHandle | null;
  private readonly id = (++connectionCounter).toString(36);
  private messageCount = 0;
  /** While a CONNECT token is being verified: the messages that arrived meanwhile (else null). */
  private held: WebSocket.RawData[] | null = null;
  private heldFrames: ReadResult['frames'] = [];
  private heldError: string | null = null;
  private lateTokenChecked = false;
  private lastReceivedAt = Date.now();
  private lastSentAt = Date.now();

  constructor(
    readonly ws: WebSocket,
    /** From the upgrade's Authorization header, if it had one (verified again at CONNECT). */
    private readonly upgradeToken: string | null,
    private readonly host: StompHost,
    connectTimeoutMs: number,
  ) {
    this.reader = new FrameReader(host.maxFrameBytes);
    this.connectDeadline = host.schedule(Date.now() + connectTimeoutMs, () => {
      if (this.phase === 'awaiting-connect') {
        this.refuse({ code: CloseCode.helloTimeout, message: 'no CONNECT', detail: 'send CONNECT first' });
      }
    });
  }

  get userId(): string | null {
    return this.session?.user.id ?? null;
  }

  get ended(): boolean {
    return this.phase === 'ended';
  }

  /** Whether the endpoint must visit this connection with `beat` (some heart-beat was negotiated). */
  get beats(): boolean {
    return this.heartBeat.sendMs > 0 || this.heartBeat.expectMs > 0;
  }

  /**
   * A visit of the endpoint's heart-beat wheel, about every host.heartBeatVisitMs: an EOL unless
   * something else will have gone out within the negotiated interval by the next visit, and the cut
   * for a client silent for twice its interval (as on the v1 stream).
   */
  beat(now: number): void {
    if (this.phase !== 'connected') return;
    const { sendMs, expectMs } = this.heartBeat;
    if (expectMs > 0 && now - this.lastReceivedAt >= 2 * expectMs) {
      this.host.log('terminating silent STOMP client', { userId: this.userId });
      this.stop();
      this.ws.terminate();
      return;
    }
    // The next visit may come a little late (a busy loop): 5 % of the period to spare.
    const nextVisit = now + this.host.heartBeatVisitMs * 1.05;
    if (sendMs > 0 && nextVisit - this.lastSentAt >= sendMs && this.ws.readyState === WebSocket.OPEN) {
      writePreparedFrame(this.ws, HEART_BEAT_FRAME);
      this.lastSentAt = now;
      keptUp(this, this.host, 'closing slow STOMP consumer');
    }
  }

  onMessage(data: WebSocket.RawData): void {
    if (this.phase === 'ended') return;
    // Any bytes count as a heart-beat (STOMP 1.2 §Heart-beating).
    this.lastReceivedAt = Date.now();
    if (this.held) {
      this.held.push(data);
      return;
    }
    const { frames, error } = this.reader.push(rawBytes(data));
    for (const [index, raw] of frames.entries()) {
      if (this.ended) return;
      const decoded = decodeFrame(raw, this.version);
      if (decoded.ok) this.onFrame(decoded.frame);
      else this.protocolError('malformed frame', decoded.message);
      if (this.held) {
        // CONNECT waits for its token to be verified: what came after it waits too, in order.
        this.heldFrames = frames.slice(index + 1);
        this.heldError = error;
        return;
      }
    }
    if (error) this.protocolError('frame too large', error);
  }

  /**
   * A CONNECT whose token only an asynchronous check can verify (an identity provider's access token
   * not seen at the upgrade): hold everything until it is done, then handle CONNECT and the rest.
   */
  private connectWhenVerified(
    frame: StompFrame,
    token: string,
    authenticate: (token: string) => Promise<unknown>,
  ) {
    this.held = [];
    const resume = () => {
      const { held, heldFrames, heldError } = this;
      this.held = null;
      this.heldFrames = [];
      this.heldError = null;
      if (this.ended) return;
      this.onConnect(frame);
      for (const raw of heldFrames) {
        if (this.ended) return;
        const decoded = decodeFrame(raw, this.version);
        if (decoded.ok) this.onFrame(decoded.frame);
        else this.protocolError('malformed frame', decoded.message);
      }
      if (heldError) this.protocolError('frame too large', heldError);
      for (const data of held ?? []) this.onMessage(data);
    };
    authenticate(token).then(resume, resume);
  }

  /** One event of this user's stream, with its JSON already encoded (shared by the user's connections). */
  deliver(event: UserEvent, body: Buffer): void {
    this.deliverTo(false, [[STOMP_EVENT_HEADERS.epoch, this.host.epoch]], event, body);
  }

  /** One event of the broadcast stream (JSON encoded once for everyone), to topic subscriptions. */
  deliverBroadcast(event: BroadcastEvent, body: Buffer, epoch: string): void {
    const headers: Array<[string, string]> = [
      [STOMP_EVENT_HEADERS.stream, 'broadcast'],
      [STOMP_EVENT_HEADERS.epoch, epoch],
    ];
    this.deliverTo(true, headers, event, body);
  }

  private deliverTo(
    broadcast: boolean,
    streamHeaders: Array<[string, string]>,
    event: { seq: number },
    body: Buffer,
  ): void {
    if (this.phase !== 'connected') return;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.broadcast !== broadcast) continue;
      const frame = encodeFrame(
        'MESSAGE',
        [
          ['destination', subscription.destination],
          ['subscription', subscription.id],
          ['message-id', `${this.id}-${++this.messageCount}`],
          ['content-type', 'application/json'],
          ...streamHeaders,
          [STOMP_EVENT_HEADERS.seq, String(event.seq)],
        ],
        body,
        this.version!,
      );
      if (!this.send(frame)) return;
    }
  }

  /** Ends with an ERROR frame first (STOMP's way of saying why), or silently when `refusal` has no text. */
  end(code: number, refusal: Omit<Refusal, 'code'> | null, reason: string): void {
    if (this.phase === 'ended') return;
    this.stop();
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (refusal) {
      const headers: Array<[string, string]> = [
        ['message', refusal.message],
        ['content-type', 'text/plain'],
      ];
      if (refusal.receipt !== undefined) headers.push(['receipt-id', refusal.receipt]);
      const frame = encodeFrame('ERROR', headers, Buffer.from(refusal.detail), this.version ?? '1.0');
      this.ws.send(frame, { binary: false });
    }
    this.ws.close(code, reason.slice(0, 120));
    this.host.scheduleTerminate(this.ws);
  }

  /** The session expired or was signed out: ERROR, then close with 4001 as the v1 stream does. */
  endSession(message: string): void {
    this.end(CloseCode.sessionEnded, { message: 'session ended', detail: message }, 'session ended');
  }

  /** The socket is gone (closed, terminated or errored). */
  onClosed(): void {
    if (this.phase !== 'ended') this.stop();
  }

  private stop(): void {
    this.phase = 'ended';
    this.connectDeadline?.cancel();
    this.subscriptions.clear();
    this.host.detach(this);
  }

  private onFrame(frame: StompFrame): void {
    if (this.phase === 'awaiting-connect') {
      if (frame.command === 'CONNECT' || frame.command === 'STOMP') this.onConnect(frame);
      else
        this.protocolError('not connected', `the first frame must be CONNECT or STOMP, not ${frame.command}`);
      return;
    }
    const receipt = ReceiptHeader.safeParse(frame.headers).data?.receipt;
    switch (frame.command) {
      case 'SUBSCRIBE':
        this.onSubscribe(frame);
        return;
      case 'UNSUBSCRIBE':
        this.onUnsubscribe(frame);
        return;
      case 'DISCONNECT':
        if (receipt !== undefined) this.sendFrame('RECEIPT', [['receipt-id', receipt]]);
        this.end(CloseCode.normal, null, 'disconnected');
        return;
      case 'SEND':
        this.protocolError(
          'SEND is not supported',
          'this push channel is read-only; take actions through the REST API',
          receipt,
        );
        return;
      case 'ACK':
      case 'NACK':
        this.protocolError('ACK/NACK not supported', 'subscriptions are ack:auto only', receipt);
        return;
      case 'BEGIN':
      case 'COMMIT':
      case 'ABORT':
        this.protocolError('transactions not supported', 'this push channel is read-only', receipt);
        return;
      case 'CONNECT':
      case 'STOMP':
        this.protocolError('already connected', 'CONNECT was already received', receipt);
        return;
      default:
        this.protocolError('unknown command', `no such STOMP command: ${frame.command}`, receipt);
        return;
    }
  }

  private onConnect(frame: StompFrame): void {
    const headers = ConnectHeaders.safeParse(frame.headers);
    if (!headers.success) {
      this.protocolError('bad CONNECT', 'a CONNECT header is too long');
      return;
    }
    const late = bearerToken(headers.data.Authorization ?? headers.data.authorization);
    if (late !== null && !this.lateTokenChecked && this.host.authenticate && !this.host.verify(late)) {
      this.lateTokenChecked = true;
      this.connectWhenVerified(frame, late, this.host.authenticate.bind(this.host));
      return;
    }
    const version = negotiateVersion(headers.data['accept-version']);
    if (!version) {
      // The `version` header on this ERROR lists what we speak (STOMP 1.2 §Protocol Negotiation).
      this.stop();
      const body = Buffer.from(`Supported protocol versions are ${SUPPORTED_VERSIONS}`);
      this.ws.send(
        encodeFrame(
          'ERROR',
          [
            ['version', SUPPORTED_VERSIONS],
            ['message', 'unsupported STOMP version'],
            ['content-type', 'text/plain'],
          ],
          body,
          '1.0',
        ),
      );
      this.ws.close(CloseCode.unsupportedProtocol, 'unsupported STOMP version');
      this.host.scheduleTerminate(this.ws);
      return;
    }
    this.version = version;
    const heartBeat = negotiateHeartBeat(headers.data['heart-beat'], this.host.heartBeatOfferMs);
    if (!heartBeat) {
      this.protocolError('bad heart-beat', 'heart-beat must be two integers: cx,cy');
      return;
    }
    const authorization = headers.data.Authorization ?? headers.data.authorization;
    const token = authorization === undefined ? this.upgradeToken : bearerToken(authorization);
    const session = token ? this.host.verify(token) : null;
    if (!session) {
      const detail =
        authorization === undefined && token === null
          ? 'send Authorization: Bearer <token> on the upgrade or in CONNECT'
          : 'token is unknown, expired or revoked; sign in again';
      this.end(CloseCode.sessionEnded, { message: 'unauthorized', detail }, 'unauthorized');
      return;
    }
    this.connectDeadline?.cancel();
    this.connectDeadline = null;
    this.session = session;
    this.heartBeat = heartBeat;
    this.phase = 'connected';
    const streams = (headers.data[STOMP_STREAMS_HEADER.name] ?? '').split(',');
    this.host.attach(this, session, streams.includes(STOMP_STREAMS_HEADER.broadcast));
    this.sendFrame('CONNECTED', [
      ['version', version],
      ['heart-beat', `${heartBeat.sendMs},${heartBeat.expectMs}`],
      ['server', SERVER_NAME],
      ['user-name', session.user.id],
    ]);
  }

  private onSubscribe(frame: StompFrame): void {
    // STOMP 1.0 made `id` optional; the destination then names the subscription.
    const raw = this.version === '1.0' ? { id: frame.headers.destination, ...frame.headers } : frame.headers;
    const parsed = SubscribeHeaders.safeParse(raw);
    const receipt = frame.headers.receipt;
    if (!parsed.success) {
      this.protocolError('bad SUBSCRIBE', 'SUBSCRIBE needs id and destination headers', receipt);
      return;
    }
    const { id, destination, ack } = parsed.data;
    if (ack !== undefined && ack !== 'auto') {
      this.protocolError('ack mode not supported', 'subscriptions are ack:auto only', receipt);
      return;
    }
    if (destination !== STOMP_DESTINATIONS.userEvents && destination !== STOMP_DESTINATIONS.announcements) {
      const detail = destination.startsWith('/user/')
        ? `subscribe to ${STOMP_DESTINATIONS.userEvents} for your own events; no other user destination exists`
        : `destinations: ${STOMP_DESTINATIONS.userEvents}, ${STOMP_DESTINATIONS.announcements}`;
      this.protocolError('no such destination', detail, receipt);
      return;
    }
    if (this.subscriptions.has(id)) {
      this.protocolError('duplicate subscription id', `subscription ${id} already exists`, receipt);
      return;
    }
    if (this.subscriptions.size >= this.host.maxSubscriptions) {
      const detail = `at most ${this.host.maxSubscriptions} subscriptions per connection`;
      this.protocolError('too many subscriptions', detail, receipt);
      return;
    }
    this.subscriptions.set(id, {
      id,
      destination,
      broadcast: destination === STOMP_DESTINATIONS.announcements,
    });
    // Live from here: anything committed before this point is for the client's REST backfill.
    if (receipt !== undefined) this.sendFrame('RECEIPT', [['receipt-id', receipt]]);
  }

  private onUnsubscribe(frame: StompFrame): void {
    const raw = this.version === '1.0' ? { id: frame.headers.destination, ...frame.headers } : frame.headers;
    const parsed = UnsubscribeHeaders.safeParse(raw);
    if (!parsed.success) {
      this.protocolError('bad UNSUBSCRIBE', 'UNSUBSCRIBE needs an id header', frame.headers.receipt);
      return;
    }
    // An unknown id is not an error: the subscription is gone either way.
    this.subscriptions.delete(parsed.data.id);
    if (parsed.data.receipt !== undefined) this.sendFrame('RECEIPT', [['receipt-id', parsed.data.receipt]]);
  }

  private protocolError(message: string, detail: string, receipt?: string): void {
    this.refuse({ code: CloseCode.badFrame, message, detail, receipt });
  }

  private refuse(refusal: Refusal): void {
    this.end(refusal.code, refusal, refusal.message);
  }

  private sendFrame(command: string, headers: Array<[string, string]>): void {
    this.send(encodeFrame(command, headers, null, this.version ?? '1.0'));
  }

  /** Queues bytes; false (and the connection is being closed) when the client fell behind. */
  private send(data: Buffer | string): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(data, { binary: false });
    this.lastSentAt = Date.now();
    return keptUp(this, this.host, 'closing slow STOMP consumer');
  }
}

function rawBytes(data: WebSocket.RawData): Uint8Array {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return new Uint8Array(data);
}
