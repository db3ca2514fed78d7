'use client';

import { Link } from '@/components/ui/link';
import { useQuery } from '@tanstack/react-query';
import { POLL_HEADER } from '@/lib/queries/get-json';
import { paths } from '@/lib/paths';

async function fetchActive(): Promise<{ jobs: { state: string }[] }> {
  const res = await fetch(paths.api.jobs({ active: 1 }), {
    cache: 'no-store',
    headers: { [POLL_HEADER]: '1' },
  });
  if (!res.ok) throw new Error(`jobs ${res.status}`);
  return res.json();
}

/** A small "N jobs running" link in the header while any revocation job is queued or running. */
export function RunningJobsIndicator() {
  const q = useQuery({
    queryKey: ['jobs', 'active'],
    queryFn: fetchActive,
    refetchInterval: 5000,
    retry: false,
  });
  const running = q.data?.jobs.filter((j) => j.state === 'running' || j.state === 'queued').length ?? 0;
  if (!running) return null;
  return (
    <Link
      href={paths.jobs()}
      data-testid="running-jobs"
      className="flex items-center gap-1.5 rounded-full bg-blue-50 px-2.5 py-1 text-xs font-medium text-blue-800 dark:bg-blue-950 dark:text-blue-200"
    >
      <span
        aria-hidden
        className="size-2 animate-pulse rounded-full bg-blue-600 motion-reduce:animate-none"
      />
      {running === 1 ? '1 job running' : `${running} jobs running`}
    </Link>
  );
}
