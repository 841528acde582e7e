// A fetch-compatible function over node:http/https so REST calls take exactly the route and trust
// the WebSocket takes: one RoutingAgent (proxy per URL, bundled + OS + corporate CAs) for both. Node's
// built-in fetch cannot take an agent without importing undici, which is not one of our dependencies;
// this is the minimum ApiClient needs: method, headers, string body, AbortSignal, and a standard
// Response back.
import http from 'node:http';
import https from 'node:https';
import type { FetchLike } from '../../protocol/api-client';
import type { Logger } from './ports';
import { DIRECT, type ProxyResolver } from './proxy-route';
import { RoutingAgent } from './routing-agent';

export interface TransportOptions {
  /** Trusted CAs for https; undefined = Node's defaults (the bundled roots). */
  ca?: string[];
  /** Where each connection goes; default direct. */
  route?: ProxyResolver;
  logger?: Logger;
}

/** What a WebSocket client spreads into its `ws` options: the agent that routes and verifies. */
export interface StreamSocketOptions {
  agent?: http.Agent;
}

export interface HttpTransport {
  fetch: FetchLike;
  /** Socket options for the WebSocket clients: the same agent (route and trust) REST uses. */
  tls: StreamSocketOptions;
  /** Drops pooled keep-alive sockets (after a half-open link, pooled sockets are likely dead too). */
  resetPool(): void;
  close(): void;
}

export function createHttpTransport(options: TransportOptions = {}): HttpTransport {
  const makeAgent = () =>
    new RoutingAgent({
      route: options.route ?? (async () => DIRECT),
      ca: options.ca,
      logger: options.logger ?? silentLogger,
    });
  let agent = makeAgent();

  const fetchImpl: FetchLike = (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      const secure = url.protocol === 'https:';
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const headers = new Headers(init.headers);
      const body = typeof init.body === 'string' ? Buffer.from(init.body) : undefined;
      if (body) headers.set('content-length', String(body.length));
      const request = (secure ? https : http).request(url, {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(headers.entries()),
        agent,
      });
      const onAbort = () =>
        request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        // Cut mid-body (abort, reset): without this the promise would never settle.
        response.on('close', () => {
          if (!response.complete) reject(new Error('the response was cut off'));
        });
        response.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = response.statusCode ?? 500;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
          }
          // A Response with status 204/304 must not have a body.
          const hasBody = status !== 204 && status !== 304 && status >= 200;
          resolve(
            new Response(hasBody ? Buffer.concat(chunks) : null, {
              status,
              statusText: response.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        });
      });
      request.end(body);
    });

  return {
    fetch: fetchImpl,
    // A getter: after resetPool the next stream attempt takes the new agent.
    get tls() {
      return { agent };
    },
    resetPool: () => {
      const old = agent;
      agent = makeAgent();
      old.destroy();
    },
    close: () => agent.destroy(),
  };
}

const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
