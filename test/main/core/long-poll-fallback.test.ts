// Issue 11 §3, through real parts: a real stub process behind a loopback reverse proxy that passes
// plain HTTP but refuses, resets or holds WebSocket upgrades. A core in `auto` falls back to
// long-poll, shows online-by-long-poll, gets pushed claims within a bounded delay, and switches back
// to the WebSocket once upgrades pass — with every claim notified exactly once throughout.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { connectionLabelOf } from '../../../main/common/connection-label';
import { trayModelOf } from '../../../main/core/tray-model';
import type { ApiClient } from '../../../protocol';
import { waitFor } from '../../support/core-fakes';
import { apiFor, makeCore, PASSWORD, type TestCore, waitForQueueMatch } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { UpgradeBlockingProxy, type UpgradeMode } from '../../support/upgrade-blocking-proxy';
import { stubsPerTest, useStubProcess } from '../../support/use-stub';

const stub = useStubProcess();
const perTest = stubsPerTest();
let alice: ApiClient;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  alice = await apiFor(stub().url, 'alice');
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxyFor(
  port: number,
  mode: UpgradeMode,
): Promise<{ proxy: UpgradeBlockingProxy; url: string }> {
  const proxy = new UpgradeBlockingProxy(port, mode);
  const url = await proxy.listen();
  cleanups.push(() => proxy.close());
  return { proxy, url };
}

async function core(overrides: Parameters<typeof makeCore>[0] = {}): Promise<TestCore> {
  const handle = await makeCore({ liveFloodWindowMs: 0, ...overrides });
  cleanups.push(() => handle.dispose());
  return handle;
}

const label = (handle: TestCore) => connectionLabelOf(handle.core.snapshot().connection);
const notifiedTimes = (handle: TestCore, id: string) =>
  handle.notifier.claimIds().filter((c) => c === id).length;

/** Submits a claim as alice and resolves with how long bob's core took to notify it (ms). */
async function pushDelay(bob: TestCore, title: string): Promise<{ id: string; ms: number }> {
  const started = performance.now();
  const claim = await alice.submitClaim(sampleClaim({ title }));
  await waitFor(() => notifiedTimes(bob, claim.id) === 1, `${title} notified`);
  return { id: claim.id, ms: performance.now() - started };
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms (n=${sorted.length})`;
}

describe('auto behind a proxy that refuses upgrades', () => {
  test('falls back, is online by long-poll, gets pushes in bounded time, switches back on wake; nothing lost or twice', async () => {
    const { proxy, url } = await proxyFor(stub().port, { kind: 'refuse', status: 403 });
    // The WebSocket retry interval is long here: only the wake may switch back.
    const bob = await core({ retryWebSocketMs: 10 * 60_000 });
    const bobApi = await apiFor(stub().url, 'bob');
    await bob.core.signIn(url, 'bob', PASSWORD);
    await waitFor(() => label(bob) === 'online-long-poll', 'online by long-poll');
    const fallbackMs = performance.now() - proxy.upgradeTimes[0]!;
    console.log(`fallback (403): online by long-poll ${fallbackMs.toFixed(0)} ms after the refused upgrade`);
    expect(fallbackMs).toBeLessThan(3_000);
    expect(bob.core.snapshot().connection).toEqual({ kind: 'online', via: 'long-poll' });
    expect(proxy.upgrades).toBeGreaterThanOrEqual(1);
    expect(proxy.upgradesAllowed).toBe(0);
    // The tray says so too (tray.test.ts shows the tooltip text).
    expect(trayModelOf(bob.core.snapshot()).connection).toBe('online-long-poll');
    expect(bob.log.text()).toContain('falling back to long-poll');

    // Pushes over long-poll, one after the other (each poll is held until the event is committed).
    const delays: number[] = [];
    const claims: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const { id, ms } = await pushDelay(bob, `Over long-poll ${i}`);
      delays.push(ms);
      claims.push(id);
    }
    console.log(`push over long-poll through the proxy (submit → notified): ${summary(delays)}`);
    // Far below the 25 s a poll may be held: a held poll is answered as the event is committed.
    expect(Math.max(...delays)).toBeLessThan(3_000);
    const upgradesBefore = proxy.upgrades;

    // A burst while on long-poll, then the proxy lets upgrades through and the network "changes".
    const burst = await Promise.all(
      [0, 1, 2].map((i) => alice.submitClaim(sampleClaim({ title: `Burst ${i}` }))),
    );
    proxy.mode = { kind: 'allow' };
    const wokenAt = performance.now();
    bob.core.wake('online');
    // Claims submitted during the switch must arrive too, once.
    const during = await alice.submitClaim(sampleClaim({ title: 'During the switch' }));
    await waitFor(() => proxy.upgradesAllowed >= 1 && label(bob) === 'online', 'back on the WebSocket');
    console.log(`switch back to WebSocket after wake: ${(performance.now() - wokenAt).toFixed(0)} ms`);
    expect(bob.core.snapshot().connection).toEqual({ kind: 'online' });
    expect(proxy.upgrades).toBeGreaterThan(upgradesBefore);

    const after = await pushDelay(bob, 'Over the WebSocket again');
    console.log(`push over the WebSocket through the proxy: ${after.ms.toFixed(1)} ms`);
    for (const id of [...claims, ...burst.map((c) => c.id), during.id, after.id]) {
      await waitFor(() => notifiedTimes(bob, id) >= 1, `claim ${id} notified`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const id of [...claims, ...burst.map((c) => c.id), during.id, after.id]) {
      expect(notifiedTimes(bob, id), `claim ${id}`).toBe(1);
    }
    await waitForQueueMatch(bob, bobApi);
  }, 60_000);

  test('switches back on its own after the retry interval once the proxy allows upgrades', async () => {
    const { proxy, url } = await proxyFor(stub().port, { kind: 'refuse', status: 502 });
    const bob = await core({ retryWebSocketMs: 1_000 });
    await bob.core.signIn(url, 'bob', PASSWORD);
    await waitFor(() => label(bob) === 'online-long-poll', 'online by long-poll');
    // Still blocked at the next interval: the trial fails and long-poll resumes (nothing lost meanwhile).
    const upgrades = proxy.upgrades;
    await waitFor(() => proxy.upgrades > upgrades, 'a WebSocket trial after the interval', 5_000);
    await waitFor(() => label(bob) === 'online-long-poll', 'back on long-poll after a failed trial');
    const pushed = await pushDelay(bob, 'After a failed trial');
    expect(pushed.ms).toBeLessThan(3_000);
    proxy.mode = { kind: 'allow' };
    await waitFor(
      () => label(bob) === 'online' && proxy.upgradesAllowed === 1,
      'back on the WebSocket',
      5_000,
    );
    const claim = await pushDelay(bob, 'After switching back by timer');
    expect(notifiedTimes(bob, pushed.id)).toBe(1);
    expect(notifiedTimes(bob, claim.id)).toBe(1);
  }, 60_000);
});

test('a proxy that resets upgrades: falls back after two resets while plain HTTP works', async () => {
  const { proxy, url } = await proxyFor(stub().port, { kind: 'reset' });
  const bob = await core();
  await bob.core.signIn(url, 'bob', PASSWORD);
  await waitFor(() => label(bob) === 'online-long-poll', 'online by long-poll');
  const ms = performance.now() - proxy.upgradeTimes[0]!;
  console.log(
    `fallback (reset): ${ms.toFixed(0)} ms after the first reset, ${proxy.upgrades} upgrades tried`,
  );
  // Two resets make the case; one more may start (test backoff: 50 ms) while plain HTTP is checked.
  expect(proxy.upgrades).toBeGreaterThanOrEqual(2);
  expect(proxy.upgrades).toBeLessThanOrEqual(3);
  expect((await pushDelay(bob, 'After resets')).ms).toBeLessThan(3_000);
});

test('a proxy that holds upgrades unanswered: falls back after two handshake timeouts', async () => {
  const { proxy, url } = await proxyFor(stub().port, { kind: 'hold' });
  const bob = await core();
  await bob.core.signIn(url, 'bob', PASSWORD);
  await waitFor(() => label(bob) === 'online-long-poll', 'online by long-poll', 40_000);
  const ms = performance.now() - proxy.upgradeTimes[0]!;
  console.log(`fallback (held upgrades): ${ms.toFixed(0)} ms after the first held upgrade`);
  // Two handshake deadlines of 10 s each (before any welcome), plus the backoff between them.
  expect(ms).toBeGreaterThanOrEqual(20_000);
  expect(proxy.upgrades).toBeGreaterThanOrEqual(2);
  expect(proxy.upgrades).toBeLessThanOrEqual(3);
  expect((await pushDelay(bob, 'After held upgrades')).ms).toBeLessThan(3_000);
}, 60_000);

test('a server that is down is not a blocked upgrade: no fallback, the WebSocket comes back', async () => {
  const first = await perTest.inProcess();
  const { port, dbPath } = first;
  const { proxy, url } = await proxyFor(port, { kind: 'allow' });
  const bob = await core();
  await bob.core.signIn(url, 'bob', PASSWORD);
  await waitFor(() => label(bob) === 'online', 'online');
  // Down behind the proxy: upgrades are cut (the proxy cannot reach it) and plain HTTP gets the
  // proxy's 502 page, so the check before falling back fails and the WebSocket keeps retrying.
  await first.close();
  await waitFor(() => bob.core.snapshot().connection.kind === 'reconnecting', 'reconnecting');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await perTest.inProcess({ port, dbPath });
  await waitFor(() => label(bob) === 'online', 'online again', 20_000);
  expect(bob.log.text()).not.toContain('falling back to long-poll');
  expect(proxy.upgradesAllowed).toBeGreaterThanOrEqual(2);
}, 60_000);

test('transport long-poll by hand: no upgrade is tried; pushes arrive once', async () => {
  const { proxy, url } = await proxyFor(stub().port, { kind: 'allow' });
  const bob = await core();
  await bob.core.updateSettings({ transport: 'long-poll' });
  await bob.core.signIn(url, 'bob', PASSWORD);
  await waitFor(() => label(bob) === 'online-long-poll', 'online by long-poll');
  const delays: number[] = [];
  for (let i = 0; i < 3; i += 1) delays.push((await pushDelay(bob, `Forced long-poll ${i}`)).ms);
  console.log(`push over forced long-poll (no proxy in the way of HTTP): ${summary(delays)}`);
  // A wake re-polls at once (the held request may be dead after sleep) and stays on long-poll.
  bob.core.wake('resume');
  await waitFor(() => label(bob) === 'online-long-poll', 'online by long-poll after wake');
  expect((await pushDelay(bob, 'After wake')).ms).toBeLessThan(3_000);
  expect(proxy.upgrades).toBe(0);
});

test('401 on a long-poll ends the session once: no more polls', async () => {
  const short = await perTest.inProcess({ tokenTtlSeconds: 2 });
  const bob = await core({ longPollWaitSeconds: 1 });
  await bob.core.updateSettings({ transport: 'long-poll' });
  await bob.core.signIn(short.url, 'bob', PASSWORD);
  await waitFor(() => label(bob) === 'online-long-poll', 'online by long-poll');
  await waitFor(() => bob.core.snapshot().connection.kind === 'session-expired', 'expired', 8_000);
  const connects = bob.core.diagnostics().connects;
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(bob.core.diagnostics().connects).toBe(connects);
  expect(bob.core.snapshot().connection.kind).toBe('session-expired');
  expect(bob.notifier.shown.filter((n) => n.id === 'session-expired')).toHaveLength(1);
}, 60_000);
