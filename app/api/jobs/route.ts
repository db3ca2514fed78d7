import { getDb } from '@/lib/db';
import { jobStore } from '@/lib/jobs';
import { jobsRead } from '@/lib/jobs/http';

export const dynamic = 'force-dynamic';

/** GET /api/jobs[?active=1] — revocation jobs, the ones under way first (any signed-in staff member). */
export async function GET(request: Request) {
  return jobsRead('/api/jobs', async () => {
    const store = jobStore(await getDb());
    const active = new URL(request.url).searchParams.get('active') === '1';
    const jobs = active ? await store.listActive() : await store.list(100);
    return Response.json({ jobs, fetchedAt: Date.now() }, { headers: { 'Cache-Control': 'no-store' } });
  });
}
