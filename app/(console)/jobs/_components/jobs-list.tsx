'use client';

import { TextLink } from '@/components/ui/text-link';
import { useQuery } from '@tanstack/react-query';
import { JOB_STATE_LABELS, type JobView } from '@/lib/jobs/types';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { describeScope, processed, STATE_TONES } from './job-format';
import { POLL_HEADER } from '@/lib/queries/get-json';
import { paths } from '@/lib/paths';

async function fetchJobs(): Promise<{ jobs: JobView[]; fetchedAt: number }> {
  const res = await fetch(paths.api.jobs(), { cache: 'no-store', headers: { [POLL_HEADER]: '1' } });
  if (!res.ok) throw new Error(`jobs ${res.status}`);
  return res.json();
}

/** Every job, the ones under way first; refreshed every few seconds while any is under way. */
export function JobsList({ initial }: { initial: { jobs: JobView[]; fetchedAt: number } }) {
  const q = useQuery({
    queryKey: ['jobs'],
    queryFn: fetchJobs,
    initialData: initial,
    initialDataUpdatedAt: initial.fetchedAt,
    refetchInterval: (query) =>
      query.state.data?.jobs.some((j) => ['queued', 'running', 'paused'].includes(j.state)) ? 2000 : 15_000,
  });
  const jobs = q.data.jobs;
  if (!jobs.length)
    return (
      <EmptyState
        title="No jobs yet"
        description="Bulk revokes started from a user's sessions appear here."
      />
    );
  return (
    <div className="overflow-x-auto rounded-md border border-gray-200 dark:border-gray-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-gray-50 text-xs text-gray-700 uppercase dark:bg-gray-900 dark:text-gray-300">
          <tr>
            <th className="px-3 py-2">State</th>
            <th className="px-3 py-2">Covers</th>
            <th className="px-3 py-2">Progress</th>
            <th className="px-3 py-2">Reason</th>
            <th className="px-3 py-2">Started by</th>
            <th className="px-3 py-2">Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
          {jobs.map((j) => (
            <tr key={j.id} data-job-id={j.id} data-state={j.state}>
              <td className="px-3 py-2">
                <Badge tone={STATE_TONES[j.state]}>{JOB_STATE_LABELS[j.state]}</Badge>
              </td>
              <td className="px-3 py-2">
                <TextLink href={paths.job(j.id)}>{describeScope(j)}</TextLink>
              </td>
              <td className="px-3 py-2 tabular-nums">
                {processed(j).toLocaleString('en-US')} / {j.total.toLocaleString('en-US')}
              </td>
              <td className="max-w-64 truncate px-3 py-2" title={j.reason}>
                {j.reason}
              </td>
              <td className="px-3 py-2">{j.createdBy.email}</td>
              <td className="px-3 py-2">
                <RelativeTime at={j.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
