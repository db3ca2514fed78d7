'use client';

import { useEffect, useState } from 'react';
import type { JobTarget } from '@/lib/jobs/inputs';
import type { ApprovalNote, JobStepUp } from '@/lib/jobs/policy';
import { needsTypedConfirmation } from '@/lib/jobs/types';
import { type ActionResult, plural } from '@/lib/vocabulary';
import { Dialog } from '@/components/ui/dialog';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { UpstreamText } from '@/components/ui/upstream-text';
import { StartJobForm, type StartJob } from '@/components/jobs/start-job-form';
import { approvalNoteOf } from '@/components/approvals/approval-gate';
import { useConsoleAction } from '@/components/forms/use-console-action';

export interface DryRunResult {
  sessions: number;
  users: number;
  sample: { sessionId: string; userId: string | null }[];
  plan: string;
  stepUp?: JobStepUp;
  approval?: ApprovalNote['approval'];
  approvalWhy?: string[];
  breakGlass?: boolean;
}

export interface JobDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  target: JobTarget;
  subjectLabel: string | null;
  noun: string;
  dryRun(input: { target: JobTarget }): Promise<ActionResult<DryRunResult>>;
  createJob: StartJob;
  ssoStepUp?: (input: { callbackUrl?: string }) => Promise<unknown>;
  fallbackFocus?: () => HTMLElement | null | undefined;
}

export function JobDialog(props: JobDialogProps) {
  const [starting, setStarting] = useState(false);
  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      dismissible={!starting}
      fallbackFocus={props.fallbackFocus}
      title={props.title}
    >
      {props.open ? <JobFlow {...props} onStartingChange={setStarting} /> : null}
    </Dialog>
  );
}

type Phase =
  | { name: 'loading' }
  | { name: 'load_failed'; message: string; traceId: string | null }
  | { name: 'confirm'; run: DryRunResult };

function JobFlow({
  target,
  subjectLabel,
  noun,
  dryRun,
  createJob,
  ssoStepUp,
  onOpenChange,
  onStartingChange,
}: JobDialogProps & { onStartingChange(v: boolean): void }) {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const { run: count } = useConsoleAction(dryRun);

  useEffect(() => {
    let live = true;
    void count({ target }).then((r) => {
      if (!live) return;
      if (r.ok) setPhase({ name: 'confirm', run: r.data });
      else setPhase({ name: 'load_failed', message: r.message, traceId: r.traceId ?? null });
    });
    return () => {
      live = false;
    };
  }, [target, count]);

  if (phase.name === 'loading')
    return (
      <p role="status" className="text-sm">
        Counting sessions…
      </p>
    );
  if (phase.name === 'load_failed')
    return (
      <div className="space-y-4">
        <Alert tone="error" traceId={phase.traceId}>
          {phase.message}
        </Alert>
        <div className="flex justify-end">
          <Button onClick={() => onOpenChange(false)}>Close</Button>
        </div>
      </div>
    );

  const { run } = phase;
  if (run.sessions === 0)
    return (
      <div className="space-y-4">
        <p role="status" className="text-sm">
          There are no active sessions to revoke.
        </p>
        <div className="flex justify-end">
          <Button onClick={() => onOpenChange(false)}>Close</Button>
        </div>
      </div>
    );

  const typedNeeded = needsTypedConfirmation(run.sessions, run.users);
  return (
    <StartJobForm
      start={createJob}
      target={target}
      plan={run.plan}
      confirm={typedNeeded ? { count: run.sessions, what: 'sessions' } : null}
      stepUp={run.stepUp ?? null}
      approval={approvalNoteOf(run)}
      ssoStepUp={ssoStepUp}
      stepUpHint="A job this large asks for your console password again."
      submitLabel={`Revoke ${plural(run.sessions, 'session')}`}
      onCancel={() => onOpenChange(false)}
      onBusy={onStartingChange}
      focusReason
    >
      <p className="text-base font-semibold" data-testid="bulk-question">
        Revoke {plural(run.sessions, noun)}
        {subjectLabel ? (
          <>
            {' '}
            of <UpstreamText value={subjectLabel} inline max={80} />
          </>
        ) : run.users > 1 ? (
          <> of {plural(run.users, 'user')}</>
        ) : null}
        ?
      </p>
      <div className="text-sm text-gray-700 dark:text-gray-300">
        <p>
          The console revokes them in a job on the server: it carries on if you close this tab, and every
          session&apos;s outcome is recorded with your reason.
        </p>
        {run.sample.length ? (
          <>
            <p className="mt-2">First sessions:</p>
            <ul aria-label="First sessions" className="mt-1 font-mono text-xs">
              {run.sample.map((s) => (
                <li key={s.sessionId}>{s.sessionId}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </StartJobForm>
  );
}
