import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SIGNOFF_BUILD_QUIET: '1' },
  });
  // The stub's tests on PostgreSQL need its server; this starts it, or reuses a running one.
  if (process.env.SIGNOFF_TEST_STORE === 'postgres') {
    execFileSync(path.join(root, 'scripts/start-postgres.sh'), { stdio: 'inherit' });
  }
}
