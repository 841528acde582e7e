// Seeds the demo organisation into a fresh store. Idempotent: existing users (and any password an
// operator changed) are left alone, so restarting never resets anything.
import { hashPassword } from '../auth/passwords';
import type { Db } from '../db/database';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-org';

export async function seedDemoOrg(db: Db): Promise<void> {
  const existing = new Set(db.prepare('SELECT id FROM users').pluck().all() as string[]);
  const missing = DEMO_USERS.filter((user) => !existing.has(user.id));
  if (missing.length === 0) return;
  // Hash outside the transaction (scrypt is slow and async), then insert everything at once.
  const hashes = await Promise.all(missing.map(() => hashPassword(DEMO_PASSWORD)));
  const insert = db.prepare(
    'INSERT OR IGNORE INTO users (id, name, department, roles, supervisor_id, password_hash) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertStream = db.prepare(
    'INSERT OR IGNORE INTO event_streams (user_id, head_seq, floor_seq) VALUES (?, 0, 0)',
  );
  db.transaction(() => {
    missing.forEach((user, i) => {
      insert.run(
        user.id,
        user.name,
        user.department,
        JSON.stringify(user.roles),
        user.supervisorId,
        hashes[i],
      );
      insertStream.run(user.id);
    });
  }).immediate();
}
