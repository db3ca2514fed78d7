import { staffRoute } from '@/lib/actions/staff-route';
import { getDb } from '@/lib/db';
import { log } from '@/lib/log';
import { jobStore } from '@/lib/jobs';
import { jobItemsCsvHeader, jobItemsCsvRecords } from '@/lib/jobs/csv';
import { JOB_READ_FAILURES, jobIdParams } from '@/lib/jobs/http';

export const dynamic = 'force-dynamic';

const PAGE = 1000;

/** Streamed in keyset pages so a huge job never sits in memory; cross-site requests are refused first. */
export const GET = staffRoute(
  {
    name: '/api/jobs/[jobId]/export',
    access: 'sessions:read',
    params: jobIdParams,
    refuseCrossSite: true,
    failures: JOB_READ_FAILURES,
  },
  async (_query, { params: { jobId } }) => {
    const store = jobStore(await getDb());
    const job = await store.row(jobId);
    if (!job) return null;
    let page: Awaited<ReturnType<typeof store.items>> | null = await store.items(jobId, { limit: PAGE });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controller.enqueue(encoder.encode(jobItemsCsvHeader()));
        },
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
  },
);
