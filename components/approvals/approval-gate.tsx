'use client';

import { Alert } from '@/components/ui/alert';
import { TextAreaField } from '@/components/ui/text-field';
import type { ApprovalNote } from '@/lib/jobs/policy';
import { paths } from '@/lib/paths';
import type { StartAnswer } from '@/lib/approvals/types';

export function startedPath(data: StartAnswer): string {
  return 'approvalId' in data ? paths.approval(data.approvalId) : paths.job(data.jobId);
}

/** The dry run's answer as the gate reads it (null when the dry run said nothing about approval). */
export function approvalNoteOf(run: {
  approval?: ApprovalNote['approval'];
  approvalWhy?: string[];
  breakGlass?: boolean;
}): ApprovalNote | null {
  return run.approval
    ? { approval: run.approval, approvalWhy: run.approvalWhy ?? [], breakGlass: run.breakGlass === true }
    : null;
}

export function approvalSubmitLabel(note: ApprovalNote | null | undefined, glass: boolean, label: string) {
  if (note?.approval !== 'required') return label;
  return glass ? `${label} now (break-glass)` : `${label}: ask a second admin`;
}

export interface ApprovalGateProps {
  note: ApprovalNote | null | undefined;
  glass: boolean;
  onGlass(on: boolean): void;
  emergency: string;
  onEmergency(value: string): void;
  error: string | null;
}

/** Above the deployer's thresholds: the form sends a request, or (an admin) acts alone with a stated emergency. */
export function ApprovalGate(p: ApprovalGateProps) {
  if (p.note?.approval !== 'required') return null;
  return (
    <div className="space-y-2" data-testid="approval-gate">
      <Alert tone="warning" title="This needs a second admin's approval">
        {p.note.approvalWhy.join('; ')}. Submitting sends a request: another administrator sees this preview
        and approves or declines it; the job starts only then.
      </Alert>
      {p.note.breakGlass ? (
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-1"
            checked={p.glass}
            onChange={(e) => p.onGlass(e.target.checked)}
          />
          <span>
            <span className="font-medium">Emergency: act without a second admin</span>
            <span className="block text-xs text-gray-600 dark:text-gray-400">
              Starts now on your authority alone; flagged as break-glass in the audit log and on the job.
            </span>
          </span>
        </label>
      ) : null}
      {p.glass ? (
        <TextAreaField
          label="Emergency reason"
          name="emergencyReason"
          rows={2}
          value={p.emergency}
          onChange={(e) => p.onEmergency(e.target.value)}
          error={p.error}
          hint="Why this cannot wait for a second admin."
        />
      ) : null}
    </div>
  );
}
