// The account's announcements, as persisted in its AccountState: the last MAX_ANNOUNCEMENTS, newest
// first, each read or not, plus the ids the user dismissed. The stream can hand us an announcement
// again (a replay after reconnect, a backfill overlapping what we had): it must neither appear twice
// nor come back after being dismissed. Pure functions returning new values, so a snapshot that holds
// the old list never sees it change underneath it.
import { z } from 'zod';
import type { Announcement } from '../../protocol';
import {
  type AnnouncementView,
  AnnouncementViewSchema,
  MAX_ANNOUNCEMENTS,
} from '../common/announcement-schema';

/**
 * How many dismissed ids are remembered. Older ones can only come back through a replay reaching
 * further back than this many dismissals, and such an announcement is then older than the 50 kept,
 * so `withAnnouncement` drops it anyway.
 */
export const MAX_DISMISSED = 500;

export const AnnouncementInboxSchema = z.object({
  /** Newest first (by `at`, then by arrival), at most MAX_ANNOUNCEMENTS. */
  items: z.array(AnnouncementViewSchema),
  /** Dismissed ids, oldest dismissal first, at most MAX_DISMISSED. */
  dismissed: z.array(z.string()),
});
export type AnnouncementInbox = z.infer<typeof AnnouncementInboxSchema>;

export function emptyInbox(): AnnouncementInbox {
  return { items: [], dismissed: [] };
}

/**
 * Files an announcement from the stream; returns the same inbox when nothing changes (known or
 * dismissed id). It goes before the first one that is older, so events in arrival order end up newest
 * first, and a late replay of something older than everything kept falls off the end instead of
 * reappearing at the top.
 */
export function withAnnouncement(inbox: AnnouncementInbox, announcement: Announcement): AnnouncementInbox {
  const { id } = announcement;
  if (inbox.dismissed.includes(id) || inbox.items.some((item) => item.id === id)) return inbox;
  const at = Date.parse(announcement.at);
  const position = inbox.items.findIndex((item) => Date.parse(item.at) < at);
  const items = [...inbox.items];
  items.splice(position === -1 ? items.length : position, 0, { ...announcement, read: false });
  if (items.length > MAX_ANNOUNCEMENTS && position === -1) return inbox;
  return { ...inbox, items: items.slice(0, MAX_ANNOUNCEMENTS) };
}

/** Marks the given ids read (unknown ids are ignored: they may have been dismissed meanwhile). */
export function withRead(inbox: AnnouncementInbox, ids: readonly string[]): AnnouncementInbox {
  const wanted = new Set(ids);
  if (!inbox.items.some((item) => !item.read && wanted.has(item.id))) return inbox;
  return {
    ...inbox,
    items: inbox.items.map((item) => (!item.read && wanted.has(item.id) ? { ...item, read: true } : item)),
  };
}

/** Removes the announcement and remembers its id, so no replay brings it back. */
export function withDismissed(inbox: AnnouncementInbox, id: string): AnnouncementInbox {
  if (inbox.dismissed.includes(id)) return inbox;
  return {
    items: inbox.items.filter((item) => item.id !== id),
    dismissed: [...inbox.dismissed, id].slice(-MAX_DISMISSED),
  };
}

export function unreadCount(items: readonly AnnouncementView[]): number {
  return items.reduce((count, item) => count + (item.read ? 0 : 1), 0);
}
