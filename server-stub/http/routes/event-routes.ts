import type { FastifyInstance } from 'fastify';
import { type EventsPage, EventsQuery } from '../../../protocol';
import type { Backend } from '../backend';
import { parseOr400 } from '../http-error';
import { sessionOf } from '../request-context';

export interface LongPollRegistry {
  /** Answers every held long-poll at once (empty), so shutdown does not wait out their timers. */
  releaseAll(): void;
}

export function registerEventRoutes(app: FastifyInstance, backend: Backend): LongPollRegistry {
  const { eventLog } = backend;
  const waiters = new Set<() => void>();

  /** Resolves when the user gets a new event, `seconds` pass, the client goes away, or shutdown. */
  const waitForEvent = (userId: string, seconds: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener('abort', done);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, seconds * 1000);
      const unsubscribe = eventLog.subscribe(userId, done);
      signal.addEventListener('abort', done);
      waiters.add(done);
    });

  app.get('/events', async (request, reply): Promise<EventsPage> => {
    const query = parseOr400(EventsQuery, request.query, 'query');
    const userId = sessionOf(request).user.id;
    const check = eventLog.checkResume(userId, { epoch: query.epoch ?? eventLog.epoch, seq: query.after });
    if (check.status === 'reset') return { status: 'reset', cursor: check.head, reason: check.reason };

    // Reading one past the limit tells us whether more follow without a second query.
    let events = eventLog.readAfter(userId, check.afterSeq, query.limit + 1);
    if (events.length === 0 && query.wait > 0) {
      // Subscribing happens synchronously after the read, so no commit can slip in between unnoticed.
      // The response's 'close' fires if the client hangs up while we hold the request.
      const closed = new AbortController();
      const onClose = () => closed.abort();
      reply.raw.once('close', onClose);
      await waitForEvent(userId, query.wait, closed.signal);
      reply.raw.off('close', onClose);
      events = eventLog.readAfter(userId, check.afterSeq, query.limit + 1);
    }
    const hasMore = events.length > query.limit;
    const page = hasMore ? events.slice(0, query.limit) : events;
    const lastSeq = page.at(-1)?.seq ?? check.afterSeq;
    return { status: 'ok', events: page, cursor: { epoch: eventLog.epoch, seq: lastSeq }, hasMore };
  });

  return {
    releaseAll() {
      for (const release of [...waiters]) release();
    },
  };
}
