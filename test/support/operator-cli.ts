// Runs the BUILT operator CLI (dist/server-stub/operator-cli.js) as a child process, the way an operator
// typing `npm run cli -- …` would, against a stub process (or against nothing, for help and errors).
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { StubProcess } from './stub-process';

export const OPERATOR_CLI = path.resolve(import.meta.dirname, '../../dist/server-stub/operator-cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(stub: StubProcess | null, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [OPERATOR_CLI, ...args],
      {
        env: { ...process.env, SIGNOFF_SERVER: stub?.url ?? 'http://127.0.0.1:9', SIGNOFF_PASSWORD: 'demo' },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
