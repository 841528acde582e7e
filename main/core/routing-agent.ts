// The one http.Agent every connection of the core goes through — REST (node:http/https) and both
// WebSocket clients (`ws` takes it as its `agent` option): per connection it asks the proxy port where
// to go, opens a CONNECT tunnel through the proxy (https-proxy-agent, basic auth from the proxy URL)
// or a direct socket, and does the TLS handshake itself with the trusted CAs (bundled + OS store +
// extra file), in both cases the same way.
//
// Owning the handshake is what lets a TLS error name the certificate's issuer: the socket is not
// handed to the HTTP layer until it is verified, so the check can be done here with the peer's chain
// still at hand (Node's own rejection closes the socket before anyone can look at the certificate).
import type { ClientRequest } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { ProxyRefusedError, UntrustedCertificateError } from './network-errors';
import type { Logger } from './ports';
import { type ProxyResolver, proxyDisplayName } from './proxy-route';

export interface RoutingAgentOptions {
  route: ProxyResolver;
  /** Trusted CAs for TLS; undefined = Node's defaults. */
  ca?: string[];
  logger: Logger;
}

/** Pooled keep-alive sockets per host, as before proxies (REST and the stream share the agent). */
const MAX_SOCKETS = 8;
/** Longer than any caller's own deadline (the stream's handshake gets 10 s), so it only ends leaks. */
const TLS_HANDSHAKE_TIMEOUT_MS = 15_000;

export class RoutingAgent extends Agent {
  /** One CONNECT agent per proxy URL (its credentials included), reused across connections. */
  private readonly tunnels = new Map<string, HttpsProxyAgent<string>>();
  private lastRoute = '';

  constructor(private readonly routing: RoutingAgentOptions) {
    super({ keepAlive: true, maxSockets: MAX_SOCKETS });
  }

  override async connect(req: ClientRequest, opts: AgentConnectOpts): Promise<net.Socket> {
    const secure = opts.secureEndpoint;
    const host = opts.host ?? 'localhost';
    const port = opts.port ?? (secure ? 443 : 80);
    const hostInUrl = net.isIPv6(host) ? `[${host}]` : host;
    const choice = await this.routing.route(`${secure ? 'https' : 'http'}://${hostInUrl}:${port}/`);
    this.logRoute(hostInUrl, port, choice.kind === 'proxy' ? proxyDisplayName(choice.url) : 'direct');
    let raw: net.Socket | undefined;
    if (choice.kind === 'proxy') raw = await this.tunnel(choice.url, req, opts, host, port);
    if (!secure) return raw ?? net.connect({ host, port });
    return handshake({ ...(opts as tls.ConnectionOptions), host, port, ca: this.routing.ca ?? opts.ca }, raw);
  }

  override destroy(): void {
    for (const tunnel of this.tunnels.values()) tunnel.destroy();
    this.tunnels.clear();
    super.destroy();
  }

  /** A raw socket to host:port through the proxy; throws ProxyRefusedError unless it answers 200. */
  private async tunnel(
    proxyUrl: string,
    req: ClientRequest,
    opts: AgentConnectOpts,
    host: string,
    port: number,
  ): Promise<net.Socket> {
    let tunnel = this.tunnels.get(proxyUrl);
    if (!tunnel) {
      tunnel = new HttpsProxyAgent(proxyUrl, { ca: this.routing.ca });
      this.tunnels.set(proxyUrl, tunnel);
    }
    let status = 0;
    req.once('proxyConnect', (answer: { statusCode: number }) => {
      status = answer.statusCode;
    });
    // secureEndpoint false: only the tunnel; the TLS to the server is ours (see handshake).
    const socket = (await tunnel.connect(req, { ...opts, secureEndpoint: false })) as net.Socket;
    if (status !== 200) {
      // https-proxy-agent hands back a stand-in socket replaying the proxy's answer: drop it, so the
      // request (and its Authorization header) never goes anywhere, and say what the proxy said.
      socket.destroy();
      throw new ProxyRefusedError(status, proxyDisplayName(proxyUrl), `${host}:${port}`);
    }
    return socket;
  }

  /** One line per change of route, not per connection (a PAC answer can differ by host). */
  private logRoute(host: string, port: number, via: string): void {
    const line = `${host}:${port} via ${via}`;
    if (line === this.lastRoute) return;
    this.lastRoute = line;
    this.routing.logger.info('network: route', { to: `${host}:${port}`, via });
  }
}

/**
 * TLS over `socket` (a proxy tunnel) or a fresh connection, verified here: Node checks the chain and
 * the host name as usual (`authorized`), and a failure becomes an UntrustedCertificateError naming who
 * issued the chain the server sent. Nothing has been written to the socket when it is checked.
 */
type TlsTarget = tls.ConnectionOptions & { host: string; port: number };

function handshake(opts: TlsTarget, socket?: net.Socket): Promise<tls.TLSSocket> {
  // `path` is the HTTP request's here; to tls.connect it would mean a Unix socket.
  const { path: _requestPath, ...rest } = opts as TlsTarget & { path?: string };
  const servername = opts.servername ?? (net.isIP(opts.host) ? undefined : opts.host);
  const mustVerify = opts.rejectUnauthorized !== false;
  return new Promise((resolve, reject) => {
    const secured = tls.connect({
      ...rest,
      socket,
      servername,
      ALPNProtocols: ['http/1.1'],
      // Checked below, before the socket is used, so the error can say which certificate failed.
      rejectUnauthorized: false,
    });
    // The request cannot cancel a connect in progress (it gets its socket only afterwards), so a
    // server or tunnel that never finishes the handshake is given up here.
    const timer = setTimeout(() => {
      fail(Object.assign(new Error(`the TLS handshake with ${opts.host} timed out`), { code: 'ETIMEDOUT' }));
    }, TLS_HANDSHAKE_TIMEOUT_MS);
    function fail(error: Error) {
      clearTimeout(timer);
      secured.destroy();
      reject(error);
    }
    // Stays attached: an error after the handover reaches the HTTP layer's listener as well.
    secured.on('error', fail);
    secured.once('secureConnect', () => {
      if (secured.authorized || !mustVerify) {
        clearTimeout(timer);
        resolve(secured);
        return;
      }
      const chain = secured.getPeerCertificate(true);
      fail(new UntrustedCertificateError(String(secured.authorizationError), chainIssuer(chain), opts.host));
    });
  });
}

/** The issuer at the top of the chain the server sent: the root that would have to be trusted. */
export function chainIssuer(leaf: tls.DetailedPeerCertificate): string {
  let top = leaf;
  const seen = new Set<tls.DetailedPeerCertificate>();
  while (top.issuerCertificate && top.issuerCertificate !== top && !seen.has(top.issuerCertificate)) {
    seen.add(top);
    top = top.issuerCertificate;
  }
  const issuer = top.issuer ?? {};
  return firstName(issuer.CN) ?? firstName(issuer.O) ?? firstName(issuer.OU) ?? 'an unnamed issuer';
}

function firstName(value: string | string[] | undefined): string | undefined {
  const name = Array.isArray(value) ? value[0] : value;
  return name?.trim() ? name : undefined;
}
