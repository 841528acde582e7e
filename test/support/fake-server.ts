// A scriptable fake Signoff server (REST + stream) for what the real stub never does: hostile
// frames, dropped responses. Real HTTP and real WebSockets on an ephemeral loopback port.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ClaimSummary } from '../../protocol';

export const EPOCH = 'fake-epoch';

export function claimSummary(id: string, overrides: Partial<ClaimSummary> = {}): ClaimSummary {
  const now = new Date().toISOString();
  return {
    id,
    version: 1,
    state: 'pending',
    title: `Claim ${id}`,
    category: 'meals',
    expenseDate: '2026-11-01',
    currency: 'CNY',
    totalMinor: 12_345,
    submitter: { id: 'alice', name: 'Alice Zhang' },
    submittedAt: now,
    updatedAt: now,
    currentStepSince: now,
    stepCount: 3,
    currentStep: { index: 0, kind: 'supervisor', approvers: [{ id: 'bob', name: 'Bob Li' }] },
    flags: [],
    ...overrides,
  };
}

export interface FakeServer {
  url: string;
  /** Stream upgrade requests seen (accepted or not). */
  upgrades: number;
  /** Every hello received, in order. */
  hellos: unknown[];
  /** Requests seen: method, path and the idempotency key if any. */
  requests: Array<{ method: string; path: string; idempotencyKey?: string }>;
  /** Called with each stream socket after its hello. */
  onHello: (socket: WebSocket, helloCount: number) => void;
  /** Extra REST routes; return true when handled. */
  route: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  close(): Promise<void>;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export interface FakeServerOptions {
  /** Serve https/wss with this key pair. */
  tls?: { key: string; cert: string };
  /** Refuse every stream upgrade with this HTTP status. */
  rejectUpgradeWith?: number;
}

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const me = { id: 'bob', name: 'Bob Li', department: 'Sales', roles: ['team_lead'], supervisor: null };
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  const handler: http.RequestListener = (req, res) => {
    const path = (req.url ?? '').split('?')[0]!.replace('/api/v1', '');
    const key = req.headers['idempotency-key'];
    fake.requests.push({
      method: req.method ?? '',
      path,
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
    });
    if (fake.route(req, res)) return;
    if (path === '/info') {
      return sendJson(res, 200, {
        service: 'fake',
        protocolVersion: 1,
        serverTime: new Date().toISOString(),
        heartbeatSeconds: 30,
      });
    }
    if (path === '/session' && req.method === 'POST') {
      return sendJson(res, 200, { token: 'x'.repeat(32), expiresAt, user: me });
    }
    if (path === '/me') return sendJson(res, 200, { user: me, sessionExpiresAt: expiresAt });
    if (path === '/queue') return sendJson(res, 200, { cursor: { epoch: EPOCH, seq: 0 }, claims: [] });
    sendJson(res, 404, { code: 'not_found', message: 'no' });
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  const wss = new WebSocketServer({
    server,
    path: '/api/v1/stream',
    handleProtocols: (protocols) => (protocols.has('signoff.v1') ? 'signoff.v1' : false),
    verifyClient: (_info, callback) => {
      fake.upgrades += 1;
      if (options.rejectUpgradeWith) callback(false, options.rejectUpgradeWith);
      else callback(true);
    },
  });
  wss.on('connection', (socket) => {
    socket.once('message', (data) => {
      fake.hellos.push(JSON.parse(data.toString()));
      fake.onHello(socket, fake.hellos.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeServer = {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    upgrades: 0,
    hellos: [],
    requests: [],
    onHello: () => {},
    route: () => false,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** A `welcome` at `seq`; the session expires an hour after `now`. */
export function welcome(seq: number, { heartbeatSeconds = 30, now = Date.now() } = {}): string {
  return JSON.stringify({
    type: 'welcome',
    protocolVersion: 1,
    head: { epoch: EPOCH, seq },
    heartbeatSeconds,
    sessionExpiresAt: new Date(now + 3600_000).toISOString(),
  });
}

export function assignedFrame(seq: number, claim: unknown): string {
  return JSON.stringify({
    type: 'event',
    epoch: EPOCH,
    event: { seq, at: new Date().toISOString(), type: 'claim.assigned', claim },
  });
}
