// `GET /announcements?limit=`: the latest announcements, newest first. A client that lost events (a
// stream `reset`) takes the queue again from `GET /queue`; announcements are not in that snapshot, so
// this is where it gets back the ones it missed.
import { z } from 'zod';
import { listLimit } from './claims';
import { Announcement } from './events';

/** The most announcements one answer holds, and how many come when `limit` is not given. */
export const ANNOUNCEMENT_LIST_MAX_LIMIT = 50;

/** The query of `GET /announcements`. Strict: an unknown parameter is a 400. */
export const AnnouncementListQuery = z
  .object({ limit: listLimit(ANNOUNCEMENT_LIST_MAX_LIMIT, ANNOUNCEMENT_LIST_MAX_LIMIT) })
  .strict();
export type AnnouncementListQuery = z.input<typeof AnnouncementListQuery>;

export const AnnouncementListResponse = z.object({
  /** Newest first (by when each was posted), at most `limit`. */
  announcements: z.array(Announcement),
});
export type AnnouncementListResponse = z.infer<typeof AnnouncementListResponse>;
