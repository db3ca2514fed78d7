import { getDb } from '@/lib/db';
import { jobStore, RUNNING_JOB_STATES } from '@/lib/jobs';
import { jobsRead } from '@/lib/jobs/http';

export const dynamic = 'force-dynamic';

/**
 * GET /api/jobs — revocation jobs, the ones under way first (any signed-in staff member). GET /api/jobs?running=1
 * — only how many are queued or running: what the header shows, polled by every open tab, so it reads one count.
 */
export async function GET(request: Request) {
  return jobsRead('/api/jobs', async () => {
    const store = jobStore(await getDb());
    const headers = { 'Cache-Control': 'no-store' };
    if (new URL(request.url).searchParams.get('running') === '1') {
      const running = await store.countInStates(RUNNING_JOB_STATES);
      return Response.json({ running, fetchedAt: Date.now() }, { headers });
    }
    return Response.json({ jobs: await store.list(100), fetchedAt: Date.now() }, { headers });
  });
}
