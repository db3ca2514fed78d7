'use client';

import { useQuery } from '@tanstack/react-query';
import { Alert } from '@/components/ui/alert';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { TextLink } from '@/components/ui/text-link';
import { formatExact } from '@/components/ui/time-format';
import { leftAsIs, type SecureCounts } from '@/lib/account/preview';
import type { OpenMint } from '@/lib/vocabulary';
import { OPEN_AFTER_SECURING, STEP_INFO, type SecureStep } from '@/lib/account/steps';
import { isFinished } from '@/lib/jobs/types';
import { jobQuery } from '@/lib/queries/jobs';
import { openMintsQuery } from '@/lib/queries/open-mints';
import { paths } from '@/lib/paths';
import { stepOutcomes, type StepOutcome } from './secure-account-outcomes';

const TONES: Record<StepOutcome['outcome'], BadgeTone> = {
  done: 'green',
  already: 'neutral',
  not_found: 'amber',
  refused: 'red',
  failed: 'red',
  not_attempted: 'amber',
  pending: 'blue',
};

const LABELS: Record<StepOutcome['outcome'], string> = {
  done: 'Done',
  already: 'Already so',
  not_found: 'User not found',
  refused: 'Refused by Clerk',
  failed: 'Failed',
  not_attempted: 'Not attempted',
  pending: 'Pending',
};

export function SecureAccountClosing({
  jobId,
  userId,
  steps,
  counts,
}: {
  jobId: string;
  userId: string;
  steps: SecureStep[];
  counts: SecureCounts;
}) {
  const job = useQuery({
    ...jobQuery(jobId, '', null),
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.job.state) ? false : 1000),
  });
  const finished = job.data ? isFinished(job.data.job.state) : false;
  const mints = useQuery({ ...openMintsQuery(userId), enabled: finished });
  const outcomes = stepOutcomes(steps, job.data?.items.rows ?? []);
  // A refused or failed step leaves its door open just like one not chosen.
  const held = outcomes.filter(
    (o) => !['refused', 'failed', 'not_attempted', 'not_found'].includes(o.outcome),
  );
  const remaining = leftAsIs(
    held.map((o) => o.step),
    counts,
  );

  return (
    <div className="space-y-4 text-sm">
      <section aria-labelledby="secure-done" className="space-y-2">
        <h3 id="secure-done" className="font-semibold">
          {finished ? 'What was done' : 'Securing the account…'}
        </h3>
        {job.isError ? (
          <Alert tone="warning">The job could not be read just now; its page shows where it stands.</Alert>
        ) : null}
        <ul aria-label="What was done" className="space-y-2">
          {outcomes.map((o) => (
            <li key={o.step} data-step={o.step}>
              <span className="font-medium">{STEP_INFO[o.step].label}</span>{' '}
              <Badge tone={TONES[o.outcome]}>{LABELS[o.outcome]}</Badge>
              {o.message ? <p className="text-gray-700 dark:text-gray-300">{o.message}</p> : null}
              {o.traceId ? (
                <p className="text-xs text-gray-600 dark:text-gray-400">
                  Trace id: <code className="font-mono select-all">{o.traceId}</code>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
        <p>
          <TextLink href={paths.job(jobId)}>Open the job</TextLink> for every outcome and its audit trail.
        </p>
      </section>
      <section aria-labelledby="secure-open" className="space-y-2">
        <h3 id="secure-open" className="font-semibold">
          What stays open
        </h3>
        <ul className="list-inside list-disc space-y-1">
          <li>{OPEN_AFTER_SECURING.sessionToken}</li>
          <li>
            {OPEN_AFTER_SECURING.templateTokens}
            <OpenMints mints={mints.data?.mints ?? null} failed={mints.isError} />
          </li>
          {remaining.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function OpenMints({ mints, failed }: { mints: OpenMint[] | null; failed: boolean }) {
  if (failed)
    return (
      <p className="text-amber-800 dark:text-amber-300">
        The console&apos;s own mints could not be read just now.
      </p>
    );
  if (!mints) return <p className="text-gray-600 dark:text-gray-400">Checking the audit log…</p>;
  if (!mints.length)
    return (
      <p data-testid="open-mints">
        The console has minted no template token for this user that is still valid.
      </p>
    );
  return (
    <ul aria-label="Template tokens still valid" data-testid="open-mints" className="mt-1 ml-4 space-y-1">
      {mints.map((m) => (
        <li key={m.intentId}>
          <span className="font-mono text-xs">{m.template ?? 'template'}</span> for{' '}
          <span className="font-mono text-xs">{m.sessionId}</span>:{' '}
          {m.confirmed ? 'valid until' : 'may be valid until'} {formatExact(m.expiresAt)} (
          <RelativeTime at={m.expiresAt} />){m.confirmed ? null : ' (Clerk never confirmed this mint)'}
        </li>
      ))}
    </ul>
  );
}
