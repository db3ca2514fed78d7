import { z } from 'zod';
import { staffRoute } from '@/lib/actions/staff-route';
import { getDb } from '@/lib/db';
import { USER_ID } from '@/lib/vocabulary';
import { newSessionsSince } from '@/lib/session-index/timeline';

export const dynamic = 'force-dynamic';

const query = z
  .object({
    user_id: z.string().regex(USER_ID, 'Not a user id (user_…).'),
    since: z.coerce.number().int().min(0).max(8_640_000_000_000_000),
  })
  .strict();

/** How many of the user's sessions the index received after `since`: an open list's "new sessions" poll. */
export const GET = staffRoute(
  { name: '/api/sessions/new', access: 'sessions:read', query },
  async ({ user_id, since }) => ({
    count: await newSessionsSince(await getDb(), user_id, since),
    checkedAt: Date.now(),
  }),
);
