import { staffRoute } from '@/lib/actions/staff-route';
import { sessionsUrlQuery } from '@/lib/queries/parse-sessions-query';
import { listSessions } from '@/lib/clerk';
import { listSessionsNeedingALook } from '@/lib/risk/server';

export const dynamic = 'force-dynamic';

export const GET = staffRoute(
  { name: '/api/sessions', access: 'sessions:read', query: sessionsUrlQuery },
  async (q) => ({
    ...(q.look && q.userId
      ? await listSessionsNeedingALook({ ...q, userId: q.userId })
      : await listSessions(q)),
    fetchedAt: Date.now(),
  }),
);
