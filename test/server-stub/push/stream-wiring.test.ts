// The push stream is attached to the stub's own HTTP server and fed by its session authority and
// event log: a real WebSocket on loopback sees committed events, sign-out and shutdown.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_PREFIX, CloseCode, PROTOCOL_VERSION, ServerFrame, STREAM_SUBPROTOCOL } from '../../../protocol';
import { clientFor, sampleClaim } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

interface OpenStream {
  frames: ServerFrame[];
  next(): Promise<ServerFrame>;
  closed: Promise<number>;
}

function openStream(url: string, token: string): Promise<OpenStream> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${API_PREFIX}/stream`, STREAM_SUBPROTOCOL, {
    headers: { authorization: `Bearer ${token}` },
  });
  const frames: ServerFrame[] = [];
  const waiting: Array<(frame: ServerFrame) => void> = [];
  ws.on('message', (data) => {
    const frame = ServerFrame.parse(JSON.parse(String(data)));
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null }));
      resolve({
        frames,
        closed,
        next: () => {
          const ready = frames.shift();
          return ready ? Promise.resolve(ready) : new Promise((r) => waiting.push(r));
        },
      });
    });
  });
}

describe('push stream wiring', () => {
  const stubs = stubsPerTest();

  it('delivers committed events, ends on sign-out (4001) and on shutdown (1001)', async () => {
    const stub = await stubs.inProcess({ heartbeatSeconds: 5 });
    const alice = await clientFor(stub.url, 'alice');
    const bob = await clientFor(stub.url, 'bob');
    const bobStream = await openStream(stub.url, bob.token ?? '');
    expect(await bobStream.next()).toMatchObject({ type: 'welcome', heartbeatSeconds: 5, head: { seq: 0 } });

    const claim = await alice.submitClaim(sampleClaim());
    expect(await bobStream.next()).toMatchObject({
      type: 'event',
      epoch: stub.eventLog.epoch,
      event: { seq: 1, type: 'claim.assigned', claim: { id: claim.id } },
    });

    const aliceStream = await openStream(stub.url, alice.token ?? '');
    expect(await aliceStream.next()).toMatchObject({ type: 'welcome' });
    await alice.signOut();
    expect(await aliceStream.closed).toBe(CloseCode.sessionEnded);

    await stub.close();
    expect(await bobStream.closed).toBe(CloseCode.goingAway);
  });
});
