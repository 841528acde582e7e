// A loopback reverse proxy in front of a stub, as a corporate proxy that passes plain HTTP but not
// WebSocket: every ordinary request (long-polls included) is forwarded, while an `Upgrade:` request
// is, depending on the mode, refused with an HTTP status and a proxy's HTML page, reset (TCP RST),
// held without an answer, or let through. The mode can change while clients are connected.
import http from 'node:http';
import type net from 'node:net';

export type UpgradeMode =
  | { kind: 'allow' }
  | { kind: 'refuse'; status: number }
  | { kind: 'reset' }
  | { kind: 'hold' };

export class UpgradeBlockingProxy {
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly sockets = new Set<net.Socket>();
  mode: UpgradeMode;
  /** Upgrade requests seen, and how many were let through. */
  upgrades = 0;
  upgradesAllowed = 0;
  /** `performance.now()` of each upgrade request (to time a fallback from the first refusal). */
  readonly upgradeTimes: number[] = [];
  /** Plain requests forwarded (REST, long-polls). */
  requests = 0;

  constructor(
    private readonly targetPort: number,
    mode: UpgradeMode = { kind: 'refuse', status: 403 },
  ) {
    this.mode = mode;
    this.server = http.createServer((request, response) => this.forward(request, response));
    this.server.on('upgrade', (request, socket, head) => this.upgrade(request, socket as net.Socket, head));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on an ephemeral loopback port; resolves to `http://127.0.0.1:<port>`. */
  listen(): Promise<string> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        resolve(`http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`);
      });
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.agent.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private forward(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.requests += 1;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: this.targetPort,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent: this.agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>Bad gateway</body></html>');
    });
    // The client gave up (an aborted long-poll): give up upstream too.
    response.on('close', () => upstream.destroy());
    request.pipe(upstream);
  }

  private upgrade(request: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    this.upgrades += 1;
    this.upgradeTimes.push(performance.now());
    socket.on('error', () => {});
    const mode = this.mode;
    switch (mode.kind) {
      case 'refuse': {
        const body = '<html><body><h1>Access denied</h1>WebSocket is not allowed by policy.</body></html>';
        socket.end(
          `HTTP/1.1 ${mode.status} ${http.STATUS_CODES[mode.status] ?? 'Refused'}\r\n` +
            `Content-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        return;
      }
      case 'reset':
        socket.resetAndDestroy();
        return;
      case 'hold':
        // Read and ignore: the client's handshake deadline is what ends it.
        socket.resume();
        return;
      case 'allow':
        this.upgradesAllowed += 1;
        this.tunnel(request, socket, head);
        return;
    }
  }

  /** Replays the upgrade request to the stub and splices the two sockets. */
  private tunnel(request: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const upstream = http.request({
      host: '127.0.0.1',
      port: this.targetPort,
      method: request.method,
      path: request.url,
      headers: request.headers,
    });
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      socket.write(responseHead(answer));
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('close', () => upstreamSocket.destroy());
      upstreamSocket.on('close', () => socket.destroy());
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
    });
    upstream.on('response', (answer) => {
      // The stub refused the upgrade itself (401, 400…): pass its answer on as it is.
      socket.write(responseHead(answer));
      answer.pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    if (head.length > 0) upstream.write(head);
    upstream.end();
  }
}

/** The status line and headers of an upstream answer, as raw bytes for the client's socket. */
function responseHead(answer: http.IncomingMessage): string {
  const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) {
    lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}
