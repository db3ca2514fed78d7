'use client';

import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { SsoStepUpButton } from '@/components/auth/sso-step-up-button';
import { StepUpPasswordField } from '@/components/auth/step-up-password-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextAreaField } from '@/components/ui/text-field';
import type { JobStepUp } from '@/lib/jobs/policy';
import { paths } from '@/lib/paths';
import { checkReason, type ActionResult } from '@/lib/vocabulary';

export interface DecideFormProps {
  approvalId: string;
  role: 'decider' | 'requester';
  stepUp: JobStepUp;
  approve(input: { approvalId: string; password?: string }): Promise<ActionResult<{ jobId: string }>>;
  decline(input: { approvalId: string; reason: string }): Promise<ActionResult<{ approvalId: string }>>;
  cancel(input: { approvalId: string }): Promise<ActionResult<{ approvalId: string }>>;
  ssoStepUp?: (input: { callbackUrl?: string }) => Promise<unknown>;
}

export function DecideForm(p: DecideFormProps) {
  const router = useRouter();
  const approving = useConsoleAction(p.approve, { requestKey: true, omit: ['password'] });
  const declining = useConsoleAction(p.decline, { refresh: 'on-success' });
  const cancelling = useConsoleAction(p.cancel, { refresh: 'on-success' });
  const [password, setPassword] = useState('');
  const [why, setWhy] = useState('');
  const [whyError, setWhyError] = useState<string | null>(null);
  const busy = approving.pending || declining.pending || cancelling.pending;
  const last = [approving.result, declining.result, cancelling.result].find((r) => r && !r.ok);
  const failed = last && !last.ok ? last : null;

  async function approve(e: FormEvent) {
    e.preventDefault();
    const typed = password;
    setPassword('');
    const r = await approving.run({
      approvalId: p.approvalId,
      ...(p.stepUp?.kind === 'password' ? { password: typed } : {}),
    });
    if (r.ok) router.push(paths.job(r.data.jobId));
  }

  async function decline() {
    const checked = checkReason(why);
    if (!checked.ok) return setWhyError(checked.message);
    await declining.run({ approvalId: p.approvalId, reason: checked.reason });
  }

  if (p.role === 'requester')
    return (
      <div className="space-y-2">
        {failed ? <Alert tone="error">{failed.message}</Alert> : null}
        <Button onClick={() => cancelling.run({ approvalId: p.approvalId })} disabled={busy}>
          {cancelling.pending ? 'Cancelling…' : 'Cancel this request'}
        </Button>
      </div>
    );

  return (
    <form onSubmit={approve} noValidate className="max-w-xl space-y-4" aria-label="Decide">
      {p.stepUp?.kind === 'password' ? (
        <StepUpPasswordField
          value={password}
          onChange={setPassword}
          hint="Approving starts the job: it asks for your console password again."
          error={
            approving.result && !approving.result.ok
              ? (approving.result.fieldErrors?.password?.[0] ?? null)
              : null
          }
        />
      ) : p.stepUp?.kind === 'sso' && p.ssoStepUp ? (
        <SsoStepUpButton fresh={p.stepUp.fresh} action={p.ssoStepUp} />
      ) : null}
      <TextAreaField
        label="Why decline (only to decline)"
        name="declineReason"
        rows={2}
        value={why}
        onChange={(e) => {
          setWhy(e.target.value);
          if (whyError) setWhyError(null);
        }}
        error={whyError}
      />
      {failed ? (
        <Alert tone="error" traceId={failed.traceId ?? null}>
          {failed.message}
        </Alert>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="danger" disabled={busy}>
          {approving.pending ? 'Approving…' : 'Approve and start the job'}
        </Button>
        <Button onClick={decline} disabled={busy}>
          {declining.pending ? 'Declining…' : 'Decline'}
        </Button>
      </div>
    </form>
  );
}
