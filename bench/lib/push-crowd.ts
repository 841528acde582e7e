// The client side of the push-modes benchmark: N desktop-like clients of one mode, in a process of
// their own so their work does not share an event loop with the coordinator (which times events) or
// with the server. Counts what the issue asks about at the clients' sockets: requests sent, TCP
// payload bytes both ways, and when each marked event arrived.
import http from 'node:http';
import { Client as StompClient } from '@stomp/stompjs';
import WebSocket from 'ws';
import {
  API_PREFIX,
  type Cursor,
  PROTOCOL_VERSION,
  STOMP_DESTINATIONS,
  STOMP_PATH,
  STOMP_SUBPROTOCOLS,
  STREAM_SUBPROTOCOL,
} from '../../protocol';
import { ByteMeter } from './byte-meter';
import { connectInLanes } from './connect-in-lanes';
import { markedEvents } from './event-marker';
import { type FromCrowd, type PushMode, ToCrowd } from './push-modes-protocol';
import { preciseNow } from './stats';
import { onCoordinatorMessage } from './worker-link';

type OpenMessage = Extract<ToCrowd, { type: 'open' }>;

/** What every client reports into; one per crowd. */
class Tally {
  readonly meter = new ByteMeter();
  requests = 0;
  errors = 0;
  firstError: string | null = null;
  closing = false;
  private receipts: Array<[number, number, number]> = [];

  /** Notes every marked event in `text`, received at `at`. */
  received(text: string, at: number): void {
    for (const [id, committedAt] of markedEvents(text)) this.receipts.push([id, committedAt, at]);
  }

  failed(why: string): void {
    this.errors++;
    this.firstError ??= why;
  }

  takeReceipts(): Array<[number, number, number]> {
    const taken = this.receipts;
    this.receipts = [];
    return taken;
  }
}

interface CrowdClient {
  /** Resolves with null once the client is connected (or has its cursor), or with why it failed. */
  readonly ready: Promise<string | null>;
  close(): void;
}

interface ClientSpec {
  index: number;
  token: string;
  open: OpenMessage;
  tally: Tally;
}

const randomBelow = (n: number) => Math.floor(Math.random() * n);

/**
 * A REST client as a desktop would run one: its own keep-alive connection (one agent per client, so
 * no connection is shared between "desktops"), the cursor it holds, and GET /events from it.
 */
class PollingClient implements CrowdClient {
  readonly ready: Promise<string | null>;
  // An idle socket is dropped after 4 s, as the desktop's fetch (undici) does: before the stub's 5 s
  // keep-alive timeout, so a poll never races the server closing its socket. (Node's agent applies the
  // server's Keep-Alive hint only when it is below the agent's own timeout, so one must be set.)
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 4_000 });
  private cursor: Cursor | null = null;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private closed = false;

  constructor(
    private readonly spec: ClientSpec,
    /** 0: ajax polling every pollSeconds; else long-poll with this wait. */
    private readonly waitSeconds: number,
  ) {
    this.ready = this.get('/queue').then(
      (text) => {
        this.cursor = (JSON.parse(text) as { cursor: Cursor }).cursor;
        this.start();
        return null;
      },
      (error: Error) => error.message,
    );
  }

  private start(): void {
    if (this.waitSeconds === 0) {
      // Desktops started at different moments: each polls at its own phase of the period.
      const periodMs = this.spec.open.pollSeconds * 1000;
      let due = preciseNow() + randomBelow(periodMs);
      const tick = () => {
        void this.poll(0);
        due += periodMs;
        this.timer = setTimeout(tick, Math.max(0, due - preciseNow()));
      };
      this.timer = setTimeout(tick, Math.max(0, due - preciseNow()));
    } else {
      // The first wait is random so the crowd's timeouts are spread over the period, as they are once
      // many desktops have run for a while; every later poll waits the full time.
      void this.longPoll(1 + randomBelow(this.waitSeconds));
    }
  }

  private async longPoll(waitSeconds: number): Promise<void> {
    const ok = await this.poll(waitSeconds);
    if (this.closed) return;
    if (ok) void this.longPoll(this.waitSeconds);
    else this.timer = setTimeout(() => void this.longPoll(this.waitSeconds), 1_000);
  }

  /** One GET /events from the cursor; false if it failed. */
  private async poll(waitSeconds: number): Promise<boolean> {
    if (this.inFlight || !this.cursor) return true;
    this.inFlight = true;
    try {
      const query = `epoch=${this.cursor.epoch}&after=${this.cursor.seq}${waitSeconds ? `&wait=${waitSeconds}` : ''}`;
      const text = await this.get(`/events?${query}`);
      this.spec.tally.received(text, preciseNow());
      // Both an ok page and a reset carry the cursor to continue from.
      this.cursor = (JSON.parse(text) as { cursor: Cursor }).cursor;
      return true;
    } catch (error) {
      if (!this.closed) this.spec.tally.failed(error instanceof Error ? error.message : String(error));
      return false;
    } finally {
      this.inFlight = false;
    }
  }

  private get(path: string): Promise<string> {
    const { tally, open, token } = this.spec;
    tally.requests++;
    return new Promise((resolve, reject) => {
      const request = http.get(
        `${open.url}${API_PREFIX}${path}`,
        { agent: this.agent, headers: { authorization: `Bearer ${token}` } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if (response.statusCode === 200) resolve(text);
            else reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
          });
        },
      );
      request.on('socket', (socket) => tally.meter.track(socket));
      request.on('error', reject);
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.agent.destroy();
  }
}

/** The v1 stream as the desktop opens it (hello without a cursor here: the crowd starts at the head). */
function signoffClient({ open, token, tally }: ClientSpec): CrowdClient {
  const ws = new WebSocket(`${open.url.replace('http', 'ws')}${API_PREFIX}/stream`, STREAM_SUBPROTOCOL, {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  return { ready: watchSocket(ws, tally, 'welcome'), close: () => ws.terminate() };
}

/** A plain WebSocket to the bare server, which needs no handshake beyond the upgrade. */
function bareClient({ open, index, tally }: ClientSpec): CrowdClient {
  const ws = new WebSocket(`${open.url}/?client=${index}`, { perMessageDeflate: false });
  return { ready: watchSocket(ws, tally, null), close: () => ws.terminate() };
}

/**
 * Counts a WebSocket's bytes and marked messages. Ready on the first message (the v1 `welcome`) when
 * `firstMessage` is set, else on open.
 */
function watchSocket(ws: WebSocket, tally: Tally, firstMessage: 'welcome' | null): Promise<string | null> {
  return new Promise((resolve) => {
    let ready = false;
    ws.on('upgrade', (response) => tally.meter.track(response.socket));
    ws.once('open', () => {
      if (firstMessage === null) {
        ready = true;
        resolve(null);
      } else {
        ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null }));
      }
    });
    ws.on('message', (data: Buffer) => {
      const at = preciseNow();
      if (!ready) {
        ready = true;
        resolve(null);
        return;
      }
      tally.received(data.toString(), at);
    });
    ws.on('error', (error) => resolve(error.message));
    ws.on('close', () => {
      if (ready && !tally.closing) tally.failed('WebSocket closed');
      resolve('closed before ready');
    });
  });
}

/**
 * STOMP as the desktop core speaks it (main/core/stomp-stream-client.ts): @stomp/stompjs over `ws`, the
 * token on the upgrade and in CONNECT, heart-beats 10 s both ways, both destinations subscribed with
 * receipts. (The desktop then backfills over REST once per connect; that happens before the measured
 * window, so the crowd skips it.)
 */
function stompClient({ open, token, tally }: ClientSpec): CrowdClient {
  const authorization = `Bearer ${token}`;
  let socket: WebSocket | null = null;
  const client = new StompClient({
    reconnectDelay: 0,
    heartbeatIncoming: 10_000,
    heartbeatOutgoing: 10_000,
    connectHeaders: { Authorization: authorization },
    debug: () => {},
    webSocketFactory: () => {
      const ws = new WebSocket(`${open.url.replace('http', 'ws')}${STOMP_PATH}`, [...STOMP_SUBPROTOCOLS], {
        headers: { authorization },
        perMessageDeflate: false,
      });
      ws.on('upgrade', (response) => tally.meter.track(response.socket));
      // Every frame the client sends is a request the server handles, except a heart-beat (an EOL).
      const send = ws.send.bind(ws);
      ws.send = ((data: string | Buffer) => {
        const text = data.toString();
        if (text !== '\n' && text !== '\r\n') tally.requests++;
        send(data);
      }) as typeof ws.send;
      socket = ws;
      return ws;
    },
  });
  const ready = new Promise<string | null>((resolve) => {
    client.onConnect = () => {
      const pending = new Set(Object.values(STOMP_DESTINATIONS));
      for (const destination of pending) {
        const receipt = `r-${destination}`;
        client.watchForReceipt(receipt, () => {
          pending.delete(destination);
          if (pending.size === 0) resolve(null);
        });
        client.subscribe(destination, (message) => tally.received(message.body, preciseNow()), { receipt });
      }
    };
    client.onStompError = (frame) => resolve(`STOMP ERROR ${frame.headers.message ?? ''}`);
    client.onWebSocketError = () => resolve('WebSocket error');
    client.onWebSocketClose = () => {
      if (!tally.closing) tally.failed('STOMP WebSocket closed');
      resolve('closed before ready');
    };
  });
  client.activate();
  return {
    ready,
    close: () => {
      void client.deactivate({ force: true });
      (socket as WebSocket | null)?.terminate();
    },
  };
}

const OPENERS: Record<PushMode, (spec: ClientSpec) => CrowdClient> = {
  ajax: (spec) => new PollingClient(spec, 0),
  'long-poll': (spec) => new PollingClient(spec, spec.open.longPollSeconds),
  signoff: signoffClient,
  stomp: stompClient,
  'bare-ws': bareClient,
};

export function runPushCrowd(): void {
  const tally = new Tally();
  const clients: CrowdClient[] = [];
  const cpuAtStart = process.cpuUsage();
  const send = (message: FromCrowd) => process.send?.(message);

  async function openAll(open: OpenMessage): Promise<void> {
    const outcome = await connectInLanes(open.clients, open.concurrency, (index) => {
      const token = open.tokens.length > 0 ? open.tokens[index % open.tokens.length]! : '';
      const client = OPENERS[open.mode]({ index, token, open, tally });
      clients.push(client);
      return client.ready;
    });
    send({ type: 'opened', ...outcome });
  }

  onCoordinatorMessage(ToCrowd, (message) => {
    switch (message.type) {
      case 'open':
        void openAll(message);
        break;
      case 'sample': {
        const cpu = process.cpuUsage(cpuAtStart);
        send({
          type: 'sample',
          requests: tally.requests,
          bytes: tally.meter.total(),
          cpuMs: (cpu.user + cpu.system) / 1000,
          errors: tally.errors,
          firstError: tally.firstError,
          receipts: tally.takeReceipts(),
        });
        break;
      }
      case 'close':
        tally.closing = true;
        for (const client of clients) client.close();
        send({ type: 'closed' });
        process.disconnect?.();
        break;
    }
  });
}
