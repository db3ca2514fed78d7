import { crossSiteRefused, isCrossSite } from '@/lib/cross-site';
import { getDb } from '@/lib/db';
import { log } from '@/lib/log';
import { jobStore } from '@/lib/jobs';
import { jobItemsCsvHeader, jobItemsCsvRecords, jobsRead, jsonError, UUID } from '@/lib/jobs/http';

export const dynamic = 'force-dynamic';

const PAGE = 1000;

/**
 * GET /api/jobs/<id>/export — every item of the job with its outcome, as CSV. The body streams a page at a time
 * read by item id (keyset), so a 100,000-session job never sits in memory. A link on another site must not make a
 * signed-in browser download it: cross-site requests are refused before anything is read.
 */
export async function GET(request: Request, { params }: { params: Promise<{ jobId: string }> }) {
  if (isCrossSite(request)) return crossSiteRefused();
  const { jobId } = await params;
  return jobsRead('/api/jobs/[jobId]/export', async () => {
    if (!UUID.test(jobId)) return jsonError(404, 'No job has that id.');
    const store = jobStore(await getDb());
    const job = await store.row(jobId);
    if (!job) return jsonError(404, 'No job has that id.');
    let page: Awaited<ReturnType<typeof store.items>> | null = await store.items(jobId, { limit: PAGE });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controller.enqueue(encoder.encode(jobItemsCsvHeader()));
        },
        // One page per pull: a slow reader holds one page, never the job.
        async pull(controller) {
          try {
            if (!page) {
              controller.close();
              return;
            }
            const current = page;
            if (current.rows.length)
              controller.enqueue(encoder.encode(jobItemsCsvRecords(job, current.rows)));
            page =
              current.next === null ? null : await store.items(jobId, { limit: PAGE, after: current.next });
          } catch (e) {
            log.error(
              { where: 'jobs.export', err: e instanceof Error ? e.name : typeof e },
              'job export failed',
            );
            controller.error(e);
          }
        },
      },
      { highWaterMark: 1 },
    );
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="job-${job.id}.csv"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
