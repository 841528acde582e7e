// Fan-out across nodes through RabbitMQ (docs/cluster.md). After each local commit this node publishes
// what it committed to a topic exchange, with publisher confirms; it consumes everything the other
// nodes publish on its own exclusive, auto-delete queue and hands it to its live readers (v1 stream,
// long-polls, STOMP) through the event log, exactly as if committed here. The broker is a hint and the
// database the truth: the event log reads any gap back from the store (live-continuation.ts), and
// after every (re)connection it re-reads the head of each stream its readers watch.
//
// Binding: every node binds `#` (all messages). A per-user binding would cost a broker round trip on
// the connect path of each user's first connection, and a re-bind of every user after each broker
// reconnect; dropping a message for a user nobody here watches is one Map lookup. The routing keys are
// per user all the same, so a deployment with many nodes can move to per-user bindings without
// changing any publisher.
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { BroadcastEvent, UserEvent } from '../../protocol';
import type { OperationalLog } from '../operational-log';
import type { CommitFeed } from '../ports';
import { BIND_ALL, BROADCAST_KEY, BrokerMessage, EXCHANGE, REVOKED_KEY, userKey } from './broker-messages';

/** Reconnect delays: full jitter, random(0, min(cap, base·2^attempt)) (see FIELD-NOTES). */
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 10_000;
/** AMQP heartbeat, s: a broker that vanished without closing the socket is noticed within ~2×. */
const HEARTBEAT_SECONDS = 5;

/** What the relay needs from the sign-in side: sign-outs go out, other nodes' come in. */
export interface RevocationFeed {
  onRevoked(listener: (sessionId: string) => void): () => void;
  revokedElsewhere(sessionId: string): void;
  /** After an outage: check remembered tokens against the store again (sign-outs we did not hear of). */
  forgetRemembered(): void;
}

export interface BrokerRelayOptions {
  /** `amqp://user:pass@host:port/vhost`. */
  url: string;
  events: CommitFeed;
  sessions: RevocationFeed;
  log?: OperationalLog;
}

export interface BrokerRelay {
  /** Names this node in its messages' `app-id`, so it can skip its own. */
  readonly nodeId: string;
  close(): Promise<void>;
}

/** Streams whose commits could not be published (broker down, nack): re-announced on reconnection. */
class Unannounced {
  readonly users = new Map<string, number>();
  broadcastHead = 0;

  user(userId: string, head: number): void {
    if ((this.users.get(userId) ?? 0) < head) this.users.set(userId, head);
  }

  broadcast(head: number): void {
    this.broadcastHead = Math.max(this.broadcastHead, head);
  }
}

export function startBrokerRelay(options: BrokerRelayOptions): BrokerRelay {
  const { url, events, sessions } = options;
  const log = options.log ?? (() => {});
  const nodeId = randomUUID();
  const unannounced = new Unannounced();
  let channel: ConfirmChannel | null = null;
  let model: ChannelModel | null = null;
  let stopped = false;
  let applyingRemote = false;
  let wakeSleep: (() => void) | null = null;

  const publish = (key: string, message: BrokerMessage, onFailure: () => void): void => {
    const open = channel;
    if (!open) {
      onFailure();
      return;
    }
    const body = Buffer.from(JSON.stringify(message));
    try {
      open.publish(EXCHANGE, key, body, { appId: nodeId, contentType: 'application/json' }, (error) => {
        // A nack, or the channel closed before the broker confirmed: announce the head again later.
        if (error) onFailure();
      });
    } catch {
      onFailure();
    }
  };

  const publishUser = (userId: string, head: number, userEvents: readonly UserEvent[]) =>
    publish(
      userKey(userId),
      { kind: 'user', userId, epoch: events.epoch, head, events: [...userEvents] },
      () => unannounced.user(userId, head),
    );
  const publishBroadcast = (head: number, broadcastEvents: readonly BroadcastEvent[]) =>
    publish(
      BROADCAST_KEY,
      { kind: 'broadcast', epoch: events.broadcasts.epoch, head, events: [...broadcastEvents] },
      () => unannounced.broadcast(head),
    );

  const stopCommits = events.onCommitted((users, broadcasts) => {
    for (const [userId, list] of users) publishUser(userId, list.at(-1)!.seq, list);
    if (broadcasts.length > 0) publishBroadcast(broadcasts.at(-1)!.seq, broadcasts);
  });
  const stopRevocations = sessions.onRevoked((sessionId) => {
    // A sign-out this node applied because another node told it about it is not sent back.
    if (!applyingRemote) publish(REVOKED_KEY, { kind: 'revoked', sessionId }, () => {});
  });

  const onMessage = (delivery: ConsumeMessage | null): void => {
    if (delivery === null) return; // the queue was deleted; the connection's close reconnects us
    if (delivery.properties.appId === nodeId) return; // our own commit: already handed over locally
    let json: unknown;
    try {
      json = JSON.parse(delivery.content.toString('utf8'));
    } catch {
      log('broker message is not JSON; ignored', { routingKey: delivery.fields.routingKey });
      return;
    }
    const parsed = BrokerMessage.safeParse(json);
    if (!parsed.success) {
      log('broker message not understood; ignored', { routingKey: delivery.fields.routingKey });
      return;
    }
    // The raw events are handed on, not zod's copies: frames stay byte-identical to local ones.
    const raw = json as { events?: unknown[] };
    const message = parsed.data;
    try {
      if (message.kind === 'user') {
        if (!events.isWatched(message.userId)) return;
        if (message.epoch === events.epoch) {
          events.deliverCommitted(message.userId, message.head, raw.events as UserEvent[]);
        } else logForeign(message.epoch);
      } else if (message.kind === 'broadcast') {
        if (message.epoch === events.broadcasts.epoch) {
          events.deliverCommittedBroadcasts(message.head, raw.events as BroadcastEvent[]);
        } else logForeign(message.epoch);
      } else {
        applyingRemote = true;
        try {
          sessions.revokedElsewhere(message.sessionId);
        } finally {
          applyingRemote = false;
        }
      }
    } catch (error) {
      // A failed store read: the next message for that stream, or the next reconnection, retries it.
      log('broker message could not be delivered', { error: String(error) });
    }
  };

  let foreignLogged = false;
  const logForeign = (epoch: string): void => {
    if (foreignLogged) return;
    foreignLogged = true;
    log('broker carries events of another database (epoch differs); ignoring them', { epoch });
  };

  /** The open connection, and a promise settled when it closes (listened to from the start). */
  const connectOnce = async (): Promise<{ connection: ChannelModel; lost: Promise<unknown> }> => {
    const connection = await amqp.connect(withHeartbeat(url), {
      noDelay: true,
      clientProperties: { connection_name: `signoff-stub ${nodeId}` },
    });
    const lost = new Promise<unknown>((resolve) => {
      connection.once('close', resolve);
      connection.on('error', () => {}); // 'close' follows; logged there
    });
    try {
      const opened = await connection.createConfirmChannel();
      // A channel the broker closed on its own (an error) would leave us deaf while the connection
      // lives: close the connection too, so the loop below reconnects and catches up.
      opened.on('error', () => {});
      opened.on('close', () => {
        if (!stopped) connection.close().catch(() => {});
      });
      await opened.assertExchange(EXCHANGE, 'topic', { durable: true });
      const { queue } = await opened.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      await opened.bindQueue(queue, EXCHANGE, BIND_ALL);
      // No acks: a message is a hint, and one lost here is made good by the next one or catchUp().
      await opened.consume(queue, onMessage, { noAck: true });
      channel = opened;
      return { connection, lost };
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
  };

  /** After (re)connecting: consume first, then read what was missed, then re-announce our own. */
  const recover = (): void => {
    sessions.forgetRemembered();
    try {
      events.catchUp();
    } catch (error) {
      log('catching up after the broker came back failed', { error: String(error) });
    }
    const users = [...unannounced.users];
    const broadcastHead = unannounced.broadcastHead;
    unannounced.users.clear();
    unannounced.broadcastHead = 0;
    for (const [userId, head] of users) publishUser(userId, head, []);
    if (broadcastHead > 0) publishBroadcast(broadcastHead, []);
  };

  const run = async (): Promise<void> => {
    let attempt = 0;
    while (!stopped) {
      try {
        const { connection, lost } = await connectOnce();
        if (stopped) {
          await connection.close().catch(() => {});
          break;
        }
        model = connection;
        log('broker connected', { attempts: attempt + 1 });
        attempt = 0;
        recover();
        const reason = await lost;
        channel = null;
        model = null;
        if (stopped) break;
        log('broker connection lost; local pushes go on, reconnecting', { reason: String(reason ?? '') });
      } catch (error) {
        if (attempt === 0) log('broker unreachable; local pushes go on, retrying', { error: String(error) });
      }
      const window = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
      attempt += 1;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.random() * window);
        wakeSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeSleep = null;
    }
  };
  const running = run();

  return {
    nodeId,
    async close() {
      stopped = true;
      stopCommits();
      stopRevocations();
      wakeSleep?.();
      const open = model;
      channel = null;
      model = null;
      await open?.close().catch(() => {});
      await running;
    },
  };
}

/** The URL with our heartbeat unless it names its own (amqplib reads it from the query). */
function withHeartbeat(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(HEARTBEAT_SECONDS));
  return parsed.toString();
}
