// Every non-2xx the stub writes is the contract's `{code, message}` JSON body, including the answers
// that come from below the routes (node's HTTP parser, fastify's framework errors, the WebSocket
// handshake, shutdown). Raw sockets, so the test sees the exact bytes on the wire.
import type { Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, MAX_SUBMIT_BODY_BYTES } from '../../../protocol';
import { STUB_DEFAULTS } from '../../../server-stub/server';
import { type RawResponse, rawExchange } from '../../support/raw-http';
import { StreamTestClient } from '../../support/stream-test-client';
import { clientFor, rawRequest } from '../../support/stub-fixtures';
import { stubsPerTest, useInProcessStub } from '../../support/use-stub';

/** The response is a JSON error body of the contract with this status; returns the parsed body. */
function expectErrorBody(response: RawResponse | null, status: number): ErrorBody {
  expect(response, 'a complete HTTP response').not.toBeNull();
  expect(response!.status).toBe(status);
  expect(response!.headers['content-type']).toMatch(/^application\/json/);
  const body = ErrorBody.parse(JSON.parse(response!.body));
  if (status === 400) expect(body.issues?.length ?? 0).toBeGreaterThan(0);
  return body;
}

describe('error bodies below the routes', () => {
  const stub = useInProcessStub();
  let token: string;
  beforeAll(async () => {
    token = (await clientFor(stub().url, 'alice')).token ?? '';
  });

  const request = (lines: string[], body = '') => `${lines.join('\r\n')}\r\n\r\n${body}`;
  /** alice's POST /claims with these headers between her Authorization and `Connection: close`. */
  const postClaim = (headers: string[], body = '') =>
    request(
      [
        'POST /api/v1/claims HTTP/1.1',
        'Host: x',
        `Authorization: Bearer ${token}`,
        ...headers,
        'Connection: close',
      ],
      body,
    );
  /** alice's WebSocket upgrade of /stream with these Sec-WebSocket-* headers. */
  const upgrade = (headers: string[]) =>
    request([
      'GET /api/v1/stream HTTP/1.1',
      'Host: x',
      'Connection: Upgrade',
      'Upgrade: websocket',
      ...headers,
      `Authorization: Bearer ${token}`,
    ]);

  it('malformed JSON is a 400 with issues', async () => {
    const response = await rawRequest(stub().url, 'POST', '/claims', {
      token,
      body: '{"title": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(ErrorBody.parse(response.json).issues).toEqual([{ path: '(root)', message: expect.any(String) }]);
  });

  const rawCases: Array<{ name: string; bytes: () => string; status: number; code: string }> = [
    { name: 'a garbage request line', bytes: () => 'HELLO THERE\r\n\r\n', status: 400, code: 'bad_request' },
    {
      name: 'a bad URL encoding',
      bytes: () =>
        request(['GET /api/v1/claims/%E0%A4%A HTTP/1.1', 'Host: x', `Authorization: Bearer ${token}`]),
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'a 20 KB header',
      bytes: () => request(['GET /api/v1/info HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(20_000)}`]),
      status: 431,
      code: 'bad_request',
    },
    {
      name: 'no Host header',
      bytes: () => request(['GET /api/v1/info HTTP/1.1', 'Connection: close']),
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'a Content-Length that is not a number',
      bytes: () => request(['POST /api/v1/session HTTP/1.1', 'Host: x', 'Content-Length: abc'], '{}'),
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'an empty body with a JSON content type',
      bytes: () => postClaim(['Content-Type: application/json', 'Content-Length: 0']),
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'an unparsable content type',
      bytes: () => postClaim(['Content-Type: ;;;', 'Content-Length: 2'], '{}'),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'a declared body over the limit',
      // POST /claims: the route with the raised limit (receipts), so the largest body anywhere.
      bytes: () =>
        postClaim(['Content-Type: application/json', `Content-Length: ${MAX_SUBMIT_BODY_BYTES + 1}`]),
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: 'a WebSocket upgrade with a bad Sec-WebSocket-Key',
      bytes: () =>
        upgrade([
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: not-a-key',
          'Sec-WebSocket-Protocol: signoff.v1',
        ]),
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'a WebSocket upgrade with an unsupported Sec-WebSocket-Version',
      bytes: () => upgrade(['Sec-WebSocket-Version: 7', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']),
      status: 400,
      code: 'bad_request',
    },
  ];

  it.each(rawCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { response } = await rawExchange(stub().port, c.bytes(), { untilResponse: true });
    expect(expectErrorBody(response, c.status).code).toBe(c.code);
  });

  it('is still healthy afterwards', async () => {
    const response = await rawRequest(stub().url, 'GET', '/info');
    expect(response.status).toBe(200);
  });
});

describe('slow and late requests', () => {
  const stubs = stubsPerTest();

  it('cuts a half-sent request within the headers timeout, with a 408 error body', async () => {
    const stub = await stubs.inProcess({ headersTimeoutMs: 500, requestTimeoutMs: 500 });
    const { response, closed, elapsedMs } = await rawExchange(
      stub.port,
      'GET /api/v1/info HTTP/1.1\r\nHost: x\r\n',
      {
        waitMs: 5_000,
      },
    );
    expect(closed).toBe(true);
    expect(elapsedMs).toBeLessThan(3_000);
    expect(expectErrorBody(response, 408).code).toBe('bad_request');
  });

  it('cuts a request whose body never finishes within the request timeout', async () => {
    const stub = await stubs.inProcess({ headersTimeoutMs: 500, requestTimeoutMs: 700 });
    const head =
      'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user';
    const { response, closed, elapsedMs } = await rawExchange(stub.port, head, { waitMs: 5_000 });
    expect(closed).toBe(true);
    expect(elapsedMs).toBeLessThan(3_000);
    expect(expectErrorBody(response, 408).code).toBe('bad_request');
  });

  it('closes half-sent requests within 10 s by default', () => {
    expect(STUB_DEFAULTS.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(STUB_DEFAULTS.requestTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(STUB_DEFAULTS.keepAliveTimeoutMs).toBeLessThanOrEqual(10_000);
  });

  it('answers a request that arrives during shutdown with a 503 error body', async () => {
    const stub = await stubs.inProcess();
    const alice = await clientFor(stub.url, 'alice');
    // A stream client that stops reading keeps shutdown in its close-handshake grace period (1 s),
    // while the HTTP server still accepts connections.
    const stream = await StreamTestClient.connect(
      `${stub.url.replace('http', 'ws')}/api/v1/stream`,
      alice.token ?? '',
    );
    (stream.ws as unknown as { _socket: Socket })._socket.pause();
    const closing = stub.close();
    const { response } = await rawExchange(stub.port, 'GET /api/v1/info HTTP/1.1\r\nHost: x\r\n\r\n', {
      untilResponse: true,
    });
    expect(expectErrorBody(response, 503).code).toBe('unavailable');
    await closing;
    stream.ws.terminate();
  });
});

describe('timeout flags', () => {
  it('are parsed from the command line, default to STUB_DEFAULTS and are in --help', async () => {
    const { HELP_TEXT, parseCliOptions } = await import('../../../server-stub/cli-options');
    const command = parseCliOptions(
      ['--headers-timeout-ms', '2000', '--request-timeout-ms', '3000', '--keep-alive-timeout-ms', '1000'],
      {},
    );
    expect(command).toMatchObject({
      kind: 'run',
      server: { headersTimeoutMs: 2000, requestTimeoutMs: 3000, keepAliveTimeoutMs: 1000 },
    });
    expect(parseCliOptions([], {})).toMatchObject({
      server: {
        headersTimeoutMs: STUB_DEFAULTS.headersTimeoutMs,
        requestTimeoutMs: STUB_DEFAULTS.requestTimeoutMs,
      },
    });
    expect(() =>
      parseCliOptions(['--headers-timeout-ms', '5000', '--request-timeout-ms', '1000'], {}),
    ).toThrow(/headers/);
    expect(HELP_TEXT).toMatch(/--headers-timeout-ms/);
  });
});
