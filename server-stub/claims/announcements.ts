// Announcements from the administrator: one event in the shared broadcast stream, one transaction,
// whatever the number of users (no fan-out on write; each client reads the broadcast stream, or has
// it absorbed into its own stream on read if it predates that stream: see events/event-log.ts).
import type { Announcement, AnnounceRequest } from '../../protocol';
import { type Clock, isoAt } from '../clock';
import type { Db } from '../db/database';
import type { Statement } from '../db/sql';
import { preparePluck } from '../db/statements';
import type { EmitEvent } from '../events/event-log';
import { forbidden } from '../http/http-error';
import type { UserDirectory } from '../org/users';

export class Announcements {
  private readonly nextNumber: Statement<[], number>;
  private readonly insert: Statement<[number, string, string, string, string, number]>;

  constructor(
    db: Db,
    private readonly users: UserDirectory,
    private readonly clock: Clock,
  ) {
    this.nextNumber = preparePluck(db, 'SELECT COALESCE(MAX(number), 0) + 1 FROM announcements');
    this.insert = db.prepare(
      'INSERT INTO announcements (number, id, title, body, author_id, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  post(actorId: string, request: Required<AnnounceRequest>, emit: EmitEvent): Announcement {
    const author = this.users.find(actorId);
    if (!author?.roles.includes('admin')) throw forbidden('only an administrator may post announcements');
    const now = this.clock();
    const number = this.nextNumber.get() ?? 1;
    const id = `ANN-${String(number).padStart(6, '0')}`;
    this.insert.run(number, id, request.title, request.body, actorId, now);
    const announcement: Announcement = {
      id,
      title: request.title,
      body: request.body,
      author: { id: author.id, name: author.name },
      at: isoAt(now),
    };
    emit.broadcast({ type: 'announcement', announcement });
    return announcement;
  }
}
