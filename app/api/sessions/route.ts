import { staffRoute } from '@/lib/actions/staff-route';
import { listSessionsQuery } from '@/lib/sessions/inputs';
import { listSessions } from '@/lib/clerk';

export const dynamic = 'force-dynamic';

/** GET /api/sessions?user_id=…|client_id=…&status=&limit=&offset= — the list the sessions page polls. */
export const GET = staffRoute(
  { name: '/api/sessions', access: 'sessions:read', query: listSessionsQuery },
  async (q) => ({ ...(await listSessions(q)), fetchedAt: Date.now() }),
);
