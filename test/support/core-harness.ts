// Builds real cores (real WebSocket, real REST, real files) pointed at a stub, with fakes only for
// the notifier, the keychain and optionally the clock.

import { type CoreDeps, createDesktopCore } from '../../main/core/desktop-core';
import type { DesktopCoreWithDiagnostics } from '../../main/core/ports';
import { ApiClient, type ClaimSummary } from '../../protocol';
import { captureLogger, MemorySecretStore, makeTempDir, RecordingNotifier, waitFor } from './core-fakes';

export const PASSWORD = 'demo';
/** Fast reconnects for tests; the production defaults are 1 s base, 30 s cap. */
export const TEST_BACKOFF = { baseMs: 50, capMs: 500, stableMs: 30_000 };

export interface TestCore {
  core: DesktopCoreWithDiagnostics;
  notifier: RecordingNotifier;
  secrets: MemorySecretStore;
  dir: { path: string; remove(): void };
  log: ReturnType<typeof captureLogger>;
  deps: CoreDeps;
  /** A fresh core on the same user data dir and keychain (an app restart). */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export async function makeCore(overrides: Partial<CoreDeps> = {}): Promise<TestCore> {
  const dir = makeTempDir();
  const notifier = new RecordingNotifier();
  const secrets = new MemorySecretStore();
  const log = captureLogger();
  const deps: CoreDeps = {
    userDataDir: dir.path,
    secrets,
    notifier,
    logger: log,
    osLocale: 'en-US',
    backoff: TEST_BACKOFF,
    ...overrides,
  };
  const handle: TestCore = {
    core: createDesktopCore(deps),
    notifier,
    secrets,
    dir,
    log,
    deps,
    async restart() {
      await handle.core.stop();
      handle.core = createDesktopCore(deps);
      await handle.core.start();
    },
    async dispose() {
      await handle.core.stop();
      dir.remove();
    },
  };
  await handle.core.start();
  return handle;
}

export async function signedInCore(url: string, username: string, overrides: Partial<CoreDeps> = {}) {
  const handle = await makeCore(overrides);
  await handle.core.signIn(url, username, PASSWORD);
  await waitFor(() => handle.core.snapshot().connection.kind === 'online', `${username} online`);
  return handle;
}

export function queueIds(claims: readonly ClaimSummary[]): string[] {
  return claims.map((c) => c.id).sort();
}

/** Waits until the core's queue equals the server's `GET /queue` for that user. */
export async function waitForQueueMatch(handle: TestCore, api: ApiClient, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = queueIds((await api.queue()).claims).join(',');
    const local = queueIds(handle.core.snapshot().queue).join(',');
    if (server === local) return;
    if (Date.now() > deadline) throw new Error(`queue mismatch: server [${server}] core [${local}]`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function apiFor(url: string, username: string): Promise<ApiClient> {
  const api = new ApiClient({ baseUrl: url });
  await api.signIn(username, PASSWORD);
  return api;
}
