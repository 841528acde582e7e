import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimDetail } from '../../../protocol';
import { clientsFor, rawRequest, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

describe('Idempotency-Key', () => {
  const stub = useInProcessStub();
  let as: Record<'alice' | 'bob' | 'admin', ApiClient>;
  beforeAll(async () => {
    as = await clientsFor(stub().url, ['alice', 'bob', 'admin'] as const);
  });

  const post = (client: ApiClient, path: string, body: unknown, key: string) =>
    rawRequest(stub().url, 'POST', path, {
      token: client.token,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
    });

  it('replays a submission verbatim without creating a second claim', async () => {
    const before = (await as.alice.listClaims('mine')).claims.length;
    const first = await post(as.alice, '/claims', sampleClaim(), 'submit-1');
    const replay = await post(as.alice, '/claims', sampleClaim(), 'submit-1');
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(first.json);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await as.alice.listClaims('mine')).claims.length).toBe(before + 1);
  });

  it('replays an approval after the claim moved on, and does not approve twice', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    const first = await post(as.bob, `/claims/${claim.id}/approve`, { version: 1 }, 'approve-1');
    const replay = await post(as.bob, `/claims/${claim.id}/approve`, { version: 1 }, 'approve-1');
    expect(first.status).toBe(200);
    expect(replay).toMatchObject({ status: 200, json: first.json });
    const now = await as.alice.getClaim(claim.id);
    expect(now.version).toBe(2);
    expect(now.audit.filter((a) => a.action === 'approved')).toHaveLength(1);
    // Events were written once too.
    const page = await as.bob.events({ epoch: stub().eventLog.epoch, seq: 0 });
    const unassigned =
      page.status === 'ok'
        ? page.events.filter((e) => e.type === 'claim.unassigned' && e.claimId === claim.id)
        : [];
    expect(unassigned).toHaveLength(1);
  });

  it('refuses the same key with a different request (422), including another claim or route', async () => {
    await post(as.alice, '/claims', sampleClaim({ title: 'one' }), 'reuse-1');
    const differentBody = await post(as.alice, '/claims', sampleClaim({ title: 'two' }), 'reuse-1');
    expect(differentBody.status).toBe(422);
    expect(differentBody.json).toMatchObject({ code: 'idempotency_key_reused' });
    const claim = (await as.alice.listClaims('mine')).claims[0] as ClaimDetail | undefined;
    const differentRoute = await post(as.alice, `/claims/${claim?.id}/withdraw`, { version: 1 }, 'reuse-1');
    expect(differentRoute.status).toBe(422);
    // The same key is the caller's own: another user may use it freely.
    const other = await post(as.admin, '/announcements', { title: 'hi' }, 'reuse-1');
    expect(other.status).toBe(201);
  });

  it('treats key order in the JSON body as the same request', async () => {
    const a = await post(as.admin, '/announcements', { title: 'Maintenance', body: 'tonight' }, 'order-1');
    const b = await post(as.admin, '/announcements', { body: 'tonight', title: 'Maintenance' }, 'order-1');
    expect(b).toMatchObject({ status: 201, json: a.json });
  });

  it('does not record failures: a retry after a refusal is evaluated afresh', async () => {
    const claim = await as.alice.submitClaim(sampleClaim());
    const stale = await post(as.bob, `/claims/${claim.id}/approve`, { version: 7 }, 'fail-1');
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ code: 'stale_version' });
    // The key was not burned by the refusal: using it for the corrected request works.
    expect((await post(as.bob, `/claims/${claim.id}/approve`, { version: 1 }, 'fail-2')).status).toBe(200);
  });

  it('validates the header', async () => {
    const tooLong = await post(as.alice, '/claims', sampleClaim(), 'k'.repeat(201));
    expect(tooLong).toMatchObject({ status: 400, json: { code: 'bad_request' } });
    const ok = await post(as.alice, '/claims', sampleClaim(), 'k'.repeat(200));
    expect(ok.status).toBe(201);
  });
});
