import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchNetworkWhileDisconnected } from '../../../main/adapters/network-watch';
import type { ConnectionState } from '../../../main/core/ports';

function fakeCore(kind: ConnectionState['kind']) {
  let connection = { kind } as ConnectionState;
  const listeners = new Set<(snapshot: { connection: ConnectionState }) => void>();
  const core = {
    wake: vi.fn(),
    networkLost: vi.fn(),
    snapshot: () => ({ connection }) as never,
    subscribe(listener: (snapshot: never) => void) {
      listeners.add(listener as never);
      return () => listeners.delete(listener as never);
    },
    set(next: ConnectionState['kind']) {
      connection = { kind: next } as ConnectionState;
      for (const listener of listeners) listener({ connection });
    },
  };
  return core;
}

afterEach(() => vi.useRealTimers());

describe('network watch', () => {
  it('runs no timer while online, and wakes the core at once when the network returns', () => {
    vi.useFakeTimers();
    let online = true;
    const core = fakeCore('online');
    const stop = watchNetworkWhileDisconnected(core, () => online, 1000);
    expect(vi.getTimerCount()).toBe(0);

    core.set('reconnecting');
    expect(vi.getTimerCount()).toBe(1);
    online = false;
    vi.advanceTimersByTime(1000);
    expect(core.networkLost).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(core.networkLost).toHaveBeenCalledTimes(1); // once per change, not per poll
    online = true;
    vi.advanceTimersByTime(1000);
    expect(core.wake).toHaveBeenCalledWith('online');

    core.set('online');
    expect(vi.getTimerCount()).toBe(0);
    stop();
  });
});
