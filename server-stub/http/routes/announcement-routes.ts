// `GET /announcements`: any signed-in user reads the latest announcements (posting them is in
// claim-routes.ts, admin only).
import type { FastifyInstance } from 'fastify';
import { AnnouncementListQuery, type AnnouncementListResponse } from '../../../protocol';
import { latestAnnouncements } from '../../claims/announcement-reader';
import type { Backend } from '../backend';
import { parseOr400 } from '../http-error';

export function registerAnnouncementRoutes(app: FastifyInstance, backend: Backend): void {
  const latest = latestAnnouncements(backend.db, backend.users);
  app.get('/announcements', async (request): Promise<AnnouncementListResponse> => {
    const { limit } = parseOr400(AnnouncementListQuery, request.query, 'query');
    return { announcements: latest(limit) };
  });
}
