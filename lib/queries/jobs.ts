import { queryOptions } from '@tanstack/react-query';
import type { ItemOutcome, JobItemView, JobView } from '@/lib/jobs/types';
import { paths } from '@/lib/paths';
import { getJson } from './get-json';

export interface JobsPage {
  jobs: JobView[];
  fetchedAt: number;
}

export interface JobPayload {
  job: JobView;
  items: { rows: JobItemView[]; next: number | null };
  fetchedAt: number;
}

export type JobItemsFilter = ItemOutcome | 'pending' | '';

export const JOB_ITEMS_PAGE = 100;

export const jobsQuery = () =>
  queryOptions({
    queryKey: ['jobs'] as const,
    queryFn: ({ signal }) => getJson<JobsPage>(paths.api.jobs(), { signal, poll: true }),
  });

export const runningJobsQuery = () =>
  queryOptions({
    queryKey: ['jobs', 'active', 'running-count'] as const,
    queryFn: async ({ signal }) =>
      (await getJson<{ running: number }>(paths.api.jobs({ running: 1 }), { signal, poll: true })).running,
  });

export const jobQuery = (jobId: string, filter: JobItemsFilter, after: number | null) =>
  queryOptions({
    queryKey: ['job', jobId, filter, after] as const,
    queryFn: ({ signal }) =>
      getJson<JobPayload>(paths.api.job(jobId, { limit: JOB_ITEMS_PAGE, after, outcome: filter }), {
        signal,
        poll: true,
      }),
  });
