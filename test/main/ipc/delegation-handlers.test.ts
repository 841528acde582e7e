// The delegation (out of office) IPC channels on REAL cores talking to a REAL in-process stub: payloads
// validated with the contract, refusals answered as problems the window words, and the cores' queues
// and notifications following the hand-over live: bob's claim leaves his queue, frank's core shows it
// and raises its usual "new claim" notification, and it comes back when bob ends the delegation.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopCore } from '../../../main/core/desktop-core';
import { MemorySecretStore } from '../../../main/core/memory-secret-store';
import type { DesktopCore, Logger, NotificationRequest } from '../../../main/core/ports';
import { createIpcHandlers, type IpcHandlers } from '../../../main/ipc/handlers';
import type { ClaimDetail } from '../../../protocol';
import { clientFor, type InProcessStub, sampleClaim, startInProcessStub } from '../../support/stub-fixtures';

const quietLogger: Logger = { info() {}, warn() {}, error() {} };
const POLL = { timeout: 10_000 };

let stub: InProcessStub;
const dirs: string[] = [];
const cores: DesktopCore[] = [];
let bob: { core: DesktopCore; handlers: IpcHandlers };
let frank: { core: DesktopCore; shown: NotificationRequest[] };
let claim: ClaimDetail;

async function coreFor(username: string, shown: NotificationRequest[] = []) {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'signoff-delegation-ipc-'));
  dirs.push(userDataDir);
  const core = createDesktopCore({
    userDataDir,
    secrets: new MemorySecretStore(),
    notifier: { isSupported: () => true, show: (n) => shown.push(n), close() {} },
    logger: quietLogger,
    osLocale: 'en-US',
  });
  cores.push(core);
  await core.start();
  await core.signIn(stub.url, username, 'demo');
  return core;
}

beforeAll(async () => {
  stub = await startInProcessStub();
  const alice = await clientFor(stub.url, 'alice');
  claim = await alice.submitClaim(sampleClaim({ title: 'Delegated over IPC' }));
  const bobCore = await coreFor('bob');
  bob = { core: bobCore, handlers: createIpcHandlers(bobCore, { openExternal: async () => {} }) };
  const shown: NotificationRequest[] = [];
  frank = { core: await coreFor('frank', shown), shown };
}, 60_000);

afterAll(async () => {
  for (const core of cores) await core.stop();
  await stub?.dispose();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

describe('delegation over IPC', () => {
  it('refuses malformed payloads before asking the server', async () => {
    await expect.poll(() => bob.core.snapshot().queue.map((c) => c.id), POLL).toEqual([claim.id]);
    const bad: [keyof IpcHandlers, unknown][] = [
      ['delegation:start', { delegateId: 'frank' }],
      ['delegation:start', { delegateId: 'Frank Sun', endsAt: inADay() }],
      ['delegation:start', { delegateId: 'frank', endsAt: 'next week' }],
      ['delegation:start', { delegateId: 'frank', endsAt: inADay(), note: 'x' }],
      ['delegation:end', { now: true }],
      ['delegation:get', { user: 'grace' }],
      ['delegation:candidates', { all: true }],
    ];
    for (const [channel, payload] of bad) {
      expect(await bob.handlers[channel](payload), `${channel} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request' },
      });
    }
    expect(await bob.handlers['delegation:get']({})).toEqual({
      ok: true,
      value: { outgoing: null, incoming: [] },
    });
  });

  it('offers everyone but me, and words what the server refuses as a problem kind', async () => {
    const candidates = await bob.handlers['delegation:candidates']({});
    expect(candidates.ok && candidates.value.map((u) => u.id)).not.toContain('bob');
    expect(candidates.ok && candidates.value.map((u) => u.id)).toContain('frank');
    expect(await bob.handlers['delegation:start']({ delegateId: 'bob', endsAt: inADay() })).toEqual({
      ok: true,
      value: { ok: false, problem: 'delegate' },
    });
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(await bob.handlers['delegation:start']({ delegateId: 'frank', endsAt: past })).toEqual({
      ok: true,
      value: { ok: false, problem: 'range' },
    });
    expect(await bob.handlers['delegation:end']({})).toEqual({
      ok: true,
      value: { ok: false, problem: 'none' },
    });
  });

  it('hands my waiting claim to the delegate live, who is notified, and takes it back when I end it', async () => {
    const revision = bob.core.snapshot().listsRevision;
    const started = await bob.handlers['delegation:start']({ delegateId: 'frank', endsAt: inADay() });
    expect(started).toMatchObject({
      ok: true,
      value: { ok: true, delegation: { delegate: { id: 'frank' }, status: 'active' } },
    });
    await expect.poll(() => bob.core.snapshot().queue.length, POLL).toBe(0);
    await expect.poll(() => frank.core.snapshot().queue.map((c) => c.id), POLL).toEqual([claim.id]);
    expect(frank.core.snapshot().queue[0]?.currentStep?.approvers).toEqual([
      { id: 'frank', name: 'Frank Sun', onBehalfOf: { id: 'bob', name: 'Bob Li' } },
    ]);
    // The window's Settings re-read on this: the delegation events moved it.
    expect(bob.core.snapshot().listsRevision).toBeGreaterThan(revision);
    await expect.poll(() => frank.shown.map((n) => n.claimId), POLL).toContain(claim.id);

    expect(await bob.handlers['delegation:start']({ delegateId: 'carol', endsAt: inADay() })).toEqual({
      ok: true,
      value: { ok: false, problem: 'one_at_a_time' },
    });
    const got = await bob.handlers['delegation:get']({});
    expect(got.ok && got.value.outgoing?.status).toBe('active');

    const ended = await bob.handlers['delegation:end']({});
    expect(ended).toMatchObject({ ok: true, value: { ok: true, delegation: { status: 'ended' } } });
    await expect.poll(() => frank.core.snapshot().queue.length, POLL).toBe(0);
    await expect.poll(() => bob.core.snapshot().queue.map((c) => c.id), POLL).toEqual([claim.id]);
  });
});
