// Reconnecting against a real stub that goes away: the state says when the next attempt is, the
// waits stay inside the full-jitter windows, a wake tries at once, and networkLost burns nothing.
import { expect, test } from 'vitest';
import type { ConnectionState } from '../../../main/core/ports';
import { undoAfterAll } from '../../support/cleanups';
import { ManualClock, waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore, TEST_BACKOFF } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

const stub = useStubProcess();
// Registered after the stub's hook, so it runs first: the core is disposed while the stub is up.
const defer = undoAfterAll();

test('backoff schedule, wake and networkLost against a stub that is down', async () => {
  const clock = new ManualClock(Date.now());
  const bob = defer.dispose(await signedInCore(stub().url, 'bob', { clock }));
  const state = (): ConnectionState => bob.core.snapshot().connection;
  await stub().stop();
  await waitFor(() => state().kind === 'reconnecting', 'reconnecting');

  // Each failed attempt waits within random(0, min(cap, base·2^n)) and says when it will try next.
  for (let attempt = 1; attempt <= 6; attempt += 1) {
    const current = state();
    if (current.kind !== 'reconnecting') throw new Error(`expected reconnecting, got ${current.kind}`);
    expect(current.attempt).toBe(attempt);
    const wait = current.nextAttemptAt - clock.now();
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeLessThan(Math.min(TEST_BACKOFF.capMs, TEST_BACKOFF.baseMs * 2 ** (attempt - 1)));
    const connects = bob.core.diagnostics().connects;
    clock.advance(wait);
    await waitFor(
      () => {
        const next = state();
        return next.kind === 'reconnecting' && next.attempt === attempt + 1;
      },
      `attempt ${attempt + 1} scheduled`,
    );
    expect(bob.core.diagnostics().connects).toBe(connects + 1);
  }

  // The network goes away: offline, no attempts burnt, no timer armed for reconnecting.
  bob.core.networkLost();
  expect(state()).toEqual({ kind: 'offline', reason: 'network unavailable' });
  const connects = bob.core.diagnostics().connects;
  clock.advance(60_000);
  expect(bob.core.diagnostics().connects).toBe(connects);

  // Back: the stub returns and a wake connects at once, without advancing the clock.
  await stub().restart();
  const claim = await (await apiFor(stub().url, 'alice')).submitClaim(sampleClaim());
  bob.core.wake('online');
  await waitFor(() => state().kind === 'online', 'online after wake');
  await waitFor(() => bob.notifier.claimIds().includes(claim.id), 'claim from while it was down');
});
