import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launchStub } from '../../server-stub/launcher';
import { tempDir } from '../support/stub-fixtures';
import { ROOT, STUB_CLI } from '../support/stub-process';

function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [STUB_CLI, ...args],
      { env: { ...process.env, ...env }, timeout: 15_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

describe('stub command line', () => {
  it('prints help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--host',
      '--port',
      '--db',
      '--heartbeat-seconds',
      '--token-ttl-seconds',
      '--event-retention',
      '--sync',
      '--allow-remote-demo',
      '--quiet',
      '--nudge-after-seconds',
      '--broker',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it('rejects unknown flags and bad values with exit code 2', async () => {
    expect((await runCli(['--prot', '1'])).code).toBe(2);
    const badSync = await runCli(['--sync', 'sometimes']);
    expect(badSync.code).toBe(2);
    expect(badSync.stderr).toContain('--sync');
    expect((await runCli(['--port', '70000'])).code).toBe(2);
    // Clients refuse a welcome above the contract's bound, so the stub must not offer one.
    const longHeartbeat = await runCli(['--heartbeat-seconds', '601']);
    expect(longHeartbeat.code).toBe(2);
    expect(longHeartbeat.stderr).toContain('heartbeat');
    // The broker must be an AMQP URL, not a STOMP or HTTP one.
    const badBroker = await runCli(['--broker', 'http://127.0.0.1:15674/ws']);
    expect(badBroker.code).toBe(2);
    expect(badBroker.stderr).toContain('--broker');
  });

  it('refuses a non-loopback bind while demo passwords are in use', async () => {
    const dir = tempDir();
    try {
      const { code, stdout, stderr } = await runCli([
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--db',
        dir.file('s.sqlite'),
      ]);
      expect(code).toBe(3);
      expect(stderr).toMatch(/refusing to listen on 0\.0\.0\.0.*demo password/s);
      expect(stdout).not.toContain('listening');
    } finally {
      dir.remove();
    }
  });

  it('takes host, port and db from the environment', async () => {
    const dir = tempDir();
    const dbPath = dir.file('from-env.sqlite');
    // No --port or --db: they come from the environment.
    const stub = await launchStub({
      root: ROOT,
      env: { SIGNOFF_STUB_HOST: '127.0.0.1', SIGNOFF_STUB_PORT: '0', SIGNOFF_STUB_DB: dbPath },
    });
    try {
      expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stub.port).not.toBe(8787);
      expect(existsSync(dbPath)).toBe(true);
      expect(await stub.stop('SIGTERM')).toBe(0);
    } finally {
      await stub.stop('SIGKILL');
      dir.remove();
    }
    const badEnvPort = await runCli([], { SIGNOFF_STUB_PORT: 'not-a-port' });
    expect(badEnvPort.code).toBe(2);
  });
});
