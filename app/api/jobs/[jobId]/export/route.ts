import { getDb } from '@/lib/db';
import { jobStore } from '@/lib/jobs';
import { jobItemsCsv, jobsRead, jsonError, UUID } from '@/lib/jobs/http';

export const dynamic = 'force-dynamic';

/** GET /api/jobs/<id>/export — every item of the job with its outcome, as CSV. */
export async function GET(_request: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  return jobsRead('/api/jobs/[jobId]/export', async () => {
    if (!UUID.test(jobId)) return jsonError(404, 'No job has that id.');
    const store = jobStore(await getDb());
    const job = await store.get(jobId);
    if (!job) return jsonError(404, 'No job has that id.');
    const { rows } = await store.items(jobId, { limit: 100_000, offset: 0 });
    return new Response(jobItemsCsv(job, rows), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="job-${job.id}.csv"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
