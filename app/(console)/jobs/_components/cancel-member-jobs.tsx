'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { checkReason } from '@/lib/vocabulary';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { TextAreaField } from '@/components/ui/text-field';
import {
  ReasonCodeFields,
  reasonPayload,
  reasonExtrasReady,
  useReasonExtras,
} from '@/components/forms/reason-code-fields';
import { cancelMemberJobsAction } from '../actions';

export function CancelMemberJobs({ staffId, email }: { staffId: string; email: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [extras, setExtras] = useReasonExtras();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = checkReason(reason);
    const extrasOk = reasonExtrasReady(extras, setExtras);
    if (!parsed.ok) {
      setReasonError(parsed.message);
      return;
    }
    if (!extrasOk) return;
    setBusy(true);
    try {
      const r = await cancelMemberJobsAction({
        staffId,
        reason: parsed.reason,
        ...reasonPayload(extras),
      });
      setResult({ ok: r.ok, message: r.message });
      if (r.ok) router.refresh();
    } catch {
      setResult({ ok: false, message: 'The console could not be reached. Try again.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button size="sm" variant="danger" onClick={() => setOpen(true)}>
        Cancel all jobs of {email}
      </Button>
      <Dialog open={open} onOpenChange={setOpen} dismissible={!busy} title={`Cancel all jobs of ${email}`}>
        <form onSubmit={submit} noValidate className="space-y-4">
          <p className="text-sm">
            Every job this member started or that runs as them stops now: sessions not yet revoked are left as
            they are.
          </p>
          <ReasonCodeFields value={extras} onChange={setExtras} />
          <TextAreaField
            label="Reason"
            name="reason"
            required
            maxLength={500}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setReasonError(null);
            }}
            error={reasonError}
            hint="Recorded in the audit log with each job cancelled."
          />
          {result ? <Alert tone={result.ok ? 'success' : 'error'}>{result.message}</Alert> : null}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setOpen(false)} disabled={busy}>
              Close
            </Button>
            <Button type="submit" variant="danger" disabled={busy}>
              {busy ? 'Cancelling…' : 'Cancel all their jobs'}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
