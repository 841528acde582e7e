// Bad input of every kind gets a 4xx with the protocol's error body — never a 500, never a crash.
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, MAX_SUBMIT_BODY_BYTES } from '../../../protocol';
import { clientFor, rawRequest, sampleClaim } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const JSON_HEADERS = { 'content-type': 'application/json' };

interface BadRequest {
  name: string;
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  auth?: boolean;
}

/** A JSON body that is refused with 400 before anything is stored. */
function badJson(name: string, path: string, body: string): BadRequest {
  return { name, method: 'POST', path, body, headers: JSON_HEADERS, status: 400, code: 'bad_request' };
}

/** A sign-in body the schema refuses: 400 before any credential is looked at. */
function badSignIn(name: string, body: string): BadRequest {
  return { ...badJson(name, '/session', body), auth: false };
}

/** A claim body of another content type: 415. */
function notJson(name: string, contentType: string, body: string): BadRequest {
  const headers = { 'content-type': contentType };
  return {
    name,
    method: 'POST',
    path: '/claims',
    body,
    headers,
    status: 415,
    code: 'unsupported_media_type',
  };
}

/** A GET refused with 400 (bad parameters) or 404 (names nothing). */
function badGet(name: string, path: string, status: 400 | 404 = 400): BadRequest {
  return { name, method: 'GET', path, status, code: status === 400 ? 'bad_request' : 'not_found' };
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

  const cases: BadRequest[] = [
    badJson('malformed JSON', '/claims', '{"title": '),
    badJson('JSON null body', '/claims', 'null'),
    badJson('empty JSON body', '/claims', ''),
    badJson('array body', '/claims', '[]'),
    notJson('wrong content type', 'application/x-www-form-urlencoded', 'title=x'),
    notJson('text/plain', 'text/plain', JSON.stringify(sampleClaim())),
    badJson(
      'amount as a float',
      '/claims',
      JSON.stringify(sampleClaim({ items: [{ description: 'x', amountMinor: 10.5 }], totalMinor: 10.5 })),
    ),
    badJson('amount as a string', '/claims', JSON.stringify({ ...sampleClaim(), totalMinor: '64050' })),
    badJson('total not the sum', '/claims', JSON.stringify(sampleClaim({ totalMinor: 1 }))),
    badJson('unknown currency', '/claims', JSON.stringify(sampleClaim({ currency: 'RMB' }))),
    badJson('unknown field', '/claims', JSON.stringify({ ...sampleClaim(), approver: 'alice' })),
    badJson('__proto__ key', '/claims', '{"__proto__": {"admin": true}}'),
    badJson('reject without reason', '/claims/EXP-000001/reject', '{"version":1,"reason":"  "}'),
    badJson('version as string', '/claims/EXP-000001/approve', '{"version":"1"}'),
    {
      name: 'approve without body',
      method: 'POST',
      path: '/claims/EXP-000001/approve',
      status: 400,
      code: 'bad_request',
    },
    badGet('over-long claim id', `/claims/${'X'.repeat(80)}`),
    badGet('unknown claim id', '/claims/EXP-424242', 404),
    badGet('odd claim id', '/claims/%27%20OR%201%3D1', 404),
    badGet('bad scope', '/claims?scope=everything'),
    badGet('unknown query parameter', '/claims?scope=mine&admin=1'),
    badGet('bad events cursor', '/events?after=-1'),
    badGet('wait too long', '/events?wait=26'),
    badGet('unknown route', '/nothing-here', 404),
    { name: 'wrong method', method: 'PUT', path: '/claims', status: 404, code: 'not_found' },
    { ...badGet('unknown route without auth', '/nothing-here', 404), auth: false },
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

  // POST /claims has the largest limit (it may carry receipts); every other route has MAX_BODY_BYTES.
  it('refuses a body over the route limit with 413', async () => {
    const big = JSON.stringify({ ...sampleClaim(), title: 'x'.repeat(MAX_SUBMIT_BODY_BYTES) });
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
