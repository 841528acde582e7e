// Runs the REAL built stub (dist/server-stub/server-cli.js) as a child process, for tests that need a
// separate process: restarts, SIGKILL, clients that reconnect to the same URL. dist/ is built by the
// vitest global setup.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const STUB_CLI = path.join(ROOT, 'dist/server-stub/server-cli.js');
export const READY_LINE = /Signoff stub listening on (http:\/\/\S+:(\d+))/;
const READY_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 10_000;

export interface StubProcessOptions {
  /** SQLite file to use; default a fresh file in a new temp dir (removed by `dispose()`). */
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

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const live = new Set<ChildProcess>();
// A crashed test run must not leave stubs holding ports.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function launch(
  args: string[],
  env: Record<string, string> | undefined,
): Promise<Running & { url: string; port: number }> {
  const child = spawn(process.execPath, [STUB_CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let text = '';
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
  });
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    text += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stub did not print its ready line within ${READY_TIMEOUT_MS} ms:\n${text}`));
    }, READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: string) => {
      text += chunk;
      const match = READY_LINE.exec(text);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolve({ child, output: () => text, exited, url: match[1], port: Number(match[2]) });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stub exited with code ${code} before it was ready:\n${text}`));
    });
  });
}

async function waitForExit(running: Running, signal: NodeJS.Signals): Promise<number | null> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return running.exited;
  running.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`stub did not exit after ${signal}`)), EXIT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([running.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startStub(options: StubProcessOptions = {}): Promise<StubProcess> {
  const tempDir = options.dbPath ? null : mkdtempSync(path.join(os.tmpdir(), 'signoff-stub-'));
  const dbPath = options.dbPath ?? path.join(tempDir as string, 'stub.sqlite');
  const extraArgs = options.args ?? [];
  const argsFor = (port: number) => ['--quiet', ...extraArgs, '--port', String(port), '--db', dbPath];

  let current = await launch(argsFor(0), options.env);
  const { url, port } = current;

  const handle: StubProcess = {
    url,
    port,
    dbPath,
    get process() {
      return current.child;
    },
    output: () => current.output(),
    stop: () => waitForExit(current, 'SIGTERM'),
    async kill9() {
      await waitForExit(current, 'SIGKILL');
    },
    async restart() {
      await waitForExit(current, 'SIGTERM');
      current = await launch(argsFor(port), options.env);
    },
    async dispose() {
      await waitForExit(current, 'SIGTERM').catch(() => waitForExit(current, 'SIGKILL'));
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
  return handle;
}
