// The benchmarks' HTTP client: node:http over one keep-alive agent, behind ApiClient's injectable fetch.
// Node 20's fetch (undici) spent ~0.5–0.8 ms of CPU per request on this machine before the request
// reached the wire, and allocated ~5× as much (5× the young-generation GCs in the bench process).
// Both landed inside every "approve → push" figure, which is about the stub, not the client's HTTP
// library: measured alone, a keep-alive loopback round trip was p50 0.13–0.19 ms with node:http and
// 0.59–0.85 ms with fetch.
import http from 'node:http';
import type { FetchLike } from '../../protocol';

/** A FetchLike for plain-http string bodies (all ApiClient sends), reusing sockets through `agent`. */
export function nodeHttpFetch(agent = new http.Agent({ keepAlive: true })): FetchLike {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const { signal } = init;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const request = http.request(
        input,
        { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            signal?.removeEventListener('abort', onAbort);
            const status = response.statusCode ?? 0;
            // Responses to these statuses must not have a body (the Response constructor enforces it).
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers: headersOf(response.rawHeaders) }));
          });
        },
      );
      const onAbort = () => request.destroy(signal?.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      request.end(typeof init.body === 'string' ? init.body : undefined);
    });
}

/** The response's headers as sent (rawHeaders alternates names and values; repeats are appended). */
function headersOf(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}
