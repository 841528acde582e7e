// The signoff.v1 stream client's liveness watchdog when the socket is no longer open but not closed
// either: the server sent its close frame and never finished the closing handshake, so the client's
// socket sits in CLOSING (ws waits up to 30 s for the TCP end). The watchdog must still wait a whole
// heartbeat between checks and end the link after two; it once re-armed itself at 0 ms, which spun the
// event loop (CPU-bound; under the manual clock, forever, which hung CI workers).
import type { Socket } from 'node:net';
import { expect, test } from 'vitest';
import type { WebSocket } from 'ws';
import { undoAfterEach } from '../../support/cleanups';
import { ManualClock, waitFor } from '../../support/core-fakes';
import { signedInCore } from '../../support/core-harness';
import { startFakeServer, welcome } from '../../support/fake-server';

const defer = undoAfterEach();
const HEARTBEAT_MS = 30_000;

/** Sends a close frame (1000) straight onto the TCP socket and stops reading: no closing handshake. */
function closeWithoutHandshake(socket: WebSocket): void {
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  tcp.pause();
  tcp.write(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
}

test('a socket stuck in CLOSING is probed once per heartbeat and dropped after two, never in a tight loop', async () => {
  const server = await startFakeServer();
  defer(() => server.close());
  let first: WebSocket | null = null;
  server.onHello = (socket) => {
    first ??= socket;
    socket.send(welcome(0, { heartbeatSeconds: HEARTBEAT_MS / 1000 }));
  };
  const clock = new ManualClock(Date.now());
  const bob = defer.dispose(await signedInCore(server.url, 'bob', { clock }));
  const states: string[] = [];
  bob.core.subscribe((snapshot) => states.push(snapshot.connection.kind));

  closeWithoutHandshake(first!);
  // The client answers the close frame with its own and waits in CLOSING for a TCP end that never comes.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(states).not.toContain('reconnecting');

  // Past one heartbeat of silence: one check, which cannot ping a closing socket. Before the fix it
  // re-armed at 0 ms for ever (the manual clock throws after 100,000 timers at one instant).
  clock.advance(HEARTBEAT_MS + 1_000);
  expect(states).not.toContain('reconnecting');
  // Past two: the link is dead; the client drops it and connects again.
  const upgrades = server.upgrades;
  clock.advance(HEARTBEAT_MS);
  await waitFor(() => states.includes('reconnecting'), 'the stuck link dropped');
  for (let i = 0; i < 20 && server.upgrades === upgrades; i++) {
    clock.advance(5_000); // the reconnect backoff runs on the manual clock
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await waitFor(() => bob.core.snapshot().connection.kind === 'online', 'online again');
  expect(server.upgrades).toBeGreaterThan(upgrades);
});
