import { staffRoute } from '@/lib/actions/staff-route';
import { sessionsUrlQuery } from '@/lib/queries/parse-sessions-query';
import { readSessionsPage } from '@/lib/sessions/read-page';

export const dynamic = 'force-dynamic';

export const GET = staffRoute(
  { name: '/api/sessions', access: 'sessions:read', query: sessionsUrlQuery },
  (q) => readSessionsPage(q).list,
);
