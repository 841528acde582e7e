// Every statement is compiled once, when the server is built. A prepare() per call (parse + plan of
// the SQL) once cost more than running the statements on the hot paths; this pins that no request
// path compiles SQL again.
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { API_PREFIX, ApiClient, PROTOCOL_VERSION, STREAM_SUBPROTOCOL } from '../../../protocol';
import { clientFor, sampleClaim } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

afterEach(() => {
  vi.restoreAllMocks();
});
const stubs = stubsPerTest();

/** Opens a stream, says hello and resolves with the first event frame's text. */
function firstEvent(url: string, token: string, trigger: () => Promise<unknown>): Promise<string> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${API_PREFIX}/stream`, STREAM_SUBPROTOCOL, {
    headers: { authorization: `Bearer ${token}` },
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null })),
    );
    ws.on('message', (data) => {
      const text = String(data);
      if (text.includes('"welcome"')) void trigger().catch(reject);
      if (text.includes('"event"')) {
        ws.terminate();
        resolve(text);
      }
    });
  });
}

describe('prepared statements', () => {
  it('compiles no SQL while serving sign-in, every claim action, reads, events, announcements and the stream', async () => {
    const stub = await stubs.inProcess();
    const prepare = vi.spyOn(stub.backend.db, 'prepare');

    const failed = new ApiClient({ baseUrl: stub.url });
    await expect(failed.signIn('alice', 'wrong')).rejects.toMatchObject({ status: 401 });
    const alice = await clientFor(stub.url, 'alice');
    const bob = await clientFor(stub.url, 'bob');
    const admin = await clientFor(stub.url, 'admin');

    const first = await alice.submitClaim(sampleClaim(), { idempotencyKey: 'k-1' });
    await alice.submitClaim(sampleClaim(), { idempotencyKey: 'k-1' }); // replayed
    await bob.approve(first.id, { version: first.version });
    const second = await alice.submitClaim(sampleClaim());
    await bob.reject(second.id, { version: second.version, reason: 'duplicate' });
    const third = await alice.submitClaim(sampleClaim());
    await alice.withdraw(third.id, { version: third.version });
    await alice.getClaim(first.id);
    await alice.listClaims('mine');
    await bob.listClaims('visible');
    await bob.queue();
    await bob.events(null);
    const frame = await firstEvent(stub.url, bob.token ?? '', () =>
      admin.announce({ title: 'Prepared once', body: '' }),
    );
    expect(frame).toContain('Prepared once');
    await alice.signOut();

    expect(prepare).not.toHaveBeenCalled();
  });
});
