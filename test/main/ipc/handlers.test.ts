// The IPC handlers on a REAL core talking to a REAL stub (in-process, its own SQLite file): every
// payload is validated with the contract, answers are contract-shaped, and nothing secret leaks.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDesktopCore } from '../../../main/core/desktop-core';
import type { DesktopCore, Logger, SecretStore } from '../../../main/core/ports';
import { INVOKE_CHANNELS, invokeContract } from '../../../main/ipc/contract';
import { createIpcHandlers, type IpcHandlers } from '../../../main/ipc/handlers';
import type { ClaimDetail } from '../../../protocol';
import { ManualClock } from '../../support/core-fakes';
import { makeCore } from '../../support/core-harness';
import { clientFor, type InProcessStub, sampleClaim, startInProcessStub } from '../../support/stub-fixtures';

const quietLogger: Logger = { info() {}, warn() {}, error() {} };

function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    kind: 'memory',
    values,
    get: async (account) => values.get(account) ?? null,
    set: async (account, secret) => {
      values.set(account, secret);
    },
    delete: async (account) => {
      values.delete(account);
    },
  };
}

let stub: InProcessStub;
let userData: string;
let core: DesktopCore;
let secrets: ReturnType<typeof memorySecrets>;
let handlers: IpcHandlers;
const opened: string[] = [];
let claim: ClaimDetail;

beforeAll(async () => {
  stub = await startInProcessStub();
  userData = mkdtempSync(path.join(os.tmpdir(), 'signoff-ipc-'));
  secrets = memorySecrets();
  core = createDesktopCore({
    userDataDir: userData,
    secrets,
    notifier: { isSupported: () => false, show() {}, close() {} },
    logger: quietLogger,
    osLocale: 'en-US',
  });
  await core.start();
  handlers = createIpcHandlers(core, {
    openExternal: async (url) => {
      opened.push(url);
    },
    logger: quietLogger,
  });
  const alice = await clientFor(stub.url, 'alice');
  claim = await alice.submitClaim(sampleClaim({ title: 'IPC claim' }));
});

afterAll(async () => {
  await core?.stop();
  await stub?.dispose();
  rmSync(userData, { recursive: true, force: true });
});

describe('createIpcHandlers', () => {
  it('has exactly one handler per contract channel', () => {
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(invokeContract).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('refuses malformed payloads with invalid-request and never calls the core', async () => {
    const bad: [keyof IpcHandlers, unknown][] = [
      ['session:sign-in', { serverUrl: stub.url, username: 'bob' }],
      ['session:sign-in', 'bob:demo'],
      ['claim:get', { id: '' }],
      ['claim:approve', { id: claim.id, version: '1' }],
      ['claim:approve', { id: claim.id, version: 1, extra: true }],
      ['claim:reject', { id: claim.id, version: 1, reason: '   ' }],
      ['settings:update', { quietHours: { start: '25:00' } }],
      ['settings:update', { theme: 'dark' }],
      ['settings:update', { extraCaFile: '/etc/passwd' }], // not settable from the window
      ['app:open-external', { url: 'javascript:alert(1)' }],
      ['app:open-external', { url: 'file:///etc/passwd' }],
      ['app:open-external', { url: 'http://example.com/plain-http' }],
      ['state:get', { anything: 1 }],
      ['settings:proxy-credentials', { credentials: { username: '', password: 'x' } }],
      ['settings:proxy-credentials', { credentials: { username: 'u', password: 'x', host: 'h' } }],
      ['settings:proxy-credentials', { username: 'u', password: 'x' }],
      // ---- issue 14 ----
      ['claim:chain-change', { id: claim.id, version: 1, change: { kind: 'return', reason: ' ' } }],
      ['claim:chain-change', { id: claim.id, version: 1, change: { kind: 'transfer', to: 'Not A User' } }],
      ['claim:chain-change', { id: claim.id, version: 1, change: { kind: 'approve' } }],
      [
        'claim:chain-change',
        { id: claim.id, version: 1, change: { kind: 'add-approver', user: 'erin', position: 'instead' } },
      ],
      ['claim:chain-change', { id: claim.id, version: 1, change: { kind: 'resubmit', items: [] } }],
      ['claim:eligible-users', { id: claim.id, action: 'approve' }],
    ];
    for (const [channel, payload] of bad) {
      const answer = await handlers[channel](payload);
      expect(answer, `${channel} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request' },
      });
    }
    expect(opened).toEqual([]);
    expect(core.snapshot().user).toBeNull();
  });

  it('maps a wrong password to invalid-credentials and an unreachable server to unreachable', async () => {
    const wrong = await handlers['session:sign-in']({
      serverUrl: stub.url,
      username: 'bob',
      password: 'nope',
    });
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'invalid-credentials' } });
    expect(JSON.stringify(wrong)).not.toContain('nope');

    const unreachable = await handlers['session:sign-in']({
      serverUrl: 'http://127.0.0.1:1',
      username: 'bob',
      password: 'demo',
    });
    expect(unreachable).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
  });

  it('signs in, serves a contract-valid snapshot without the token, and gets a claim', async () => {
    const signedIn = await handlers['session:sign-in']({
      serverUrl: stub.url,
      username: 'bob',
      password: 'demo',
    });
    expect(signedIn).toEqual({ ok: true, value: null });
    const token = [...secrets.values.values()][0];
    expect(token).toBeTruthy();

    const state = await handlers['state:get']({});
    expect(state.ok).toBe(true);
    if (!state.ok) return;
    expect(state.value.user?.id).toBe('bob');
    expect(JSON.stringify(state)).not.toContain(token);

    const got = await handlers['claim:get']({ id: claim.id });
    expect(got).toMatchObject({ ok: true, value: { id: claim.id, title: 'IPC claim' } });
    const missing = await handlers['claim:get']({ id: 'EXP-999999' });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
  });

  it('approves, and a second approval of the same version answers with what happened', async () => {
    const approved = await handlers['claim:approve']({ id: claim.id, version: claim.version, comment: '  ' });
    expect(approved).toMatchObject({ ok: true, value: { ok: true, claim: { id: claim.id } } });
    if (!approved.ok || !approved.value.ok) return;
    // A blank comment is stored as no comment at all.
    expect(approved.value.claim.audit.at(-1)).toMatchObject({ action: 'approved', comment: null });

    const again = await handlers['claim:approve']({ id: claim.id, version: claim.version });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.value.ok).toBe(false);
    if (again.value.ok) return;
    expect(again.value.message).toMatch(/Bob Li/);
  });

  it('lists eligible users and transfers through the chain-change channel (issue 14)', async () => {
    const alice = await clientFor(stub.url, 'alice');
    const mine = await alice.submitClaim(sampleClaim({ title: 'IPC transfer' }));
    const eligible = await handlers['claim:eligible-users']({ id: mine.id, action: 'transfer' });
    expect(eligible.ok && eligible.value.map((user) => user.id).sort()).toEqual(['erin', 'frank', 'heidi']);
    const moved = await handlers['claim:chain-change']({
      id: mine.id,
      version: mine.version,
      change: { kind: 'transfer', to: 'erin', comment: '  ' },
    });
    expect(moved).toMatchObject({
      ok: true,
      value: { ok: true, claim: { currentStep: { approvers: [{ id: 'erin' }] } } },
    });
    if (!moved.ok || !moved.value.ok) return;
    expect(moved.value.claim.audit.at(-1)).toMatchObject({ action: 'transferred', comment: null });
  });

  it('claims:list refuses a scope other than decided/mine, a malformed cursor and extra fields', async () => {
    const bad: unknown[] = [
      {},
      { scope: 'visible' },
      { scope: 'waiting' },
      { scope: 'DECIDED' },
      { scope: 'decided', cursor: '' },
      { scope: 'decided', cursor: 'not url safe' },
      { scope: 'mine', cursor: 'a/b?c=d' },
      { scope: 'mine', cursor: 'x'.repeat(257) },
      { scope: 'mine', cursor: 42 },
      { scope: 'mine', limit: 500 },
      'mine',
    ];
    for (const payload of bad) {
      expect(await handlers['claims:list'](payload), JSON.stringify(payload)).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request' },
      });
    }
    // Well-formed but never handed out by the server: the server's 400 arrives as invalid-request too.
    expect(await handlers['claims:list']({ scope: 'mine', cursor: 'x'.repeat(256) })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request' },
    });
  });

  it('claims:list serves my Done list with my decision, and My claims, contract-valid', async () => {
    const done = await handlers['claims:list']({ scope: 'decided' });
    expect(done).toMatchObject({
      ok: true,
      value: {
        claims: [{ id: claim.id, title: 'IPC claim', decision: { action: 'approved', comment: null } }],
        nextCursor: null,
      },
    });
    // bob submitted nothing; the My claims items carry no decision.
    expect(await handlers['claims:list']({ scope: 'mine' })).toEqual({
      ok: true,
      value: { claims: [], nextCursor: null },
    });
  });

  it('the snapshot listsRevision moves when my decision changes the lists', async () => {
    const alice = await clientFor(stub.url, 'alice');
    const next = await alice.submitClaim(sampleClaim({ title: 'IPC claim two' }));
    await expect
      .poll(() => core.snapshot().queue.some((c) => c.id === next.id), { timeout: 10_000 })
      .toBe(true);
    const before = core.snapshot().listsRevision;
    const rejected = await handlers['claim:reject']({
      id: next.id,
      version: next.version,
      reason: 'No receipt',
    });
    expect(rejected).toMatchObject({ ok: true, value: { ok: true } });
    expect(core.snapshot().listsRevision).toBeGreaterThan(before);
    const done = await handlers['claims:list']({ scope: 'decided' });
    expect(done.ok && done.value.claims[0]).toMatchObject({
      id: next.id,
      decision: { action: 'rejected', comment: 'No receipt' },
    });
  });

  it('merges partial nested settings onto the current ones', async () => {
    const before = core.snapshot().settings;
    const answer = await handlers['settings:update']({ quietHours: { start: '21:15' }, locale: 'zh-CN' });
    expect(answer).toMatchObject({
      ok: true,
      value: { quietHours: { ...before.quietHours, start: '21:15' }, locale: 'zh-CN' },
    });
    expect(core.snapshot().locale).toBe('zh-CN');
  });

  it('takes proxy credentials write-only: the keychain keeps them, no answer or snapshot carries the password', async () => {
    const password = 'Pr0xy-via-ipc-secret';
    const set = await handlers['settings:proxy-credentials']({
      credentials: { username: 'carol', password },
    });
    expect(set).toEqual({ ok: true, value: null });
    expect(JSON.parse(secrets.values.get('proxy:manual') ?? '{}')).toEqual({ username: 'carol', password });
    // A password typed into the URL (the old way) is moved to the keychain too.
    const typed = await handlers['settings:update']({
      proxy: { mode: 'manual', url: 'http://dave:Typed-in-url-secret@proxy.example.com:3128' },
    });
    expect(typed).toMatchObject({ ok: true, value: { proxy: { url: 'http://proxy.example.com:3128/' } } });
    expect(JSON.parse(secrets.values.get('proxy:manual') ?? '{}')).toEqual({
      username: 'dave',
      password: 'Typed-in-url-secret',
    });
    const state = await handlers['state:get']({});
    expect(state).toMatchObject({ ok: true, value: { proxyUser: 'dave' } });
    for (const answer of [set, typed, state]) {
      expect(JSON.stringify(answer)).not.toContain(password);
      expect(JSON.stringify(answer)).not.toContain('Typed-in-url-secret');
    }
    expect(await handlers['settings:proxy-credentials']({ credentials: null })).toEqual({
      ok: true,
      value: null,
    });
    expect(secrets.values.has('proxy:manual')).toBe(false);
    expect(core.snapshot().proxyUser).toBeNull();
    await handlers['settings:update']({ proxy: { mode: 'system', url: null } });
  });

  it('pauses by preset name only; a raw pausedUntil from the window is refused', async () => {
    const answer = await handlers['notifications:pause']({ preset: 'indefinite' });
    expect(answer).toMatchObject({ ok: true, value: { pausedUntil: 'indefinite' } });
    expect(await handlers['notifications:pause']({ preset: 'resume' })).toMatchObject({
      ok: true,
      value: { pausedUntil: null },
    });
    for (const payload of [{ preset: 'tomorrow' }, { preset: 'hour', until: 1 }]) {
      expect(await handlers['notifications:pause'](payload)).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request' },
      });
    }
    expect(await handlers['settings:update']({ pausedUntil: 'indefinite' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request' },
    });
    expect(core.snapshot().settings.pausedUntil).toBeNull();
  });

  it('opens only https links, through the hook', async () => {
    expect(await handlers['app:open-external']({ url: 'https://example.com/help' })).toEqual({
      ok: true,
      value: null,
    });
    expect(opened).toEqual(['https://example.com/help']);
  });

  it('signs out', async () => {
    expect(await handlers['session:sign-out']({})).toEqual({ ok: true, value: null });
    expect(core.snapshot().user).toBeNull();
    expect(secrets.values.size).toBe(0);
  });

  it('claims:list and claim:get without a session say so as session-expired, not as an internal error', async () => {
    for (const answer of [
      await handlers['claims:list']({ scope: 'decided' }),
      await handlers['claims:list']({ scope: 'mine' }),
      await handlers['claim:get']({ id: claim.id }),
    ]) {
      expect(answer).toEqual({
        ok: false,
        // In the window's language (switched to zh-CN above), from the core's own strings.
        error: { kind: 'session-expired', message: '您的会话已结束，请重新登录。' },
      });
    }
  });
});

describe('notifications:pause at 01:00', () => {
  it('"morning" is 08:00 the same day, computed by the core clock', async () => {
    const oneAm = new Date(2026, 4, 12, 1, 0).getTime();
    const handle = await makeCore({ clock: new ManualClock(oneAm), logger: quietLogger });
    try {
      const answer = await createIpcHandlers(handle.core, { openExternal: async () => {} })[
        'notifications:pause'
      ]({ preset: 'morning' });
      expect(answer).toEqual({
        ok: true,
        value: expect.objectContaining({ pausedUntil: new Date(2026, 4, 12, 8, 0).getTime() }),
      });
    } finally {
      await handle.dispose();
    }
  });
});

describe('errors the core did not expect', () => {
  it('become `internal` with a generic message, logged but never passed to the window', async () => {
    const logged: string[] = [];
    const broken = {
      getClaim: async () => {
        throw new Error('SQLITE_CORRUPT at /home/bob/secret-path token=abc123');
      },
    } as unknown as DesktopCore;
    const answer = await createIpcHandlers(broken, {
      openExternal: async () => {},
      logger: {
        ...quietLogger,
        error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`),
      },
    })['claim:get']({ id: 'EXP-1' });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(answer)).not.toMatch(/abc123|secret-path|SQLITE/);
    expect(logged.join('\n')).toContain('SQLITE_CORRUPT');
  });

  it('a core answer that breaks the contract is caught, not forwarded', async () => {
    const drifting = { snapshot: () => ({ connection: { kind: 'teleporting' } }) } as unknown as DesktopCore;
    const answer = await createIpcHandlers(drifting, { openExternal: async () => {}, logger: quietLogger })[
      'state:get'
    ]({});
    expect(answer).toMatchObject({ ok: false, error: { kind: 'internal' } });
  });
});

describe('announcements channels (issue 9)', () => {
  function spyCore() {
    return {
      markAnnouncementsRead: vi.fn(async (_ids: readonly string[]) => {}),
      dismissAnnouncement: vi.fn(async (_id: string) => {}),
    };
  }

  it('refuses ids that are not in the protocol format, and extra fields, without calling the core', async () => {
    const spy = spyCore();
    const h = createIpcHandlers(spy as unknown as DesktopCore, { openExternal: async () => {} });
    const tooLong = 'A'.repeat(65);
    const badRead: unknown[] = [
      {},
      { ids: [] },
      { ids: [''] },
      { ids: [tooLong] },
      { ids: [42] },
      { ids: 'ANN-1' },
      { ids: ['ANN-1'], all: true },
      { ids: Array.from({ length: 51 }, (_, i) => `ANN-${i}`) },
    ];
    for (const payload of badRead) {
      expect(await h['announcements:read'](payload), JSON.stringify(payload)).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request' },
      });
    }
    const badDismiss: unknown[] = [
      {},
      { id: '' },
      { id: tooLong },
      { id: 7 },
      { id: 'ANN-1', also: 'x' },
      'ANN-1',
    ];
    for (const payload of badDismiss) {
      expect(await h['announcements:dismiss'](payload), JSON.stringify(payload)).toMatchObject({
        ok: false,
        error: { kind: 'invalid-request' },
      });
    }
    expect(spy.markAnnouncementsRead).not.toHaveBeenCalled();
    expect(spy.dismissAnnouncement).not.toHaveBeenCalled();
  });

  it('passes valid ids to the core and answers null', async () => {
    const spy = spyCore();
    const h = createIpcHandlers(spy as unknown as DesktopCore, { openExternal: async () => {} });
    expect(await h['announcements:read']({ ids: ['ANN-1', 'ANN-2'] })).toEqual({ ok: true, value: null });
    expect(await h['announcements:dismiss']({ id: 'ANN-2' })).toEqual({ ok: true, value: null });
    expect(spy.markAnnouncementsRead).toHaveBeenCalledWith(['ANN-1', 'ANN-2']);
    expect(spy.dismissAnnouncement).toHaveBeenCalledWith('ANN-2');
  });

  it('the snapshot carries the announcements (required by the contract)', async () => {
    const state = await handlers['state:get']({});
    expect(state.ok && state.value.announcements).toEqual([]);
    const missing = {
      snapshot: () => ({ ...core.snapshot(), announcements: undefined }),
    } as unknown as DesktopCore;
    const answer = await createIpcHandlers(missing, { openExternal: async () => {}, logger: quietLogger })[
      'state:get'
    ]({});
    expect(answer).toMatchObject({ ok: false, error: { kind: 'internal' } });
  });
});
