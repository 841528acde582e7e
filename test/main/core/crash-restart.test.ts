// The stub is SIGKILLed and restarted (same port, same database) many times while claims are being
// submitted and approved. Every core must end with exactly one notification per claim that reached
// its user, none twice, and a queue equal to the server's.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ApiClient } from '../../../protocol';
import { waitFor } from '../../support/core-fakes';
import { apiFor, signedInCore, type TestCore, waitForQueueMatch } from '../../support/core-harness';
import { sampleClaim } from '../../support/stub-fixtures';
import { type StubProcess, startStub } from '../../support/stub-process';

const CYCLES = 6;
const USERS = ['alice', 'bob', 'carol', 'dave', 'grace'] as const;
type User = (typeof USERS)[number];

let stub: StubProcess;
const cores = new Map<User, TestCore>();

beforeAll(async () => {
  stub = await startStub({ args: ['--heartbeat-seconds', '1'] });
});
afterAll(async () => {
  await Promise.all([...cores.values()].map((c) => c.dispose()));
  await stub?.dispose();
});

/** REST calls from the test driver: retried across the moments the stub is down. */
async function retry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt > 50 || (error as { status?: number }).status !== undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

test('SIGKILL + restart mid-stream: nothing lost, nothing twice, queues equal the server', async () => {
  // Each approver gets a dozen claims within seconds here: a flood by the live rule, which would fold
  // some into one summary (flood.test.ts covers that). This test is about exactly-once delivery across
  // crashes, so every live claim is shown on its own.
  for (const user of USERS) cores.set(user, await signedInCore(stub.url, user, { liveFloodWindowMs: 0 }));
  const api = Object.fromEntries(
    await Promise.all(USERS.map(async (user) => [user, await apiFor(stub.url, user)] as const)),
  ) as Record<User, ApiClient>;
  const submitted: string[] = [];
  const allOnline = () => [...cores.values()].every((c) => c.core.snapshot().connection.kind === 'online');

  /** One round of work: new claims for bob, and everyone moves two of their claims one step along. */
  async function work(cycle: number): Promise<void> {
    for (let i = 0; i < 2; i += 1) {
      // The same key on every retry: a submit whose response died with the stub is not made twice.
      const key = randomUUID();
      const claim = await retry(() =>
        api.alice.submitClaim(sampleClaim({ title: `Cycle ${cycle} claim ${i}` }), { idempotencyKey: key }),
      );
      submitted.push(claim.id);
    }
    // Approvers act through their cores, on what their cores show, as a person would. An action that
    // hits the outage comes back 'offline' (nothing lost: the claim stays queued for the next round).
    for (const user of ['bob', 'carol', 'grace'] as const) {
      const { core } = cores.get(user)!;
      for (const claim of core.snapshot().queue.slice(0, 2)) {
        const result = await core.approve(claim.id, claim.version);
        if (!result.ok) expect(['offline', 'conflict']).toContain(result.reason);
      }
    }
  }

  for (let cycle = 0; cycle < CYCLES; cycle += 1) {
    if (cycle % 2 === 0) {
      // Kill right after the work, while its events are still being pushed.
      await work(cycle);
      await stub.kill9();
      await stub.restart();
    } else {
      // Kill in the middle of the work itself; the driver retries across the outage.
      const running = work(cycle);
      await new Promise((resolve) => setTimeout(resolve, 5 + cycle * 3));
      await stub.kill9();
      await stub.restart();
      await running;
    }
    await waitFor(allOnline, `all cores back online after cycle ${cycle}`, 15_000);
  }

  for (const user of USERS) await waitForQueueMatch(cores.get(user)!, api[user], 15_000);

  // Who should have been notified: every approver of every step each claim reached.
  const expected = new Map<User, Set<string>>(USERS.map((u) => [u, new Set<string>()]));
  const approvedClaims = new Set<string>();
  for (const id of submitted) {
    const detail = await api.alice.getClaim(id);
    if (detail.state === 'approved') approvedClaims.add(id);
    for (const step of detail.chain) {
      if (step.status === 'waiting') continue;
      for (const approver of step.approvers) expected.get(approver.id as User)?.add(id);
    }
  }
  await waitFor(
    () =>
      cores.get('alice')!.notifier.shown.filter((n) => n.id.startsWith('outcome:')).length >=
      approvedClaims.size,
    'alice told about every approval',
  );

  for (const user of ['bob', 'carol', 'dave', 'grace'] as const) {
    const { notifier } = cores.get(user)!;
    expect(
      notifier.shown.filter((n) => n.id === 'summary:waiting'),
      `${user} summaries`,
    ).toEqual([]);
    const ids = notifier.claimIds();
    expect(new Set(ids).size, `${user} duplicates in ${ids.join(',')}`).toBe(ids.length);
    // Only claims that really reached the user, and every claim still waiting on them.
    for (const id of ids) expect(expected.get(user)!.has(id), `${user} notified about ${id}`).toBe(true);
    for (const claim of (await api[user].queue()).claims)
      expect(ids, `${user} lost ${claim.id}`).toContain(claim.id);
    if (user !== 'dave') {
      // They only lose a claim by acting on it themselves, so they must have been told about every one.
      expect([...ids].sort(), `${user} notified`).toEqual([...expected.get(user)!].sort());
    }
  }
  const outcomes = cores.get('alice')!.notifier.shown.filter((n) => n.id.startsWith('outcome:'));
  expect(outcomes.map((n) => n.claimId).sort()).toEqual([...approvedClaims].sort());
  expect(approvedClaims.size).toBeGreaterThan(0);
  expect(cores.get('bob')!.core.diagnostics().connects).toBeGreaterThanOrEqual(CYCLES + 1);
}, 90_000);
