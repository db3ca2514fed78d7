import { z } from 'zod';
import { staffRoute } from '@/lib/actions/staff-route';
import { openMints } from '@/lib/audit/mints';
import { listSessions, tokenLifetimeLimit } from '@/lib/clerk';
import { getDb } from '@/lib/db';
import { USER_ID } from '@/lib/vocabulary';

export const dynamic = 'force-dynamic';

const userParams = z.object({ userId: z.string().regex(USER_ID) }).strict();

// Mints are audited per session: one list of the user's sessions (any status) ties them to this user.
export const GET = staffRoute(
  { name: '/api/users/[userId]/open-mints', access: 'account:sign_out', params: userParams },
  async (_query, { params: { userId } }) => {
    const sessions = await listSessions({ userId, status: 'all', limit: 500, offset: 0 });
    const now = Date.now();
    const mints = await openMints(await getDb(), {
      sessionIds: sessions.data.map((s) => s.id),
      now,
      maxLifetimeSeconds: tokenLifetimeLimit(),
    });
    return { mints, fetchedAt: now };
  },
);
