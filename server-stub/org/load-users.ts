// Throwaway users for load tests (`--load-users N`): load00001…, employees of a "Load" department
// reporting to heidi, all with the public demo password. Lets a benchmark spread thousands of
// connections over many people instead of piling them onto the nine demo users.
//
// The password is hashed ONCE and the same salted hash stored for every load user. Sharing a salt is
// wrong for real accounts (one cracked hash cracks them all, and equal hashes reveal equal passwords);
// it is acceptable only here, for accounts whose password is public anyway, and it keeps seeding
// 10,000 users from costing 10,000 scrypt runs. Signing in still costs one scrypt verify per attempt.
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/database';
import { DEMO_PASSWORD } from './demo-org';

export const LOAD_DEPARTMENT = 'Load';
export const LOAD_SUPERVISOR = 'heidi';
/** The id format has room for five digits. */
export const MAX_LOAD_USERS = 99_999;

export function loadUserId(index: number): string {
  return `load${String(index).padStart(5, '0')}`;
}

/**
 * Makes sure load00001…load<count> exist (demo org seeded first: their supervisor must exist).
 * Idempotent; existing users, and any password changed since, are left alone.
 */
export async function seedLoadUsers(db: Db, count: number): Promise<void> {
  if (!Number.isInteger(count) || count < 0 || count > MAX_LOAD_USERS) {
    throw new Error(`load user count must be an integer from 0 to ${MAX_LOAD_USERS}`);
  }
  if (count === 0) return;
  const existing = db
    .prepare<[string], number>("SELECT COUNT(*) FROM users WHERE department = ? AND id LIKE 'load%'")
    .pluck()
    .get(LOAD_DEPARTMENT);
  if (existing !== undefined && existing >= count) return;
  const sharedHash = await hashPassword(DEMO_PASSWORD);
  const insertUser = db.prepare(
    `INSERT OR IGNORE INTO users (id, name, department, roles, supervisor_id, password_hash)
     VALUES (?, ?, ?, '["employee"]', ?, ?)`,
  );
  const insertStream = db.prepare(
    'INSERT OR IGNORE INTO event_streams (user_id, head_seq, floor_seq) VALUES (?, 0, 0)',
  );
  db.transaction(() => {
    for (let index = 1; index <= count; index++) {
      const id = loadUserId(index);
      insertUser.run(
        id,
        `Load User ${String(index).padStart(5, '0')}`,
        LOAD_DEPARTMENT,
        LOAD_SUPERVISOR,
        sharedHash,
      );
      insertStream.run(id);
    }
  }).immediate();
}
