// Announcements as the core keeps them and the window shows them: the protocol's Announcement plus
// whether this user has read it. Defined once here so the core's persisted state, the IPC contract and
// the window agree. Imports zod: the renderer may import from here only with `import type`.
import { z } from 'zod';
import { Announcement } from '../../protocol/events';

/** The id format of the protocol's announcements, so IPC requests are held to exactly what the server sends. */
export const AnnouncementIdSchema = Announcement.shape.id;

export const AnnouncementViewSchema = Announcement.extend({ read: z.boolean() });
export type AnnouncementView = z.infer<typeof AnnouncementViewSchema>;

/** At most this many ids per "mark read" request: the window never shows more than the core keeps. */
export const MAX_ANNOUNCEMENTS = 50;
