// The client side of the fan-out benchmark, in its own process so that 10k sockets' worth of client
// work does not share an event loop with the coordinator's timing (nor with the stub).
import WebSocket from 'ws';
import { PROTOCOL_VERSION, STREAM_SUBPROTOCOL } from '../../protocol';
import { connectInLanes } from './connect-in-lanes';
import { perUrl, placeClient } from './crowd-placement';
import { preciseNow } from './stats';
import { onCoordinatorMessage } from './worker-link';
import { type FromWorker, ToWorker } from './worker-protocol';

interface Client {
  ws: WebSocket;
  welcomed: boolean;
}

/** The desktop's hello: it reads the broadcast stream itself (from the head here, like `resume`). */
const HELLO = JSON.stringify({
  type: 'hello',
  protocolVersion: PROTOCOL_VERSION,
  resume: null,
  broadcast: null,
});
/** A client from before the broadcast stream: announcements come absorbed into its own stream. */
const LEGACY_HELLO = JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null });

export function runFanoutWorker(): void {
  const clients: Client[] = [];
  let receipts = new Float64Array(0);
  let received = 0;
  let marker: Buffer | null = null;
  let dropped = 0;
  /** Clients that completed the hello/welcome handshake and should all receive the marked frame. */
  let expected = 0;
  let onAllReceived: (() => void) | null = null;

  const send = (message: FromWorker) => process.send?.(message);

  let hello = HELLO;
  const openOne = (url: string, token: string, index: number) =>
    new Promise<string | null>((resolve) => {
      const ws = new WebSocket(url, STREAM_SUBPROTOCOL, {
        headers: { authorization: `Bearer ${token}` },
        perMessageDeflate: false,
        // The stub's frames are JSON it produced itself; skipping client-side UTF-8 validation keeps
        // this process's per-message cost (part of every measured delivery time) down.
        skipUTF8Validation: true,
      });
      const client: Client = { ws, welcomed: false };
      clients[index] = client;
      ws.once('open', () => ws.send(hello));
      ws.on('message', (data: Buffer) => {
        if (!client.welcomed) {
          client.welcomed = true;
          resolve(null);
          return;
        }
        // Hot path while armed: one native substring search, one clock read.
        if (marker && receipts[index] === 0 && data.includes(marker)) {
          receipts[index] = preciseNow();
          if (++received === expected) onAllReceived?.();
        }
      });
      ws.on('error', (error) => resolve(error.message));
      ws.on('close', () => {
        if (client.welcomed) dropped++;
        resolve('closed before welcome');
      });
    });

  /** How many stream URLs (nodes) the crowd is spread over. */
  let urlCount = 1;

  async function connectAll(urls: string[], tokens: string[], count: number, concurrency: number) {
    urlCount = urls.length;
    const outcome = await connectInLanes(count, concurrency, (index) => {
      const place = placeClient(index, urls.length, tokens.length);
      return openOne(urls[place.url]!, tokens[place.token]!, index);
    });
    receipts = new Float64Array(clients.length);
    expected = outcome.connected;
    const connectedByUrl = perUrl(clients, urlCount, (client) => client?.welcomed === true).map(
      (c) => c.length,
    );
    send({ type: 'connected', ...outcome, connectedByUrl });
  }

  onCoordinatorMessage(ToWorker, (message) => {
    switch (message.type) {
      case 'connect':
        hello = message.legacyHello ? LEGACY_HELLO : HELLO;
        void connectAll(message.urls, message.tokens, message.clients, message.concurrency);
        break;
      case 'arm':
        receipts.fill(0);
        received = 0;
        marker = Buffer.from(message.marker);
        send({ type: 'armed' });
        break;
      case 'collect': {
        const report = () => {
          onAllReceived = null;
          clearTimeout(timer);
          const got = (t: number) => t > 0;
          send({
            type: 'received',
            times: Array.from(receipts).filter(got),
            timesByUrl: perUrl(receipts, urlCount, got),
            dropped,
          });
        };
        const timer = setTimeout(report, message.timeoutMs);
        if (received >= expected) report();
        else onAllReceived = report;
        break;
      }
      case 'close':
        for (const client of clients) client?.ws.terminate();
        send({ type: 'closed' });
        process.disconnect?.();
        break;
    }
  });
}
