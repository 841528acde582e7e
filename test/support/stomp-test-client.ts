// A raw STOMP-over-WebSocket test client: sends exactly the bytes a test gives it (so framing can be
// split, joined or broken on purpose) and records what the server sends, parsed by @stomp/stompjs's
// Parser — a third-party reading of our frames. Waits are bounded; no sleeps.
import { Parser } from '@stomp/stompjs';
import WebSocket from 'ws';
import { STOMP_PATH, STOMP_SUBPROTOCOLS } from '../../protocol';

export interface ReceivedFrame {
  command: string;
  /** First occurrence wins; values unescaped as STOMP 1.2 (except CONNECTED, never escaped). */
  headers: Record<string, string>;
  body: string;
  bodyBytes: Uint8Array;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export const stompUrl = (httpUrl: string): string => `${httpUrl.replace(/^http/, 'ws')}${STOMP_PATH}`;

function unescape12(text: string): string {
  return text.replace(/\\([rnc\\])/g, (_all, char: string) =>
    char === 'r' ? '\r' : char === 'n' ? '\n' : char === 'c' ? ':' : '\\',
  );
}

export class StompTestClient {
  readonly frames: ReceivedFrame[] = [];
  /** Heart-beat EOLs received. */
  heartBeats = 0;
  readonly closed: Promise<CloseInfo>;
  private readonly parser: Parser;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    this.parser = new Parser(
      (raw) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of raw.headers) {
          const key = raw.command === 'CONNECTED' ? name : unescape12(name);
          if (!(key in headers)) headers[key] = raw.command === 'CONNECTED' ? value : unescape12(value);
        }
        const bodyBytes = raw.binaryBody ?? new Uint8Array(0);
        this.frames.push({
          command: raw.command ?? '',
          headers,
          body: Buffer.from(bodyBytes).toString('utf8'),
          bodyBytes,
        });
        this.wake();
      },
      () => {
        this.heartBeats++;
        this.wake();
      },
    );
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => this.parser.parseChunk(Uint8Array.from(data).buffer));
  }

  static open(
    httpUrl: string,
    options: { token?: string | null; protocols?: string[] } = {},
  ): Promise<StompTestClient> {
    const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
    const ws = new WebSocket(stompUrl(httpUrl), options.protocols ?? [...STOMP_SUBPROTOCOLS], { headers });
    const client = new StompTestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Opens, sends CONNECT with the token in its Authorization header, and waits for CONNECTED. */
  static async connect(
    httpUrl: string,
    token: string,
    headers: Record<string, string> = {},
  ): Promise<StompTestClient> {
    const client = await StompTestClient.open(httpUrl);
    client.sendFrame('CONNECT', {
      'accept-version': '1.2',
      host: 'signoff',
      'heart-beat': '0,0',
      Authorization: `Bearer ${token}`,
      ...headers,
    });
    await client.waitFor((frame) => frame.command === 'CONNECTED');
    return client;
  }

  /** Sends raw text or bytes as one WebSocket message. */
  sendRaw(data: string | Uint8Array): void {
    this.ws.send(data);
  }

  /** Sends one frame; header values are sent as given (escape them in the test where that matters). */
  sendFrame(command: string, headers: Record<string, string>, body = ''): void {
    const lines = [command, ...Object.entries(headers).map(([name, value]) => `${name}:${value}`)];
    this.ws.send(`${lines.join('\n')}\n\n${body}\0`);
  }

  /** Subscribes with a receipt and waits for the RECEIPT: from then on, delivery is live. */
  async subscribe(id: string, destination: string): Promise<void> {
    const receipt = `sub-${id}`;
    this.sendFrame('SUBSCRIBE', { id, destination, receipt });
    await this.waitFor((frame) => frame.command === 'RECEIPT' && frame.headers['receipt-id'] === receipt);
  }

  waitFor(predicate: (frame: ReceivedFrame) => boolean, timeoutMs = 5_000): Promise<ReceivedFrame> {
    return this.until(() => this.frames.find(predicate), timeoutMs, 'a matching frame');
  }

  messages(destination?: string): ReceivedFrame[] {
    return this.frames.filter(
      (frame) =>
        frame.command === 'MESSAGE' &&
        (destination === undefined || frame.headers.destination === destination),
    );
  }

  /** Resolves once `read()` returns something other than undefined; rejects after `timeoutMs`. */
  until<T>(read: () => T | undefined, timeoutMs = 5_000, what = 'the condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = read();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `timed out waiting for ${what}; got ${JSON.stringify(this.frames.map((f) => f.command))}`,
          ),
        );
      }, timeoutMs);
      const waiter = () => {
        check();
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((entry) => entry !== waiter);
      };
      if (!check()) this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close();
    await this.closed;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
