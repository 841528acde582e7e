// The CPU baseline of the push-modes benchmark: a bare `ws` push server doing the same work as the
// stub's push without the product around it — no authentication, no database, no protocol. It keeps
// the same heartbeat as the stub (a ping to every connection every heartbeat interval, terminating
// whoever did not pong), since any real push server must notice dead peers, and sends one small JSON
// message per event to the clients the coordinator names. Runs in its own process, so its CPU time
// can be read from /proc like the stub's.
import { WebSocket, WebSocketServer } from 'ws';
import { eventMarker } from './event-marker';
import { type FromBareServer, ToBareServer } from './push-modes-protocol';
import { onCoordinatorMessage } from './worker-link';

export function runBarePushServer(heartbeatSeconds: number): void {
  const send = (message: FromBareServer) => process.send?.(message);
  const clients = new Map<number, WebSocket>();
  const alive = new WeakSet<WebSocket>();
  let seq = 0;
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
  });

  server.on('connection', (ws, request) => {
    // The crowd says which client it is, so the coordinator can pick the random recipient.
    const index = Number(new URL(request.url ?? '/', 'ws://bare').searchParams.get('client'));
    clients.set(index, ws);
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('close', () => {
      if (clients.get(index) === ws) clients.delete(index);
    });
  });
  server.on('listening', () => {
    const address = server.address();
    if (typeof address === 'object' && address) send({ type: 'listening', port: address.port });
  });

  const heartbeat = setInterval(() => {
    for (const ws of server.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, heartbeatSeconds * 1000);

  onCoordinatorMessage(ToBareServer, (message) => {
    if (message.type === 'close') {
      clearInterval(heartbeat);
      for (const ws of server.clients) ws.terminate();
      server.close();
      process.disconnect?.();
      return;
    }
    // `at` as the stub stamps its events (ISO, whole ms), so both delays are measured alike.
    const at = new Date().toISOString();
    const frame = JSON.stringify({ type: 'event', seq: ++seq, at, text: eventMarker(message.id) });
    for (const index of message.clients) {
      const ws = clients.get(index);
      if (ws?.readyState === WebSocket.OPEN) ws.send(frame);
    }
  });
}
