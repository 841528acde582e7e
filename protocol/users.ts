import { z } from 'zod';

/** Usernames are the stable user identifiers on the wire. */
export const UserId = z.string().regex(/^[a-z][a-z0-9._-]{0,63}$/, 'invalid user id');
export type UserId = z.infer<typeof UserId>;

/** How a user is referred to inside claims, audit entries and events. */
export const UserRef = z.object({ id: UserId, name: z.string().min(1).max(200) });
export type UserRef = z.infer<typeof UserRef>;

export const Role = z.enum(['employee', 'team_lead', 'manager', 'director', 'finance', 'admin']);
export type Role = z.infer<typeof Role>;

/** The signed-in user as `GET /me` and sign-in describe them. */
export const Me = UserRef.extend({
  department: z.string().nullable(),
  roles: z.array(Role),
  supervisor: UserRef.nullable(),
});
export type Me = z.infer<typeof Me>;
