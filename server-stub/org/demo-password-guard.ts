// The demo org's shared password is public knowledge. Exposing it beyond this machine would let anyone
// on the network approve claims, so a non-loopback bind is refused while any account still uses it.
import { isIP } from 'node:net';
import { verifyPassword } from '../auth/passwords';
import { DEMO_PASSWORD } from './demo-org';
import type { UserDirectory } from './users';

export class RemoteDemoRefusedError extends Error {
  constructor(host: string, users: readonly string[]) {
    super(
      `refusing to listen on ${host}: accounts ${users.join(', ')} still have the public demo password. ` +
        'Bind to 127.0.0.1, change those passwords, or pass --allow-remote-demo if you accept the risk.',
    );
    this.name = 'RemoteDemoRefusedError';
  }
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host.toLowerCase().startsWith('::ffff:127.');
  return false;
}

export async function usersWithDemoPassword(users: UserDirectory): Promise<string[]> {
  const all = users.all();
  // Load-test users share one stored hash; checking each distinct hash once keeps a start with
  // thousands of them from running thousands of scrypt verifies.
  const distinct = [...new Set(all.map((user) => user.passwordHash))];
  const verdicts = await Promise.all(distinct.map((hash) => verifyPassword(DEMO_PASSWORD, hash)));
  const demoHashes = new Set(distinct.filter((_, i) => verdicts[i]));
  return all.filter((user) => demoHashes.has(user.passwordHash)).map((user) => user.id);
}

export async function assertSafeToBind(host: string, users: UserDirectory, allowRemoteDemo: boolean) {
  if (allowRemoteDemo || isLoopbackHost(host)) return;
  const exposed = await usersWithDemoPassword(users);
  if (exposed.length > 0) throw new RemoteDemoRefusedError(host, exposed);
}
