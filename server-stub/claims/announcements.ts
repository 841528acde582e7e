// Announcements from the administrator, fanned out on write: one event per user, one transaction.
import type { Announcement, AnnounceRequest } from '../../protocol';
import { type Clock, isoAt } from '../clock';
import type { Db } from '../db/database';
import type { EmitEvent } from '../events/event-log';
import { forbidden } from '../http/http-error';
import type { UserDirectory } from '../org/users';

export class Announcements {
  constructor(
    private readonly db: Db,
    private readonly users: UserDirectory,
    private readonly clock: Clock,
  ) {}

  post(actorId: string, request: Required<AnnounceRequest>, emit: EmitEvent): Announcement {
    const author = this.users.find(actorId);
    if (!author?.roles.includes('admin')) throw forbidden('only an administrator may post announcements');
    const now = this.clock();
    const number = this.db
      .prepare('SELECT COALESCE(MAX(number), 0) + 1 FROM announcements')
      .pluck()
      .get() as number;
    const id = `ANN-${String(number).padStart(6, '0')}`;
    this.db
      .prepare('INSERT INTO announcements (number, id, title, body, author_id, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(number, id, request.title, request.body, actorId, now);
    const announcement: Announcement = {
      id,
      title: request.title,
      body: request.body,
      author: { id: author.id, name: author.name },
      at: isoAt(now),
    };
    for (const user of this.users.all()) emit(user.id, { type: 'announcement', announcement });
    return announcement;
  }
}
