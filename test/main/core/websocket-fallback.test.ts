// The fallback's decisions on a manual clock, with the two inner clients scripted (the real ones over
// real sockets are in long-poll-fallback.test.ts): what counts as a blocked upgrade, that plain HTTP
// must work before falling back, the retry interval, a failed trial going straight back, and that a
// retired client can no longer reach the sync engine.
import { beforeEach, expect, test } from 'vitest';
import type { StreamClient, StreamHooks } from '../../../main/core/stream-client';
import { WEBSOCKET_RETRY_MS, WebSocketFallback } from '../../../main/core/websocket-fallback';
import { captureLogger, ManualClock } from '../../support/core-fakes';
import { settle } from '../../support/core-units';

class ScriptedClient implements StreamClient {
  started = 0;
  stopped = 0;
  woken = 0;
  connects = 1;
  constructor(
    readonly kind: 'websocket' | 'long-poll',
    readonly hooks: StreamHooks,
  ) {}
  start(): void {
    this.started += 1;
  }
  stop(): void {
    this.stopped += 1;
  }
  restart(): void {}
  wake(): void {
    this.woken += 1;
  }
  networkLost(): void {}
}

let clock: ManualClock;
let clients: ScriptedClient[];
let httpWorks: boolean;
let upstream: { states: string[]; frames: number; disconnects: number };
let fallback: WebSocketFallback;

const last = () => clients.at(-1)!;

beforeEach(() => {
  clock = new ManualClock(0);
  clients = [];
  httpWorks = true;
  upstream = { states: [], frames: 0, disconnects: 0 };
  const make = (kind: ScriptedClient['kind']) => (hooks: StreamHooks) => {
    const client = new ScriptedClient(kind, hooks);
    clients.push(client);
    return client;
  };
  fallback = new WebSocketFallback({
    clock,
    logger: captureLogger(),
    hooks: {
      prepare: async () => null,
      onFrame: () => {
        upstream.frames += 1;
      },
      onState: (state) => upstream.states.push(state.kind),
      onDisconnected: () => {
        upstream.disconnects += 1;
      },
      onSessionEnded: () => {},
    },
    webSocket: make('websocket'),
    longPoll: make('long-poll'),
    httpWorks: async () => httpWorks,
  });
  fallback.start();
});

test('a refusal falls back at once; resets and timeouts take two; unreachable never counts', async () => {
  const ws = last();
  ws.hooks.onUpgradeFailed?.('unreachable', 'ECONNREFUSED');
  ws.hooks.onUpgradeFailed?.('reset', 'socket hang up');
  ws.hooks.onUpgradeFailed?.('unreachable', 'ECONNREFUSED');
  ws.hooks.onUpgradeFailed?.('timeout', 'handshake timed out');
  await settle();
  expect(fallback.mode).toBe('websocket');
  ws.hooks.onUpgradeFailed?.('timeout', 'handshake timed out');
  await settle();
  expect(fallback.mode).toBe('long-poll');
  expect(ws.stopped).toBe(1);
  expect(last()).toMatchObject({ kind: 'long-poll', started: 1 });
});

test('no fallback while plain HTTP fails too (a network down, not a proxy)', async () => {
  httpWorks = false;
  last().hooks.onUpgradeFailed?.('refused', 'HTTP 403');
  await settle();
  expect(fallback.mode).toBe('websocket');
  httpWorks = true;
  last().hooks.onUpgradeFailed?.('refused', 'HTTP 403');
  await settle();
  expect(fallback.mode).toBe('long-poll');
});

test('an upgrade that works clears the count', async () => {
  const ws = last();
  ws.hooks.onUpgradeFailed?.('reset', 'socket hang up');
  ws.hooks.onState({ kind: 'online' });
  ws.hooks.onUpgradeFailed?.('reset', 'socket hang up');
  await settle();
  expect(fallback.mode).toBe('websocket');
});

test('on long-poll: the WebSocket is tried every interval and on wake; a failed trial returns at once; a good one stays', async () => {
  last().hooks.onUpgradeFailed?.('refused', 'HTTP 403');
  await settle();
  const poll = last();
  clock.advance(WEBSOCKET_RETRY_MS - 1);
  expect(fallback.mode).toBe('long-poll');
  clock.advance(1);
  expect(fallback.mode).toBe('websocket');
  expect(poll.stopped).toBe(1);
  // One reset during a trial is enough to go back (the proxy is still there).
  last().hooks.onUpgradeFailed?.('reset', 'socket hang up');
  await settle();
  expect(fallback.mode).toBe('long-poll');
  expect(fallback.fallbacks).toBe(2);

  // A wake (network changed) tries now, without waiting for the interval.
  const secondPoll = last();
  fallback.wake();
  expect(fallback.mode).toBe('websocket');
  expect(secondPoll.stopped).toBe(1);
  const trial = last();
  trial.hooks.onState({ kind: 'online' });
  clock.advance(2 * WEBSOCKET_RETRY_MS);
  expect(last()).toBe(trial);
  expect(upstream.states.at(-1)).toBe('online');
  // A wake on the WebSocket goes to the WebSocket client (it probes a live socket).
  fallback.wake();
  expect(trial.woken).toBe(1);
});

test('a replaced client cannot reach the sync engine any more; connects add up', async () => {
  const ws = last();
  ws.hooks.onUpgradeFailed?.('refused', 'HTTP 502');
  await settle();
  const poll = last();
  ws.hooks.onFrame({ type: 'pong' });
  ws.hooks.onState({ kind: 'online' });
  ws.hooks.onDisconnected();
  expect(upstream).toMatchObject({ frames: 0, disconnects: 0 });
  poll.hooks.onFrame({ type: 'pong' });
  poll.hooks.onState({ kind: 'online', via: 'long-poll' });
  expect(upstream.frames).toBe(1);
  expect(fallback.connects).toBe(2);
  fallback.stop();
  expect(poll.stopped).toBe(1);
  expect(clock.pendingTimers()).toBe(0);
});
