import { describe, expect, it } from 'vitest';
import { ApiClient, type ApiError } from '../../../protocol';
import { createStubServer, type StubServer } from '../../../server-stub/server';
import { undoAfterEach } from '../../support/cleanups';
import { apiFailure, clientFor, rawRequest, tempDir } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

const signInError = (url: string, username: string, password: string): Promise<ApiError> =>
  apiFailure(new ApiClient({ baseUrl: url }).signIn(username, password));

describe('authentication', () => {
  const defer = undoAfterEach();
  const stubs = stubsPerTest();

  it('signs in with the demo password and returns an opaque token and the user', async () => {
    const stub = await stubs.inProcess();
    const session = await new ApiClient({ baseUrl: stub.url }).signIn('  Alice ', 'demo');
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.user).toMatchObject({ id: 'alice', department: 'Sales', supervisor: { id: 'bob' } });
    // Only the hash is stored.
    const stored = stub.backend.db.prepare('SELECT token_hash FROM sessions').pluck().all() as string[];
    expect(stored).not.toContain(session.token);
    expect(stored[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const stub = await stubs.inProcess();
    const wrong = await signInError(stub.url, 'alice', 'guess');
    const unknown = await signInError(stub.url, 'mallory', 'demo');
    expect([wrong.status, wrong.code]).toEqual([401, 'invalid_credentials']);
    expect([unknown.status, unknown.code]).toEqual([401, 'invalid_credentials']);
    expect(unknown.message).toBe(wrong.message);
  });

  it('requires a bearer token on every endpoint except /info', async () => {
    const stub = await stubs.inProcess();
    expect((await rawRequest(stub.url, 'GET', '/info')).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/me'],
      ['GET', '/claims?scope=mine'],
      ['GET', '/claims/EXP-000001'],
      ['POST', '/claims'],
      ['POST', '/claims/EXP-000001/approve'],
      ['GET', '/queue'],
      ['GET', '/events'],
      ['POST', '/announcements'],
      ['DELETE', '/session'],
    ] as const) {
      for (const token of [null, 'not-a-real-token-at-all-0123456789']) {
        const response = await rawRequest(stub.url, method, path, { token });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.json).toMatchObject({ code: 'unauthorized' });
      }
    }
  });

  it('throttles repeated failures per username with 429 and Retry-After, and a restart does not reset it', async () => {
    const dir = tempDir();
    defer(() => dir.remove());
    let now = Date.parse('2026-11-25T09:00:00Z');
    const options = { dbPath: dir.store('stub.sqlite'), port: 0, sync: 'normal' as const, clock: () => now };
    let server: StubServer = await createStubServer(options);
    defer(() => server.close());

    for (let i = 0; i < 5; i++) expect((await signInError(server.url, 'bob', `wrong${i}`)).status).toBe(401);
    const throttled = await rawRequest(server.url, 'POST', '/session', {
      body: JSON.stringify({ username: 'bob', password: 'demo' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(throttled.status).toBe(429);
    expect(throttled.json).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 900 });
    expect(throttled.headers.get('retry-after')).toBe('900');
    // Other users are unaffected.
    await clientFor(server.url, 'alice');

    await server.close();
    server = await createStubServer(options);
    expect((await signInError(server.url, 'bob', 'demo')).code).toBe('too_many_attempts');

    now += 900_000 + 1;
    expect((await clientFor(server.url, 'bob')).token).toBeTruthy();
  });

  it('counts parallel guesses one by one', async () => {
    const stub = await stubs.inProcess();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signInError(stub.url, 'carol', `guess-${i}`)),
    );
    const codes = results.map((e) => e.code);
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(5);
    expect(codes.filter((c) => c === 'too_many_attempts')).toHaveLength(7);
  });

  it('also throttles many failures from one address across usernames', async () => {
    const stub = await stubs.inProcess({
      throttle: { windowSeconds: 900, maxFailuresPerUser: 5, maxFailuresPerAddress: 3 },
    });
    for (const name of ['u1', 'u2', 'u3']) expect((await signInError(stub.url, name, 'x')).status).toBe(401);
    const blocked = await signInError(stub.url, 'alice', 'demo');
    expect([blocked.status, blocked.code]).toEqual([429, 'too_many_attempts']);
  });

  it('expires tokens after the configured lifetime', async () => {
    let now = Date.parse('2026-11-25T09:00:00Z');
    const stub = await stubs.inProcess({ tokenTtlSeconds: 60, clock: () => now });
    const alice = await clientFor(stub.url, 'alice');
    const me = await alice.me();
    expect(Date.parse(me.sessionExpiresAt) - now).toBe(60_000);
    now += 59_000;
    await alice.me();
    now += 1_000;
    await expect(alice.me()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('remembers a verified token (no hash or query per request) until its session is revoked', async () => {
    const stub = await stubs.inProcess();
    const alice = await clientFor(stub.url, 'alice');
    const first = stub.sessions.verify(alice.token ?? '');
    expect(first).not.toBeNull();
    // The same object: answered from memory, not rebuilt from the database.
    expect(stub.sessions.verify(alice.token ?? '')).toBe(first);
    await alice.me();
    expect(stub.sessions.verify(alice.token ?? '')).toBe(first);
    await alice.signOut();
    expect(stub.sessions.verify(alice.token ?? '')).toBeNull();
  });

  it('revokes the token on sign-out and tells onRevoked listeners', async () => {
    const stub = await stubs.inProcess();
    const alice = await clientFor(stub.url, 'alice');
    const token = alice.token;
    const revoked: string[] = [];
    stub.sessions.onRevoked((id) => revoked.push(id));
    const sessionId = stub.sessions.verify(token ?? '')?.sessionId;
    await alice.signOut();
    expect(revoked).toEqual([sessionId]);
    expect(stub.sessions.verify(token ?? '')).toBeNull();
    const reused = new ApiClient({ baseUrl: stub.url, token });
    await expect(reused.me()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
