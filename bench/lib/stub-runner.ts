// Starts the real built stub as a child process on an ephemeral loopback port with a throwaway
// SQLite file, and waits for its ready line. (Benchmarks may not import test/support.)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const READY_LINE = /Signoff stub listening on (http:\/\/127\.0\.0\.1:\d+)/;

export interface RunningStub {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startStubProcess(
  root: string,
  extraArgs: string[] = [],
  nodeArgs: string[] = [],
): Promise<RunningStub> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-bench-'));
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      path.join(root, 'dist/server-stub/server-cli.js'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--db',
      path.join(dir, 'stub.sqlite'),
      '--quiet',
      ...extraArgs,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stub not ready in 15 s:\n${output}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY_LINE.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => reject(new Error(`stub exited before it was ready:\n${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
