// The push stream's operational messages (unresponsive clients cut off, slow consumers closed) reach
// the stub's log: fastify's JSON log with --log, stderr by default, nowhere with --quiet.
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_PREFIX, PROTOCOL_VERSION, STREAM_SUBPROTOCOL } from '../../protocol';
import { operationalLog } from '../../server-stub/operational-log';
import { clientFor } from '../support/stub-fixtures';
import { stubsPerTest } from '../support/use-stub';

const stubs = stubsPerTest();

describe('operational log', () => {
  it('logs an unresponsive stream client being cut off, through the stub process with --log', async () => {
    const stub = await stubs.process({ args: ['--log', '--heartbeat-seconds', '1'] });
    const alice = await clientFor(stub.url, 'alice');
    const ws = new WebSocket(`${stub.url.replace(/^http/, 'ws')}${API_PREFIX}/stream`, STREAM_SUBPROTOCOL, {
      headers: { authorization: `Bearer ${alice.token}` },
      autoPong: false,
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null })),
    );
    expect(await closed).toBe(1006);
    await expect
      .poll(
        () =>
          stub
            .output()
            .split('\n')
            .find((line) => line.includes('unresponsive')),
        { timeout: 5_000 },
      )
      .toBeDefined();
    const line = stub
      .output()
      .split('\n')
      .find((text) => text.includes('unresponsive')) as string;
    expect(JSON.parse(line)).toMatchObject({
      level: 40,
      msg: 'terminating unresponsive stream client',
      userId: 'alice',
    });
  });

  it('prints plain lines to the given sink unless quiet, and uses the request logger with --log', () => {
    const printed: string[] = [];
    const warned: Array<[unknown, string]> = [];
    const logger = { warn: (fields: unknown, message: string) => warned.push([fields, message]) };
    const fastifyLogger = logger as unknown as FastifyBaseLogger;

    const plain = operationalLog({
      log: false,
      quiet: false,
      logger: fastifyLogger,
      print: (l) => printed.push(l),
    });
    plain?.('closing slow consumer', { userId: 'bob', bufferedAmount: 2_000_000 });
    expect(printed).toEqual([
      'signoff-stub: closing slow consumer {"userId":"bob","bufferedAmount":2000000}',
    ]);

    expect(operationalLog({ log: false, quiet: true, logger: fastifyLogger })).toBeUndefined();

    operationalLog({ log: true, quiet: true, logger: fastifyLogger })?.('fan-out failed');
    expect(warned).toEqual([[{}, 'fan-out failed']]);
  });
});
