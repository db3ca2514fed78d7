'use client';

import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ReasonField } from '@/components/forms/reason-field';
import { ReasonCodeFields } from '@/components/forms/reason-code-fields';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { useReasonForm } from '@/components/forms/use-reason-form';
import { cancelMemberJobsAction } from '../actions';

export function CancelMemberJobs({ staffId, email }: { staffId: string; email: string }) {
  const [open, setOpen] = useState(false);
  const form = useReasonForm();
  const cancel = useConsoleAction(cancelMemberJobsAction, { refresh: 'on-success' });
  const { pending, result } = cancel;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const sent = form.ready();
    if (!sent) return;
    form.answered(await cancel.run({ staffId, ...sent }));
  }

  return (
    <>
      <Button size="sm" variant="danger" onClick={() => setOpen(true)}>
        Cancel all jobs of {email}
      </Button>
      <Dialog open={open} onOpenChange={setOpen} dismissible={!pending} title={`Cancel all jobs of ${email}`}>
        <form onSubmit={submit} noValidate className="space-y-4">
          <p className="text-sm">
            Every job this member started or that runs as them stops now: sessions not yet revoked are left as
            they are.
          </p>
          <ReasonCodeFields value={form.extras} onChange={form.setExtras} />
          <ReasonField {...form.reasonProps} hint="Recorded in the audit log with each job cancelled." />
          {result ? (
            <Alert
              tone={result.ok ? 'success' : 'error'}
              traceId={result.ok ? null : (result.traceId ?? null)}
            >
              {result.message}
            </Alert>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setOpen(false)} disabled={pending}>
              Close
            </Button>
            <Button type="submit" variant="danger" disabled={pending}>
              {pending ? 'Cancelling…' : 'Cancel all their jobs'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
