// Bad input of every kind gets a 4xx with the protocol's error body — never a 500, never a crash.
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, MAX_BODY_BYTES } from '../../../protocol';
import { clientFor, rawRequest, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** A sign-in body the schema refuses: 400 before any credential is looked at. */
function badSignIn(name: string, body: string) {
  return {
    name,
    method: 'POST',
    path: '/session',
    body,
    headers: JSON_HEADERS,
    status: 400,
    code: 'bad_request',
    auth: false,
  };
}

describe('bad input', () => {
  const stub = useInProcessStub();
  let token: string;
  let claimId: string;
  beforeAll(async () => {
    const alice = await clientFor(stub().url, 'alice');
    token = alice.token ?? '';
    claimId = (await alice.submitClaim(sampleClaim())).id;
  });

  const cases: Array<{
    name: string;
    method: string;
    path: string;
    body?: string;
    headers?: Record<string, string>;
    status: number;
    code: string;
    auth?: boolean;
  }> = [
    {
      name: 'malformed JSON',
      method: 'POST',
      path: '/claims',
      body: '{"title": ',
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'JSON null body',
      method: 'POST',
      path: '/claims',
      body: 'null',
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'empty JSON body',
      method: 'POST',
      path: '/claims',
      body: '',
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'array body',
      method: 'POST',
      path: '/claims',
      body: '[]',
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'wrong content type',
      method: 'POST',
      path: '/claims',
      body: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'text/plain',
      method: 'POST',
      path: '/claims',
      body: JSON.stringify(sampleClaim()),
      headers: { 'content-type': 'text/plain' },
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'amount as a float',
      method: 'POST',
      path: '/claims',
      body: JSON.stringify(
        sampleClaim({ items: [{ description: 'x', amountMinor: 10.5 }], totalMinor: 10.5 }),
      ),
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'amount as a string',
      method: 'POST',
      path: '/claims',
      body: JSON.stringify({ ...sampleClaim(), totalMinor: '64050' }),
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'total not the sum',
      method: 'POST',
      path: '/claims',
      body: JSON.stringify(sampleClaim({ totalMinor: 1 })),
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'unknown currency',
      method: 'POST',
      path: '/claims',
      body: JSON.stringify(sampleClaim({ currency: 'RMB' })),
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'unknown field',
      method: 'POST',
      path: '/claims',
      body: JSON.stringify({ ...sampleClaim(), approver: 'alice' }),
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: '__proto__ key',
      method: 'POST',
      path: '/claims',
      body: '{"__proto__": {"admin": true}}',
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'reject without reason',
      method: 'POST',
      path: '/claims/EXP-000001/reject',
      body: '{"version":1,"reason":"  "}',
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'version as string',
      method: 'POST',
      path: '/claims/EXP-000001/approve',
      body: '{"version":"1"}',
      headers: JSON_HEADERS,
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'approve without body',
      method: 'POST',
      path: '/claims/EXP-000001/approve',
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'over-long claim id',
      method: 'GET',
      path: `/claims/${'X'.repeat(80)}`,
      status: 400,
      code: 'bad_request',
    },
    { name: 'unknown claim id', method: 'GET', path: '/claims/EXP-424242', status: 404, code: 'not_found' },
    { name: 'odd claim id', method: 'GET', path: '/claims/%27%20OR%201%3D1', status: 404, code: 'not_found' },
    { name: 'bad scope', method: 'GET', path: '/claims?scope=everything', status: 400, code: 'bad_request' },
    {
      name: 'unknown query parameter',
      method: 'GET',
      path: '/claims?scope=mine&admin=1',
      status: 400,
      code: 'bad_request',
    },
    { name: 'bad events cursor', method: 'GET', path: '/events?after=-1', status: 400, code: 'bad_request' },
    { name: 'wait too long', method: 'GET', path: '/events?wait=26', status: 400, code: 'bad_request' },
    { name: 'unknown route', method: 'GET', path: '/nothing-here', status: 404, code: 'not_found' },
    { name: 'wrong method', method: 'PUT', path: '/claims', status: 404, code: 'not_found' },
    {
      name: 'unknown route without auth',
      method: 'GET',
      path: '/nothing-here',
      status: 404,
      code: 'not_found',
      auth: false,
    },
    badSignIn('sign-in with unknown field', '{"username":"alice","password":"demo","admin":true}'),
    badSignIn('sign-in with number password', '{"username":"alice","password":1}'),
    {
      name: 'malformed Authorization',
      method: 'GET',
      path: '/me',
      headers: { authorization: 'Basic YWxpY2U6ZGVtbw==' },
      status: 401,
      code: 'unauthorized',
      auth: false,
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const response = await rawRequest(stub().url, c.method, c.path, {
      token: c.auth === false ? null : token,
      body: c.body,
      headers: c.headers,
    });
    expect(response.status).toBe(c.status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(ErrorBody.parse(response.json).code).toBe(c.code);
  });

  it('names the failing fields in `issues`', async () => {
    const response = await rawRequest(stub().url, 'POST', '/claims', {
      token,
      body: JSON.stringify(sampleClaim({ totalMinor: 1 })),
      headers: JSON_HEADERS,
    });
    expect(ErrorBody.parse(response.json).issues).toEqual([expect.objectContaining({ path: 'totalMinor' })]);
  });

  it('refuses a body over MAX_BODY_BYTES with 413', async () => {
    const big = JSON.stringify({ ...sampleClaim(), title: 'x'.repeat(MAX_BODY_BYTES) });
    const response = await rawRequest(stub().url, 'POST', '/claims', {
      token,
      body: big,
      headers: JSON_HEADERS,
    });
    expect(response.status).toBe(413);
    expect(response.json).toMatchObject({ code: 'payload_too_large' });
  });

  it('is still healthy afterwards and nothing was created by the bad requests', async () => {
    const alice = await clientFor(stub().url, 'alice');
    expect((await alice.listClaims('mine')).claims.map((c) => c.id)).toEqual([claimId]);
  });
});
