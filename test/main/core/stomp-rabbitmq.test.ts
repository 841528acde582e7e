// The core's STOMP client against a real broker: RabbitMQ's Web-STOMP, started on loopback by
// scripts/start-rabbitmq.sh, stands in for a Spring backend's STOMP endpoint. REST (sign-in, snapshot,
// `GET /events` backfill) goes to a real stub; STOMP goes to the broker through a freezable TCP proxy,
// via the `stompUrl` setting. The test plays the backend's publisher: it reads bob's real events from
// the stub and SENDs them to the broker with their epoch/seq headers.
//
// RabbitMQ has no `/user/...` destinations (Spring resolves those per session), so bob's user
// destination maps to a RabbitMQ topic, `/topic/signoff-events-bob-<run>`: like Spring's, live-only
// (nothing is kept for a subscriber that is away), which is what the REST catch-up must make up for.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from '@stomp/stompjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { type ApiClient, type Cursor, STOMP_EVENT_HEADERS, STOMP_SUBPROTOCOLS } from '../../../protocol';
import { waitFor } from '../../support/core-fakes';
import { apiFor, makeCore, PASSWORD, type TestCore, waitForQueueMatch } from '../../support/core-harness';
import { FreezableProxy } from '../../support/freezable-proxy';
import { type InProcessStub, sampleClaim, startInProcessStub } from '../../support/stub-fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const WEB_STOMP = 'ws://127.0.0.1:15674/ws';
const RABBITMQCTL = ['rabbitmqctl', ['-n', 'rabbit@localhost']] as const;
const run = randomUUID().slice(0, 8);
const USER_DESTINATION = `/topic/signoff-events-bob-${run}`;
const BROADCAST_DESTINATION = `/topic/signoff-announcements-${run}`;
/** Short heart-beats so a frozen link is found in seconds (RabbitMQ honours 1 s). */
const HEARTBEAT_MS = 1_000;

let stub: InProcessStub;
let proxy: FreezableProxy;
let bob: TestCore;
let publisher: Client;
let bobApi: ApiClient;
let alice: ApiClient;
let published: Cursor | null = null;

function rabbitmqctl(...args: string[]): void {
  execFileSync(RABBITMQCTL[0], [...RABBITMQCTL[1], ...args], { stdio: 'ignore', timeout: 60_000 });
}

/** A separate STOMP client, as a backend's publisher would be; guest is admitted from loopback. */
async function connectPublisher(): Promise<Client> {
  const client = new Client({
    webSocketFactory: () => new WebSocket(WEB_STOMP, [...STOMP_SUBPROTOCOLS]),
    reconnectDelay: 0,
    debug: () => {},
  });
  const connected = new Promise<void>((resolve, reject) => {
    client.onConnect = () => resolve();
    client.onStompError = (frame) => reject(new Error(frame.headers.message));
    client.onWebSocketClose = () => reject(new Error('publisher: closed before CONNECTED'));
  });
  client.activate();
  await connected;
  return client;
}

/** SENDs bob's events the stub has and the broker has not carried yet; returns how many. */
async function publishNewEvents(): Promise<number> {
  const page = await bobApi.events(published);
  if (page.status !== 'ok') throw new Error('unexpected reset');
  for (const event of page.events) {
    publisher.publish({
      destination: USER_DESTINATION,
      body: JSON.stringify(event),
      headers: {
        'content-type': 'application/json',
        [STOMP_EVENT_HEADERS.epoch]: page.cursor.epoch,
        [STOMP_EVENT_HEADERS.seq]: String(event.seq),
      },
    });
  }
  published = page.cursor;
  return page.events.length;
}

/** Skips events the broker never carried (it was down, or the link was frozen). */
async function markPublished(): Promise<void> {
  const page = await bobApi.events(published);
  if (page.status === 'ok') published = page.cursor;
}

const connection = () => bob.core.snapshot().connection.kind;
const notifiedTimes = (claimId: string) => bob.notifier.claimIds().filter((id) => id === claimId).length;

beforeAll(async () => {
  // Idempotent: reuses the broker .ci/run started, or starts one.
  execFileSync(path.join(ROOT, 'scripts/start-rabbitmq.sh'), { stdio: 'inherit', timeout: 120_000 });
  stub = await startInProcessStub();
  proxy = new FreezableProxy(15674);
  publisher = await connectPublisher();
  bobApi = await apiFor(stub.url, 'bob');
  alice = await apiFor(stub.url, 'alice');
}, 150_000);

afterAll(async () => {
  await bob?.dispose();
  await publisher?.deactivate();
  await proxy?.close();
  await stub?.dispose();
});

test('live events over Web-STOMP; a broker restart and a frozen link are survived; nothing lost or shown twice', async () => {
  const proxyPort = await proxy.listen();
  bob = await makeCore({ stompHeartbeatMs: HEARTBEAT_MS });
  await bob.core.updateSettings({
    transport: 'stomp',
    stompUrl: `ws://127.0.0.1:${proxyPort}/ws`,
    stompUserDestination: USER_DESTINATION,
    stompBroadcastDestination: BROADCAST_DESTINATION,
  });
  await bob.core.signIn(stub.url, 'bob', PASSWORD);
  await waitFor(() => connection() === 'online', 'online over STOMP');
  expect(proxy.accepted).toBe(1);
  await markPublished();

  // Live: an event exists only in the stub until the test publishes it; the core sees it over STOMP.
  const live = await alice.submitClaim(sampleClaim({ title: 'Live over STOMP' }));
  const applied = bob.core.diagnostics().appliedEvents;
  expect(await publishNewEvents()).toBeGreaterThan(0);
  await waitFor(() => notifiedTimes(live.id) === 1, 'live claim notified');
  expect(bob.core.diagnostics().appliedEvents).toBeGreaterThan(applied);

  // The broker restarts (its app stops: listeners and connections gone). A claim submitted meanwhile
  // never reaches the broker; the core gets it from REST after it has resubscribed.
  rabbitmqctl('stop_app');
  await waitFor(() => connection() === 'reconnecting', 'reconnecting while the broker is down');
  const whileDown = await alice.submitClaim(sampleClaim({ title: 'While the broker was down' }));
  rabbitmqctl('start_app');
  await waitFor(() => connection() === 'online', 'online after the broker restart', 60_000);
  await waitFor(() => notifiedTimes(whileDown.id) === 1, 'claim from while the broker was down', 10_000);
  // A late copy of an event already applied (a relay replaying) is dropped by seq: no second notification.
  publisher.deactivate();
  publisher = await connectPublisher();
  await publishNewEvents();

  // Heart-beats stop on a link that stays open: the core notices, reconnects and catches up.
  const connects = bob.core.diagnostics().connects;
  expect(proxy.freezeAll()).toBeGreaterThan(0);
  const whileFrozen = await alice.submitClaim(sampleClaim({ title: 'While the link was frozen' }));
  await publishNewEvents(); // swallowed by the frozen link
  await waitFor(
    () => bob.log.text().includes('STOMP heart-beats stopped'),
    'heart-beat loss noticed',
    15_000,
  );
  await waitFor(
    () => connection() === 'online' && bob.core.diagnostics().connects > connects,
    'back online',
    15_000,
  );
  await waitFor(() => notifiedTimes(whileFrozen.id) === 1, 'claim from while the link was frozen');

  // One more live event over the new connection, then the whole picture.
  const last = await alice.submitClaim(sampleClaim({ title: 'After everything' }));
  await publishNewEvents();
  await waitFor(() => notifiedTimes(last.id) === 1, 'live claim after the reconnects');
  await waitForQueueMatch(bob, bobApi);
  for (const claim of [live, whileDown, whileFrozen, last]) expect(notifiedTimes(claim.id)).toBe(1);
  expect(bob.core.diagnostics().droppedFrames.invalid).toBe(0);
}, 120_000);
