// Runs the built stub CLI (dist/server-stub/server-cli.js) as a child process and waits for its ready
// line: the one launcher behind the tests' stub fixture, the benchmarks and the preview harness.
//
// It lives beside the CLI because it depends on the CLI's contract (its flags, its ready line, where
// the build puts it), and because every caller may import server-stub/ while server-stub/ imports
// none of them: tests, bench/ and scripts/ all sit above it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseReadyLine } from './ready-line';

const DEFAULT_READY_TIMEOUT_MS = 15_000;
const DEFAULT_STOP_GRACE_MS = 10_000;

/** Where the build puts the stub CLI under the repository `root`. */
export function stubCliPath(root: string): string {
  return path.join(root, 'dist/server-stub/server-cli.js');
}

export interface StubLaunchOptions {
  /** Repository root: the CLI is found under it, and it is the child's working directory. */
  root: string;
  /** `--port`; omitted: the CLI's own default or $SIGNOFF_STUB_PORT. 0 = any free port. */
  port?: number;
  /** `--db`; omitted: the CLI's own default or $SIGNOFF_STUB_DB. */
  dbPath?: string;
  /** Further CLI flags, e.g. ['--token-ttl-seconds', '2']. `--quiet` is always passed. */
  args?: readonly string[];
  /** Flags for node itself, e.g. ['--cpu-prof']. */
  nodeArgs?: readonly string[];
  /** Extra environment variables for the child (on top of this process's). */
  env?: Record<string, string>;
  /** `capture` (default) keeps stderr in `output()`; `inherit` lets it through to ours. */
  stderr?: 'capture' | 'inherit';
  readyTimeoutMs?: number;
}

export interface LaunchedStub {
  /** `http://<host>:<port>`, without the API prefix. */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Settles with the exit code (null after a signal) when the child has exited. */
  readonly exited: Promise<number | null>;
  /** Everything the child printed so far: stdout, and stderr unless inherited. */
  output(): string;
  /**
   * Sends `signal` (unless the child already exited) and waits; a child still running after
   * `graceMs` is SIGKILLed. Resolves with the exit code.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

const live = new Set<ChildProcess>();
// Whoever started a stub and then crashed or exited early must not leave it holding a port.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function cliArgs(options: StubLaunchOptions): string[] {
  const args = ['--quiet', ...(options.args ?? [])];
  if (options.port !== undefined) args.push('--port', String(options.port));
  if (options.dbPath !== undefined) args.push('--db', options.dbPath);
  return args;
}

export function launchStub(options: StubLaunchOptions): Promise<LaunchedStub> {
  const captureStderr = (options.stderr ?? 'capture') === 'capture';
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), stubCliPath(options.root), ...cliArgs(options)],
    {
      cwd: options.root,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', captureStderr ? 'pipe' : 'inherit'],
    },
  );
  live.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
  });
  let output = '';
  // Readiness is read from stdout alone, so a stderr chunk can never split the ready line.
  let stdout = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    output += chunk;
  });

  async function stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = DEFAULT_STOP_GRACE_MS) {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(killer);
    }
  }

  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stub did not print its ready line within ${readyTimeoutMs} ms:\n${output}`));
    }, readyTimeoutMs);
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      stdout += chunk;
      const ready = parseReadyLine(stdout);
      if (!ready) return;
      clearTimeout(timer);
      resolve({ ...ready, child, exited, output: () => output, stop });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stub exited with code ${code} before it was ready:\n${output}`));
    });
  });
}

/** A stub on a database in a new temporary folder, which `stop()` removes once the child has exited. */
export async function launchStubOnScratchDatabase(
  options: Omit<StubLaunchOptions, 'dbPath'>,
): Promise<LaunchedStub> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-stub-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let stub: LaunchedStub;
  try {
    stub = await launchStub({ ...options, dbPath: path.join(dir, 'stub.sqlite') });
  } catch (error) {
    removeDir();
    throw error;
  }
  return {
    ...stub,
    async stop(signal, graceMs) {
      try {
        return await stub.stop(signal, graceMs);
      } finally {
        removeDir();
      }
    },
  };
}
