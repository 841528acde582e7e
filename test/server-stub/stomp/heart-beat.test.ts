// Heart-beats on a STOMP endpoint with a short offer (100 ms), attached to its own HTTP server beside
// an in-process stub's sessions and event log: EOLs go out at the negotiated rate, and a client that
// stays silent for twice its interval is cut off while one that beats stays.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { attachStomp, type StompHandle } from '../../../server-stub/stomp/stomp-endpoint';
import { StompTestClient } from '../../support/stomp-test-client';
import { clientFor } from '../../support/stub-fixtures';
import { useInProcessStub } from '../../support/use-stub';

const OFFER_MS = 100;

describe('STOMP heart-beats', () => {
  const stub = useInProcessStub();
  let server: Server;
  let endpoint: StompHandle;
  let url: string;

  beforeAll(async () => {
    server = createServer();
    endpoint = attachStomp({
      server,
      sessions: stub().sessions,
      events: stub().eventLog,
      heartBeatMs: OFFER_MS,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await endpoint.close();
    await new Promise((resolve) => server.close(resolve));
  });

  async function connect(heartBeat: string): Promise<StompTestClient> {
    const api = await clientFor(stub().url, 'alice');
    return StompTestClient.connect(url, api.token!, { 'heart-beat': heartBeat });
  }

  it('sends EOLs at the negotiated interval and keeps a client that beats', async () => {
    const client = await connect('50,100');
    expect(client.frames[0]!.headers['heart-beat']).toBe(`${OFFER_MS},${OFFER_MS}`);
    const beating = setInterval(() => client.sendRaw('\n'), OFFER_MS / 2);
    try {
      await client.until(() => (client.heartBeats >= 3 ? true : undefined), 3_000, 'three heart-beats');
      // Well past twice the interval, the beating client is still connected.
      await new Promise((resolve) => setTimeout(resolve, 4 * OFFER_MS));
      expect(client.ws.readyState).toBe(client.ws.OPEN);
    } finally {
      clearInterval(beating);
    }
    await client.close();
  });

  it('sends no EOLs when the client wants none, and never cuts off a client that asked not to beat', async () => {
    const client = await connect('0,0');
    expect(client.frames[0]!.headers['heart-beat']).toBe('0,0');
    await new Promise((resolve) => setTimeout(resolve, 4 * OFFER_MS));
    expect(client.heartBeats).toBe(0);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    await client.close();
  });

  it('terminates a client silent for twice its interval', async () => {
    const client = await connect(`${OFFER_MS},0`);
    const started = Date.now();
    const close = await client.closed;
    // Terminated, not closed politely: the dead-peer rule of the v1 stream.
    expect(close.code).toBe(1006);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * OFFER_MS - 20);
    await vi.waitFor(() => expect(endpoint.connectionCount()).toBe(0));
  });
});
