'use client';

import dynamic from 'next/dynamic';
import { Button } from '@/components/ui/button';
import type { JobTarget } from '@/lib/jobs/inputs';
import { stepUpWithSsoAction } from '@/app/(console)/actions';
import { createJobAction, dryRunJobAction } from '../../jobs/actions';

const JobDialog = dynamic(() => import('@/components/sessions/job-dialog').then((m) => m.JobDialog), {
  ssr: false,
});

export interface BulkRequest {
  title: string;
  noun: string;
  target: JobTarget;
}

export function BulkRevokeButtons({
  selectedIds,
  userId,
  onStart,
}: {
  selectedIds: string[];
  userId: string | null;
  onStart: (bulk: BulkRequest) => void;
}) {
  const offered: { label: string; bulk: BulkRequest }[] = [];
  if (selectedIds.length > 0)
    offered.push({
      label: `Revoke selected (${selectedIds.length})`,
      bulk: {
        title: 'Revoke selected sessions',
        noun: 'selected session',
        target: { kind: 'sessions', sessionIds: selectedIds, ...(userId ? { userId } : {}) },
      },
    });
  if (userId)
    offered.push({
      label: 'Revoke all active sessions',
      bulk: {
        title: 'Sign out everywhere',
        noun: 'active session',
        target: { kind: 'users', userIds: [userId] },
      },
    });
  return offered.map(({ label, bulk }) => (
    <Button key={bulk.title} size="sm" variant="danger" onClick={() => onStart(bulk)}>
      {label}
    </Button>
  ));
}

export function BulkJobDialog({
  bulk,
  subjectLabel,
  onClose,
  fallbackFocus,
}: {
  bulk: BulkRequest;
  subjectLabel: string | null;
  onClose: () => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  return (
    <JobDialog
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={bulk.title}
      noun={bulk.noun}
      target={bulk.target}
      subjectLabel={subjectLabel}
      dryRun={dryRunJobAction}
      createJob={createJobAction}
      ssoStepUp={stepUpWithSsoAction}
      fallbackFocus={fallbackFocus}
    />
  );
}
