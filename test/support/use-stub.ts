// Stub start and teardown for test files, as vitest hooks, so no file writes its own
// `let stub; afterEach(dispose)` again. Two shapes:
// - useInProcessStub / useStubProcess: one stub for every test of the file (or describe block) they
//   are called in; read it through the returned getter inside hooks and tests.
// - stubsPerTest: each test starts what it needs, with its own options; all of it is disposed after
//   that test, even when it failed.
import { afterAll, beforeAll } from 'vitest';
import type { StubServerOptions } from '../../server-stub/server';
import { undoAfterEach } from './cleanups';
import { type InProcessStub, startInProcessStub } from './stub-fixtures';
import { type StubProcess, type StubProcessOptions, startStub } from './stub-process';

function useShared<T extends { dispose(): Promise<void> }>(start: () => Promise<T>): () => T {
  let started: T | null = null;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.dispose();
    started = null;
  });
  return () => {
    if (!started) throw new Error('the stub is started in beforeAll: use it inside hooks and tests');
    return started;
  };
}

/** One in-process stub (fastify, WebSocket and SQLite in this process) for the enclosing file or block. */
export function useInProcessStub(options: Partial<StubServerOptions> = {}): () => InProcessStub {
  return useShared(() => startInProcessStub(options));
}

/** One real stub process (the built CLI) for the enclosing file or block. */
export function useStubProcess(options: StubProcessOptions = {}): () => StubProcess {
  return useShared(() => startStub(options));
}

export interface PerTestStubs {
  inProcess(options?: Partial<StubServerOptions>): Promise<InProcessStub>;
  process(options?: StubProcessOptions): Promise<StubProcess>;
}

/** Stubs started inside a test, disposed after it (in reverse order of starting). */
export function stubsPerTest(): PerTestStubs {
  const defer = undoAfterEach();
  return {
    inProcess: async (options) => defer.dispose(await startInProcessStub(options)),
    process: async (options) => defer.dispose(await startStub(options)),
  };
}
