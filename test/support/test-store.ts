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

function admin(sql: string): void {
  adminUrl ??= execFileSync(START_POSTGRES, ['--url'], { encoding: 'utf8' }).trim();
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', adminUrl, '-c', sql], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

let created = 0;

/** A new, empty PostgreSQL database (collation C, like SQLite's byte order); returns its URL. */
export function createPostgresDatabase(): string {
  created += 1;
  const name = `signoff_test_${process.pid}_${created}_${Date.now()}`;
  admin(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  return (adminUrl as string).replace(/\/postgres$/, `/${name}`);
}

/** Drops a database made by createPostgresDatabase, even while a killed stub's session lingers. */
export function dropPostgresDatabase(url: string): void {
  const name = new URL(url).pathname.slice(1);
  admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
