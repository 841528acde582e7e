// The CPU baseline of the push-modes benchmark: a bare `ws` push server doing the same work as the
// stub's push without the product around it. Like the stub it is told about each event by an HTTP
// request (keep-alive, one per event), commits the event to SQLite before anyone hears of it (WAL,
// the stub's `synchronous` mode, one row per event), answers 201, and pushes one small JSON message to
// the connected clients of that event's user. What it leaves out is what the comparison is about:
// authentication, validation, the claim workflow, the event protocol, STOMP. It keeps the same
// heartbeat as the stub's v1 stream (a ping to every connection every heartbeat interval, all at once,
// terminating whoever did not pong), since any real push server must notice dead peers. Runs in its
// own process, so its CPU time can be read from /proc like the stub's.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WebSocket, WebSocketServer } from 'ws';
import { eventMarker } from './event-marker';
import { type FromBareServer, ToBareServer } from './push-modes-protocol';
import { onCoordinatorMessage } from './worker-link';

/** The request the coordinator sends per event (see `pushRequestBody`). */
export const BARE_PUSH_PATH = '/push';

export interface BarePush {
  id: number;
  /** The clients (their index in the crowd) of the event's user. */
  clients: number[];
}

export function runBarePushServer(heartbeatSeconds: number, sync: 'full' | 'normal'): void {
  const send = (message: FromBareServer) => process.send?.(message);
  const clients = new Map<number, WebSocket>();
  const alive = new WeakSet<WebSocket>();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-bare-'));
  const db = new Database(path.join(dir, 'bare.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync.toUpperCase()}`);
  db.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, payload TEXT NOT NULL)');
  const insert = db.prepare<[string, string]>('INSERT INTO events (at, payload) VALUES (?, ?)');

  const server = http.createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== BARE_PUSH_PATH) {
        response.writeHead(404).end();
        return;
      }
      const push = JSON.parse(Buffer.concat(chunks).toString()) as BarePush;
      // `at` as the stub stamps its events (ISO, whole ms), in the committing transaction, so both
      // delays are measured alike.
      const at = new Date().toISOString();
      const payload = JSON.stringify({ at, text: eventMarker(push.id) });
      const seq = insert.run(at, payload).lastInsertRowid;
      const frame = `{"type":"event","seq":${seq},"event":${payload}}`;
      for (const index of push.clients) {
        const ws = clients.get(index);
        if (ws?.readyState === WebSocket.OPEN) ws.send(frame);
      }
      response.writeHead(201, { 'content-type': 'application/json' }).end(`{"seq":${seq}}`);
    });
  });
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });

  wss.on('connection', (ws, request) => {
    // The crowd says which client it is, so the coordinator can pick the random recipient.
    const index = Number(new URL(request.url ?? '/', 'ws://bare').searchParams.get('client'));
    clients.set(index, ws);
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('close', () => {
      if (clients.get(index) === ws) clients.delete(index);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (typeof address === 'object' && address) send({ type: 'listening', port: address.port });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, heartbeatSeconds * 1000);

  onCoordinatorMessage(ToBareServer, () => {
    clearInterval(heartbeat);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    server.closeAllConnections();
    server.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
    process.disconnect?.();
  });
}
