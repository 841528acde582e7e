// Load-test users (--load-users): seeded with one shared demo-password hash, usable like any other
// account, routed through the normal approval chain, and reached by announcements.

import { describe, expect, it } from 'vitest';
import { type ApiClient, type EventsPage, UserEvent } from '../../../protocol';
import { parseCliOptions } from '../../../server-stub/cli-options';
import { openDatabase } from '../../../server-stub/db/database';
import { clientFor, sampleClaim, startInProcessStub, tempDir } from '../../support/stub-fixtures';
import { stubsPerTest } from '../../support/use-stub';

const stubs = stubsPerTest();

/** A claim `user` submits on a stub with `loadUsers` load users, and its chain as [kind, approver ids]. */
async function submitted(loadUsers: number, user: string) {
  const stub = await stubs.inProcess({ loadUsers });
  const claim = await (await clientFor(stub.url, user)).submitClaim(sampleClaim());
  const chain = claim.chain.map((step) => [step.kind, step.approvers.map((a) => a.id)]);
  return { stub, claim, chain };
}

/** Read through the stub's own storage port, so the same check runs on SQLite and PostgreSQL. */
function storedHashes(dbPath: string): Map<string, string> {
  const db = openDatabase({ path: dbPath });
  try {
    const rows = db
      .prepare<[], { id: string; hash: string }>(
        "SELECT id, password_hash AS hash FROM users WHERE department = 'Load' ORDER BY id",
      )
      .all();
    return new Map(rows.map((row) => [row.id, row.hash]));
  } finally {
    db.close();
  }
}

async function eventsOf(client: ApiClient): Promise<UserEvent[]> {
  const page: EventsPage = await client.events(null);
  if (page.status !== 'ok') throw new Error(`unexpected ${page.status}`);
  return page.events;
}

describe('load-test users', () => {
  it('seeds load00001… with one shared hash, idempotently, and they sign in with the demo password', async () => {
    const dir = tempDir();
    try {
      const dbPath = dir.store('stub.sqlite');
      const first = await startInProcessStub({ dbPath, loadUsers: 3 });
      const hashes = storedHashes(dbPath);
      expect([...hashes.keys()]).toEqual(['load00001', 'load00002', 'load00003']);
      expect(new Set(hashes.values()).size).toBe(1);
      const me = await (await clientFor(first.url, 'load00002')).me();
      expect(me.user).toMatchObject({
        id: 'load00002',
        department: 'Load',
        roles: ['employee'],
        supervisor: { id: 'heidi' },
      });
      await first.close();

      // Restarting with more adds the missing ones and leaves the existing rows alone.
      const stub = await stubs.inProcess({ dbPath, loadUsers: 5 });
      const grown = storedHashes(dbPath);
      expect(grown.size).toBe(5);
      expect(grown.get('load00001')).toBe(hashes.get('load00001'));
      await clientFor(stub.url, 'load00005');
    } finally {
      dir.remove();
    }
  });

  it("routes a load user's claim to heidi, then finance, like anyone's", async () => {
    const { stub, claim, chain } = await submitted(2, 'load00001');
    // Load has no manager, so the chain is supervisor → finance (both finance members).
    expect(chain).toEqual([
      ['supervisor', ['heidi']],
      ['finance', ['dave', 'grace']],
    ]);
    const heidi = await clientFor(stub.url, 'heidi');
    expect((await heidi.queue()).claims.map((c) => c.id)).toEqual([claim.id]);
  });

  it("keeps demo users' chains unchanged when many other users exist", async () => {
    const { chain } = await submitted(50, 'alice');
    expect(chain).toEqual([
      ['supervisor', ['bob']],
      ['manager', ['carol']],
      ['finance', ['dave', 'grace']],
    ]);
  });

  it('writes an announcement into every stream as one validated event with the same instant', async () => {
    const stub = await stubs.inProcess({ loadUsers: 20 });
    const admin = await clientFor(stub.url, 'admin');
    const announcement = await admin.announce({ title: 'Office closed Friday', body: 'Enjoy' });
    for (const name of ['load00001', 'load00020', 'alice']) {
      const events = await eventsOf(await clientFor(stub.url, name));
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(UserEvent.parse(event)).toEqual(event);
      expect(event).toMatchObject({ seq: 1, type: 'announcement', announcement });
    }
    // Every copy carries the same commit instant.
    const instants = new Set<string>();
    for (const name of ['load00003', 'load00017', 'bob']) {
      for (const event of await eventsOf(await clientFor(stub.url, name))) instants.add(event.at);
    }
    expect(instants.size).toBe(1);
  });

  it('takes --load-users on the command line, bounded to five digits', () => {
    const run = parseCliOptions(['--load-users', '250'], {});
    expect(run.kind === 'run' && run.server.loadUsers).toBe(250);
    expect(() => parseCliOptions(['--load-users', '100000'], {})).toThrow(/loadUsers/);
    expect(() => parseCliOptions(['--load-users', '-1'], {})).toThrow();
  });
});
