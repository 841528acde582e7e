import type { FastifyInstance } from 'fastify';
import {
  API_PREFIX,
  type MeResponse,
  PROTOCOL_VERSION,
  type ServerInfo,
  SignInRequest,
  type SignInResponse,
  STOMP_DESTINATIONS,
  STOMP_PATH,
} from '../../../protocol';
import { decoyPasswordHash, verifyPassword } from '../../auth/passwords';
import { isoAt } from '../../clock';
import type { Backend } from '../backend';
import { HttpError, parseOr400 } from '../http-error';
import { KeyedLock } from '../keyed-lock';
import { sessionOf } from '../request-context';

export function registerSessionRoutes(app: FastifyInstance, backend: Backend): void {
  const signInLock = new KeyedLock();

  app.get(
    '/info',
    { config: { public: true } },
    async (): Promise<ServerInfo> => ({
      service: 'signoff-stub',
      protocolVersion: PROTOCOL_VERSION,
      serverTime: isoAt(backend.clock()),
      heartbeatSeconds: backend.heartbeatSeconds,
      transports: [
        { kind: 'signoff', path: `${API_PREFIX}/stream` },
        {
          kind: 'stomp',
          path: STOMP_PATH,
          destinations: { user: STOMP_DESTINATIONS.userEvents, broadcast: STOMP_DESTINATIONS.announcements },
        },
        { kind: 'long-poll', path: `${API_PREFIX}/events` },
      ],
      ...(backend.identityProvider ? { identityProvider: backend.identityProvider } : {}),
    }),
  );

  app.post('/session', { config: { public: true } }, async (request, reply) => {
    const { username, password } = parseOr400(SignInRequest, request.body, 'sign-in request');
    const response = await signInLock.run(username, async (): Promise<SignInResponse> => {
      const verdict = backend.throttle.check(username, request.ip);
      if (!verdict.allowed) {
        throw new HttpError(
          429,
          'too_many_attempts',
          'too many failed sign-ins; try again later',
          { retryAfterSeconds: verdict.retryAfterSeconds },
          { 'retry-after': String(verdict.retryAfterSeconds) },
        );
      }
      const user = backend.users.find(username);
      // Unknown users are checked against a decoy hash so both failures take the same time.
      const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyPasswordHash()));
      if (!user || !valid) {
        backend.throttle.recordFailure(username, request.ip);
        throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
      }
      backend.throttle.recordSuccess(username);
      const { token, session } = backend.sessions.issue(user.id);
      return { token, expiresAt: isoAt(session.expiresAt), user: session.user };
    });
    return reply.code(201).send(response);
  });

  app.delete('/session', async (request, reply) => {
    backend.auth.revoke(sessionOf(request));
    return reply.code(204).send();
  });

  app.get('/me', async (request): Promise<MeResponse> => {
    const session = sessionOf(request);
    return { user: session.user, sessionExpiresAt: isoAt(session.expiresAt) };
  });
}
