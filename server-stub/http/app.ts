// The REST API as a fastify app: JSON only, every input validated with the protocol's schemas, every
// failure a `{code, message}` body (never a 500 for bad input), bearer auth on all but two routes.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { API_PREFIX, type ErrorBody, type ErrorCode, MAX_BODY_BYTES } from '../../protocol';
import { bearerToken } from '../auth/bearer-token';
import type { Backend } from './backend';
import { HttpError, unauthorized } from './http-error';
import { setSession } from './request-context';
import { registerClaimRoutes } from './routes/claim-routes';
import { type LongPollRegistry, registerEventRoutes } from './routes/event-routes';
import { registerSessionRoutes } from './routes/session-routes';

export interface AppOptions {
  /** Fastify's request log (method, url, status; never headers, so never tokens). Off by default. */
  log?: boolean;
}

export interface BuiltApp {
  app: FastifyInstance;
  longPolls: LongPollRegistry;
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
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

export function buildApp(backend: Backend, options: AppOptions = {}): BuiltApp {
  const app = Fastify({
    logger: options.log ? { level: 'info' } : false,
    bodyLimit: MAX_BODY_BYTES,
    // Refuse `__proto__`/`constructor` keys outright rather than strip them silently.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Requests arriving mid-shutdown get a quick 503 instead of racing the closing store.
    return503OnClosing: true,
  });
  // Sign-in and every action are JSON; anything else (form posts, text/plain) is refused with 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: MAX_BODY_BYTES },
    (_req, text, done) => {
      try {
        done(null, text === '' ? undefined : JSON.parse(text as string));
      } catch {
        done(new HttpError(400, 'bad_request', 'body is not valid JSON'), undefined);
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
    const body: ErrorBody = { code: codeForStatus(status), message: error.message };
    return reply.code(status).send(body);
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
        const session = token ? backend.sessions.verify(token) : null;
        if (!session) throw unauthorized();
        setSession(request, session);
      });
      registerSessionRoutes(api, backend);
      registerClaimRoutes(api, backend);
      longPolls = registerEventRoutes(api, backend);
    },
    { prefix: API_PREFIX },
  );
  return {
    app,
    get longPolls() {
      return longPolls;
    },
  };
}
