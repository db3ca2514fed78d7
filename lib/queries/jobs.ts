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

/** Which items of a job are shown: one outcome, the ones not done yet, or all (''). */
export type JobItemsFilter = ItemOutcome | 'pending' | '';

export const JOB_ITEMS_PAGE = 100;

// Every jobs read is a poll: the pages refresh themselves while work is under way, nobody asks for it.
export const jobsQuery = () =>
  queryOptions({
    queryKey: ['jobs'] as const,
    queryFn: ({ signal }) => getJson<JobsPage>(paths.api.jobs(), { signal, poll: true }),
  });

/** How many jobs are queued or running (the header's indicator). */
export const runningJobsQuery = () =>
  queryOptions({
    queryKey: ['jobs', 'active', 'running-count'] as const,
    queryFn: async ({ signal }) =>
      (await getJson<{ running: number }>(paths.api.jobs({ running: 1 }), { signal, poll: true })).running,
  });

/** One job with the page of its items after item `after` (null: the first page). */
export const jobQuery = (jobId: string, filter: JobItemsFilter, after: number | null) =>
  queryOptions({
    queryKey: ['job', jobId, filter, after] as const,
    queryFn: ({ signal }) =>
      getJson<JobPayload>(paths.api.job(jobId, { limit: JOB_ITEMS_PAGE, after, outcome: filter }), {
        signal,
        poll: true,
      }),
  });
