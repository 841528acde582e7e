// Reads users from the store and shapes them as the protocol describes them.
import { z } from 'zod';
import { type Me, Role, type UserRef } from '../../protocol';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
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
  // Nothing is cached but the compiled statements: the operator CLI (another process) may change
  // users at any time, and a read through a prepared statement costs a few microseconds.
  private readonly byId: Statement<[string], UserRow>;
  private readonly everyone: Statement<[], UserRow>;
  private readonly refById: Statement<[string], UserRef>;
  private readonly everyId: Statement<[], string>;
  private readonly chainMembers: Statement<[string], UserRow>;

  /**
   * Names by id, read once per node. A user row is only ever inserted (seeding), never renamed or
   * deleted, so this cannot go stale, on one node or many; and a claim's answer names a dozen people
   * (submitter, approvers, audit actors), each a round trip to the database on PostgreSQL otherwise.
   */
  private readonly refs = new Map<string, UserRef>();

  constructor(db: Db) {
    this.byId = db.prepare('SELECT * FROM users WHERE id = ?');
    this.everyone = db.prepare('SELECT * FROM users ORDER BY id');
    this.refById = db.prepare('SELECT id, name FROM users WHERE id = ?');
    this.everyId = preparePluck(db, 'SELECT id FROM users ORDER BY id');
    // LIKE '%"role"%' on the roles column is an exact test: it holds a JSON array of quoted Role names
    // that only this code writes. Cheaper than parsing JSON for every user, which submit would pay each
    // time, and spelled the same in SQLite and PostgreSQL.
    this.chainMembers = db.prepare(
      `SELECT u.* FROM users u, (SELECT id, supervisor_id, department FROM users WHERE id = ?) s
        WHERE u.id = s.id OR u.id = s.supervisor_id
           OR u.roles LIKE '%"finance"%'
           OR (u.roles LIKE '%"manager"%' AND u.department = s.department)
        ORDER BY u.id`,
    );
  }

  find(id: string): StoredUser | null {
    const row = this.byId.get(id);
    return row ? toStoredUser(row) : null;
  }

  all(): StoredUser[] {
    return this.everyone.all().map(toStoredUser);
  }

  /** Every user's id; all a fan-out to everyone needs (no row shaping, no role parsing). */
  ids(): string[] {
    return this.everyId.all();
  }

  /**
   * The part of the org that can appear in `submitterId`'s approval chain: the submitter, their
   * supervisor, their department's managers and all of finance, in id order like `all()`. Feeding this
   * to buildApprovalChain gives the same chain as the whole org without reading every user.
   */
  chainCandidates(submitterId: string): StoredUser[] {
    return this.chainMembers.all(submitterId).map(toStoredUser);
  }

  ref(id: string): UserRef {
    let row = this.refs.get(id);
    if (row === undefined) {
      row = this.refById.get(id);
      // Every id we resolve came from a foreign-keyed column, so a miss is a bug, not bad input.
      if (!row) throw new Error(`user ${id} does not exist`);
      this.refs.set(id, row);
    }
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
