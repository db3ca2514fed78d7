'use client';

import { Link } from '@/components/ui/link';
import { useQuery } from '@tanstack/react-query';
import { runningJobsQuery } from '@/lib/queries/jobs';
import { paths } from '@/lib/paths';
import { plural } from '@/lib/vocabulary';

const POLL_MS = 5000;

export function RunningJobsIndicator({ initial }: { initial: number }) {
  const q = useQuery({
    ...runningJobsQuery(),
    initialData: initial,
    // Fresh for one poll interval: mounting with the server's count does not refetch straight away.
    staleTime: POLL_MS,
    refetchInterval: POLL_MS,
    retry: false,
  });
  const running = q.data;
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
      {`${plural(running, 'job')} running`}
    </Link>
  );
}
