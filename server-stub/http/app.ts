// The REST API as a fastify app: JSON only, every input validated with the protocol's schemas, every
// failure a `{code, message}` body (never a 500 for bad input), bearer auth on all but two routes.
import type { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { API_PREFIX, type ErrorBody, type ErrorCode, MAX_BODY_BYTES } from '../../protocol';
import { bearerToken } from '../auth/bearer-token';
import type { Backend } from './backend';
import { errorBody, HttpError, unauthorized } from './http-error';
import { writeRawError } from './raw-error-response';
import { setSession } from './request-context';
import { registerAnnouncementRoutes } from './routes/announcement-routes';
import { registerChainRoutes } from './routes/chain-routes';
import { registerClaimRoutes } from './routes/claim-routes';
import { registerDelegationRoutes } from './routes/delegation-routes';
import { type LongPollRegistry, registerEventRoutes } from './routes/event-routes';
import { registerNudgeRoutes } from './routes/nudge-routes';
import { registerReceiptRoutes } from './routes/receipt-routes';
import { registerSessionRoutes } from './routes/session-routes';

/** How long a client may take to send a request; slow or stalled senders are cut off with a 408. */
export interface HttpTimeouts {
  /** From connecting (or the previous response) until the request's headers are complete. */
  headersTimeoutMs: number;
  /** Until the whole request, body included, has arrived. Not the response: long-polls may take longer. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open between requests. */
  keepAliveTimeoutMs: number;
}

export interface AppOptions {
  /** Fastify's request log (method, url, status; never headers, so never tokens). Off by default. */
  log?: boolean;
  timeouts: HttpTimeouts;
}

export interface BuiltApp {
  app: FastifyInstance;
  longPolls: LongPollRegistry;
  /** From now on every new request gets `503 unavailable` (the store is about to close). */
  beginShutdown(): void;
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 503:
      return 'unavailable';
    case 401:
      return 'unauthorized';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}

/**
 * Node's HTTP parser refused the bytes (malformed request line or headers, oversized headers) or the
 * client was too slow: answer in the contract's shape on the raw socket, as fastify's own handler
 * would have in its own shape.
 */
function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    writeRawError(socket, 408, errorBody('bad_request', 'the request did not arrive in time'));
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    writeRawError(socket, 431, errorBody('bad_request', 'request headers are too large'));
  } else {
    writeRawError(socket, 400, errorBody('bad_request', 'the request is not valid HTTP/1.1'));
  }
}

/** How often node looks for requests past their headers/request timeout; it defaults to every 30 s. */
function timeoutCheckInterval(timeouts: HttpTimeouts): number {
  return Math.max(
    50,
    Math.min(1_000, Math.floor(Math.min(timeouts.headersTimeoutMs, timeouts.requestTimeoutMs) / 4)),
  );
}

export function buildApp(backend: Backend, options: AppOptions): BuiltApp {
  const { timeouts } = options;
  let shuttingDown = false;
  const app = Fastify({
    logger: options.log ? { level: 'info' } : false,
    bodyLimit: MAX_BODY_BYTES,
    // Refuse `__proto__`/`constructor` keys outright rather than strip them silently.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Shutdown's 503 comes from our own hook below, in the contract's shape, not fastify's.
    return503OnClosing: false,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    http: {
      headersTimeout: timeouts.headersTimeoutMs,
      connectionsCheckingInterval: timeoutCheckInterval(timeouts),
      // Node would answer a missing Host with an empty 400; the hook below answers it with a body.
      requireHostHeader: false,
    },
    clientErrorHandler: onClientError,
    // A path that is not valid percent-encoding, or a parameter over the router's length limit (which
    // fastify would answer with 414): both are a malformed URL, so both are a 400 like a too-long id.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const body = errorBody('bad_request', error.message, {
        issues: [{ path: '(url)', message: error.message }],
      });
      return reply.code(400).send(body);
    },
  });
  // Sign-in and every action are JSON; anything else (form posts, text/plain) is refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_req, text, done) => {
      try {
        done(null, text === '' ? undefined : JSON.parse(text as string));
      } catch (error) {
        const message = `body is not valid JSON: ${(error as Error).message}`;
        done(new HttpError(400, 'bad_request', message), undefined);
      }
    },
  );

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.status).headers(error.headers).send(error.body());
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      if (!options.log) console.error('signoff-stub: unhandled error', error);
      const body: ErrorBody = { code: 'internal', message: 'internal error' };
      return reply.code(500).send(body);
    }
    return reply.code(status).send(errorBody(codeForStatus(status), error.message));
  });

  // Before routing and auth: nothing else is worth doing for these requests.
  app.addHook('onRequest', async (request, reply) => {
    if (shuttingDown) {
      reply.header('connection', 'close');
      throw new HttpError(503, 'unavailable', 'server is shutting down; retry shortly');
    }
    if (!request.headers.host) {
      throw new HttpError(400, 'bad_request', 'HTTP/1.1 requires a Host header', {
        issues: [{ path: 'Host', message: 'required' }],
      });
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      code: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    };
    return reply.code(404).send(body);
  });

  let longPolls: LongPollRegistry = { releaseAll() {} };
  app.register(
    async (api) => {
      // Runs before the body is read, so an unauthenticated caller cannot make us parse anything.
      api.addHook('onRequest', async (request) => {
        if (request.is404) return;
        const config = request.routeOptions.config as { public?: boolean };
        if (config.public) return;
        const token = bearerToken(request.headers.authorization);
        const session = token ? await backend.auth.authenticate(token) : null;
        if (!session) throw unauthorized();
        setSession(request, session);
      });
      registerSessionRoutes(api, backend);
      registerClaimRoutes(api, backend);
      registerAnnouncementRoutes(api, backend);
      registerNudgeRoutes(api, backend);
      registerReceiptRoutes(api, backend);
      registerChainRoutes(api, backend);
      longPolls = registerEventRoutes(api, backend);
      registerDelegationRoutes(api, backend);
    },
    { prefix: API_PREFIX },
  );
  return {
    app,
    get longPolls() {
      return longPolls;
    },
    beginShutdown() {
      shuttingDown = true;
    },
  };
}
