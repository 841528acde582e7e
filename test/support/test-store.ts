// Which engine the stub's tests run on: SQLite (default) or, with SIGNOFF_TEST_STORE=postgres, the
// PostgreSQL server scripts/start-postgres.sh runs on loopback (test/global-setup.ts starts or reuses
// it). The same test files run on both (`npm run test:postgres`, part of `npm test`); the few that
// look at SQLite's own machinery (its WAL file, its file format) say so and are skipped there.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export type TestStore = 'sqlite' | 'postgres';
export const testStore: TestStore = process.env.SIGNOFF_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

const START_POSTGRES = path.resolve(import.meta.dirname, '../../scripts/start-postgres.sh');

let adminUrl: string | null = null;

/** Runs `sql` on the server's admin database; returns what it printed (unaligned, tuples only). */
function admin(sql: string): string {
  adminUrl ??= execFileSync(START_POSTGRES, ['--url'], { encoding: 'utf8' }).trim();
  return execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', adminUrl, '-c', sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A new, empty PostgreSQL database, made the one way scripts/start-postgres.sh makes them; its URL. */
export function createPostgresDatabase(): string {
  return execFileSync(START_POSTGRES, ['--new-database'], { encoding: 'utf8' }).trim();
}

/** Drops a database made by createPostgresDatabase, even while a killed stub's session lingers. */
export function dropPostgresDatabase(url: string): void {
  execFileSync(START_POSTGRES, ['--drop-database', new URL(url).pathname.slice(1)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Ends every stub session on the database at `url`, as a server restart would; returns how many. */
export function terminatePostgresSessions(url: string): number {
  const name = new URL(url).pathname.slice(1);
  const ended = admin(
    `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}' AND application_name = 'signoff-stub'`,
  );
  return Number(ended.trim());
}
