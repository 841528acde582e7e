// One reading of `Authorization` for REST and the stream upgrade (RFC 7235 / RFC 6750): every header
// below gets the same answer from `GET /me` and from the WebSocket upgrade of a real stub process.
import { beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../../../protocol';
import { bearerToken } from '../../../server-stub/auth/bearer-token';
import { upgradeStatus } from '../../support/stream-test-client';
import { clientFor, rawRequest } from '../../support/stub-fixtures';
import { useStubProcess } from '../../support/use-stub';

type Verdict = 'accepted' | 'refused';

/** Headers built around a live token `t`, and whether the token is read from them. */
const CASES: Array<[name: string, header: (t: string) => string, verdict: Verdict]> = [
  ['canonical', (t) => `Bearer ${t}`, 'accepted'],
  ['lower-case scheme', (t) => `bearer ${t}`, 'accepted'],
  ['upper-case scheme', (t) => `BEARER ${t}`, 'accepted'],
  ['mixed-case scheme', (t) => `bEaReR ${t}`, 'accepted'],
  ['two spaces (1*SP)', (t) => `Bearer  ${t}`, 'accepted'],
  ['surrounding whitespace (not part of the field value)', (t) => ` Bearer ${t} `, 'accepted'],
  ['TAB instead of SP', (t) => `Bearer\t${t}`, 'refused'],
  ['SP then TAB', (t) => `Bearer \t${t}`, 'refused'],
  ['no separator', (t) => `Bearer${t}`, 'refused'],
  ['scheme only', () => 'Bearer', 'refused'],
  ['other scheme', (t) => `Token ${t}`, 'refused'],
  ['Basic', () => 'Basic YWxpY2U6ZGVtbw==', 'refused'],
  ['quoted token', (t) => `Bearer "${t}"`, 'refused'],
  ['two tokens', (t) => `Bearer ${t} ${t}`, 'refused'],
  ['list of credentials', (t) => `Bearer ${t}, Bearer ${t}`, 'refused'],
  ['character outside token68', (t) => `Bearer ${t}!`, 'refused'],
  ['token68 padding on a live token', (t) => `Bearer ${t}=`, 'refused'],
  ['over-long token', () => `Bearer ${'a'.repeat(513)}`, 'refused'],
];

describe('bearerToken', () => {
  it('reads the token exactly where RFC 6750 puts it', () => {
    const t = 'abc-DEF_123.~+/';
    expect(bearerToken(`Bearer ${t}`)).toBe(t);
    expect(bearerToken(`bearer   ${t}==`)).toBe(`${t}==`);
    expect(bearerToken(`Bearer\t${t}`)).toBeNull();
    expect(bearerToken(`Bearer ${t}=x`)).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken([`Bearer ${t}`, `Bearer ${t}`])).toBeNull();
  });
});

describe('Authorization header: REST and the stream upgrade agree', () => {
  const stub = useStubProcess();
  let token: string;
  beforeAll(async () => {
    token = (await clientFor(stub().url, 'alice')).token ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each(CASES)('%s', async (_name, header, verdict) => {
    const headers = { authorization: header(token) };
    const rest = await rawRequest(stub().url, 'GET', '/me', { headers });
    const streamUrl = `${stub().url.replace(/^http/, 'ws')}${API_PREFIX}/stream`;
    const upgrade = await upgradeStatus(streamUrl, headers);
    expect({ rest: rest.status, upgrade }).toEqual(
      verdict === 'accepted' ? { rest: 200, upgrade: 101 } : { rest: 401, upgrade: 401 },
    );
  });
});
