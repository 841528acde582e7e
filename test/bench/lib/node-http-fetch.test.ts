// The benchmarks' node:http FetchLike passes the response on whole: status, body and headers (bench:fanout
// reads each approval's Server-Timing from it).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../../../bench/lib/node-http-fetch';

let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    response.setHeader('server-timing', 'commit;dur=1.25, push;dur=0.10');
    response.setHeader('set-cookie', ['a=1', 'b=2']);
    response.statusCode = request.url === '/empty' ? 204 : 201;
    response.end(request.url === '/empty' ? undefined : `${request.method} ${request.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeHttpFetch', () => {
  it('passes status, body and every header on', async () => {
    const fetch = nodeHttpFetch();
    const response = await fetch(`${url}/claims`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('POST /claims');
    expect(response.headers.get('server-timing')).toBe('commit;dur=1.25, push;dur=0.10');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const empty = await fetch(`${url}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.headers.get('server-timing')).toContain('commit');
  });
});
