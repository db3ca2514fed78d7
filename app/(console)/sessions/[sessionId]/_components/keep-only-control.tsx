'use client';

import { useMemo, useState } from 'react';
import { stepUpWithSsoAction } from '@/app/(console)/actions';
import { createJobAction, dryRunJobAction } from '@/app/(console)/jobs/actions';
import type { SessionDto } from '@/lib/clerk/dto';
import type { JobTarget } from '@/lib/jobs/inputs';
import dynamic from 'next/dynamic';
import { Button } from '@/components/ui/button';

const JobDialog = dynamic(() => import('@/components/sessions/job-dialog').then((m) => m.JobDialog), {
  ssr: false,
});

export function KeepOnlyControl({ session, userLabel }: { session: SessionDto; userLabel: string }) {
  const [open, setOpen] = useState(false);
  const target = useMemo<JobTarget>(
    () => ({ kind: 'user_except', userId: session.userId, keepSessionId: session.id }),
    [session.userId, session.id],
  );
  if (session.status !== 'active') return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>Sign out everywhere except this device</Button>
      <JobDialog
        open={open}
        onOpenChange={setOpen}
        title="Sign out everywhere except this device"
        noun="other active session"
        target={target}
        subjectLabel={userLabel}
        dryRun={dryRunJobAction}
        createJob={createJobAction}
        ssoStepUp={stepUpWithSsoAction}
      />
    </>
  );
}
