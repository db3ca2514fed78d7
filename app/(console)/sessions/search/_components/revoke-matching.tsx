'use client';

import dynamic from 'next/dynamic';
import { useCallback, useRef, useState } from 'react';
import type { JobTarget } from '@/lib/jobs/inputs';
import { searchParams, type SearchFilters } from '@/lib/session-index/search-link';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { stepUpWithSsoAction } from '@/app/(console)/actions';
import { createJobAction } from '../../../jobs/actions';
import { dryRunMatchingAction, matchingSessionsAction } from '../actions';

const JobDialog = dynamic(() => import('@/components/sessions/job-dialog').then((m) => m.JobDialog), {
  ssr: false,
});

type Filters = Record<string, string | undefined>;

function wire(f: SearchFilters): Filters {
  const out: Filters = {};
  for (const [k, v] of Object.entries(searchParams({ ...f, limit: undefined, after: undefined })))
    if (v !== undefined) out[k] = String(v);
  return out;
}

export function RevokeMatching({ filters }: { filters: SearchFilters }) {
  const [target, setTarget] = useState<JobTarget | null>(null);
  const find = useConsoleAction(matchingSessionsAction);
  const [message, setMessage] = useState<{
    tone: 'error' | 'info';
    text: string;
    traceId: string | null;
  } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const wired = wire(filters);
  const key = JSON.stringify(wired);
  // Stable for the dialog's effect: a new function each render would ask for the dry run again.
  const runDry = useCallback(
    (input: { target: JobTarget }) =>
      dryRunMatchingAction({ filters: JSON.parse(key) as Filters, target: input.target }),
    [key],
  );

  async function open() {
    setMessage(null);
    const r = await find.run({ filters: wired });
    if (!r.ok) setMessage({ tone: 'error', text: r.message, traceId: r.traceId ?? null });
    else if (r.data.sessionIds.length === 0)
      setMessage({ tone: 'info', text: 'No active session matches these filters.', traceId: null });
    else setTarget({ kind: 'sessions', sessionIds: r.data.sessionIds });
  }

  return (
    <div className="space-y-2">
      <Button ref={button} variant="danger" onClick={open} disabled={find.pending}>
        {find.pending ? 'Finding sessions…' : 'Revoke all matching'}
      </Button>
      {message ? (
        <Alert tone={message.tone} traceId={message.traceId}>
          {message.text}
        </Alert>
      ) : null}
      {target ? (
        <JobDialog
          open
          onOpenChange={(v) => {
            if (!v) setTarget(null);
          }}
          title="Revoke all matching sessions"
          target={target}
          subjectLabel={null}
          noun="active session"
          dryRun={runDry}
          createJob={createJobAction}
          ssoStepUp={stepUpWithSsoAction}
          fallbackFocus={() => button.current}
        />
      ) : null}
    </div>
  );
}
