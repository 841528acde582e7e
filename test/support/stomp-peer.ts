// A tiny STOMP 1.2 server over WebSocket for unit tests of the STOMP client: just enough of the
// protocol (CONNECT/CONNECTED, SUBSCRIBE with RECEIPT, MESSAGE, ERROR) to script what a Spring
// backend would do, including the misbehaviour a real broker will not produce on demand.
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface StompFrame {
  command: string;
  headers: Record<string, string>;
  body: string;
}

function parse(raw: string): StompFrame | null {
  const text = raw.replace(/^[\r\n]+/, '');
  if (text.length === 0) return null; // a heart-beat
  const split = text.indexOf('\n\n');
  const head = split === -1 ? text : text.slice(0, split);
  const [command = '', ...lines] = head.split('\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && !(line.slice(0, colon) in headers))
      headers[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return { command, headers, body: split === -1 ? '' : text.slice(split + 2) };
}

export function serialize(command: string, headers: Record<string, string>, body = ''): string {
  const lines = Object.entries(headers).map(([key, value]) => `${key}:${value}`);
  return `${command}\n${lines.join('\n')}\n\n${body}\0`;
}

export interface StompPeerOptions {
  /** Answers CONNECT; default: CONNECTED without heart-beats. */
  onConnect?(frame: StompFrame, socket: WebSocket): void;
}

export class StompPeer {
  readonly frames: StompFrame[] = [];
  /** destination → subscription id, per socket, of the latest connection. */
  private subscriptions = new Map<string, string>();
  private latest: WebSocket | null = null;
  connections = 0;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly options: StompPeerOptions,
  ) {
    server.on('connection', (socket) => {
      this.connections += 1;
      this.latest = socket;
      this.subscriptions = new Map();
      socket.on('message', (data) => {
        for (const raw of data.toString().split('\0')) {
          const frame = parse(raw);
          if (frame) this.handle(frame, socket);
        }
      });
    });
  }

  static async start(options: StompPeerOptions = {}): Promise<StompPeer> {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: (protocols) => (protocols.has('v12.stomp') ? 'v12.stomp' : false),
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new StompPeer(server, options);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ws`;
  }

  /** Resolves once the latest connection subscribed to `destination`. */
  subscribed(destination: string): boolean {
    return this.subscriptions.has(destination);
  }

  /** A MESSAGE to whoever subscribed to `destination` on the latest connection. */
  message(destination: string, headers: Record<string, string>, body: string): void {
    const subscription = this.subscriptions.get(destination);
    if (!subscription || !this.latest) throw new Error(`nobody subscribed to ${destination}`);
    const id = `m-${this.frames.length}`;
    this.latest.send(serialize('MESSAGE', { destination, subscription, 'message-id': id, ...headers }, body));
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(frame: StompFrame, socket: WebSocket): void {
    this.frames.push(frame);
    if (frame.command === 'CONNECT' || frame.command === 'STOMP') {
      if (this.options.onConnect) this.options.onConnect(frame, socket);
      else socket.send(serialize('CONNECTED', { version: '1.2', 'heart-beat': '0,0' }));
    } else if (frame.command === 'SUBSCRIBE') {
      this.subscriptions.set(frame.headers.destination ?? '', frame.headers.id ?? '');
      const receipt = frame.headers.receipt;
      if (receipt) socket.send(serialize('RECEIPT', { 'receipt-id': receipt }));
    }
  }
}

export { WebSocket };
