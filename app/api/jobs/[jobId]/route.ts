import { z } from 'zod';
import { getDb } from '@/lib/db';
import { ITEM_OUTCOMES, jobStore } from '@/lib/jobs';
import { jobsRead, jsonError, UUID } from '@/lib/jobs/http';

export const dynamic = 'force-dynamic';

const itemsQuery = z
  .object({
    outcome: z.enum([...ITEM_OUTCOMES, 'pending']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    after: z.coerce.number().int().min(0).optional(),
  })
  .strict();

/** GET /api/jobs/<id>?outcome=&limit=&after= — one job with its counts and the page of its items after item `after`. */
export async function GET(request: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  return jobsRead('/api/jobs/[jobId]', async () => {
    if (!UUID.test(jobId)) return jsonError(404, 'No job has that id.');
    const parsed = itemsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) return jsonError(400, 'Check the outcome filter and the paging values.');
    const store = jobStore(await getDb());
    const job = await store.get(jobId);
    if (!job) return jsonError(404, 'No job has that id.');
    const items = await store.items(jobId, parsed.data);
    return Response.json({ job, items, fetchedAt: Date.now() }, { headers: { 'Cache-Control': 'no-store' } });
  });
}
