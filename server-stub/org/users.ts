// Reads users from the store and shapes them as the protocol describes them.
import { z } from 'zod';
import { type Me, Role, type UserRef } from '../../protocol';
import type { Db } from '../db/database';
import type { OrgMember } from './chain';

interface UserRow {
  id: string;
  name: string;
  department: string | null;
  roles: string;
  supervisor_id: string | null;
  password_hash: string;
}

export interface StoredUser extends OrgMember {
  name: string;
  passwordHash: string;
}

const RolesColumn = z.array(Role);

function toStoredUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    name: row.name,
    department: row.department,
    roles: RolesColumn.parse(JSON.parse(row.roles)),
    supervisorId: row.supervisor_id,
    passwordHash: row.password_hash,
  };
}

export class UserDirectory {
  constructor(private readonly db: Db) {}

  find(id: string): StoredUser | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toStoredUser(row) : null;
  }

  all(): StoredUser[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY id').all() as UserRow[]).map(toStoredUser);
  }

  ref(id: string): UserRef {
    const row = this.db.prepare('SELECT id, name FROM users WHERE id = ?').get(id) as
      | { id: string; name: string }
      | undefined;
    // Every id we resolve came from a foreign-keyed column, so a miss is a bug, not bad input.
    if (!row) throw new Error(`user ${id} does not exist`);
    return { id: row.id, name: row.name };
  }

  me(id: string): Me {
    const user = this.find(id);
    if (!user) throw new Error(`user ${id} does not exist`);
    return {
      id: user.id,
      name: user.name,
      department: user.department,
      roles: [...user.roles],
      supervisor: user.supervisorId ? this.ref(user.supervisorId) : null,
    };
  }
}
