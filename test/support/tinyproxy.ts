// A real HTTP proxy for the network tests: Debian's tinyproxy, on loopback, with a generated config on
// a free port, optionally with basic authentication, and optionally with host names only IT can
// resolve: it runs in its own mount namespace where a private hosts file is bind-mounted over
// /etc/hosts. The test process cannot resolve those names, so a connection that skips the proxy fails
// (ENOTFOUND) instead of quietly going direct — the direct route is blocked by construction.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { type TempDir, tempDir } from './stub-fixtures';

export const TINYPROXY = '/usr/bin/tinyproxy';

export interface TinyproxyOptions {
  /** Basic authentication the proxy demands (tinyproxy `BasicAuth`). */
  basicAuth?: { user: string; password: string };
  /** Names only the proxy resolves, e.g. `{ 'signoff-backend.test': '127.0.0.1' }`. */
  hosts?: Record<string, string>;
}

export interface Tinyproxy {
  port: number;
  /** `http://[user:password@]127.0.0.1:<port>` (with the configured credentials, if any). */
  url: string;
  /** The CONNECT lines tinyproxy logged so far (`host:port` each): what actually went through it. */
  connects(): string[];
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The command that runs tinyproxy with its own /etc/hosts: unshare as root, or in a user namespace. */
function inOwnHosts(hostsFile: string, config: string): [string, string[]] {
  const asRoot = process.getuid?.() === 0;
  const script = 'mount --bind "$1" /etc/hosts && exec "$2" -d -c "$3"';
  const unshare = asRoot ? ['--mount'] : ['--user', '--map-root-user', '--mount'];
  return ['unshare', [...unshare, 'sh', '-c', script, 'sh', hostsFile, TINYPROXY, config]];
}

export async function startTinyproxy(options: TinyproxyOptions = {}): Promise<Tinyproxy> {
  if (!existsSync(TINYPROXY)) {
    throw new Error('tinyproxy is not installed: run scripts/install-system-packages.sh');
  }
  const dir: TempDir = tempDir('signoff-tinyproxy-');
  const port = await freePort();
  const log = dir.file('tinyproxy.log');
  const config = dir.file('tinyproxy.conf');
  const { basicAuth } = options;
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Allow 127.0.0.1',
      'Timeout 60',
      'MaxClients 64',
      `LogFile "${log}"`,
      'LogLevel Connect',
      'DisableViaHeader Yes',
      // No ConnectPort line: CONNECT is allowed to any port (the stub listens on a random one).
      basicAuth ? `BasicAuth ${basicAuth.user} ${basicAuth.password}` : '',
    ].join('\n'),
  );
  let child: ChildProcess;
  if (options.hosts) {
    const hostsFile = dir.file('hosts');
    const lines = Object.entries(options.hosts).map(([name, address]) => `${address} ${name}`);
    writeFileSync(hostsFile, [...readFileSync('/etc/hosts', 'utf8').split('\n'), ...lines].join('\n'));
    const [command, args] = inOwnHosts(hostsFile, config);
    child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } else {
    child = spawn(TINYPROXY, ['-d', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForListener(port, child, () => output);

  const credentials = basicAuth
    ? `${encodeURIComponent(basicAuth.user)}:${encodeURIComponent(basicAuth.password)}@`
    : '';
  return {
    port,
    url: `http://${credentials}127.0.0.1:${port}`,
    connects: () => {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      return [...text.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP/g)].map(
        (m) => m[1] ?? '',
      );
    },
    async dispose() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      dir.remove();
    },
  };
}

async function waitForListener(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tinyproxy exited (${child.exitCode}): ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`tinyproxy did not listen on ${port}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
