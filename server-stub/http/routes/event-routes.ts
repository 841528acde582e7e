import type { FastifyInstance } from 'fastify';
import { type BroadcastPage, type EventsPage, EventsQuery } from '../../../protocol';
import type { Backend } from '../backend';
import { parseOr400 } from '../http-error';
import { sessionOf } from '../request-context';

export interface LongPollRegistry {
  /** Answers every held long-poll at once (empty), so shutdown does not wait out their timers. */
  releaseAll(): void;
}

/** Reading one past the limit tells whether more follow without a second query. */
function pageOf<E extends { seq: number }>(read: E[], limit: number, afterSeq: number) {
  const hasMore = read.length > limit;
  const events = hasMore ? read.slice(0, limit) : read;
  return { events, lastSeq: events.at(-1)?.seq ?? afterSeq, hasMore };
}

export function registerEventRoutes(app: FastifyInstance, backend: Backend): LongPollRegistry {
  const { eventLog } = backend;
  const { broadcasts } = eventLog;
  const waiters = new Set<() => void>();

  /**
   * Resolves when the user gets a new event (or, `withBroadcasts`, a broadcast event is committed),
   * `seconds` pass, the client goes away, or shutdown.
   */
  const waitForEvent = (
    userId: string,
    withBroadcasts: boolean,
    seconds: number,
    signal: AbortSignal,
  ): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        stopBroadcasts();
        signal.removeEventListener('abort', done);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, seconds * 1000);
      const unsubscribe = eventLog.subscribe(userId, done);
      // A client that reads the broadcast stream wakes on it; an older one has each broadcast absorbed
      // into its own stream while it waits, which wakes it through `subscribe` above.
      const stopBroadcasts = withBroadcasts ? broadcasts.subscribe(done) : eventLog.followBroadcasts(userId);
      signal.addEventListener('abort', done);
      waiters.add(done);
    });

  app.get('/events', async (request, reply): Promise<EventsPage> => {
    const query = parseOr400(EventsQuery, request.query, 'query');
    const userId = sessionOf(request).user.id;
    const withBroadcasts = query.bafter !== undefined;
    // A client from before the broadcast stream finds announcements in its own stream, as it always did.
    if (!withBroadcasts) eventLog.absorbBroadcasts(userId);
    const check = eventLog.checkResume(userId, { epoch: query.epoch ?? eventLog.epoch, seq: query.after });
    const broadcastCheck = withBroadcasts
      ? broadcasts.checkResume({ epoch: query.bepoch ?? broadcasts.epoch, seq: query.bafter ?? 0 })
      : null;

    const read = () => ({
      user: check.status === 'ok' ? eventLog.readAfter(userId, check.afterSeq, query.limit + 1) : [],
      broadcast:
        broadcastCheck?.status === 'ok' ? broadcasts.readAfter(broadcastCheck.afterSeq, query.limit + 1) : [],
    });
    let found = read();
    const nothingYet =
      check.status === 'ok' &&
      broadcastCheck?.status !== 'reset' &&
      found.user.length === 0 &&
      found.broadcast.length === 0;
    if (nothingYet && query.wait > 0) {
      // Subscribing happens synchronously after the read, so no commit can slip in between unnoticed.
      // The response's 'close' fires if the client hangs up while we hold the request.
      const closed = new AbortController();
      const onClose = () => closed.abort();
      reply.raw.once('close', onClose);
      await waitForEvent(userId, withBroadcasts, query.wait, closed.signal);
      reply.raw.off('close', onClose);
      found = read();
    }

    let broadcast: BroadcastPage | undefined;
    if (broadcastCheck?.status === 'reset') {
      broadcast = { status: 'reset', cursor: broadcastCheck.head, reason: broadcastCheck.reason };
    } else if (broadcastCheck) {
      const page = pageOf(found.broadcast, query.limit, broadcastCheck.afterSeq);
      const cursor = { epoch: broadcasts.epoch, seq: page.lastSeq };
      broadcast = { status: 'ok', events: page.events, cursor, hasMore: page.hasMore };
    }
    const extra = broadcast ? { broadcast } : {};
    if (check.status === 'reset') {
      return { status: 'reset', cursor: check.head, reason: check.reason, ...extra };
    }
    const page = pageOf(found.user, query.limit, check.afterSeq);
    const cursor = { epoch: eventLog.epoch, seq: page.lastSeq };
    return { status: 'ok', events: page.events, cursor, hasMore: page.hasMore, ...extra };
  });

  return {
    releaseAll() {
      for (const release of [...waiters]) release();
    },
  };
}
