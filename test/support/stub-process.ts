// Runs the REAL built stub (dist/server-stub/server-cli.js) as a child process, for tests that need a
// separate process: restarts, SIGKILL, clients that reconnect to the same URL. dist/ is built by the
// vitest global setup.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { type LaunchedStub, launchStub, stubCliPath } from '../../server-stub/launcher';
import { tempDir } from './stub-fixtures';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const STUB_CLI = stubCliPath(ROOT);

export interface StubProcessOptions {
  /** Store to use (SQLite file or PostgreSQL URL); default a fresh one (removed by `dispose()`, see TempDir.store). */
  dbPath?: string;
  /** Extra CLI flags, e.g. ['--token-ttl-seconds', '2']. `--port`/`--db` are set by this helper. */
  args?: string[];
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

export interface StubProcess {
  /** `http://127.0.0.1:<port>` (no API prefix). Stable across `restart()`. */
  readonly url: string;
  readonly port: number;
  readonly dbPath: string;
  /** The current child; replaced by `restart()`. */
  readonly process: ChildProcess;
  /** Everything the current child printed so far (stdout and stderr), for assertions and debugging. */
  output(): string;
  /** SIGTERM and wait for exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (no cleanup at all, like a crash or power cut) and wait for exit. */
  kill9(): Promise<void>;
  /** Stops the child if it runs, then starts a new one on the same port and database file. */
  restart(): Promise<void>;
  /** Stops the child and removes the temp dir this helper created (if any). */
  dispose(): Promise<void>;
}

export async function startStub(options: StubProcessOptions = {}): Promise<StubProcess> {
  const scratch = options.dbPath === undefined ? tempDir('signoff-stub-') : null;
  const dbPath = scratch === null ? (options.dbPath as string) : scratch.store('stub.sqlite');
  const extraArgs = options.args ?? [];
  const launchOn = (port: number) =>
    launchStub({ root: ROOT, port, dbPath, args: extraArgs, env: options.env });

  let current: LaunchedStub = await launchOn(0);
  const { url, port } = current;

  const handle: StubProcess = {
    url,
    port,
    dbPath,
    get process() {
      return current.child;
    },
    output: () => current.output(),
    stop: () => current.stop('SIGTERM'),
    async kill9() {
      await current.stop('SIGKILL');
    },
    async restart() {
      await current.stop('SIGTERM');
      current = await launchOn(port);
    },
    async dispose() {
      await current.stop('SIGTERM');
      scratch?.remove();
    },
  };
  return handle;
}
