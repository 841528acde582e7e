// UserDirectory keeps each user's name once read (server-stub/org/users.ts): right only while no code
// renames or deletes a user row. This fails the day some code starts to, so that the cache gets its
// invalidation (and the other nodes theirs) in the same change.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const STUB = path.resolve(import.meta.dirname, '../../../server-stub');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('user rows', () => {
  it('are only ever inserted: no statement of the stub updates or deletes one', () => {
    const writers = sources(STUB).filter((file) =>
      /\b(UPDATE\s+users|DELETE\s+FROM\s+users|REPLACE\s+INTO\s+users)\b/i.test(readFileSync(file, 'utf8')),
    );
    expect(writers).toEqual([]);
    // The scan does find what it looks for: seeding inserts users.
    expect(sources(STUB).some((file) => /INSERT OR IGNORE INTO users/.test(readFileSync(file, 'utf8')))).toBe(
      true,
    );
  });
});
