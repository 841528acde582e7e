// Issue 10 item 3: no number a server sends may become a timer the core cannot honour. Node clamps a
// setTimeout delay above 2^31-1 ms to 1 ms (with a TimeoutOverflowWarning), so a `welcome` with a
// huge `heartbeatSeconds` used to turn the watchdog into a busy loop.
import { expect, test } from 'vitest';
import { type Clock, systemClock } from '../../../main/core/ports';
import { ErrorFrame, EventFrame, WelcomeFrame } from '../../../protocol';
import { undoAfterEach } from '../../support/cleanups';
import { waitFor } from '../../support/core-fakes';
import { makeCore, PASSWORD } from '../../support/core-harness';
import { EPOCH, startFakeServer, welcome } from '../../support/fake-server';

const defer = undoAfterEach();

/** Collects process warnings (TimeoutOverflowWarning among them) until the test ends. */
function recordWarnings(): string[] {
  const warnings: string[] = [];
  const listener = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', listener);
  defer(() => process.off('warning', listener));
  return warnings;
}

/** The real clock, counting how many timer callbacks ran. */
function countingClock(): Clock & { fired: number } {
  const clock = {
    fired: 0,
    now: () => systemClock.now(),
    setTimeout: (callback: () => void, ms: number) =>
      systemClock.setTimeout(() => {
        clock.fired += 1;
        callback();
      }, ms),
    clearTimeout: (handle: unknown) => systemClock.clearTimeout(handle),
  };
  return clock;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

test('the schema bounds every number the core turns into a timer or keeps', () => {
  const welcomed = JSON.parse(welcome(0, { heartbeatSeconds: 15 }));
  expect(WelcomeFrame.safeParse(welcomed).success).toBe(true);
  for (const heartbeatSeconds of [3_000_000, 601, 0, 1.5]) {
    expect(WelcomeFrame.safeParse({ ...welcomed, heartbeatSeconds }).success, String(heartbeatSeconds)).toBe(
      false,
    );
  }
  expect(WelcomeFrame.safeParse({ ...welcomed, head: { epoch: EPOCH, seq: 2 ** 60 } }).success).toBe(false);
  const event = { seq: 1, at: new Date().toISOString(), type: 'announcement' };
  expect(EventFrame.safeParse({ type: 'event', epoch: 'e'.repeat(65), event }).success).toBe(false);
  expect(ErrorFrame.safeParse({ type: 'error', code: 'x'.repeat(65), message: 'm' }).success).toBe(false);
  expect(ErrorFrame.safeParse({ type: 'error', code: 'x', message: 'm'.repeat(1001) }).success).toBe(false);
});

test('the system clock never hands Node a delay it would clamp to 1 ms', async () => {
  const warnings = recordWarnings();
  let fired = 0;
  const handles = [2 ** 31, 3_000_000_000, 2 ** 53, Number.POSITIVE_INFINITY].map((ms) =>
    systemClock.setTimeout(() => {
      fired += 1;
    }, ms),
  );
  await tick();
  await tick();
  for (const handle of handles) systemClock.clearTimeout(handle);
  expect(warnings).toEqual([]);
  expect(fired).toBe(0);
});

test('a welcome with heartbeatSeconds 3,000,000 is rejected and counted: no warning, no busy loop', async () => {
  const warnings = recordWarnings();
  const server = await startFakeServer();
  defer(() => server.close());
  const clock = countingClock();
  const bob = defer.dispose(await makeCore({ clock }));
  server.onHello = (socket) => socket.send(welcome(0, { heartbeatSeconds: 3_000_000 }));

  await bob.core.signIn(server.url, 'bob', PASSWORD);
  await waitFor(
    () =>
      bob.core.diagnostics().droppedFrames.invalid > 0 || bob.core.snapshot().connection.kind === 'online',
    'the welcome was handled',
  );
  const firedBefore = clock.fired;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const firedInOneSecond = clock.fired - firedBefore;

  console.log(`huge heartbeat: ${firedInOneSecond} timer callbacks in 1 s, ${warnings.length} warnings`);
  expect(warnings).toEqual([]);
  expect(firedInOneSecond).toBeLessThan(10);
  expect(bob.core.diagnostics().droppedFrames.invalid).toBe(1);
  expect(bob.core.snapshot().connection.kind).not.toBe('online');
});
