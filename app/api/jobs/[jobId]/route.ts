import { z } from 'zod';
import { staffRoute } from '@/lib/actions/staff-route';
import { getDb } from '@/lib/db';
import { ITEM_OUTCOMES, jobStore } from '@/lib/jobs';
import { JOB_READ_FAILURES, jobIdParams } from '@/lib/jobs/http';

export const dynamic = 'force-dynamic';

const itemsQuery = z
  .object({
    outcome: z.enum([...ITEM_OUTCOMES, 'pending']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    after: z.coerce.number().int().min(0).optional(),
  })
  .strict();

export const GET = staffRoute(
  {
    name: '/api/jobs/[jobId]',
    access: 'sessions:read',
    params: jobIdParams,
    query: itemsQuery,
    failures: JOB_READ_FAILURES,
  },
  async (query, { params: { jobId } }) => {
    const store = jobStore(await getDb());
    const job = await store.get(jobId);
    if (!job) return null;
    return { job, items: await store.items(jobId, query), fetchedAt: Date.now() };
  },
);
