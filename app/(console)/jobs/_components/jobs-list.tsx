'use client';

import { TextLink } from '@/components/ui/text-link';
import { useQuery } from '@tanstack/react-query';
import { JOB_STATE_LABELS } from '@/lib/jobs/types';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableHead, Td, Tr } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { describeScope, processed, STATE_TONES } from './job-format';
import { jobsQuery, type JobsPage } from '@/lib/queries/jobs';
import { paths } from '@/lib/paths';

export function JobsList({ initial }: { initial: JobsPage }) {
  const q = useQuery({
    ...jobsQuery(),
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
    <Table>
      <TableHead labels={['State', 'Covers', 'Progress', 'Reason', 'Started by', 'Created']} />
      <TableBody>
        {jobs.map((j) => (
          <Tr key={j.id} data-job-id={j.id} data-state={j.state}>
            <Td>
              <Badge tone={STATE_TONES[j.state]}>{JOB_STATE_LABELS[j.state]}</Badge>
            </Td>
            <Td>
              <TextLink href={paths.job(j.id)}>{describeScope(j)}</TextLink>
            </Td>
            <Td className="tabular-nums">
              {processed(j).toLocaleString('en-US')} / {j.total.toLocaleString('en-US')}
            </Td>
            <Td className="max-w-64 truncate" title={j.reason}>
              {j.reason}
            </Td>
            <Td>{j.createdBy.email}</Td>
            <Td>
              <RelativeTime at={j.createdAt} />
            </Td>
          </Tr>
        ))}
      </TableBody>
    </Table>
  );
}
