'use client';

import { useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { plural } from '@/lib/vocabulary';
import {
  INCIDENT_ACTION_LABELS,
  ITEM_OUTCOME_LABELS,
  ITEM_OUTCOMES,
  isFinished,
  JOB_STATE_LABELS,
  type ItemOutcome,
  type JobAction,
} from '@/lib/jobs/types';
import { SECURE_STEPS, STEP_INFO, type SecureStep } from '@/lib/account/steps';
import {
  JOB_ITEMS_PAGE as PAGE,
  jobQuery,
  type JobItemsFilter as Filter,
  type JobPayload,
} from '@/lib/queries/jobs';
import { paths } from '@/lib/paths';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { Table, TableBody, TableHead, Td, Tr } from '@/components/ui/data-table';
import { ProgressBar } from '@/components/ui/progress-bar';
import { RelativeTime } from '@/components/ui/relative-time';
import { TextLink } from '@/components/ui/text-link';
import { pauseJobAction, resumeJobAction, cancelJobAction } from '../actions';
import { describeScope, formatDuration, processed, rateOf, STATE_TONES } from './job-format';

const SESSION_COUNTS = [
  'revoked',
  'already_inactive',
  'not_found',
  'failed',
  'not_attempted',
  'pending',
] as const;
const ACCOUNT_COUNTS: readonly (ItemOutcome | 'pending')[] = [
  'done',
  'already',
  'refused',
  'not_found',
  'failed',
  'not_attempted',
  'pending',
];
const ACTION_LABELS: Record<JobAction, string> = {
  password_compromised: INCIDENT_ACTION_LABELS.password_compromised,
  lock: INCIDENT_ACTION_LABELS.lock,
  ban: INCIDENT_ACTION_LABELS.ban,
  secure_account: 'Secure this account',
};

const STEERS = { pause: pauseJobAction, resume: resumeJobAction, cancel: cancelJobAction };
type Steer = keyof typeof STEERS;
const steerJob = ({ jobId, op }: { jobId: string; op: Steer }) => STEERS[op]({ jobId });

function stepLabel(step: string): string {
  return (SECURE_STEPS as readonly string[]).includes(step) ? STEP_INFO[step as SecureStep].label : step;
}

export function JobDetail({
  initial,
  canControl,
  reasonTags = null,
}: {
  initial: JobPayload;
  canControl: boolean;
  reasonTags?: ReactNode;
}) {
  const id = initial.job.id;
  const qc = useQueryClient();
  const [filter, setFilter] = useState<Filter>('');
  // Keyset pages: the item id each page starts after (null: the first); Previous pops it.
  const [starts, setStarts] = useState<(number | null)[]>([null]);
  const after = starts[starts.length - 1] ?? null;
  const offset = (starts.length - 1) * PAGE;
  const steer = useConsoleAction(steerJob);
  const q = useQuery({
    ...jobQuery(id, filter, after),
    ...(filter === '' && after === null
      ? { initialData: initial, initialDataUpdatedAt: initial.fetchedAt }
      : {}),
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data.job.state) ? false : 1000),
  });
  const data = q.data ?? initial;
  const { job, items } = data;
  const matching = filter === '' ? job.total : job.counts[filter];
  const done = processed(job);
  const { perSecond, secondsLeft } = rateOf(job, data.fetchedAt);
  const noun = job.action === 'secure_account' ? 'step' : job.action ? 'user' : 'session';
  const shown = job.action ? ACCOUNT_COUNTS : SESSION_COUNTS;

  async function control(op: Steer) {
    steer.clear();
    await steer.run({ jobId: id, op });
    await qc.invalidateQueries({ queryKey: ['job', id] });
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <Badge tone={STATE_TONES[job.state]}>
          <span data-testid="job-state">{JOB_STATE_LABELS[job.state]}</span>
        </Badge>
        <span className="text-sm">{describeScope(job)}</span>
        {canControl && !isFinished(job.state) ? (
          <div className="ml-auto flex gap-2">
            {job.state === 'paused' ? (
              <Button disabled={steer.pending} onClick={() => control('resume')}>
                Resume
              </Button>
            ) : (
              <Button disabled={steer.pending} onClick={() => control('pause')}>
                Pause
              </Button>
            )}
            <Button variant="danger" disabled={steer.pending} onClick={() => control('cancel')}>
              Cancel job
            </Button>
          </div>
        ) : null}
      </div>
      <div role="status" aria-live="polite">
        {steer.result ? (
          <Alert
            tone={steer.result.ok ? 'success' : 'error'}
            role={null}
            traceId={steer.result.ok ? null : (steer.result.traceId ?? null)}
          >
            {steer.result.message}
          </Alert>
        ) : null}
      </div>
      {job.state === 'paused' && job.pausedReason === 'owner_lost_access' ? (
        <Alert tone="warning" role={null}>
          <span data-testid="job-paused-reason">
            {`Paused: ${(job.runAs ?? job.createdBy).email} lost access — an administrator can resume it as themselves.`}
          </span>
        </Alert>
      ) : null}
      {job.error ? <Alert tone="error">{job.error}</Alert> : null}

      <section aria-labelledby="progress-heading" className="space-y-2">
        <h2 id="progress-heading" className="text-base font-semibold">
          Progress
        </h2>
        <ProgressBar label="Job progress" value={done} max={job.total} />
        <p className="text-sm tabular-nums" data-testid="job-progress">
          {done.toLocaleString('en-US')} of {plural(job.total, noun)} processed
          {job.expanding
            ? ` (still looking up ${plural(job.expanding, 'user or client', 'users or clients')})`
            : ''}
          {perSecond !== null ? ` · ${perSecond.toFixed(1)} ${noun}s/s` : ''}
          {secondsLeft !== null && !isFinished(job.state)
            ? ` · about ${formatDuration(secondsLeft)} left`
            : ''}
        </p>
        <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-6">
          {shown.map((k) => (
            <div key={k} className="rounded-md border border-gray-200 px-3 py-2 dark:border-gray-800">
              <dt className="text-xs text-gray-600 dark:text-gray-400">{ITEM_OUTCOME_LABELS[k]}</dt>
              <dd className="font-semibold tabular-nums" data-testid={`count-${k}`}>
                {job.counts[k].toLocaleString('en-US')}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="about-heading">
        <h2 id="about-heading" className="text-base font-semibold">
          About this job
        </h2>
        <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          {job.action ? (
            <>
              <dt className="text-gray-600 dark:text-gray-400">Action</dt>
              <dd data-testid="job-action">{ACTION_LABELS[job.action]}</dd>
            </>
          ) : null}
          <dt className="text-gray-600 dark:text-gray-400">Reason</dt>
          <dd data-testid="job-reason" className="break-words">
            {job.reason}
            {reasonTags}
          </dd>
          <dt className="text-gray-600 dark:text-gray-400">Started by</dt>
          <dd>
            {job.createdBy.email} ({job.createdBy.role})
          </dd>
          <dt className="text-gray-600 dark:text-gray-400">Runs as</dt>
          <dd data-testid="job-runs-as">
            {job.runAs
              ? `${job.runAs.email} (${job.runAs.role}), who took it over`
              : `${job.createdBy.email}, who started it`}
          </dd>
          {job.owners ? (
            <>
              <dt className="text-gray-600 dark:text-gray-400">Users</dt>
              <dd data-testid="job-owners" className="break-words">
                {job.owners.count === 0
                  ? 'None found yet'
                  : `${plural(job.owners.count, 'user')}: ${job.owners.first.join(', ')}${job.owners.count > job.owners.first.length ? ', …' : ''}`}
              </dd>
            </>
          ) : null}
          <dt className="text-gray-600 dark:text-gray-400">Created</dt>
          <dd>
            <RelativeTime at={job.createdAt} />
          </dd>
          {job.finishedAt ? (
            <>
              <dt className="text-gray-600 dark:text-gray-400">Finished</dt>
              <dd>
                <RelativeTime at={job.finishedAt} />
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="items-heading" className="space-y-2">
        <div className="flex flex-wrap items-end gap-3">
          <h2 id="items-heading" className="text-base font-semibold">
            {noun === 'step' ? 'Steps' : noun === 'user' ? 'Users' : 'Sessions'}
          </h2>
          <label className="text-sm">
            Show{' '}
            <select
              className="rounded-md border border-gray-300 px-2 py-1 dark:border-gray-700 dark:bg-gray-900"
              value={filter}
              onChange={(e) => {
                setFilter(e.target.value as Filter);
                setStarts([null]);
              }}
            >
              <option value="">All outcomes</option>
              {[...ITEM_OUTCOMES, 'pending' as const].map((o) => (
                <option key={o} value={o}>
                  {ITEM_OUTCOME_LABELS[o]}
                </option>
              ))}
            </select>
          </label>
          <ButtonLink size="sm" href={paths.api.jobExport(id)} prefetch={false} download>
            Export CSV
          </ButtonLink>
        </div>
        <Table compact>
          <TableHead
            labels={
              noun === 'session'
                ? ['Session', 'User', 'Outcome', 'Attempts', 'Trace id']
                : ['Step', 'User', 'Outcome', 'Attempts', 'Trace id']
            }
          />
          <TableBody>
            {items.rows.map((i) => (
              <Tr key={i.id} data-testid="job-item" data-outcome={i.outcome} data-step={i.step ?? undefined}>
                <Td className={i.step ? 'text-sm' : 'font-mono text-xs'}>
                  {i.step ? (
                    stepLabel(i.step)
                  ) : (
                    <TextLink href={paths.session(i.sessionId)}>{i.sessionId}</TextLink>
                  )}
                </Td>
                <Td className="font-mono text-xs">{i.userId ?? ''}</Td>
                <Td>
                  {ITEM_OUTCOME_LABELS[i.outcome]}
                  {i.code ? (
                    <span className="ml-1 text-xs text-gray-600 dark:text-gray-400">({i.code})</span>
                  ) : null}
                  {i.message ? (
                    <span
                      className="block text-xs text-gray-700 dark:text-gray-300"
                      data-testid="job-item-message"
                    >
                      {i.message}
                    </span>
                  ) : null}
                </Td>
                <Td className="tabular-nums">{i.attempts}</Td>
                <Td className="font-mono text-xs">{i.traceId ?? ''}</Td>
              </Tr>
            ))}
          </TableBody>
        </Table>
        <div className="flex items-center gap-2 text-sm">
          <span>
            {items.rows.length === 0
              ? `No ${noun}s match.`
              : `${offset + 1}–${offset + items.rows.length} of ${Math.max(matching, offset + items.rows.length).toLocaleString('en-US')}`}
          </span>
          <Button size="sm" disabled={starts.length === 1} onClick={() => setStarts(starts.slice(0, -1))}>
            Previous
          </Button>
          <Button
            size="sm"
            disabled={items.next === null}
            onClick={() => items.next !== null && setStarts([...starts, items.next])}
          >
            Next
          </Button>
        </div>
      </section>
    </div>
  );
}
