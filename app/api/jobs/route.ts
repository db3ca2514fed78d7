import { z } from 'zod';
import { staffRoute } from '@/lib/actions/staff-route';
import { getDb } from '@/lib/db';
import { jobStore, RUNNING_JOB_STATES } from '@/lib/jobs';
import { JOB_READ_FAILURES } from '@/lib/jobs/http';

export const dynamic = 'force-dynamic';

const listQuery = z.object({
  running: z
    .unknown()
    .optional()
    .transform((v) => (Array.isArray(v) ? v[0] : v) === '1'),
});

export const GET = staffRoute(
  { name: '/api/jobs', access: 'sessions:read', query: listQuery, failures: JOB_READ_FAILURES },
  async ({ running }) => {
    const store = jobStore(await getDb());
    if (running) return { running: await store.countInStates(RUNNING_JOB_STATES), fetchedAt: Date.now() };
    return { jobs: await store.list(100), fetchedAt: Date.now() };
  },
);
