// A small WebSocket test client for the stream: records every server frame and the close, and lets
// tests await a frame matching a predicate (bounded wait, no sleeps).
import WebSocket, { type ClientOptions } from 'ws';
import { type HelloFrame, PROTOCOL_VERSION, type ServerFrame, STREAM_SUBPROTOCOL } from '../../protocol';

export interface CloseInfo {
  code: number;
  reason: string;
}

export class StreamTestClient {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<CloseInfo>;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    ws.on('error', () => {});
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      this.wake();
    });
  }

  static open(
    url: string,
    token: string | null,
    options: ClientOptions & { protocols?: string[] } = {},
  ): Promise<StreamTestClient> {
    const { protocols = [STREAM_SUBPROTOCOL], ...rest } = options;
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const ws = new WebSocket(url, protocols, { headers, ...rest });
    const client = new StreamTestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Opens, says hello and waits for the welcome. */
  static async connect(url: string, token: string, resume: HelloFrame['resume'] = null) {
    const client = await StreamTestClient.open(url, token);
    client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume });
    await client.waitFor((frame) => frame.type === 'welcome');
    return client;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  eventSeqs(): number[] {
    return this.frames.flatMap((frame) => (frame.type === 'event' ? [frame.event.seq] : []));
  }

  /** Resolves with the first recorded frame matching `predicate` (already received or yet to come). */
  async waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs = 5_000): Promise<ServerFrame> {
    let found: ServerFrame | undefined;
    await this.waitUntil(() => {
      found = this.frames.find(predicate);
      return found !== undefined;
    }, timeoutMs);
    return found!;
  }

  /** Resolves when `condition()` holds, re-checked after every frame and on close. */
  waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`condition not met within ${timeoutMs} ms (${this.frames.length} frames)`));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  close(): Promise<CloseInfo> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Attempts an upgrade and reports the HTTP refusal (status and JSON body), or throws if it opened. */
export function expectRefusedUpgrade(
  url: string,
  headers: Record<string, string>,
  protocols: string[] = [STREAM_SUBPROTOCOL],
): Promise<{ status: number; body: unknown }> {
  const ws = new WebSocket(url, protocols, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade succeeded'));
    });
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
      });
    });
    ws.once('error', (error) => reject(error));
  });
}

/** The HTTP status an upgrade attempt gets: 101 when the socket opened (it is closed at once). */
export function upgradeStatus(
  url: string,
  headers: Record<string, string>,
  protocols: string[] = [STREAM_SUBPROTOCOL],
): Promise<number> {
  const ws = new WebSocket(url, protocols, { headers });
  return new Promise((resolve, reject) => {
    ws.once('upgrade', (res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => ws.terminate());
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    ws.once('error', (error) => reject(error));
  });
}
