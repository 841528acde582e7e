// Read side of announcements: the latest ones, newest first, for `GET /announcements`. Every signed-in
// user may read them (every user got each one as an event when it was posted); a client that lost
// events in a stream reset gets them back from here.
import type { Announcement } from '../../protocol';
import { isoAt } from '../clock';
import type { Db } from '../db/database';
import type { UserDirectory } from '../org/users';

interface AnnouncementRow {
  id: string;
  title: string;
  body: string;
  author_id: string;
  at: number;
}

/** Prepares the statement once; the returned function reads at most `limit`, newest post first. */
export function latestAnnouncements(db: Db, users: UserDirectory): (limit: number) => Announcement[] {
  // `number` grows with every post: posting order, and no index beyond the primary key.
  const latest = db.prepare<[number], AnnouncementRow>(
    'SELECT id, title, body, author_id, at FROM announcements ORDER BY number DESC LIMIT ?',
  );
  return (limit) =>
    latest.all(limit).map((row) => ({
      id: row.id,
      title: row.title,
      body: row.body,
      author: users.ref(row.author_id),
      at: isoAt(row.at),
    }));
}
